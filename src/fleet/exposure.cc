// Exposure: the register's records (of one vulnerability, or all) and the releases each was seen
// in lead to the fleet releases filed under those names, whose devices the database counts per
// site through its (product, release, site) index. The cost follows the findings and the releases
// they touch (and one read of the release list), not the number of devices; the statements are
// few, so a server engine's round trips do not add up.
#include "vigil/fleet/exposure.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

namespace vigil::fleet {
namespace {

bool OpenOn(const triage::Record& r, const std::string& register_release) {
  switch (r.current.decision.status) {
    case triage::TriageStatus::kNotAffected:
      return false;
    case triage::TriageStatus::kFixed:
      return r.current.decision.fixed_in != register_release;
    default:
      return true;
  }
}

// The earliest deadline not met, "9999-12-31" when none: the clock that runs out first.
std::string NextDue(const triage::Record& r) {
  std::string due = "9999-12-31";
  for (const triage::Deadline& d : r.deadlines) {
    if (!d.met && d.due < due) due = d.due;
  }
  return due;
}

bool Before(const ExposureRow& a, const ExposureRow& b) {
  const auto key = [](const ExposureRow& r) {
    return std::make_tuple(r.controlled, NextDue(r.record), r.record.key.vulnerability, r.product,
                           r.release, r.site, r.record.key.component);
  };
  return key(a) < key(b);
}

ExposureRow RowOf(const DeviceCount& c, const triage::Record& r) {
  ExposureRow row{c.product, c.release, c.site, c.devices, r.risk.controlled, "", r};
  if (r.current.decision.status == triage::TriageStatus::kFixed) {
    row.controlled = r.unmitigated_risk.controlled;
    row.fixed_in = r.current.decision.fixed_in;
  }
  return row;
}

void Summarise(Exposure& e, const std::vector<DeviceCount>& counts) {
  // Per (product, release, site) group: exposed at all, exposed to an uncontrolled risk.
  std::map<std::tuple<std::string, std::string, std::string>, std::pair<bool, bool>> groups;
  for (const ExposureRow& r : e.rows) {
    auto& g = groups[{r.product, r.release, r.site}];
    g.first = true;
    g.second = g.second || !r.controlled;
  }
  std::map<std::string, SiteExposure> sites;
  for (const ExposureRow& r : e.rows) sites[r.site].findings++;
  for (const DeviceCount& c : counts) {
    auto it = groups.find({c.product, c.release, c.site});
    if (it == groups.end()) continue;
    SiteExposure& s = sites[c.site];
    s.devices += c.devices;
    e.devices += c.devices;
    if (it->second.second) {
      s.uncontrolled_devices += c.devices;
      e.uncontrolled_devices += c.devices;
    }
  }
  for (auto& [name, s] : sites) {
    s.site = name;
    e.sites.push_back(std::move(s));
  }
}

}  // namespace

// Each open (record, register release) pair, in the register's order.
struct OpenSighting {
  const triage::Record* record;
  std::string filed;  // the register's release name
};

Result<Exposure> ComputeExposure(Fleet& fleet, triage::Register& reg,
                                 const ExposureFilter& filter) {
  triage::ListFilter lf;
  lf.vulnerability = filter.vulnerability;
  lf.as_of = filter.as_of;
  // The records and the releases each was seen in as of one moment, the register's locks
  // taken once rather than around each record's look-up.
  VIGIL_ASSIGN_OR_RETURN(triage::Register::Snapshot snapshot, reg.BeginSnapshot());
  VIGIL_ASSIGN_OR_RETURN(std::vector<triage::Record> records, reg.List(lf));
  std::vector<OpenSighting> open;
  for (const triage::Record& r : records) {
    VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> sighted, reg.SightedIn(r.key));
    for (std::string& filed : sighted) {
      if (OpenOn(r, filed)) open.push_back({&r, std::move(filed)});
    }
  }
  VIGIL_RETURN_IF_ERROR(snapshot.End());
  Exposure e;
  if (open.empty()) return e;
  // The fleet releases by the register names they are filed under (one statement for all, by
  // product and version), and the device counts of those that carry an open finding (a few
  // statements: Fleet::CountDevicesOf), instead of two statements per sighting.
  VIGIL_ASSIGN_OR_RETURN(std::vector<Release> all, fleet.Releases(""));
  std::sort(all.begin(), all.end(), [](const Release& a, const Release& b) {
    return std::tie(a.product, a.version) < std::tie(b.product, b.version);
  });
  std::map<std::pair<std::string, std::string>, std::vector<const Release*>> filed_as;
  for (const Release& r : all) filed_as[{r.register_product, r.register_release}].push_back(&r);
  std::vector<std::pair<std::string, std::string>> exposed;
  for (const OpenSighting& o : open) {
    auto it = filed_as.find({o.record->key.product, o.filed});
    if (it == filed_as.end()) continue;
    for (const Release* r : it->second) exposed.emplace_back(r->product, r->version);
  }
  VIGIL_ASSIGN_OR_RETURN(std::vector<DeviceCount> counts,
                         fleet.CountDevicesOf(exposed, filter.site));
  std::map<std::pair<std::string, std::string>, std::vector<const DeviceCount*>> counted;
  for (const DeviceCount& c : counts) counted[{c.product, c.release}].push_back(&c);
  for (const OpenSighting& o : open) {
    auto it = filed_as.find({o.record->key.product, o.filed});
    if (it == filed_as.end()) continue;
    for (const Release* r : it->second) {
      auto c = counted.find({r->product, r->version});
      if (c == counted.end()) continue;
      for (const DeviceCount* dc : c->second) e.rows.push_back(RowOf(*dc, *o.record));
    }
  }
  std::sort(e.rows.begin(), e.rows.end(), Before);
  Summarise(e, counts);
  return e;
}

}  // namespace vigil::fleet
