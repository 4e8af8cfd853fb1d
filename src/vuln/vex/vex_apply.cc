// Applying VEX statements to findings: the latest valid statement that covers a finding wins.
#include <tuple>

#include "vigil/vuln/vex.h"
#include "internal/vex_json.h"
#include "internal/vex_product.h"

namespace vigil::vuln {
namespace {

using internal::Covers;
using internal::EqualsIgnoreCase;
using internal::Subject;

bool NamesVulnerability(const VexStatement& s, const Finding& f) {
  auto is_finding_id = [&](const std::string& id) {
    if (EqualsIgnoreCase(id, f.advisory_id)) return true;
    for (const std::string& a : f.aliases) {
      if (EqualsIgnoreCase(id, a)) return true;
    }
    return false;
  };
  if (is_finding_id(s.vulnerability)) return true;
  for (const std::string& a : s.aliases) {
    if (is_finding_id(a)) return true;
  }
  return false;
}

bool CoversComponent(const VexStatement& s, const Subject& component, const Subject* product) {
  for (const VexProduct& p : s.products) {
    if (p.subcomponents.empty()) {
      if (Covers(p.id, component)) return true;
      continue;
    }
    // The vulnerability lives in a subcomponent of product p: the component must be one of
    // them, and p must be the scanned product when the SBOM names one.
    if (product != nullptr && !Covers(p.id, *product)) continue;
    for (const VexProductId& sub : p.subcomponents) {
      if (Covers(sub, component)) return true;
    }
  }
  return false;
}

// Why a statement cannot decide a finding, or "" when it can.
std::string Invalidity(const VexStatement& s) {
  if (s.status == VexStatus::kNotAffected && s.justification.empty()) {
    return s.impact_statement.empty()
               ? "not_affected without a justification"
               : "not_affected without a justification (an impact statement alone is not "
                 "machine-checkable)";
  }
  return "";
}

std::string Describe(const Finding& f) {
  std::string component =
      !f.component_purl.empty() ? f.component_purl : f.component_name + "@" + f.component_version;
  return f.advisory_id + " on " + component;
}

void Decide(const VexStatement& s, Finding& f) {
  f.vex_status = s.status;
  f.vex_justification = s.justification;
  f.vex_detail = !s.impact_statement.empty() ? s.impact_statement : s.action_statement;
  f.vex_trace = s.trace;
}

}  // namespace

VexApplication ApplyVex(std::span<const VexDocument> documents, const sbom::Component* product,
                        std::vector<Finding>& findings) {
  VexApplication out;
  if (documents.empty()) return out;  // nothing to apply (most scans): skip parsing subjects
  std::optional<Subject> product_subject;
  if (product != nullptr) product_subject = internal::SubjectOf(*product);
  const Subject* p = product_subject ? &*product_subject : nullptr;
  for (Finding& f : findings) {
    const Subject component = internal::SubjectOf(f);
    const VexStatement* best = nullptr;
    std::tuple<int64_t, size_t, size_t> best_key{};
    for (size_t d = 0; d < documents.size(); ++d) {
      for (size_t i = 0; i < documents[d].statements.size(); ++i) {
        const VexStatement& s = documents[d].statements[i];
        if (!NamesVulnerability(s, f) || !CoversComponent(s, component, p)) continue;
        if (std::string why = Invalidity(s); !why.empty()) {
          out.problems.push_back(s.trace + ": " + why + "; " + Describe(f) + " stays open");
          continue;
        }
        // Latest time wins; equal times: the later document, then the later statement.
        std::tuple<int64_t, size_t, size_t> key{s.time, d, i};
        if (best == nullptr || key > best_key) {
          best = &s;
          best_key = key;
        }
      }
    }
    if (best == nullptr) continue;
    Decide(*best, f);
    ++out.applied;
    if (IsSuppressed(f)) ++out.suppressed;
  }
  return out;
}

bool IsSuppressed(const Finding& finding) {
  return (finding.vex_status == VexStatus::kNotAffected && !finding.vex_justification.empty()) ||
         finding.vex_status == VexStatus::kFixed;
}

}  // namespace vigil::vuln
