// CVSS in one place: the scores of CVSS v2.0, v3.0, v3.1 and v4.0 vectors, as FIRST's
// specifications and reference calculators define them.
//
//   v2.0  base, temporal, environmental (the v2 guide's equations, one-decimal rounding)
//   v3.0  base, temporal, environmental (section 7; Roundup = ceiling to one decimal)
//   v3.1  base, temporal, environmental (section 7; Appendix A's integer Roundup, the revised
//         modified impact for a changed scope)
//   v4.0  one score from every metric group (base, threat, environmental; supplemental metrics
//         are read and spelled out but, as the specification says, never change the score):
//         the macro vector (EQ1..EQ6), the lookup table, and the interpolation by severity
//         distance to the highest-severity vectors of the macro vector, as FIRST's calculator
//         computes it; nomenclature CVSS-B, CVSS-BT, CVSS-BE or CVSS-BTE.
//
// Parsing is strict: the prefix names the version ("CVSS:3.1/", "CVSS:4.0/"; v2 vectors have
// none), metrics appear in the specification's order, each at most once, every mandatory
// (base) metric present, each value one the specification lists. An error is one line naming
// the metric: `CVSS:4.0 vector: metric "AV" appears twice`.
//
// Thread-safety: pure functions.
#ifndef VIGIL_RISK_CVSS_H_
#define VIGIL_RISK_CVSS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/result.h"

namespace vigil::risk::cvss {

enum class Version : uint8_t { kV2_0, kV3_0, kV3_1, kV4_0 };
// "2.0", "3.0", "3.1", "4.0".
std::string_view VersionName(Version v);

// Qualitative severity. v3.x and v4.0: none 0.0, low 0.1-3.9, medium 4.0-6.9, high 7.0-8.9,
// critical 9.0-10.0. v2.0 has no "none" or "critical" (NVD's v2 ratings): low 0.0-3.9, medium
// 4.0-6.9, high 7.0-10.0.
enum class Severity : uint8_t { kNone, kLow, kMedium, kHigh, kCritical };
// "none", "low", "medium", "high", "critical".
std::string_view SeverityName(Severity s);
Severity SeverityOf(Version v, double score);

// One metric of a vector, spelled out: {"AV", "Attack Vector", "N", "Network"}.
struct MetricValue {
  std::string_view metric;
  std::string_view metric_name;
  std::string_view value;
  std::string_view value_name;
};

struct Scores {
  Version version = Version::kV3_1;
  // v2/v3: the base score. v4.0: the one CVSS-B/BT/BE/BTE score (the same as `score`).
  double base = 0;
  // v3.x: always (unset metrics count as Not Defined). v2.0: when the vector has temporal
  // (environmental) metrics.
  std::optional<double> temporal;
  std::optional<double> environmental;
  // The score the vector stands for: v4.0's score; otherwise the environmental score when the
  // vector has environmental metrics, else the temporal one when it has temporal metrics, else
  // the base score. `severity` rates it.
  double score = 0;
  Severity severity = Severity::kNone;
  // v4.0: "CVSS-B", "CVSS-BT", "CVSS-BE" or "CVSS-BTE"; empty for the older versions.
  std::string_view nomenclature;
  // Every metric of the vector, in its order.
  std::vector<MetricValue> metrics;
};

// Scores `vector`. InvalidArgument, one line naming the metric or value, for anything the
// specification does not allow.
Result<Scores> Evaluate(std::string_view vector);

}  // namespace vigil::risk::cvss

#endif  // VIGIL_RISK_CVSS_H_
