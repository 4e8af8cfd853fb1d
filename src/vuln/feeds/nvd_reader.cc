// NVD CVE API 2.0 reader: vulnerabilities[].cve with descriptions, metrics (cvssMetricV40,
// V31, V30, V2) and configurations[].nodes[].cpeMatch[].
#include <string>

#include "internal/cpe_configurations.h"
#include "internal/json_access.h"
#include "vigil/sbom/cpe.h"
#include "vigil/vuln/feeds.h"

namespace vigil::vuln {

using internal::IndexPath;
using internal::JoinPath;
using internal::JsonFields;
using simdjson::dom::element;
using simdjson::dom::object;

// The configurations reader is shared with the CVE JSON 5 reader (cpeApplicability).
namespace internal {
namespace {

Result<bool> ReadOperator(const JsonFields& f, object obj, const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(std::string op, f.OptString(obj, "operator", path));
  if (op.empty() || op == "OR") return false;
  if (op == "AND") return true;
  return f.Fail(JoinPath(path, "operator"), "expected AND or OR, got " + internal::Quote(op));
}

Result<CpeMatch> ReadCpeMatch(const JsonFields& f, element e, const std::string& base,
                              const std::string& rel) {
  std::string path = JoinPath(base, rel);
  VIGIL_ASSIGN_OR_RETURN(object obj, f.AsObject(e, path));
  CpeMatch m;
  m.path = rel;
  VIGIL_ASSIGN_OR_RETURN(m.criteria, f.ReqString(obj, "criteria", path));
  if (auto cpe = sbom::Cpe::Parse(m.criteria); !cpe) {
    return f.Fail(JoinPath(path, "criteria"), "not a CPE 2.3 name " + internal::Quote(m.criteria));
  }
  VIGIL_ASSIGN_OR_RETURN(auto vulnerable, internal::OptBool(f, obj, "vulnerable", path));
  if (!vulnerable) return f.Fail(path, "required field 'vulnerable' is missing");
  m.vulnerable = *vulnerable;
  VIGIL_ASSIGN_OR_RETURN(m.version_start_including,
                         f.OptString(obj, "versionStartIncluding", path));
  VIGIL_ASSIGN_OR_RETURN(m.version_start_excluding,
                         f.OptString(obj, "versionStartExcluding", path));
  VIGIL_ASSIGN_OR_RETURN(m.version_end_including, f.OptString(obj, "versionEndIncluding", path));
  VIGIL_ASSIGN_OR_RETURN(m.version_end_excluding, f.OptString(obj, "versionEndExcluding", path));
  return m;
}

Result<CpeNode> ReadNode(const JsonFields& f, element e, const std::string& base,
                         const std::string& rel) {
  std::string path = JoinPath(base, rel);
  VIGIL_ASSIGN_OR_RETURN(object obj, f.AsObject(e, path));
  CpeNode node;
  VIGIL_ASSIGN_OR_RETURN(node.and_operator, ReadOperator(f, obj, path));
  VIGIL_ASSIGN_OR_RETURN(auto negate, internal::OptBool(f, obj, "negate", path));
  node.negate = negate.value_or(false);
  VIGIL_ASSIGN_OR_RETURN(auto matches, f.OptArray(obj, "cpeMatch", path));
  size_t i = 0;
  for (element m : matches ? *matches : JsonFields::EmptyArray()) {
    VIGIL_ASSIGN_OR_RETURN(CpeMatch match,
                           ReadCpeMatch(f, m, base, IndexPath(rel, "cpeMatch", i++)));
    node.matches.push_back(std::move(match));
  }
  return node;
}

}  // namespace

Result<std::vector<CpeConfiguration>> ReadConfigurations(const JsonFields& f, object parent,
                                                         std::string_view key,
                                                         const std::string& base) {
  VIGIL_ASSIGN_OR_RETURN(auto configs, f.OptArray(parent, key, base));
  std::vector<CpeConfiguration> out;
  size_t i = 0;
  for (element e : configs ? *configs : JsonFields::EmptyArray()) {
    std::string rel = IndexPath("", key, i++);
    std::string path = JoinPath(base, rel);
    VIGIL_ASSIGN_OR_RETURN(object obj, f.AsObject(e, path));
    CpeConfiguration config;
    VIGIL_ASSIGN_OR_RETURN(config.and_operator, ReadOperator(f, obj, path));
    VIGIL_ASSIGN_OR_RETURN(auto negate, internal::OptBool(f, obj, "negate", path));
    config.negate = negate.value_or(false);
    VIGIL_ASSIGN_OR_RETURN(auto nodes, f.OptArray(obj, "nodes", path));
    if (!nodes) return f.Fail(path, "required field 'nodes' is missing");
    size_t n = 0;
    for (element ne : *nodes) {
      VIGIL_ASSIGN_OR_RETURN(CpeNode node, ReadNode(f, ne, base, IndexPath(rel, "nodes", n++)));
      config.nodes.push_back(std::move(node));
    }
    out.push_back(std::move(config));
  }
  return out;
}

}  // namespace internal

namespace {

// Every entry of one cvssMetric array, with who scored it and its role (Primary: NVD's own;
// Secondary: a CNA's). Which one decides is the matcher's rule (matcher.h).
Status ReadMetric(const JsonFields& f, object metrics, std::string_view key, std::string_view type,
                  const std::string& path, std::vector<SeverityScore>& out) {
  VIGIL_ASSIGN_OR_RETURN(auto arr, f.OptArray(metrics, key, path));
  size_t i = 0;
  for (element e : arr ? *arr : JsonFields::EmptyArray()) {
    std::string mpath = IndexPath(path, key, i++);
    VIGIL_ASSIGN_OR_RETURN(object m, f.AsObject(e, mpath));
    VIGIL_ASSIGN_OR_RETURN(auto data, internal::OptObject(f, m, "cvssData", mpath));
    if (!data) return f.Fail(mpath, "required field 'cvssData' is missing");
    std::string dpath = JoinPath(mpath, "cvssData");
    SeverityScore s;
    s.type = type;
    VIGIL_ASSIGN_OR_RETURN(s.vector, f.ReqString(*data, "vectorString", dpath));
    VIGIL_ASSIGN_OR_RETURN(s.base_score, internal::OptNumber(f, *data, "baseScore", dpath));
    if (!s.base_score || *s.base_score < 0 || *s.base_score > 10) {
      return f.Fail(JoinPath(dpath, "baseScore"), "expected a number in [0, 10]");
    }
    VIGIL_ASSIGN_OR_RETURN(s.label, f.OptString(*data, "baseSeverity", dpath));
    if (s.label.empty()) {
      VIGIL_ASSIGN_OR_RETURN(s.label, f.OptString(m, "baseSeverity", mpath));
    }
    VIGIL_ASSIGN_OR_RETURN(s.source, f.OptString(m, "source", mpath));
    VIGIL_ASSIGN_OR_RETURN(s.role, f.OptString(m, "type", mpath));
    out.push_back(std::move(s));
  }
  return OkStatus();
}

Result<std::vector<SeverityScore>> ReadMetrics(const JsonFields& f, object cve,
                                               const std::string& base) {
  std::vector<SeverityScore> out;
  VIGIL_ASSIGN_OR_RETURN(auto metrics, internal::OptObject(f, cve, "metrics", base));
  if (!metrics) return out;
  std::string path = JoinPath(base, "metrics");
  static constexpr std::pair<std::string_view, std::string_view> kKinds[] = {
      {"cvssMetricV40", "CVSS_V4"},
      {"cvssMetricV31", "CVSS_V3"},
      {"cvssMetricV30", "CVSS_V3"},
      {"cvssMetricV2", "CVSS_V2"}};
  for (const auto& [key, type] : kKinds) {
    VIGIL_RETURN_IF_ERROR(ReadMetric(f, *metrics, key, type, path, out));
  }
  return out;
}

// weaknesses[].description[].value: CWE ids ("CWE-787"); NVD's "NVD-CWE-Other" and
// "NVD-CWE-noinfo" say no CWE applies or is known, and are left out.
Result<std::vector<Weakness>> ReadWeaknesses(const JsonFields& f, object cve,
                                             const std::string& base) {
  std::vector<Weakness> out;
  VIGIL_ASSIGN_OR_RETURN(auto list, f.OptArray(cve, "weaknesses", base));
  size_t i = 0;
  for (element e : list ? *list : JsonFields::EmptyArray()) {
    std::string wpath = IndexPath(base, "weaknesses", i++);
    VIGIL_ASSIGN_OR_RETURN(object weakness, f.AsObject(e, wpath));
    VIGIL_ASSIGN_OR_RETURN(auto descs, f.OptArray(weakness, "description", wpath));
    size_t j = 0;
    for (element d : descs ? *descs : JsonFields::EmptyArray()) {
      std::string dpath = IndexPath(wpath, "description", j++);
      VIGIL_ASSIGN_OR_RETURN(object desc, f.AsObject(d, dpath));
      VIGIL_ASSIGN_OR_RETURN(std::string value, f.ReqString(desc, "value", dpath));
      AddWeakness(out, value, "");
    }
  }
  return out;
}

Result<Advisory> ReadCve(const JsonFields& f, object cve, const std::string& base) {
  Advisory adv;
  adv.source = AdvisorySource::kNvd;
  VIGIL_ASSIGN_OR_RETURN(adv.id, f.ReqString(cve, "id", base));
  if (adv.id.rfind("CVE-", 0) != 0) {
    return f.Fail(JoinPath(base, "id"), "expected a CVE id, got " + internal::Quote(adv.id));
  }
  VIGIL_ASSIGN_OR_RETURN(adv.modified, f.OptString(cve, "lastModified", base));
  VIGIL_ASSIGN_OR_RETURN(adv.published, f.OptString(cve, "published", base));
  VIGIL_ASSIGN_OR_RETURN(adv.summary, internal::EnglishDescription(f, cve, base));
  VIGIL_ASSIGN_OR_RETURN(adv.severities, ReadMetrics(f, cve, base));
  VIGIL_ASSIGN_OR_RETURN(adv.status, f.OptString(cve, "vulnStatus", base));
  VIGIL_ASSIGN_OR_RETURN(adv.weaknesses, ReadWeaknesses(f, cve, base));
  VIGIL_ASSIGN_OR_RETURN(adv.configurations,
                         internal::ReadConfigurations(f, cve, "configurations", base));
  return adv;
}

}  // namespace

namespace {

Status EmitRecord(const JsonFields& f, object cve, const std::string& path,
                  const std::function<Status(NvdRecord)>& sink) {
  NvdRecord record;
  VIGIL_ASSIGN_OR_RETURN(record.advisory, ReadCve(f, cve, path));
  record.cve_json = simdjson::minify(cve);
  return sink(std::move(record));
}

}  // namespace

Status ParseNvdFeed(std::string_view json, std::string_view source,
                    const std::function<Status(NvdRecord)>& sink) {
  JsonFields f(source);
  // Not the thread parser: the sink may parse other documents while we iterate.
  simdjson::dom::parser parser;
  VIGIL_ASSIGN_OR_RETURN(object root, f.ParseRoot(parser, json));
  VIGIL_ASSIGN_OR_RETURN(std::string format, f.OptString(root, "format", ""));
  if (!format.empty() && format != "NVD_CVE") {
    return f.Fail("format", "expected NVD_CVE, got " + internal::Quote(format));
  }
  VIGIL_ASSIGN_OR_RETURN(auto vulns, f.OptArray(root, "vulnerabilities", ""));
  if (!vulns && !format.empty()) return f.Fail("$", "required field 'vulnerabilities' is missing");
  if (!vulns) {
    // One record alone: a vulnerabilities[] item ({"cve": …}) or the bare "cve" object, as
    // per-CVE mirrors of the feed store them.
    VIGIL_ASSIGN_OR_RETURN(auto cve, internal::OptObject(f, root, "cve", ""));
    if (cve) return EmitRecord(f, *cve, "cve", sink);
    VIGIL_ASSIGN_OR_RETURN(std::string id, f.OptString(root, "id", ""));
    if (!id.empty()) return EmitRecord(f, root, "", sink);
    return f.Fail("$",
                  "expected an NVD CVE API 2.0 response (vulnerabilities[]), a vulnerabilities[] "
                  "item (cve) or a cve object (id)");
  }
  size_t i = 0;
  for (element e : *vulns) {
    std::string path = IndexPath("", "vulnerabilities", i++);
    VIGIL_ASSIGN_OR_RETURN(object item, f.AsObject(e, path));
    VIGIL_ASSIGN_OR_RETURN(auto cve, internal::OptObject(f, item, "cve", path));
    if (!cve) return f.Fail(path, "required field 'cve' is missing");
    VIGIL_RETURN_IF_ERROR(EmitRecord(f, *cve, JoinPath(path, "cve"), sink));
  }
  return OkStatus();
}

Result<Advisory> ParseNvdCve(std::string_view cve_json, std::string_view source) {
  JsonFields f(source);
  VIGIL_ASSIGN_OR_RETURN(object root, f.ParseRoot(internal::ThreadParser(), cve_json));
  return ReadCve(f, root, "");
}

}  // namespace vigil::vuln
