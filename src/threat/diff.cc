#include "vigil/threat/diff.h"

#include <algorithm>
#include <map>

namespace vigil::threat {
namespace {

// The members of two objects that differ (present on one side only, or with other values).
std::string ChangedFields(const json::Value& a, const json::Value& b) {
  std::vector<std::string> names;
  for (const json::Member& m : a.as_object()) {
    const json::Value* other = b.Find(m.key);
    if (other == nullptr || !(*other == m.value)) names.push_back(m.key);
  }
  for (const json::Member& m : b.as_object()) {
    if (a.Find(m.key) == nullptr) names.push_back(m.key);
  }
  std::sort(names.begin(), names.end());
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "fields: " : ", ") + n;
  return out;
}

template <typename T>
void DiffSection(std::string_view section, const std::vector<T>& a, const std::vector<T>& b,
                 std::vector<Change>& out) {
  std::map<std::string_view, const T*> old_by_id, new_by_id;
  for (const T& x : a) old_by_id.emplace(x.id, &x);
  for (const T& x : b) new_by_id.emplace(x.id, &x);
  for (const auto& [id, x] : old_by_id) {
    auto it = new_by_id.find(id);
    if (it == new_by_id.end()) {
      out.push_back({std::string(section), std::string(id), "removed", ""});
    } else if (!(x->raw == it->second->raw)) {
      out.push_back({std::string(section), std::string(id), "changed",
                     ChangedFields(x->raw, it->second->raw)});
    }
  }
  for (const auto& [id, x] : new_by_id) {
    if (!old_by_id.contains(id))
      out.push_back({std::string(section), std::string(id), "added", ""});
  }
}

std::string Joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "none" : out;
}

// How one finding moved between two runs; "" when it did not.
std::string FindingMoves(const Finding& a, const Finding& b) {
  std::vector<std::string> moves;
  if (a.pre.cell != b.pre.cell) moves.push_back("pre: " + a.pre.cell + " -> " + b.pre.cell);
  if (a.post.cell != b.post.cell) moves.push_back("post: " + a.post.cell + " -> " + b.post.cell);
  if (a.controls != b.controls) {
    moves.push_back("controls: " + Joined(a.controls) + " -> " + Joined(b.controls));
  }
  if (a.status != b.status) {
    moves.push_back("status: " + std::string(TrackingStatusName(a.status)) + " -> " +
                    std::string(TrackingStatusName(b.status)));
  }
  std::string out;
  for (const std::string& m : moves) out += (out.empty() ? "" : "; ") + m;
  return out;
}

std::string_view Risk(const Finding& f) {
  return f.post.controlled ? "controlled" : "uncontrolled";
}

}  // namespace

ThreatDiff Diff(const Model& old_model, const Analysis& old_analysis, const Model& new_model,
                const Analysis& new_analysis) {
  ThreatDiff d;
  if (!(old_model.device.raw == new_model.device.raw)) {
    d.model.push_back({"device", new_model.device.name, "changed",
                       ChangedFields(old_model.device.raw, new_model.device.raw)});
  }
  DiffSection("clinical_functions", old_model.functions, new_model.functions, d.model);
  DiffSection("boundaries", old_model.boundaries, new_model.boundaries, d.model);
  DiffSection("data", old_model.data, new_model.data, d.model);
  DiffSection("assets", old_model.assets, new_model.assets, d.model);
  DiffSection("links", old_model.links, new_model.links, d.model);
  DiffSection("controls", old_model.controls, new_model.controls, d.model);
  // Findings are sorted by id on both sides: one merge.
  const auto& a = old_analysis.findings;
  const auto& b = new_analysis.findings;
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].id < b[j].id)) {
      d.findings.push_back({"findings", a[i].id, "removed", "was " + std::string(Risk(a[i]))});
      ++i;
    } else if (i == a.size() || b[j].id < a[i].id) {
      d.findings.push_back(
          {"findings", b[j].id, "added", std::string(Risk(b[j])) + " after mitigation"});
      ++j;
    } else {
      std::string moves = FindingMoves(a[i], b[j]);
      if (!moves.empty()) d.findings.push_back({"findings", b[j].id, "changed", moves});
      ++i;
      ++j;
    }
  }
  d.uncontrolled_pre_old = old_analysis.uncontrolled_pre;
  d.uncontrolled_pre_new = new_analysis.uncontrolled_pre;
  d.uncontrolled_post_old = old_analysis.uncontrolled_post;
  d.uncontrolled_post_new = new_analysis.uncontrolled_post;
  return d;
}

json::Value DiffToJson(const ThreatDiff& diff) {
  auto changes = [](const std::vector<Change>& v) {
    json::Value out = json::Value::MakeArray();
    for (const Change& c : v) {
      out.Push(json::Value::MakeObject(
          {{"section", c.section}, {"id", c.id}, {"change", c.kind}, {"detail", c.detail}}));
    }
    return out;
  };
  return json::Value::MakeObject(
      {{"model", changes(diff.model)},
       {"findings", changes(diff.findings)},
       {"uncontrolled_before_mitigation",
        json::Value::MakeObject(
            {{"old", diff.uncontrolled_pre_old}, {"new", diff.uncontrolled_pre_new}})},
       {"uncontrolled_after_mitigation",
        json::Value::MakeObject(
            {{"old", diff.uncontrolled_post_old}, {"new", diff.uncontrolled_post_new}})}});
}

}  // namespace vigil::threat
