// The dashboard's view models: what each page shows, read from the fleet and the triage register
// through their libraries (the exposure, the deadline clocks and the metrics are theirs, never
// recomputed here). The pages (dashboard_pages.cc) only render these.
//
// Thread-safety: uses the Fleet and Register it is given (one thread at a time: the server's
// mutex).
#ifndef VIGIL_SERVER_INTERNAL_DASHBOARD_VIEWS_H_
#define VIGIL_SERVER_INTERNAL_DASHBOARD_VIEWS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "vigil/core/result.h"
#include "vigil/fleet/exposure.h"
#include "vigil/fleet/fleet.h"
#include "vigil/triage/register.h"

namespace vigil::server {

// Portfolio: products → releases → devices per site.
struct ReleaseSummary {
  fleet::Release release;
  uint64_t devices = 0;
  std::vector<fleet::DeviceCount> sites;  // by site
};
struct ProductSummary {
  fleet::Product product;
  uint64_t devices = 0;
  std::vector<ReleaseSummary> releases;  // by version
};
Result<std::vector<ProductSummary>> LoadPortfolio(fleet::Fleet& fleet);

// Fleet exposure, optionally at one site, and every site of the fleet (for the filter).
struct ExposureView {
  std::string site;  // the filter; empty: every site
  std::vector<std::string> sites;
  fleet::Exposure exposure;
};
Result<ExposureView> LoadExposure(fleet::Fleet& fleet, triage::Register& reg,
                                  const std::string& site);

// One finding of the register: its record, decision history, the releases it was seen in and the
// fleet's devices it exposes. NotFound for an unknown record.
struct FindingView {
  triage::Record record;
  std::vector<triage::Event> history;  // oldest first
  std::vector<std::string> sighted_in;
  std::vector<fleet::ExposureRow> exposed;  // this record's rows of the fleet exposure
  uint64_t devices = 0;
};
Result<FindingView> LoadFinding(fleet::Fleet& fleet, triage::Register& reg,
                                const triage::RecordKey& key);

// The register's deadline clocks of every finding open on the fleet, earliest due first.
struct DeadlineClock {
  triage::RecordKey key;
  triage::Deadline deadline;
  bool controlled = false;
  uint64_t devices = 0;   // devices exposed to the finding
  int64_t days_left = 0;  // from `today` to the due date (negative: overdue by that many days)
};
Result<std::vector<DeadlineClock>> LoadDeadlines(fleet::Fleet& fleet, triage::Register& reg,
                                                 int64_t today);

// FDA's postmarket metrics (triage::Register::ComputeMetrics) per calendar month, for each
// register product the fleet's releases are filed under: the last `months` months up to `today`.
struct MonthlyMetrics {
  std::string product;
  std::vector<triage::Metrics> months;  // oldest first
};
Result<std::vector<MonthlyMetrics>> LoadMetrics(fleet::Fleet& fleet, triage::Register& reg,
                                                int64_t today, int months);

// One device: its record, its alerts and its last check-ins with their checkpoints. NotFound for
// an unknown serial.
struct DeviceView {
  fleet::Device device;
  std::vector<fleet::Alert> alerts;
  std::vector<fleet::CheckinEntry> checkins;  // newest first
};
Result<DeviceView> LoadDevice(fleet::Fleet& fleet, const std::string& serial);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_INTERNAL_DASHBOARD_VIEWS_H_
