// Version dispatch, the strict metric reader, severities (vigil/risk/cvss.h).
#include "vigil/risk/cvss.h"

#include <string>

#include "internal/metrics.h"
#include "vigil/core/encoding.h"

namespace vigil::risk::cvss {

namespace internal {

std::string_view Parsed::code(size_t i) const {
  if (has(i)) return defs[i].values[static_cast<size_t>(value[i])].code;
  for (const ValueDef& v : defs[i].values) {
    if (v.code == "X" || v.code == "ND") return v.code;
  }
  return "";
}

bool Parsed::AnyDefined(size_t from, size_t to) const {
  for (size_t i = from; i <= to; ++i) {
    if (has(i) && code(i) != "X" && code(i) != "ND") return true;
  }
  return false;
}

namespace {

std::string Quoted(std::string_view text) { return "\"" + OneLine(text.substr(0, 40)) + "\""; }

std::string AllowedValues(const MetricDef& m) {
  std::string out;
  for (size_t i = 0; i < m.values.size(); ++i) {
    if (i > 0) out += i + 1 == m.values.size() ? " or " : ", ";
    out += m.values[i].code;
  }
  return out;
}

int FindMetric(std::span<const MetricDef> defs, std::string_view code) {
  for (size_t i = 0; i < defs.size(); ++i) {
    if (defs[i].code == code) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

Result<Parsed> ParseMetrics(std::string_view body, Version version, std::span<const MetricDef> defs,
                            std::string_view label) {
  auto fail = [&](const std::string& what) {
    return InvalidArgumentError(std::string(label) + ": " + what);
  };
  Parsed p{version, defs, {}};
  p.value.fill(kAbsent);
  if (body.empty()) return fail("no metrics");
  int last = -1;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('/', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view part = body.substr(start, end - start);
    size_t colon = part.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == part.size()) {
      return fail("expected METRIC:VALUE, found " + Quoted(part));
    }
    std::string_view code = part.substr(0, colon), value = part.substr(colon + 1);
    int i = FindMetric(defs, code);
    if (i < 0) return fail("unknown metric " + Quoted(code));
    if (p.has(static_cast<size_t>(i))) return fail("metric " + Quoted(code) + " appears twice");
    if (i < last) {
      return fail("metric " + Quoted(code) + " out of order (after " +
                  Quoted(defs[static_cast<size_t>(last)].code) + ")");
    }
    const MetricDef& m = defs[static_cast<size_t>(i)];
    int v = -1;
    for (size_t k = 0; k < m.values.size(); ++k) {
      if (m.values[k].code == value) v = static_cast<int>(k);
    }
    if (v < 0) {
      return fail("value " + Quoted(value) + " is not valid for " + Quoted(code) + " (expected " +
                  AllowedValues(m) + ")");
    }
    p.value[static_cast<size_t>(i)] = static_cast<int8_t>(v);
    last = i;
    start = end + 1;
  }
  for (size_t i = 0; i < defs.size(); ++i) {
    if (defs[i].mandatory && !p.has(i)) {
      return fail("missing mandatory metric " + Quoted(defs[i].code) + " (" +
                  std::string(defs[i].name) + ")");
    }
  }
  return p;
}

std::vector<MetricValue> SpellOut(const Parsed& p) {
  std::vector<MetricValue> out;
  for (size_t i = 0; i < p.defs.size(); ++i) {
    if (!p.has(i)) continue;
    const MetricDef& m = p.defs[i];
    const ValueDef& v = m.values[static_cast<size_t>(p.value[i])];
    out.push_back({m.code, m.name, v.code, v.name});
  }
  return out;
}

}  // namespace internal

std::string_view VersionName(Version v) {
  switch (v) {
    case Version::kV2_0:
      return "2.0";
    case Version::kV3_0:
      return "3.0";
    case Version::kV3_1:
      return "3.1";
    case Version::kV4_0:
      break;
  }
  return "4.0";
}

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kNone:
      return "none";
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kCritical:
      break;
  }
  return "critical";
}

Severity SeverityOf(Version v, double score) {
  if (v == Version::kV2_0) {
    return score < 4.0 ? Severity::kLow : score < 7.0 ? Severity::kMedium : Severity::kHigh;
  }
  if (score <= 0.0) return Severity::kNone;
  if (score < 4.0) return Severity::kLow;
  if (score < 7.0) return Severity::kMedium;
  if (score < 9.0) return Severity::kHigh;
  return Severity::kCritical;
}

Result<Scores> Evaluate(std::string_view vector) {
  using internal::ParseMetrics;
  struct Prefix {
    std::string_view text;
    Version version;
  };
  static constexpr Prefix kPrefixes[] = {
      {"CVSS:4.0/", Version::kV4_0}, {"CVSS:3.1/", Version::kV3_1}, {"CVSS:3.0/", Version::kV3_0}};
  for (const Prefix& pre : kPrefixes) {
    if (!vector.starts_with(pre.text)) continue;
    const std::string label = std::string(pre.text.substr(0, 8)) + " vector";
    const bool v4 = pre.version == Version::kV4_0;
    VIGIL_ASSIGN_OR_RETURN(internal::Parsed p,
                           ParseMetrics(vector.substr(pre.text.size()), pre.version,
                                        v4 ? internal::V4Metrics() : internal::V3Metrics(), label));
    return v4 ? internal::ScoreV4(p) : internal::ScoreV3(p);
  }
  if (vector.starts_with("CVSS:")) {
    return InvalidArgumentError("CVSS vector: unknown version " + std::string("\"") +
                                OneLine(vector.substr(0, 9)) +
                                "\" (expected CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/, or a v2 vector "
                                "without prefix)");
  }
  // CVSS v2 vectors have no prefix ("AV:N/AC:L/Au:N/..."); some writers wrap them in "(...)".
  std::string_view body = vector;
  if (body.size() >= 2 && body.front() == '(' && body.back() == ')') {
    body = body.substr(1, body.size() - 2);
  }
  VIGIL_ASSIGN_OR_RETURN(internal::Parsed p, ParseMetrics(body, Version::kV2_0,
                                                          internal::V2Metrics(), "CVSS v2 vector"));
  return internal::ScoreV2(p);
}

}  // namespace vigil::risk::cvss
