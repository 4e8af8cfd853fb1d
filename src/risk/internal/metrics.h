// The metric tables of each CVSS version and the strict vector reader they share (private to
// risk). A version is a list of metrics in the specification's order; a parsed vector holds,
// per metric, the index of its value in that metric's list (or kAbsent).
#ifndef VIGIL_SRC_RISK_INTERNAL_METRICS_H_
#define VIGIL_SRC_RISK_INTERNAL_METRICS_H_

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "vigil/core/result.h"
#include "vigil/risk/cvss.h"

namespace vigil::risk::cvss::internal {

struct ValueDef {
  std::string_view code;  // as written in a vector: "N"
  std::string_view name;  // as spelled out: "Network"
};

struct MetricDef {
  std::string_view code;  // "AV"
  std::string_view name;  // "Attack Vector"
  bool mandatory;         // a base metric
  std::span<const ValueDef> values;
};

// The most metrics any version has (v4.0: 11 base, 1 threat, 14 environmental, 6 supplemental).
inline constexpr size_t kMaxMetrics = 32;
inline constexpr int8_t kAbsent = -1;

struct Parsed {
  Version version;
  std::span<const MetricDef> defs;
  std::array<int8_t, kMaxMetrics> value{};  // per metric of `defs`: value index or kAbsent
  // Whether metric `i` was given.
  bool has(size_t i) const { return value[i] != kAbsent; }
  // The value code of metric `i` ("X" or "ND" when absent and the metric has that value, ""
  // if it has none).
  std::string_view code(size_t i) const;
  // Whether any metric in [from, to] is given with a value other than Not Defined (X, ND).
  bool AnyDefined(size_t from, size_t to) const;
};

// Reads the metrics of `body` (the vector after its prefix) against `defs`, strictly. `label`
// names the version in errors ("CVSS:4.0 vector").
Result<Parsed> ParseMetrics(std::string_view body, Version version, std::span<const MetricDef> defs,
                            std::string_view label);

// The metrics of a parsed vector, spelled out (Scores::metrics).
std::vector<MetricValue> SpellOut(const Parsed& p);

// Per version: fills the scores of a parsed vector.
Scores ScoreV2(const Parsed& p);
Scores ScoreV3(const Parsed& p);
Scores ScoreV4(const Parsed& p);

// The metric tables.
std::span<const MetricDef> V2Metrics();
std::span<const MetricDef> V3Metrics();
std::span<const MetricDef> V4Metrics();

// Rounding as the specifications define it: v2.0 to one decimal, half up.
double RoundV2(double x);

}  // namespace vigil::risk::cvss::internal

#endif  // VIGIL_SRC_RISK_INTERNAL_METRICS_H_
