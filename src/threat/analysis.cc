#include "vigil/threat/analysis.h"

#include <algorithm>
#include <unordered_map>

#include "vigil/core/encoding.h"

namespace vigil::threat {
namespace {

// The controls of the model that cover each rule: (control, mitigation) per rule id.
using Coverage =
    std::unordered_map<std::string_view, std::vector<std::pair<const Control*, const Mitigation*>>>;

Result<Coverage> IndexControls(const Model& model, const RuleSet& rules) {
  Coverage out;
  for (const Control& c : model.controls) {
    for (const Mitigation& m : c.mitigates) {
      if (rules.Find(m.rule) == nullptr) {
        return InvalidArgumentError(m.at.ToString() + ": controls." + c.id +
                                    ".mitigates.rule: unknown rule \"" + OneLine(m.rule) +
                                    "\" (expected the id of a rule of the rule files)");
      }
      out[m.rule].push_back({&c, &m});
    }
  }
  return out;
}

bool Bit(uint8_t kinds, ElementKind k) { return (kinds >> static_cast<int>(k)) & 1u; }

// The clinical functions of an element (a link: of both ends) and their hazards.
struct Index {
  std::unordered_map<std::string_view, const Asset*> assets;
  std::unordered_map<std::string_view, const Link*> links;
  explicit Index(const Model& m) {
    for (const Asset& a : m.assets) assets.emplace(a.id, &a);
    for (const Link& l : m.links) links.emplace(l.id, &l);
  }
};

void FunctionsOf(const Model& model, const Index& ix, const ElementFacts& e, Finding& f) {
  const auto& assets = ix.assets;
  std::vector<const Asset*> ends;
  if (e.kind == ElementKind::kLink) {
    const Link& l = *ix.links.at(e.element);
    ends = {assets.at(l.from), assets.at(l.to)};
  } else {
    ends = {assets.at(e.element)};
  }
  for (const Asset* a : ends) {
    for (const std::string& fn : a->supports) {
      if (std::find(f.functions.begin(), f.functions.end(), fn) != f.functions.end()) continue;
      f.functions.push_back(fn);
      for (const std::string& h : model.FindFunction(fn)->hazards) {
        if (std::find(f.hazards.begin(), f.hazards.end(), h) == f.hazards.end()) {
          f.hazards.push_back(h);
        }
      }
    }
  }
}

risk::RiskFacts RiskInputs(double exploitability, std::optional<risk::Harm> harm) {
  risk::RiskFacts f;
  f.cvss_score = exploitability;
  f.harm = harm;
  return f;
}

void Mitigate(const Coverage& coverage, const risk::RiskPolicy& policy, Finding& f) {
  f.residual_exploitability = f.exploitability;
  if (auto it = coverage.find(f.rule); it != coverage.end()) {
    for (const auto& [control, m] : it->second) {
      if (!m->elements.empty() &&
          std::find(m->elements.begin(), m->elements.end(), f.element) == m->elements.end()) {
        continue;
      }
      f.controls.push_back(control->id);
      f.residual_exploitability =
          std::min(f.residual_exploitability, control->residual_exploitability);
    }
  }
  f.post = risk::Decide(policy, RiskInputs(f.residual_exploitability, f.pre.harm));
}

json::Value Strings(const std::vector<std::string>& v) {
  json::Value out = json::Value::MakeArray();
  for (const std::string& s : v) out.Push(s);
  return out;
}

json::Value DecisionJson(const risk::RiskDecision& d, double score) {
  return json::Value::MakeObject({{"exploitability", score},
                                  {"band", d.exploitability},
                                  {"harm", risk::HarmName(d.harm)},
                                  {"controlled", d.controlled},
                                  {"cell", d.cell}});
}

}  // namespace

Result<Analysis> Analyze(const Model& model, const RuleSet& rules, const risk::RiskPolicy& policy) {
  VIGIL_ASSIGN_OR_RETURN(Coverage coverage, IndexControls(model, rules));
  const Index ix(model);
  const size_t harm_fact =
      static_cast<size_t>(std::find_if(Facts().begin(), Facts().end(),
                                       [](const FactInfo& i) { return i.name == "harm"; }) -
                          Facts().begin());
  Analysis out;
  for (const ElementFacts& e : ComputeFacts(model)) {
    for (const Rule& r : rules.rules) {
      if (!Bit(r.applies_to, e.kind)) continue;
      std::vector<std::string> why;
      if (!Fires(r, e.values, &why)) continue;
      Finding f;
      f.id = r.id + "@" + e.element;
      f.rule = r.id;
      f.title = r.title;
      f.stride = r.stride;
      f.element = e.element;
      f.kind = e.kind;
      f.fired_by = std::move(why);
      FunctionsOf(model, ix, e, f);
      f.exploitability = r.exploitability;
      f.pre =
          risk::Decide(policy, RiskInputs(r.exploitability, risk::ParseHarm(e.values[harm_fact])));
      Mitigate(coverage, policy, f);
      out.findings.push_back(std::move(f));
    }
  }
  std::sort(out.findings.begin(), out.findings.end(),
            [](const Finding& a, const Finding& b) { return a.id < b.id; });
  for (const Tracking& t : model.tracking) {
    auto it = std::lower_bound(out.findings.begin(), out.findings.end(), t.finding,
                               [](const Finding& f, const std::string& id) { return f.id < id; });
    if (it == out.findings.end() || it->id != t.finding) {
      out.stale_tracking.push_back(t.at.ToString() + ": " + t.finding);
      continue;
    }
    it->status = t.status;
    it->justification = t.justification;
    it->safety_file = t.safety_file;
  }
  for (const Finding& f : out.findings) {
    out.uncontrolled_pre += f.pre.controlled ? 0 : 1;
    out.uncontrolled_post += f.post.controlled ? 0 : 1;
  }
  return out;
}

json::Value FindingsToJson(const Analysis& analysis) {
  json::Value out = json::Value::MakeArray();
  for (const Finding& f : analysis.findings) {
    out.Push(json::Value::MakeObject({{"id", f.id},
                                      {"rule", f.rule},
                                      {"title", f.title},
                                      {"stride", StrideName(f.stride)},
                                      {"element", f.element},
                                      {"kind", ElementKindName(f.kind)},
                                      {"fired_by", Strings(f.fired_by)},
                                      {"functions", Strings(f.functions)},
                                      {"hazards", Strings(f.hazards)},
                                      {"pre", DecisionJson(f.pre, f.exploitability)},
                                      {"controls", Strings(f.controls)},
                                      {"post", DecisionJson(f.post, f.residual_exploitability)},
                                      {"status", TrackingStatusName(f.status)},
                                      {"justification", f.justification},
                                      {"safety_file", f.safety_file}}));
  }
  return out;
}

}  // namespace vigil::threat
