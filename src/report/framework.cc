#include "vigil/report/framework.h"

#include <array>
#include <map>

#include "vigil/core/yaml_document.h"

namespace vigil::report {
namespace {

constexpr uint64_t kMaxFrameworkBytes = 1u << 20;

constexpr std::array<yaml::EnumName<FrameworkKind>, 3> kKinds = {{
    {"coverage", FrameworkKind::kCoverage},
    {"labeling", FrameworkKind::kLabeling},
    {"questionnaire", FrameworkKind::kQuestionnaire},
}};

constexpr std::array<yaml::EnumName<AnswerSource>, 13> kSources = {{
    {"none", AnswerSource::kNone},
    {"interfaces", AnswerSource::kInterfaces},
    {"updates", AnswerSource::kUpdates},
    {"logging", AnswerSource::kLogging},
    {"views", AnswerSource::kViews},
    {"sbom", AnswerSource::kSbom},
    {"end_of_support", AnswerSource::kEndOfSupport},
    {"resilience", AnswerSource::kResilience},
    {"controls", AnswerSource::kControls},
    {"phi", AnswerSource::kPhi},
    {"encryption_at_rest", AnswerSource::kEncryptionRest},
    {"transmission", AnswerSource::kTransmission},
    {"authentication", AnswerSource::kAuthentication},
}};

Result<Requirement> ReadRequirement(const yaml::Fields& f, FrameworkKind kind) {
  VIGIL_RETURN_IF_ERROR(f.Expect({"id", "title", "text", "answered_by"}));
  Requirement r;
  r.at = f.Line();
  VIGIL_ASSIGN_OR_RETURN(r.id, f.String("id"));
  VIGIL_ASSIGN_OR_RETURN(r.title, f.String("title"));
  VIGIL_ASSIGN_OR_RETURN(r.text, f.OptionalString("text"));
  if (f.Has("answered_by") && kind == FrameworkKind::kCoverage) {
    return f.Invalid("answered_by",
                     "only labeling and questionnaire files say what answers an item (a coverage "
                     "requirement is answered by the controls that name it)");
  }
  VIGIL_ASSIGN_OR_RETURN(r.answered_by,
                         f.Enum<AnswerSource>("answered_by", kSources, AnswerSource::kNone));
  return r;
}

}  // namespace

std::string_view AnswerSourceName(AnswerSource s) {
  return yaml::NameOf<AnswerSource>(kSources, s);
}

const Requirement* Framework::Find(std::string_view wanted) const {
  for (const Requirement& r : requirements) {
    if (r.id == wanted) return &r;
  }
  return nullptr;
}

Result<Framework> ParseFramework(std::string_view text, const std::string& file) {
  // Plain scalars stay strings: a version "1.10" is not the number 1.1.
  VIGIL_ASSIGN_OR_RETURN(
      yaml::Document doc,
      yaml::Document::Parse(text, file, YamlScalars::kStrings,
                            YamlLimits{.max_bytes = kMaxFrameworkBytes, .max_depth = 8}));
  yaml::Fields root(doc, doc.Root());
  VIGIL_RETURN_IF_ERROR(
      root.Expect({"framework", "name", "version", "source", "kind", "requirements"}));
  Framework fw;
  fw.file = file;
  VIGIL_ASSIGN_OR_RETURN(fw.id, root.Id("framework"));
  VIGIL_ASSIGN_OR_RETURN(fw.name, root.String("name"));
  VIGIL_ASSIGN_OR_RETURN(fw.version, root.String("version"));
  VIGIL_ASSIGN_OR_RETURN(fw.source, root.String("source"));
  VIGIL_ASSIGN_OR_RETURN(fw.kind,
                         root.Enum<FrameworkKind>("kind", kKinds, FrameworkKind::kCoverage));
  VIGIL_ASSIGN_OR_RETURN(std::vector<json::Node> items, root.NonEmptyList("requirements"));
  std::map<std::string, std::string> seen;
  for (const json::Node& item : items) {
    yaml::Fields f(doc, item);
    VIGIL_ASSIGN_OR_RETURN(Requirement r, ReadRequirement(f, fw.kind));
    auto [it, fresh] = seen.emplace(r.id, r.at);
    if (!fresh) {
      return f.Invalid("id", "duplicate id \"" + r.id + "\" (first at " + it->second + ")");
    }
    fw.requirements.push_back(std::move(r));
  }
  return fw;
}

}  // namespace vigil::report
