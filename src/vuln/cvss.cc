#include "vigil/vuln/cvss.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include "vigil/core/encoding.h"

namespace vigil::vuln {
namespace {

// The eight base metrics in the specification's order, with their allowed values.
struct Metric {
  std::string_view name;
  std::string_view values;  // one letter per allowed value
};
constexpr std::array<Metric, 8> kBase = {{{"AV", "NALP"},
                                          {"AC", "LH"},
                                          {"PR", "NLH"},
                                          {"UI", "NR"},
                                          {"S", "UC"},
                                          {"C", "HLN"},
                                          {"I", "HLN"},
                                          {"A", "HLN"}}};
// Temporal and environmental metric names, accepted after the base metrics and not scored.
constexpr std::array<std::string_view, 14> kOther = {"E",   "RL",  "RC",  "CR", "IR", "AR", "MAV",
                                                     "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA"};

// CVSS v3.1 Appendix A: the smallest one-decimal number >= x, computed on integers so that
// 4.000000001 (a floating-point artefact) does not become 4.1.
double Roundup31(double x) {
  const int64_t i = std::llround(x * 100000.0);
  if (i % 10000 == 0) return static_cast<double>(i) / 100000.0;
  return static_cast<double>(i / 10000 + 1) / 10.0;
}

double Roundup30(double x) { return std::ceil(x * 10.0) / 10.0; }

double Cia(char v) { return v == 'H' ? 0.56 : v == 'L' ? 0.22 : 0.0; }

}  // namespace

Result<double> CvssV3BaseScore(std::string_view vector) {
  const std::string what = "CVSS vector '" + OneLine(vector.substr(0, 120)) + "': ";
  bool v31 = false;
  if (vector.rfind("CVSS:3.1/", 0) == 0) {
    v31 = true;
  } else if (vector.rfind("CVSS:3.0/", 0) != 0) {
    return InvalidArgumentError(what + "expected the prefix CVSS:3.0/ or CVSS:3.1/");
  }
  std::array<char, kBase.size()> value{};
  std::string_view rest = vector.substr(9);
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (slash != std::string_view::npos && rest.empty()) {
      return InvalidArgumentError(what + "ends with '/'");
    }
    const size_t colon = part.find(':');
    if (colon == std::string_view::npos || colon + 2 != part.size()) {
      return InvalidArgumentError(what + "'" + OneLine(part) +
                                  "' is not METRIC:VALUE with a one-letter value");
    }
    const std::string_view name = part.substr(0, colon);
    const char v = part[colon + 1];
    std::optional<size_t> index;
    for (size_t i = 0; i < kBase.size(); ++i) {
      if (kBase[i].name == name) index = i;
    }
    if (!index) {
      if (std::find(kOther.begin(), kOther.end(), name) == kOther.end()) {
        return InvalidArgumentError(what + "unknown metric '" + OneLine(name) + "'");
      }
      continue;
    }
    if (value[*index] != 0) {
      return InvalidArgumentError(what + "metric " + std::string(name) + " appears twice");
    }
    if (kBase[*index].values.find(v) == std::string_view::npos) {
      return InvalidArgumentError(what + "metric " + std::string(name) + " must be one of " +
                                  std::string(kBase[*index].values) + ", found '" +
                                  OneLine(std::string_view(&v, 1)) + "'");
    }
    value[*index] = v;
  }
  for (size_t i = 0; i < kBase.size(); ++i) {
    if (value[i] == 0) {
      return InvalidArgumentError(what + "base metric " + std::string(kBase[i].name) +
                                  " is missing");
    }
  }
  const bool changed = value[4] == 'C';
  const double av = value[0] == 'N' ? 0.85 : value[0] == 'A' ? 0.62 : value[0] == 'L' ? 0.55 : 0.2;
  const double ac = value[1] == 'L' ? 0.77 : 0.44;
  const double pr = value[2] == 'N'   ? 0.85
                    : value[2] == 'L' ? (changed ? 0.68 : 0.62)
                                      : (changed ? 0.50 : 0.27);
  const double ui = value[3] == 'N' ? 0.85 : 0.62;
  const double iss = 1.0 - (1.0 - Cia(value[5])) * (1.0 - Cia(value[6])) * (1.0 - Cia(value[7]));
  const double impact =
      changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  const double exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0.0;
  const double raw = std::min((changed ? 1.08 : 1.0) * (impact + exploitability), 10.0);
  return v31 ? Roundup31(raw) : Roundup30(raw);
}

}  // namespace vigil::vuln
