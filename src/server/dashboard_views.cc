// The dashboard's view models (internal/dashboard_views.h).
#include "internal/dashboard_views.h"

#include <algorithm>
#include <map>
#include <set>

#include "vigil/core/dates.h"
#include "vigil/core/encoding.h"

namespace vigil::server {
namespace {

bool SameKey(const triage::RecordKey& a, const triage::RecordKey& b) {
  return a.product == b.product && a.vulnerability == b.vulnerability && a.component == b.component;
}

Result<ReleaseSummary> SummariseRelease(fleet::Fleet& fleet, fleet::Release r) {
  ReleaseSummary out;
  VIGIL_ASSIGN_OR_RETURN(out.sites, fleet.CountDevices({r.product, r.version, ""}));
  for (const fleet::DeviceCount& c : out.sites) out.devices += c.devices;
  out.release = std::move(r);
  return out;
}

}  // namespace

Result<std::vector<ProductSummary>> LoadPortfolio(fleet::Fleet& fleet) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::Product> products, fleet.Products());
  std::vector<ProductSummary> out;
  for (fleet::Product& p : products) {
    ProductSummary s;
    VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::Release> releases, fleet.Releases(p.name));
    for (fleet::Release& r : releases) {
      VIGIL_ASSIGN_OR_RETURN(ReleaseSummary rs, SummariseRelease(fleet, std::move(r)));
      s.devices += rs.devices;
      s.releases.push_back(std::move(rs));
    }
    s.product = std::move(p);
    out.push_back(std::move(s));
  }
  return out;
}

Result<ExposureView> LoadExposure(fleet::Fleet& fleet, triage::Register& reg,
                                  const std::string& site) {
  ExposureView out;
  out.site = site;
  VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::DeviceCount> counts, fleet.CountDevices({}));
  std::set<std::string> sites;
  for (const fleet::DeviceCount& c : counts) sites.insert(c.site);
  out.sites.assign(sites.begin(), sites.end());
  VIGIL_ASSIGN_OR_RETURN(out.exposure, fleet::ComputeExposure(fleet, reg, {"", site, ""}));
  return out;
}

Result<FindingView> LoadFinding(fleet::Fleet& fleet, triage::Register& reg,
                                const triage::RecordKey& key) {
  VIGIL_ASSIGN_OR_RETURN(std::optional<triage::Record> record, reg.Find(key));
  if (!record) {
    return NotFoundError("no finding " + OneLine(key.vulnerability) + " of component '" +
                         OneLine(key.component) + "' of product '" + OneLine(key.product) + "'");
  }
  FindingView out;
  out.record = std::move(*record);
  VIGIL_ASSIGN_OR_RETURN(out.history, reg.History(key));
  VIGIL_ASSIGN_OR_RETURN(out.sighted_in, reg.SightedIn(key));
  VIGIL_ASSIGN_OR_RETURN(fleet::Exposure e,
                         fleet::ComputeExposure(fleet, reg, {key.vulnerability, "", ""}));
  for (fleet::ExposureRow& row : e.rows) {
    if (!SameKey(row.record.key, key)) continue;
    out.devices += row.devices;
    out.exposed.push_back(std::move(row));
  }
  return out;
}

Result<std::vector<DeadlineClock>> LoadDeadlines(fleet::Fleet& fleet, triage::Register& reg,
                                                 int64_t today) {
  VIGIL_ASSIGN_OR_RETURN(fleet::Exposure e,
                         fleet::ComputeExposure(fleet, reg, {"", "", FormatDate(today)}));
  std::vector<DeadlineClock> out;
  for (const fleet::ExposureRow& row : e.rows) {
    auto same = [&](const DeadlineClock& c) { return SameKey(c.key, row.record.key); };
    if (auto it = std::find_if(out.begin(), out.end(), same); it != out.end()) {
      for (; it != out.end(); ++it) {
        if (!same(*it)) continue;
        it->devices += row.devices;
        it->controlled = it->controlled && row.controlled;  // uncontrolled anywhere: uncontrolled
      }
      continue;
    }
    for (const triage::Deadline& d : row.record.deadlines) {
      if (d.met) continue;
      const int64_t due = ParseDate(d.due).value_or(today);
      out.push_back({row.record.key, d, row.controlled, row.devices, due - today});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const DeadlineClock& a, const DeadlineClock& b) {
    return a.deadline.due < b.deadline.due;
  });
  return out;
}

Result<std::vector<MonthlyMetrics>> LoadMetrics(fleet::Fleet& fleet, triage::Register& reg,
                                                int64_t today, int months) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::Product> products, fleet.Products());
  std::set<std::string> filed;
  for (const fleet::Product& p : products) {
    VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::Release> releases, fleet.Releases(p.name));
    for (const fleet::Release& r : releases) {
      if (!r.register_product.empty()) filed.insert(r.register_product);
    }
  }
  const CivilDate now = CivilFromDays(today);
  std::vector<MonthlyMetrics> out;
  for (const std::string& product : filed) {
    MonthlyMetrics m{product, {}};
    for (int back = months - 1; back >= 0; --back) {
      const int64_t index = now.year * 12 + (now.month - 1) - back;
      const int64_t year = index / 12;
      const auto month = static_cast<unsigned>(index % 12 + 1);
      const int64_t first = DaysFromCivil(year, month, 1);
      const int64_t last = first + DaysInMonth(year, month) - 1;
      VIGIL_ASSIGN_OR_RETURN(triage::Metrics one,
                             reg.ComputeMetrics(product, FormatDate(first), FormatDate(last)));
      m.months.push_back(std::move(one));
    }
    out.push_back(std::move(m));
  }
  return out;
}

Result<DeviceView> LoadDevice(fleet::Fleet& fleet, const std::string& serial) {
  VIGIL_ASSIGN_OR_RETURN(std::optional<fleet::Device> device, fleet.FindDevice(serial));
  if (!device) return NotFoundError("no device '" + OneLine(serial) + "'");
  DeviceView out;
  out.device = std::move(*device);
  VIGIL_ASSIGN_OR_RETURN(out.alerts, fleet.Alerts(serial));
  VIGIL_ASSIGN_OR_RETURN(out.checkins, fleet.Checkins(serial, 50));
  return out;
}

}  // namespace vigil::server
