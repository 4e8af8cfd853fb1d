// Exposure: devices are counted by the database per (product, release, site); the register is
// asked once per release that has devices, so the cost follows the releases in the field, not
// the devices.
#include "vigil/fleet/exposure.h"

#include <algorithm>
#include <map>
#include <set>
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

bool Matches(const triage::Record& r, const std::string& vulnerability) {
  return vulnerability.empty() || r.key.vulnerability == vulnerability ||
         r.facts.advisory_id == vulnerability;
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

// The open findings of one fleet release, from the register.
Result<std::vector<triage::Record>> OpenFindings(Fleet& fleet, triage::Register& reg,
                                                 const std::string& product,
                                                 const std::string& version,
                                                 const ExposureFilter& filter) {
  VIGIL_ASSIGN_OR_RETURN(std::optional<Release> release, fleet.FindRelease(product, version));
  if (!release) return std::vector<triage::Record>();  // devices of a deleted release: none yet
  triage::ListFilter lf;
  lf.product = release->register_product;
  lf.release = release->register_release;
  lf.as_of = filter.as_of;
  VIGIL_ASSIGN_OR_RETURN(std::vector<triage::Record> records, reg.List(lf));
  std::erase_if(records, [&](const triage::Record& r) {
    return !OpenOn(r, release->register_release) || !Matches(r, filter.vulnerability);
  });
  return records;
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

Result<Exposure> ComputeExposure(Fleet& fleet, triage::Register& reg,
                                 const ExposureFilter& filter) {
  DeviceFilter df;
  df.site = filter.site;
  VIGIL_ASSIGN_OR_RETURN(std::vector<DeviceCount> counts, fleet.CountDevices(df));
  Exposure e;
  std::map<std::pair<std::string, std::string>, std::vector<triage::Record>> findings;
  for (const DeviceCount& c : counts) {
    auto key = std::make_pair(c.product, c.release);
    auto it = findings.find(key);
    if (it == findings.end()) {
      VIGIL_ASSIGN_OR_RETURN(std::vector<triage::Record> open,
                             OpenFindings(fleet, reg, c.product, c.release, filter));
      it = findings.emplace(std::move(key), std::move(open)).first;
    }
    for (const triage::Record& r : it->second) e.rows.push_back(RowOf(c, r));
  }
  std::sort(e.rows.begin(), e.rows.end(), Before);
  Summarise(e, counts);
  return e;
}

}  // namespace vigil::fleet
