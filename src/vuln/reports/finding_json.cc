// A finding's JSON object from literals and escaped values (see internal/finding_json.h).
#include "internal/finding_json.h"

#include <string_view>

#include "vigil/vuln/vex.h"

namespace vigil::vuln::internal {
namespace {

// Each literal ends where a value starts: `"key": "` before a string, `"key": ` before any
// other value. The finding's members are at six spaces, the members of its nested objects at
// eight and the members of objects inside its arrays at ten.
void Str(std::string& out, std::string_view s) { AppendJsonStringBody(out, s); }

// A string array member's value: `[]`, or one element a line at eight spaces.
void StringList(std::string& out, const std::vector<std::string>& values) {
  if (values.empty()) {
    out += "[]";
    return;
  }
  std::string_view sep = "[\n        \"";
  for (const std::string& v : values) {
    out += sep;
    Str(out, v);
    sep = "\",\n        \"";
  }
  out += "\"\n      ]";
}

void Scores(std::string& out, const std::vector<StatedScore>& scores) {
  if (scores.empty()) {
    out += "[]";
    return;
  }
  std::string_view sep = "[\n        {\n          \"advisory\": \"";
  for (const StatedScore& s : scores) {
    out += sep;
    Str(out, s.advisory_id);
    out += "\",\n          \"source\": \"";
    Str(out, s.source);
    if (!s.role.empty()) {
      out += "\",\n          \"role\": \"";
      Str(out, s.role);
    }
    out += "\",\n          \"cvss_version\": \"";
    Str(out, s.version);
    out += "\",\n          \"vector\": \"";
    Str(out, s.vector);
    out += '"';
    if (s.base_score) {
      out += ",\n          \"base_score\": ";
      AppendJsonNumber(out, *s.base_score);
    }
    if (!s.label.empty()) {
      out += ",\n          \"label\": \"";
      Str(out, s.label);
      out += '"';
    }
    sep = "\n        },\n        {\n          \"advisory\": \"";
  }
  out += "\n        }\n      ]";
}

void Weaknesses(std::string& out, const std::vector<Weakness>& weaknesses) {
  std::string_view sep = ",\n      \"cwes\": [\n        {\n          \"id\": \"";
  for (const Weakness& w : weaknesses) {
    out += sep;
    Str(out, w.id);
    if (!w.name.empty()) {
      out += "\",\n          \"name\": \"";
      Str(out, w.name);
    }
    sep = "\"\n        },\n        {\n          \"id\": \"";
  }
  out += "\"\n        }\n      ]";
}

// From the severity to the scores: what the advisory (and its aliases) state.
void AdvisoryPart(std::string& out, const Finding& f) {
  out += "{\n      \"id\": \"";
  Str(out, f.advisory_id);
  out += "\",\n      \"aliases\": ";
  StringList(out, f.aliases);
  out += ",\n      \"summary\": \"";
  Str(out, f.summary);
  out += "\",\n      \"severity\": \"";
  Str(out, SeverityName(f.severity));
  out += '"';
  if (f.cvss_score) {
    out += ",\n      \"cvss_score\": ";
    AppendJsonNumber(out, *f.cvss_score);
  }
  if (!f.cvss_vector.empty()) {
    out += ",\n      \"cvss_vector\": \"";
    Str(out, f.cvss_vector);
    out += '"';
  }
  out += ",\n      \"severity_source\": \"";
  Str(out, f.severity_source);
  out += "\",\n      \"scores\": ";
  Scores(out, f.scores);
}

void ComponentPart(std::string& out, const Finding& f) {
  out += ",\n      \"component\": {\n        \"ref\": \"";
  Str(out, f.component_ref);
  out += "\",\n        \"name\": \"";
  Str(out, f.component_name);
  out += "\",\n        \"version\": \"";
  Str(out, f.component_version);
  out += "\",\n        \"purl\": \"";
  Str(out, f.component_purl);
  out += "\",\n        \"cpe\": \"";
  Str(out, f.component_cpe);
  out += "\"\n      },\n      \"fixed_versions\": ";
  StringList(out, f.fixed_versions);
  if (!f.weaknesses.empty()) Weaknesses(out, f.weaknesses);
}

void ExploitationPart(std::string& out, const Finding& f) {
  out += f.kev ? ",\n      \"kev\": true" : ",\n      \"kev\": false";
  if (f.kev) {
    out += ",\n      \"kev_due_date\": \"";
    Str(out, f.kev_due_date);
    out += f.kev_ransomware ? "\",\n      \"kev_ransomware\": true"
                            : "\",\n      \"kev_ransomware\": false";
  }
  if (f.epss_score) {
    out += ",\n      \"epss_score\": ";
    AppendJsonNumber(out, *f.epss_score);
  }
  if (f.epss_percentile) {
    out += ",\n      \"epss_percentile\": ";
    AppendJsonNumber(out, *f.epss_percentile);
  }
}

void AnalysisPart(std::string& out, const Finding& f) {
  out += ",\n      \"match_reason\": \"";
  Str(out, f.match_reason);
  out += f.confidence == Confidence::kHigh ? "\",\n      \"confidence\": \"high"
                                           : "\",\n      \"confidence\": \"low";
  out += "\",\n      \"vex\": {\n        \"status\": \"";
  Str(out, VexStatusName(f.vex_status));
  out += "\",\n        \"justification\": \"";
  Str(out, f.vex_justification);
  out += "\",\n        \"detail\": \"";
  Str(out, f.vex_detail);
  out += "\",\n        \"trace\": \"";
  Str(out, f.vex_trace);
  out += IsSuppressed(f) ? "\"\n      },\n      \"suppressed\": true"
                         : "\"\n      },\n      \"suppressed\": false";
}

}  // namespace

void AppendFindingJson(std::string& out, const Finding& f, const FindingExtra* extra) {
  AdvisoryPart(out, f);
  ComponentPart(out, f);
  ExploitationPart(out, f);
  AnalysisPart(out, f);
  if (extra == nullptr || !*extra) {
    out += "\n    }";
    return;
  }
  // The caller's members through a JsonWriter that takes the open object over at the array
  // element's depth, and closes it as it would have.
  JsonWriter w(out, 2, 2);
  w.ResumeObject();
  (*extra)(w);
  w.EndObject();
}

}  // namespace vigil::vuln::internal
