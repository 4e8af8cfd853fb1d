#include "vigil/report/coverage.h"

#include <algorithm>

namespace vigil::report {
namespace {

ControlStatus Judge(const threat::Control& c, const Evidence& evidence) {
  ControlStatus s;
  s.id = c.id;
  s.title = c.title;
  std::vector<std::string> problems;
  if (c.verified_by.empty()) problems.push_back("no test named in verified_by");
  for (const std::string& test : c.verified_by) {
    const TestOutcome o = evidence.Outcome(test);
    s.tests.emplace_back(test, o);
    if (o == TestOutcome::kMissing) {
      problems.push_back(test + " is in no evidence file");
    } else if (o != TestOutcome::kPassed) {
      problems.push_back(test + " " + std::string(TestOutcomeName(o)));
    }
  }
  s.verified = problems.empty();
  for (const std::string& p : problems) s.why += (s.why.empty() ? "" : "; ") + p;
  return s;
}

const Framework* FindFramework(std::span<const Framework> frameworks, std::string_view id) {
  for (const Framework& f : frameworks) {
    if (f.id == id && f.kind == FrameworkKind::kCoverage) return &f;
  }
  return nullptr;
}

std::string Known(std::span<const Framework> frameworks) {
  std::string out;
  for (const Framework& f : frameworks) {
    if (f.kind == FrameworkKind::kCoverage) out += (out.empty() ? "" : ", ") + f.id;
  }
  return out.empty() ? "none given" : out;
}

// Checks that `framework`/`requirement` exist; the error names `where` and `field`.
Status CheckReference(std::span<const Framework> frameworks, const std::string& where,
                      const std::string& field, const std::string& framework,
                      const std::string& requirement) {
  const Framework* f = FindFramework(frameworks, framework);
  if (!f) {
    return InvalidArgumentError(where + ": " + field + ": unknown framework \"" + framework +
                                "\" (expected one of " + Known(frameworks) + ")");
  }
  if (!f->Find(requirement)) {
    std::string ids;
    for (const Requirement& r : f->requirements) ids += (ids.empty() ? "" : ", ") + r.id;
    return InvalidArgumentError(where + ": " + field + ": unknown requirement \"" + requirement +
                                "\" of " + framework + " (expected one of " + ids + ")");
  }
  return OkStatus();
}

}  // namespace

std::string_view RequirementStateName(RequirementState s) {
  switch (s) {
    case RequirementState::kCovered:
      return "covered";
    case RequirementState::kOpen:
      return "open";
    case RequirementState::kNotApplicable:
      return "n/a";
  }
  return "?";
}

const ControlStatus* Coverage::FindControl(std::string_view id) const {
  for (const ControlStatus& c : controls) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

Result<Coverage> ComputeCoverage(const threat::Model& model, std::span<const Framework> frameworks,
                                 const Evidence& evidence) {
  Coverage cov;
  for (const threat::Control& c : model.controls) {
    for (const auto& [fw, ids] : c.requirements) {
      for (const std::string& id : ids) {
        VIGIL_RETURN_IF_ERROR(CheckReference(frameworks, c.at.ToString(),
                                             "controls " + c.id + ": requirements." + fw, fw, id));
      }
    }
    cov.controls.push_back(Judge(c, evidence));
  }
  for (const threat::NotApplicable& n : model.not_applicable) {
    VIGIL_RETURN_IF_ERROR(
        CheckReference(frameworks, n.at.ToString(), "not_applicable", n.framework, n.requirement));
    for (const threat::Control& c : model.controls) {
      auto it = c.requirements.find(n.framework);
      if (it != c.requirements.end() &&
          std::find(it->second.begin(), it->second.end(), n.requirement) != it->second.end()) {
        return InvalidArgumentError(n.at.ToString() + ": not_applicable: " + n.framework + " " +
                                    n.requirement + " is declared not applicable, but control " +
                                    c.id + " (" + c.at.ToString() + ") satisfies it");
      }
    }
  }
  for (const Framework& f : frameworks) {
    if (f.kind != FrameworkKind::kCoverage) continue;
    FrameworkCoverage fc;
    fc.id = f.id;
    fc.name = f.name;
    fc.version = f.version;
    for (const Requirement& r : f.requirements) {
      RequirementCoverage rc;
      rc.id = r.id;
      rc.title = r.title;
      for (const threat::NotApplicable& n : model.not_applicable) {
        if (n.framework == f.id && n.requirement == r.id) {
          rc.state = RequirementState::kNotApplicable;
          rc.reason = n.reason;
        }
      }
      for (size_t i = 0; i < model.controls.size(); ++i) {
        auto it = model.controls[i].requirements.find(f.id);
        if (it == model.controls[i].requirements.end() ||
            std::find(it->second.begin(), it->second.end(), r.id) == it->second.end()) {
          continue;
        }
        (cov.controls[i].verified ? rc.verified_controls : rc.unverified_controls)
            .push_back(model.controls[i].id);
      }
      if (rc.state != RequirementState::kNotApplicable) {
        if (!rc.verified_controls.empty()) {
          rc.state = RequirementState::kCovered;
        } else if (rc.unverified_controls.empty()) {
          rc.reason = "no control of the model satisfies it";
        } else {
          rc.reason = "its controls are unverified";
        }
      }
      (rc.state == RequirementState::kCovered ? fc.covered
       : rc.state == RequirementState::kOpen  ? fc.open
                                              : fc.not_applicable)++;
      fc.requirements.push_back(std::move(rc));
    }
    cov.frameworks.push_back(std::move(fc));
  }
  return cov;
}

}  // namespace vigil::report
