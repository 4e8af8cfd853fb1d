// The register seen from a scan and from reports: register decisions applied to scan findings as
// VEX (so every scan format carries them), register records turned back into findings (for the
// CycloneDX VEX, OpenVEX and CSAF VEX writers of vigil::vuln), and the table and JSON renderings
// of records used by `vigil scan --register` and `vigil triage`.
//
// Thread-safety: free functions; the Register belongs to the calling thread.
#ifndef VIGIL_TRIAGE_VIEWS_H_
#define VIGIL_TRIAGE_VIEWS_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vigil/core/json.h"
#include "vigil/core/json_writer.h"
#include "vigil/core/result.h"
#include "vigil/triage/register.h"
#include "vigil/vuln/finding.h"

namespace vigil::triage {

// Gives each finding no VEX statement decided its record's decision as its VEX status (in_triage
// as under_investigation, affected with the action, not_affected with the justification,
// fixed), traced to "<register_name>: <origin> by <actor> at <time>". `records` are
// Filing::FileViews's for these findings, in the same order (nullptr for an unassessed one).
void ApplyRecords(std::span<vuln::Finding> findings, std::span<const Record* const> records,
                  std::string_view register_name);

// Records as findings (their last scan facts and decision as VEX), for the VEX writers.
std::vector<vuln::Finding> FindingsOf(std::span<const Record> records,
                                      std::string_view register_name);

// A fixed-width table, one line per record: status, risk decision (controlled / uncontrolled
// and the matrix cell), vulnerability, component and version, KEV / EPSS, the next deadline.
std::string WriteRecordsTable(std::span<const Record> records);
// Its header line and one row, for writing a table as records arrive.
std::string RecordsTableHeader();
std::string RecordsTableRow(const Record& r);
json::Value RecordJson(const Record& r);
// The "triage" member `vigil scan --register` adds to each finding's JSON object, on one line:
// what the finding itself does not say (the register's key, the current decision — its reason,
// actor and time are in the finding's VEX trace —, the risk decision and the deadlines). For the
// many findings of a scan: everything after the record's key (its decision, risk, SSVC and
// deadlines, which a scan's findings share a few of) is serialised once per distinct value and
// repeated, at most kMaxTails kept. One writer per thread.
class TriageMemberWriter {
 public:
  void Write(const Record& r, JsonWriter& w);

 private:
  static constexpr size_t kMaxTails = 4096;
  std::unordered_map<std::string, std::string> tails_;
  std::string key_, object_;
};
json::Value EventJson(const Event& e);
json::Value MetricsJson(const Metrics& m);

}  // namespace vigil::triage

#endif  // VIGIL_TRIAGE_VIEWS_H_
