// CVSS v4.0 (FIRST, "Common Vulnerability Scoring System Version 4.0: Specification
// Document", section 8): the macro vector of a vector, the lookup table of macro vector scores,
// and the interpolation between a macro vector's score and the next lower one by the vector's
// severity distance from the macro vector's highest-severity vectors, as FIRST's reference
// calculator (cvss40.js) computes it.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <string>

#include "internal/metrics.h"

namespace vigil::risk::cvss::internal {
namespace {

constexpr ValueDef kAv[] = {{"N", "Network"}, {"A", "Adjacent"}, {"L", "Local"}, {"P", "Physical"}};
constexpr ValueDef kAc[] = {{"L", "Low"}, {"H", "High"}};
constexpr ValueDef kAt[] = {{"N", "None"}, {"P", "Present"}};
constexpr ValueDef kPr[] = {{"N", "None"}, {"L", "Low"}, {"H", "High"}};
constexpr ValueDef kUi[] = {{"N", "None"}, {"P", "Passive"}, {"A", "Active"}};
constexpr ValueDef kCia[] = {{"H", "High"}, {"L", "Low"}, {"N", "None"}};
constexpr ValueDef kE[] = {
    {"X", "Not Defined"}, {"A", "Attacked"}, {"P", "POC"}, {"U", "Unreported"}};
constexpr ValueDef kReq[] = {{"X", "Not Defined"}, {"H", "High"}, {"M", "Medium"}, {"L", "Low"}};
constexpr ValueDef kMav[] = {
    {"X", "Not Defined"}, {"N", "Network"}, {"A", "Adjacent"}, {"L", "Local"}, {"P", "Physical"}};
constexpr ValueDef kMac[] = {{"X", "Not Defined"}, {"L", "Low"}, {"H", "High"}};
constexpr ValueDef kMat[] = {{"X", "Not Defined"}, {"N", "None"}, {"P", "Present"}};
constexpr ValueDef kMpr[] = {{"X", "Not Defined"}, {"N", "None"}, {"L", "Low"}, {"H", "High"}};
constexpr ValueDef kMui[] = {
    {"X", "Not Defined"}, {"N", "None"}, {"P", "Passive"}, {"A", "Active"}};
constexpr ValueDef kMcia[] = {{"X", "Not Defined"}, {"H", "High"}, {"L", "Low"}, {"N", "None"}};
constexpr ValueDef kMsia[] = {
    {"X", "Not Defined"}, {"S", "Safety"}, {"H", "High"}, {"L", "Low"}, {"N", "Negligible"}};
constexpr ValueDef kSafety[] = {{"X", "Not Defined"}, {"N", "Negligible"}, {"P", "Present"}};
constexpr ValueDef kAutomatable[] = {{"X", "Not Defined"}, {"N", "No"}, {"Y", "Yes"}};
constexpr ValueDef kRecovery[] = {
    {"X", "Not Defined"}, {"A", "Automatic"}, {"U", "User"}, {"I", "Irrecoverable"}};
constexpr ValueDef kValueDensity[] = {
    {"X", "Not Defined"}, {"D", "Diffuse"}, {"C", "Concentrated"}};
constexpr ValueDef kEffort[] = {
    {"X", "Not Defined"}, {"L", "Low"}, {"M", "Moderate"}, {"H", "High"}};
constexpr ValueDef kUrgency[] = {{"X", "Not Defined"},
                                 {"Clear", "Clear"},
                                 {"Green", "Green"},
                                 {"Amber", "Amber"},
                                 {"Red", "Red"}};

enum : size_t {
  kAV,
  kAC,
  kAT,
  kPR,
  kUI,
  kVC,
  kVI,
  kVA,
  kSC,
  kSI,
  kSA,  // base
  kE_,  // threat
  kCR,
  kIR,
  kAR,
  kMAV,
  kMAC,
  kMAT,
  kMPR,
  kMUI,
  kMVC,
  kMVI,
  kMVA,
  kMSC,
  kMSI,
  kMSA,  // environmental
  kS_,
  kAU,
  kR,
  kV,
  kRE,
  kU,  // supplemental
};
constexpr MetricDef kMetrics[] = {
    {"AV", "Attack Vector", true, kAv},
    {"AC", "Attack Complexity", true, kAc},
    {"AT", "Attack Requirements", true, kAt},
    {"PR", "Privileges Required", true, kPr},
    {"UI", "User Interaction", true, kUi},
    {"VC", "Vulnerable System Confidentiality", true, kCia},
    {"VI", "Vulnerable System Integrity", true, kCia},
    {"VA", "Vulnerable System Availability", true, kCia},
    {"SC", "Subsequent System Confidentiality", true, kCia},
    {"SI", "Subsequent System Integrity", true, kCia},
    {"SA", "Subsequent System Availability", true, kCia},
    {"E", "Exploit Maturity", false, kE},
    {"CR", "Confidentiality Requirement", false, kReq},
    {"IR", "Integrity Requirement", false, kReq},
    {"AR", "Availability Requirement", false, kReq},
    {"MAV", "Modified Attack Vector", false, kMav},
    {"MAC", "Modified Attack Complexity", false, kMac},
    {"MAT", "Modified Attack Requirements", false, kMat},
    {"MPR", "Modified Privileges Required", false, kMpr},
    {"MUI", "Modified User Interaction", false, kMui},
    {"MVC", "Modified Vulnerable System Confidentiality", false, kMcia},
    {"MVI", "Modified Vulnerable System Integrity", false, kMcia},
    {"MVA", "Modified Vulnerable System Availability", false, kMcia},
    {"MSC", "Modified Subsequent System Confidentiality", false, kMcia},
    {"MSI", "Modified Subsequent System Integrity", false, kMsia},
    {"MSA", "Modified Subsequent System Availability", false, kMsia},
    {"S", "Safety", false, kSafety},
    {"AU", "Automatable", false, kAutomatable},
    {"R", "Recovery", false, kRecovery},
    {"V", "Value Density", false, kValueDensity},
    {"RE", "Vulnerability Response Effort", false, kEffort},
    {"U", "Provider Urgency", false, kUrgency},
};

// The score of each macro vector (EQ1..EQ6 levels as six digits): the specification's lookup
// table (FIRST's cvss_lookup.js), 270 entries, data rather than code.
struct MacroScore {
  const char* macro;
  double score;
};
constexpr MacroScore kLookup[] = {
    {"000000", 10.0}, {"000001", 9.9},  {"000010", 9.8}, {"000011", 9.5}, {"000020", 9.5},
    {"000021", 9.2},  {"000100", 10.0}, {"000101", 9.6}, {"000110", 9.3}, {"000111", 8.7},
    {"000120", 9.1},  {"000121", 8.1},  {"000200", 9.3}, {"000201", 9.0}, {"000210", 8.9},
    {"000211", 8.0},  {"000220", 8.1},  {"000221", 6.8}, {"001000", 9.8}, {"001001", 9.5},
    {"001010", 9.5},  {"001011", 9.2},  {"001020", 9.0}, {"001021", 8.4}, {"001100", 9.3},
    {"001101", 9.2},  {"001110", 8.9},  {"001111", 8.1}, {"001120", 8.1}, {"001121", 6.5},
    {"001200", 8.8},  {"001201", 8.0},  {"001210", 7.8}, {"001211", 7.0}, {"001220", 6.9},
    {"001221", 4.8},  {"002001", 9.2},  {"002011", 8.2}, {"002021", 7.2}, {"002101", 7.9},
    {"002111", 6.9},  {"002121", 5.0},  {"002201", 6.9}, {"002211", 5.5}, {"002221", 2.7},
    {"010000", 9.9},  {"010001", 9.7},  {"010010", 9.5}, {"010011", 9.2}, {"010020", 9.2},
    {"010021", 8.5},  {"010100", 9.5},  {"010101", 9.1}, {"010110", 9.0}, {"010111", 8.3},
    {"010120", 8.4},  {"010121", 7.1},  {"010200", 9.2}, {"010201", 8.1}, {"010210", 8.2},
    {"010211", 7.1},  {"010220", 7.2},  {"010221", 5.3}, {"011000", 9.5}, {"011001", 9.3},
    {"011010", 9.2},  {"011011", 8.5},  {"011020", 8.5}, {"011021", 7.3}, {"011100", 9.2},
    {"011101", 8.2},  {"011110", 8.0},  {"011111", 7.2}, {"011120", 7.0}, {"011121", 5.9},
    {"011200", 8.4},  {"011201", 7.0},  {"011210", 7.1}, {"011211", 5.2}, {"011220", 5.0},
    {"011221", 3.0},  {"012001", 8.6},  {"012011", 7.5}, {"012021", 5.2}, {"012101", 7.1},
    {"012111", 5.2},  {"012121", 2.9},  {"012201", 6.3}, {"012211", 2.9}, {"012221", 1.7},
    {"100000", 9.8},  {"100001", 9.5},  {"100010", 9.4}, {"100011", 8.7}, {"100020", 9.1},
    {"100021", 8.1},  {"100100", 9.4},  {"100101", 8.9}, {"100110", 8.6}, {"100111", 7.4},
    {"100120", 7.7},  {"100121", 6.4},  {"100200", 8.7}, {"100201", 7.5}, {"100210", 7.4},
    {"100211", 6.3},  {"100220", 6.3},  {"100221", 4.9}, {"101000", 9.4}, {"101001", 8.9},
    {"101010", 8.8},  {"101011", 7.7},  {"101020", 7.6}, {"101021", 6.7}, {"101100", 8.6},
    {"101101", 7.6},  {"101110", 7.4},  {"101111", 5.8}, {"101120", 5.9}, {"101121", 5.0},
    {"101200", 7.2},  {"101201", 5.7},  {"101210", 5.7}, {"101211", 5.2}, {"101220", 5.2},
    {"101221", 2.5},  {"102001", 8.3},  {"102011", 7.0}, {"102021", 5.4}, {"102101", 6.5},
    {"102111", 5.8},  {"102121", 2.6},  {"102201", 5.3}, {"102211", 2.1}, {"102221", 1.3},
    {"110000", 9.5},  {"110001", 9.0},  {"110010", 8.8}, {"110011", 7.6}, {"110020", 7.6},
    {"110021", 7.0},  {"110100", 9.0},  {"110101", 7.7}, {"110110", 7.5}, {"110111", 6.2},
    {"110120", 6.1},  {"110121", 5.3},  {"110200", 7.7}, {"110201", 6.6}, {"110210", 6.8},
    {"110211", 5.9},  {"110220", 5.2},  {"110221", 3.0}, {"111000", 8.9}, {"111001", 7.8},
    {"111010", 7.6},  {"111011", 6.7},  {"111020", 6.2}, {"111021", 5.8}, {"111100", 7.4},
    {"111101", 5.9},  {"111110", 5.7},  {"111111", 5.7}, {"111120", 4.7}, {"111121", 2.3},
    {"111200", 6.1},  {"111201", 5.2},  {"111210", 5.7}, {"111211", 2.9}, {"111220", 2.4},
    {"111221", 1.6},  {"112001", 7.1},  {"112011", 5.9}, {"112021", 3.0}, {"112101", 5.8},
    {"112111", 2.6},  {"112121", 1.5},  {"112201", 2.3}, {"112211", 1.3}, {"112221", 0.6},
    {"200000", 9.3},  {"200001", 8.7},  {"200010", 8.6}, {"200011", 7.2}, {"200020", 7.5},
    {"200021", 5.8},  {"200100", 8.6},  {"200101", 7.4}, {"200110", 7.4}, {"200111", 6.1},
    {"200120", 5.6},  {"200121", 3.4},  {"200200", 7.0}, {"200201", 5.4}, {"200210", 5.2},
    {"200211", 4.0},  {"200220", 4.0},  {"200221", 2.2}, {"201000", 8.5}, {"201001", 7.5},
    {"201010", 7.4},  {"201011", 5.5},  {"201020", 6.2}, {"201021", 5.1}, {"201100", 7.2},
    {"201101", 5.7},  {"201110", 5.5},  {"201111", 4.1}, {"201120", 4.6}, {"201121", 1.9},
    {"201200", 5.3},  {"201201", 3.6},  {"201210", 3.4}, {"201211", 1.9}, {"201220", 1.9},
    {"201221", 0.8},  {"202001", 6.4},  {"202011", 5.1}, {"202021", 2.0}, {"202101", 4.7},
    {"202111", 2.1},  {"202121", 1.1},  {"202201", 2.4}, {"202211", 0.9}, {"202221", 0.4},
    {"210000", 8.8},  {"210001", 7.5},  {"210010", 7.3}, {"210011", 5.3}, {"210020", 6.0},
    {"210021", 5.0},  {"210100", 7.3},  {"210101", 5.5}, {"210110", 5.9}, {"210111", 4.0},
    {"210120", 4.1},  {"210121", 2.0},  {"210200", 5.4}, {"210201", 4.3}, {"210210", 4.5},
    {"210211", 2.2},  {"210220", 2.0},  {"210221", 1.1}, {"211000", 7.5}, {"211001", 5.5},
    {"211010", 5.8},  {"211011", 4.5},  {"211020", 4.0}, {"211021", 2.1}, {"211100", 6.1},
    {"211101", 5.1},  {"211110", 4.8},  {"211111", 1.8}, {"211120", 2.0}, {"211121", 0.9},
    {"211200", 4.6},  {"211201", 1.8},  {"211210", 1.7}, {"211211", 0.7}, {"211220", 0.8},
    {"211221", 0.2},  {"212001", 5.3},  {"212011", 2.4}, {"212021", 1.4}, {"212101", 2.4},
    {"212111", 1.2},  {"212121", 0.5},  {"212201", 1.0}, {"212211", 0.3}, {"212221", 0.1},
};

std::optional<double> Lookup(const char macro[6]) {
  for (const MacroScore& m : kLookup) {
    if (std::memcmp(m.macro, macro, 6) == 0) return m.score;
  }
  return std::nullopt;
}

// The values a score is computed from: every base metric with its Modified metric applied,
// E=X read as A and CR/IR/AR=X as H (the worst case, section 8).
struct Effective {
  char av, ac, at, pr, ui, vc, vi, va, sc, si, sa, e, cr, ir, ar;
};

char Code(const Parsed& p, size_t i) { return p.code(i).empty() ? 'X' : p.code(i)[0]; }

char Modified(const Parsed& p, size_t base, size_t modified) {
  char m = Code(p, modified);
  return m == 'X' ? Code(p, base) : m;
}

Effective Resolve(const Parsed& p) {
  Effective e;
  e.av = Modified(p, kAV, kMAV);
  e.ac = Modified(p, kAC, kMAC);
  e.at = Modified(p, kAT, kMAT);
  e.pr = Modified(p, kPR, kMPR);
  e.ui = Modified(p, kUI, kMUI);
  e.vc = Modified(p, kVC, kMVC);
  e.vi = Modified(p, kVI, kMVI);
  e.va = Modified(p, kVA, kMVA);
  e.sc = Modified(p, kSC, kMSC);
  e.si = Modified(p, kSI, kMSI);
  e.sa = Modified(p, kSA, kMSA);
  auto worst = [&](size_t i, char x_means) { return Code(p, i) == 'X' ? x_means : Code(p, i); };
  e.e = worst(kE_, 'A');
  e.cr = worst(kCR, 'H');
  e.ir = worst(kIR, 'H');
  e.ar = worst(kAR, 'H');
  return e;
}

// The six equivalence classes (section 8.2, Table 24-29).
struct Macro {
  int eq1, eq2, eq3, eq4, eq5, eq6;
  void Write(char out[6]) const {
    const int d[6] = {eq1, eq2, eq3, eq4, eq5, eq6};
    for (int i = 0; i < 6; ++i) out[i] = static_cast<char>('0' + d[i]);
  }
};

Macro MacroOf(const Effective& e) {
  Macro m;
  if (e.av == 'N' && e.pr == 'N' && e.ui == 'N') {
    m.eq1 = 0;
  } else if ((e.av == 'N' || e.pr == 'N' || e.ui == 'N') && e.av != 'P') {
    m.eq1 = 1;
  } else {
    m.eq1 = 2;
  }
  m.eq2 = e.ac == 'L' && e.at == 'N' ? 0 : 1;
  if (e.vc == 'H' && e.vi == 'H') {
    m.eq3 = 0;
  } else if (e.vc == 'H' || e.vi == 'H' || e.va == 'H') {
    m.eq3 = 1;
  } else {
    m.eq3 = 2;
  }
  if (e.si == 'S' || e.sa == 'S') {
    m.eq4 = 0;
  } else if (e.sc == 'H' || e.si == 'H' || e.sa == 'H') {
    m.eq4 = 1;
  } else {
    m.eq4 = 2;
  }
  m.eq5 = e.e == 'A' ? 0 : e.e == 'P' ? 1 : 2;
  const bool weighted_high =
      (e.cr == 'H' && e.vc == 'H') || (e.ir == 'H' && e.vi == 'H') || (e.ar == 'H' && e.va == 'H');
  m.eq6 = weighted_high ? 0 : 1;
  return m;
}

// The highest-severity vectors of each equivalence class (FIRST's max_composed), as the metric
// values they fix, and each class's depth (max_severity, in steps of 0.1).
constexpr const char* kEq1Max[3][3] = {{"AV:N/PR:N/UI:N/"},
                                       {"AV:A/PR:N/UI:N/", "AV:N/PR:L/UI:N/", "AV:N/PR:N/UI:P/"},
                                       {"AV:P/PR:N/UI:N/", "AV:A/PR:L/UI:P/"}};
constexpr const char* kEq2Max[2][2] = {{"AC:L/AT:N/"}, {"AC:H/AT:N/", "AC:L/AT:P/"}};
// [eq3][eq6]; eq3=2 with eq6=0 cannot occur.
constexpr const char* kEq3Eq6Max[3][2][5] = {
    {{"VC:H/VI:H/VA:H/CR:H/IR:H/AR:H/"},
     {"VC:H/VI:H/VA:L/CR:M/IR:M/AR:H/", "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M/"}},
    {{"VC:L/VI:H/VA:H/CR:H/IR:H/AR:H/", "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H/"},
     {"VC:L/VI:H/VA:L/CR:H/IR:M/AR:H/", "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M/",
      "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M/", "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H/",
      "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M/"}},
    {{}, {"VC:L/VI:L/VA:L/CR:H/IR:H/AR:H/"}},
};
constexpr const char* kEq4Max[3][1] = {
    {"SC:H/SI:S/SA:S/"}, {"SC:H/SI:H/SA:H/"}, {"SC:L/SI:L/SA:L/"}};
constexpr const char* kEq5Max[3][1] = {{"E:A/"}, {"E:P/"}, {"E:U/"}};
constexpr int kEq1Depth[3] = {1, 4, 5};
constexpr int kEq2Depth[2] = {1, 2};
constexpr int kEq3Eq6Depth[3][2] = {{7, 6}, {8, 8}, {0, 10}};
constexpr int kEq4Depth[3] = {6, 5, 4};

// Severity levels for the distance of a value from a highest-severity vector (section 8.3).
double Level(char metric_kind, char v) {
  switch (metric_kind) {
    case 'V':  // AV
      return v == 'N' ? 0.0 : v == 'A' ? 0.1 : v == 'L' ? 0.2 : 0.3;
    case 'P':  // PR
      return v == 'N' ? 0.0 : v == 'L' ? 0.1 : 0.2;
    case 'U':  // UI
      return v == 'N' ? 0.0 : v == 'P' ? 0.1 : 0.2;
    case 'C':  // AC
      return v == 'L' ? 0.0 : 0.1;
    case 'T':  // AT
      return v == 'N' ? 0.0 : 0.1;
    case 'I':  // VC, VI, VA
      return v == 'H' ? 0.0 : v == 'L' ? 0.1 : 0.2;
    case 'S':  // SC
      return v == 'H' ? 0.1 : v == 'L' ? 0.2 : 0.3;
    case 'J':  // SI, SA
      return v == 'S' ? 0.0 : v == 'H' ? 0.1 : v == 'L' ? 0.2 : 0.3;
    default:  // CR, IR, AR
      return v == 'H' ? 0.0 : v == 'M' ? 0.1 : 0.2;
  }
}

// The value of `metric` ("AV") in a highest-severity vector ("AV:N/PR:N/UI:N/AC:L/...").
char ValueIn(const std::string& max_vector, std::string_view metric) {
  const std::string key = std::string(metric) + ":";
  size_t at = 0;
  while ((at = max_vector.find(key, at)) != std::string::npos) {
    if (at == 0 || max_vector[at - 1] == '/') return max_vector[at + key.size()];
    at += key.size();
  }
  return '?';
}

struct Distances {
  double av, pr, ui, ac, at, vc, vi, va, sc, si, sa, cr, ir, ar;
  bool AllNonNegative() const {
    for (double d : {av, pr, ui, ac, at, vc, vi, va, sc, si, sa, cr, ir, ar}) {
      if (d < 0) return false;
    }
    return true;
  }
};

Distances DistancesTo(const Effective& e, const std::string& max) {
  Distances d;
  d.av = Level('V', e.av) - Level('V', ValueIn(max, "AV"));
  d.pr = Level('P', e.pr) - Level('P', ValueIn(max, "PR"));
  d.ui = Level('U', e.ui) - Level('U', ValueIn(max, "UI"));
  d.ac = Level('C', e.ac) - Level('C', ValueIn(max, "AC"));
  d.at = Level('T', e.at) - Level('T', ValueIn(max, "AT"));
  d.vc = Level('I', e.vc) - Level('I', ValueIn(max, "VC"));
  d.vi = Level('I', e.vi) - Level('I', ValueIn(max, "VI"));
  d.va = Level('I', e.va) - Level('I', ValueIn(max, "VA"));
  d.sc = Level('S', e.sc) - Level('S', ValueIn(max, "SC"));
  d.si = Level('J', e.si) - Level('J', ValueIn(max, "SI"));
  d.sa = Level('J', e.sa) - Level('J', ValueIn(max, "SA"));
  d.cr = Level('R', e.cr) - Level('R', ValueIn(max, "CR"));
  d.ir = Level('R', e.ir) - Level('R', ValueIn(max, "IR"));
  d.ar = Level('R', e.ar) - Level('R', ValueIn(max, "AR"));
  return d;
}

// The distances to the first highest-severity vector of the macro vector that is at least as
// severe as `e` in every metric (FIRST's calculator: the first such; the last tried if none).
Distances DistancesToMax(const Effective& e, const Macro& m) {
  Distances d{};
  for (const char* a : kEq1Max[m.eq1]) {
    if (a == nullptr) continue;
    for (const char* b : kEq2Max[m.eq2]) {
      if (b == nullptr) continue;
      for (const char* c : kEq3Eq6Max[m.eq3][m.eq6]) {
        if (c == nullptr) continue;
        for (const char* f : kEq4Max[m.eq4]) {
          for (const char* g : kEq5Max[m.eq5]) {
            d = DistancesTo(e, std::string(a) + b + c + f + g);
            if (d.AllNonNegative()) return d;
          }
        }
      }
    }
  }
  return d;
}

// The lookup score of `m` with digit `index` raised by `by` (nullopt: no such macro vector).
std::optional<double> Lower(const Macro& m, int index, int by) {
  char macro[6];
  m.Write(macro);
  macro[index] = static_cast<char>(macro[index] + by);
  return Lookup(macro);
}

// Half up to one decimal after a 1e-6 nudge, as FIRST's calculator rounds (so a value computed
// as 6.2499999 rounds as the 6.25 it stands for).
double Round1(double x) { return std::round((x + 1e-6) * 10.0) / 10.0; }

double ScoreOf(const Effective& e) {
  // No impact on either system: 0 whatever else (section 8.3).
  if (e.vc == 'N' && e.vi == 'N' && e.va == 'N' && e.sc == 'N' && e.si == 'N' && e.sa == 'N') {
    return 0.0;
  }
  const Macro m = MacroOf(e);
  char macro[6];
  m.Write(macro);
  const double value = *Lookup(macro);  // every reachable macro vector is in the table

  // The next lower macro vector of each class; EQ3 and EQ6 move together (00 has two).
  const std::optional<double> eq1_next = Lower(m, 0, 1);
  const std::optional<double> eq2_next = Lower(m, 1, 1);
  std::optional<double> eq3eq6_next;
  if (m.eq3 == 0 && m.eq6 == 0) {
    std::optional<double> left = Lower(m, 5, 1), right = Lower(m, 2, 1);
    eq3eq6_next = left.value_or(std::numeric_limits<double>::quiet_NaN()) >
                          right.value_or(std::numeric_limits<double>::quiet_NaN())
                      ? left
                      : right;
  } else if (m.eq3 == 1 && m.eq6 == 0) {
    eq3eq6_next = Lower(m, 5, 1);
  } else if (m.eq6 == 1 && m.eq3 <= 1) {
    eq3eq6_next = Lower(m, 2, 1);
  } else {
    char next[6];
    m.Write(next);
    next[2] = static_cast<char>(next[2] + 1);
    next[5] = static_cast<char>(next[5] + 1);
    eq3eq6_next = Lookup(next);
  }
  const std::optional<double> eq4_next = Lower(m, 3, 1);
  const std::optional<double> eq5_next = Lower(m, 4, 1);

  const Distances d = DistancesToMax(e, m);
  const double step = 0.1;
  const double current_eq1 = d.av + d.pr + d.ui;
  const double current_eq2 = d.ac + d.at;
  const double current_eq3eq6 = d.vc + d.vi + d.va + d.cr + d.ir + d.ar;
  const double current_eq4 = d.sc + d.si + d.sa;

  int existing = 0;
  double sum = 0;
  auto add = [&](const std::optional<double>& next, double current, double depth) {
    if (!next) return;  // no lower macro vector: nothing to move towards
    ++existing;
    sum += (value - *next) * (current / depth);
  };
  add(eq1_next, current_eq1, kEq1Depth[m.eq1] * step);
  add(eq2_next, current_eq2, kEq2Depth[m.eq2] * step);
  add(eq3eq6_next, current_eq3eq6, kEq3Eq6Depth[m.eq3][m.eq6] * step);
  add(eq4_next, current_eq4, kEq4Depth[m.eq4] * step);
  if (eq5_next) ++existing;  // EQ5 has no distance inside a class: its share is 0
  const double mean = existing == 0 ? 0.0 : sum / existing;
  return std::clamp(Round1(value - mean), 0.0, 10.0);
}

}  // namespace

std::span<const MetricDef> V4Metrics() { return kMetrics; }

Scores ScoreV4(const Parsed& p) {
  Scores s;
  s.version = Version::kV4_0;
  s.score = ScoreOf(Resolve(p));
  s.base = s.score;
  const bool threat = p.AnyDefined(kE_, kE_);
  const bool environmental = p.AnyDefined(kCR, kMSA);
  s.nomenclature = threat && environmental ? "CVSS-BTE"
                   : threat                ? "CVSS-BT"
                   : environmental         ? "CVSS-BE"
                                           : "CVSS-B";
  s.severity = SeverityOf(Version::kV4_0, s.score);
  s.metrics = SpellOut(p);
  return s;
}

}  // namespace vigil::risk::cvss::internal
