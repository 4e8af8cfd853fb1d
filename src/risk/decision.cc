// The risk policy reader and the controlled / uncontrolled decision (decision.h).
#include "vigil/risk/decision.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "vigil/core/json.h"
#include "vigil/core/yaml_document.h"
#include "vigil/core/yaml_to_json.h"

namespace vigil::risk {
namespace {

using json::Node;

constexpr std::array<std::string_view, kHarmLevels> kHarmNames = {
    "negligible", "minor", "serious", "critical", "catastrophic"};
constexpr uint64_t kMaxPolicyBytes = 64 * 1024;  // a policy is a page, not a data set

std::string Score1(double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// A band's lower bound: YAML writes "4.0" as text, JSON as a number; both are read.
Result<double> ReadScore(const Node& n) {
  double v = -1;
  if (n.present() && n.value().is_number()) {
    VIGIL_ASSIGN_OR_RETURN(v, n.Double());
  } else if (auto text = n.StringView()) {
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || end != text->data() + text->size()) v = -1;
  }
  if (!(v >= 0 && v <= 10)) return n.Invalid("expected a CVSS base score from 0.0 to 10.0");
  return v;
}

Result<std::vector<ExploitabilityBand>> ReadBands(const Node& bands) {
  VIGIL_RETURN_IF_ERROR(bands.ExpectObject());
  std::vector<ExploitabilityBand> out;
  VIGIL_RETURN_IF_ERROR(bands.ForEachMember([&](std::string_view name, const Node& n) -> Status {
    VIGIL_ASSIGN_OR_RETURN(double min, ReadScore(n));
    out.push_back({std::string(name), min});
    return OkStatus();
  }));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.min_score < b.min_score;
  });
  if (out.empty() || out.front().min_score != 0) {
    return bands.Invalid("expected bands covering 0.0 to 10.0: one band must start at 0.0");
  }
  for (size_t i = 1; i < out.size(); ++i) {
    if (out[i].min_score == out[i - 1].min_score) {
      return bands.Get(out[i].name).Invalid("starts at the same score as band \"" +
                                            out[i - 1].name + "\"");
    }
  }
  return out;
}

Result<std::array<bool, kHarmLevels>> ReadRow(const Node& row) {
  VIGIL_RETURN_IF_ERROR(row.ExpectObject());
  VIGIL_RETURN_IF_ERROR(row.RefuseUnknown(
      {kHarmNames[0], kHarmNames[1], kHarmNames[2], kHarmNames[3], kHarmNames[4]}));
  std::array<bool, kHarmLevels> cells{};
  for (size_t h = 0; h < kHarmLevels; ++h) {
    VIGIL_ASSIGN_OR_RETURN(Node cell, row.Required(kHarmNames[h]));
    VIGIL_ASSIGN_OR_RETURN(std::string_view v, cell.StringView());
    if (v != "controlled" && v != "uncontrolled") {
      return cell.Invalid("expected controlled or uncontrolled");
    }
    cells[h] = v == "controlled";
  }
  return cells;
}

Result<int> ReadDays(const Node& n) {
  VIGIL_ASSIGN_OR_RETURN(uint64_t days, n.UInt(1));
  if (days > 3650) return n.Invalid("expected a number of days from 1 to 3650");
  return static_cast<int>(days);
}

Result<Deadlines> ReadDeadlines(const Node& d) {
  Deadlines out;
  if (!d.present()) return d.Invalid("required field missing");
  VIGIL_RETURN_IF_ERROR(d.RefuseUnknown({"uncontrolled", "controlled"}));
  VIGIL_ASSIGN_OR_RETURN(Node un, d.Required("uncontrolled"));
  VIGIL_RETURN_IF_ERROR(un.RefuseUnknown({"notify", "fix"}));
  VIGIL_ASSIGN_OR_RETURN(Node notify, un.Required("notify"));
  VIGIL_ASSIGN_OR_RETURN(out.uncontrolled_notify_days, ReadDays(notify));
  VIGIL_ASSIGN_OR_RETURN(Node fix, un.Required("fix"));
  VIGIL_ASSIGN_OR_RETURN(out.uncontrolled_fix_days, ReadDays(fix));
  if (Node c = d.Get("controlled"); c.present()) {
    VIGIL_RETURN_IF_ERROR(c.RefuseUnknown({"fix"}));
    VIGIL_ASSIGN_OR_RETURN(Node cfix, c.Required("fix"));
    VIGIL_ASSIGN_OR_RETURN(int days, ReadDays(cfix));
    out.controlled_fix_days = days;
  }
  return out;
}

Result<RiskPolicy> FromRoot(const Node& root) {
  VIGIL_RETURN_IF_ERROR(root.ExpectObject());
  VIGIL_RETURN_IF_ERROR(
      root.RefuseUnknown({"policy", "exploitability", "matrix", "deadlines", "ssvc"}));
  RiskPolicy p;
  VIGIL_ASSIGN_OR_RETURN(Node name, root.Required("policy"));
  VIGIL_ASSIGN_OR_RETURN(p.name, name.String());
  VIGIL_ASSIGN_OR_RETURN(Node bands, root.Required("exploitability"));
  VIGIL_ASSIGN_OR_RETURN(p.bands, ReadBands(bands));
  VIGIL_ASSIGN_OR_RETURN(Node matrix, root.Required("matrix"));
  VIGIL_RETURN_IF_ERROR(matrix.ExpectObject());
  for (const ExploitabilityBand& b : p.bands) {
    VIGIL_ASSIGN_OR_RETURN(Node row, matrix.Required(b.name));
    VIGIL_ASSIGN_OR_RETURN(auto cells, ReadRow(row));
    p.controlled.push_back(cells);
  }
  Status extra = matrix.ForEachMember([&](std::string_view band, const Node& row) -> Status {
    bool known = std::any_of(p.bands.begin(), p.bands.end(),
                             [&](const auto& b) { return b.name == band; });
    return known ? OkStatus() : row.Invalid("not a band of $.exploitability");
  });
  VIGIL_RETURN_IF_ERROR(extra);
  VIGIL_ASSIGN_OR_RETURN(p.deadlines, ReadDeadlines(root.Get("deadlines")));
  if (Node ssvc = root.Get("ssvc"); ssvc.present()) {
    VIGIL_RETURN_IF_ERROR(ssvc.RefuseUnknown({"exposure"}));
    VIGIL_ASSIGN_OR_RETURN(Node e, ssvc.Required("exposure"));
    VIGIL_ASSIGN_OR_RETURN(std::string exposure, e.String());
    p.ssvc_exposure = ParseSsvcExposure(exposure);
    if (!p.ssvc_exposure) {
      return e.Invalid("expected small, controlled or open, got '" + exposure + "'");
    }
  }
  return p;
}

size_t BandOf(const RiskPolicy& policy, double score) {
  size_t band = 0;
  for (size_t i = 0; i < policy.bands.size(); ++i) {
    if (score >= policy.bands[i].min_score) band = i;
  }
  return band;
}

}  // namespace

std::string_view HarmName(Harm h) { return kHarmNames[static_cast<size_t>(h)]; }

std::string_view SsvcExposureName(SsvcExposure e) {
  return e == SsvcExposure::kSmall ? "small" : e == SsvcExposure::kControlled ? "controlled" : "open";
}

std::optional<SsvcExposure> ParseSsvcExposure(std::string_view name) {
  for (SsvcExposure e : {SsvcExposure::kSmall, SsvcExposure::kControlled, SsvcExposure::kOpen}) {
    if (SsvcExposureName(e) == name) return e;
  }
  return std::nullopt;
}

std::optional<Harm> ParseHarm(std::string_view name) {
  for (size_t i = 0; i < kHarmLevels; ++i) {
    if (kHarmNames[i] == name) return static_cast<Harm>(i);
  }
  return std::nullopt;
}

Result<RiskPolicy> ParseRiskPolicy(std::string_view yaml, std::string_view source) {
  // "notify: 30" must read as the number it is.
  // Errors name the line: "FILE:LINE: FIELD: rule".
  VIGIL_ASSIGN_OR_RETURN(
      yaml::Document doc,
      yaml::Document::Parse(yaml, std::string(source), YamlScalars::kIntegersAsNumbers,
                            YamlLimits{.max_bytes = kMaxPolicyBytes, .max_depth = 8}));
  auto policy = FromRoot(doc.Root());
  if (!policy) return doc.Locate(policy.error());
  return policy;
}

RiskDecision Decide(const RiskPolicy& policy, const RiskFacts& facts) {
  RiskDecision d;
  std::string inputs;
  size_t band = policy.bands.size() - 1;  // unknown score: the worst band
  if (facts.cvss_score) {
    band = BandOf(policy, *facts.cvss_score);
    inputs = "CVSS " + Score1(*facts.cvss_score);
  } else {
    inputs = "no CVSS score (taken as the highest band)";
  }
  d.exploitability = policy.bands[band].name;
  d.harm = facts.harm.value_or(Harm::kCatastrophic);
  inputs += facts.harm ? ", harm " + std::string(HarmName(d.harm))
                       : ", harm not assessed (taken as catastrophic)";
  const bool cell = policy.controlled[band][static_cast<size_t>(d.harm)];
  d.cell = "matrix." + d.exploitability + "." + std::string(HarmName(d.harm)) + " = " +
           (cell ? "controlled" : "uncontrolled");
  d.controlled = cell;
  d.reason = inputs + " -> exploitability " + d.exploitability + "; " + d.cell;
  if (facts.kev) {
    if (facts.compensating_control.empty()) {
      d.reason += cell ? "; in CISA KEV without a documented compensating control: uncontrolled"
                       : "; in CISA KEV";
      d.controlled = false;
    } else {
      d.reason += "; in CISA KEV, compensating control: " + facts.compensating_control;
    }
  }
  return d;
}

}  // namespace vigil::risk
