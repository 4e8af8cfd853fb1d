// CVE JSON 5 reader (the CVE List's record format, dataVersion 5.0 to 5.2): cveMetadata, the
// CNA container's descriptions, affected products, cpeApplicability and metrics, and the ADP
// containers' affected products and metrics.
#include <string>

#include "internal/cpe_configurations.h"
#include "internal/json_access.h"
#include "vigil/sbom/cpe.h"
#include "vigil/vuln/feeds.h"

namespace vigil::vuln {
namespace {

using internal::IndexPath;
using internal::JoinPath;
using internal::JsonFields;
using simdjson::dom::element;
using simdjson::dom::object;

Result<std::vector<Cve5Change>> ReadChanges(const JsonFields& f, object v,
                                            const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(auto arr, f.OptArray(v, "changes", path));
  std::vector<Cve5Change> out;
  size_t i = 0;
  for (element e : arr ? *arr : JsonFields::EmptyArray()) {
    std::string cpath = IndexPath(path, "changes", i++);
    VIGIL_ASSIGN_OR_RETURN(object c, f.AsObject(e, cpath));
    Cve5Change change;
    VIGIL_ASSIGN_OR_RETURN(change.at, f.ReqString(c, "at", cpath));
    VIGIL_ASSIGN_OR_RETURN(change.status, f.ReqString(c, "status", cpath));
    out.push_back(std::move(change));
  }
  return out;
}

Result<Cve5Version> ReadVersion(const JsonFields& f, element e, const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(object v, f.AsObject(e, path));
  Cve5Version out;
  out.path = path;
  VIGIL_ASSIGN_OR_RETURN(out.version, f.ReqString(v, "version", path));
  VIGIL_ASSIGN_OR_RETURN(out.status, f.ReqString(v, "status", path));
  if (out.status != "affected" && out.status != "unaffected" && out.status != "unknown") {
    return f.Fail(JoinPath(path, "status"),
                  "expected affected, unaffected or unknown, got " + internal::Quote(out.status));
  }
  VIGIL_ASSIGN_OR_RETURN(out.version_type, f.OptString(v, "versionType", path));
  VIGIL_ASSIGN_OR_RETURN(out.less_than, f.OptString(v, "lessThan", path));
  VIGIL_ASSIGN_OR_RETURN(out.less_than_or_equal, f.OptString(v, "lessThanOrEqual", path));
  VIGIL_ASSIGN_OR_RETURN(out.changes, ReadChanges(f, v, path));
  return out;
}

Result<Cve5Product> ReadProduct(const JsonFields& f, element e, const std::string& path,
                                const std::string& container) {
  VIGIL_ASSIGN_OR_RETURN(object a, f.AsObject(e, path));
  Cve5Product p;
  p.container = container;
  p.path = path;
  VIGIL_ASSIGN_OR_RETURN(p.vendor, f.OptString(a, "vendor", path));
  VIGIL_ASSIGN_OR_RETURN(p.product, f.OptString(a, "product", path));
  VIGIL_ASSIGN_OR_RETURN(p.default_status, f.OptString(a, "defaultStatus", path));
  VIGIL_ASSIGN_OR_RETURN(p.cpes, internal::OptStringArray(f, a, "cpes", path));
  VIGIL_ASSIGN_OR_RETURN(auto versions, f.OptArray(a, "versions", path));
  size_t i = 0;
  for (element v : versions ? *versions : JsonFields::EmptyArray()) {
    VIGIL_ASSIGN_OR_RETURN(Cve5Version version,
                           ReadVersion(f, v, IndexPath(path, "versions", i++)));
    p.versions.push_back(std::move(version));
  }
  return p;
}

Status ReadProducts(const JsonFields& f, object container, const std::string& path,
                    const std::string& who, std::vector<Cve5Product>& out) {
  VIGIL_ASSIGN_OR_RETURN(auto affected, f.OptArray(container, "affected", path));
  size_t i = 0;
  for (element e : affected ? *affected : JsonFields::EmptyArray()) {
    VIGIL_ASSIGN_OR_RETURN(Cve5Product p, ReadProduct(f, e, IndexPath(path, "affected", i++), who));
    out.push_back(std::move(p));
  }
  return OkStatus();
}

// metrics[].cvssV4_0 / cvssV3_1 / cvssV3_0 / cvssV2_0, best version first (as the NVD reader
// orders them).
Status ReadMetrics(const JsonFields& f, object container, const std::string& path,
                   std::vector<SeverityScore>& out) {
  static constexpr std::pair<std::string_view, std::string_view> kKinds[] = {
      {"cvssV4_0", "CVSS_V4"},
      {"cvssV3_1", "CVSS_V3"},
      {"cvssV3_0", "CVSS_V3"},
      {"cvssV2_0", "CVSS_V2"}};
  VIGIL_ASSIGN_OR_RETURN(auto metrics, f.OptArray(container, "metrics", path));
  for (const auto& [key, type] : kKinds) {
    size_t i = 0;
    for (element e : metrics ? *metrics : JsonFields::EmptyArray()) {
      std::string mpath = IndexPath(path, "metrics", i++);
      VIGIL_ASSIGN_OR_RETURN(object m, f.AsObject(e, mpath));
      VIGIL_ASSIGN_OR_RETURN(auto cvss, internal::OptObject(f, m, key, mpath));
      if (!cvss) continue;
      std::string cpath = JoinPath(mpath, key);
      SeverityScore s;
      s.type = type;
      VIGIL_ASSIGN_OR_RETURN(s.vector, f.ReqString(*cvss, "vectorString", cpath));
      VIGIL_ASSIGN_OR_RETURN(s.base_score, internal::OptNumber(f, *cvss, "baseScore", cpath));
      if (s.base_score && (*s.base_score < 0 || *s.base_score > 10)) {
        return f.Fail(JoinPath(cpath, "baseScore"), "expected a number in [0, 10]");
      }
      VIGIL_ASSIGN_OR_RETURN(s.label, f.OptString(*cvss, "baseSeverity", cpath));
      out.push_back(std::move(s));
    }
  }
  return OkStatus();
}

// Who a container speaks for: "CNA openssl", "ADP CISA-ADP" (role and providerMetadata's
// shortName), what a finding quotes as its source.
Result<std::string> Provider(const JsonFields& f, object container, const std::string& path,
                             std::string role) {
  VIGIL_ASSIGN_OR_RETURN(auto meta, internal::OptObject(f, container, "providerMetadata", path));
  if (!meta) return role;
  VIGIL_ASSIGN_OR_RETURN(std::string name,
                         f.OptString(*meta, "shortName", JoinPath(path, "providerMetadata")));
  return name.empty() ? role : role + " " + name;
}

// problemTypes[].descriptions[]: the CWE of each entry with a cweId (or, in older records, a
// description starting "CWE-n"), named by the description's text after the id ("CWE-787
// Out-of-bounds Write"). Entries of other kinds (free text, CAPEC) are not weaknesses.
Status ReadProblemTypes(const JsonFields& f, object container, const std::string& path,
                        std::vector<Weakness>& out) {
  VIGIL_ASSIGN_OR_RETURN(auto types, f.OptArray(container, "problemTypes", path));
  size_t i = 0;
  for (element e : types ? *types : JsonFields::EmptyArray()) {
    std::string tpath = IndexPath(path, "problemTypes", i++);
    VIGIL_ASSIGN_OR_RETURN(object type, f.AsObject(e, tpath));
    VIGIL_ASSIGN_OR_RETURN(auto descs, f.OptArray(type, "descriptions", tpath));
    size_t j = 0;
    for (element d : descs ? *descs : JsonFields::EmptyArray()) {
      std::string dpath = IndexPath(tpath, "descriptions", j++);
      VIGIL_ASSIGN_OR_RETURN(object desc, f.AsObject(d, dpath));
      VIGIL_ASSIGN_OR_RETURN(std::string text, f.OptString(desc, "description", dpath));
      VIGIL_ASSIGN_OR_RETURN(std::string id, f.OptString(desc, "cweId", dpath));
      if (id.empty()) id = text.substr(0, text.find_first_of(" :"));
      std::string_view name = text;
      if (name.rfind(id, 0) == 0) name.remove_prefix(id.size());
      while (!name.empty() && (name.front() == ' ' || name.front() == ':')) name.remove_prefix(1);
      AddWeakness(out, id, name);
    }
  }
  return OkStatus();
}

Status ReadCna(const JsonFields& f, object containers, Advisory& adv) {
  VIGIL_ASSIGN_OR_RETURN(auto cna, internal::OptObject(f, containers, "cna", "containers"));
  // A REJECTED record's CNA container holds only the rejection reasons.
  if (!cna) {
    if (adv.rejected()) return OkStatus();
    return f.Fail("containers", "required field 'cna' is missing");
  }
  const std::string path = "containers.cna";
  VIGIL_ASSIGN_OR_RETURN(std::string who, Provider(f, *cna, path, "CNA"));
  VIGIL_ASSIGN_OR_RETURN(adv.summary, internal::EnglishDescription(f, *cna, path));
  VIGIL_RETURN_IF_ERROR(ReadProducts(f, *cna, path, who, adv.products));
  VIGIL_ASSIGN_OR_RETURN(adv.configurations,
                         internal::ReadConfigurations(f, *cna, "cpeApplicability", path));
  VIGIL_RETURN_IF_ERROR(ReadProblemTypes(f, *cna, path, adv.weaknesses));
  return ReadMetrics(f, *cna, path, adv.severities);
}

Status ReadAdps(const JsonFields& f, object containers, Advisory& adv) {
  VIGIL_ASSIGN_OR_RETURN(auto adps, f.OptArray(containers, "adp", "containers"));
  size_t i = 0;
  for (element e : adps ? *adps : JsonFields::EmptyArray()) {
    std::string path = IndexPath("containers", "adp", i++);
    VIGIL_ASSIGN_OR_RETURN(object adp, f.AsObject(e, path));
    VIGIL_ASSIGN_OR_RETURN(std::string who, Provider(f, adp, path, "ADP"));
    VIGIL_RETURN_IF_ERROR(ReadProducts(f, adp, path, who, adv.products));
    VIGIL_RETURN_IF_ERROR(ReadProblemTypes(f, adp, path, adv.weaknesses));
    VIGIL_RETURN_IF_ERROR(ReadMetrics(f, adp, path, adv.severities));
  }
  return OkStatus();
}

}  // namespace

Result<Advisory> ParseCve5Record(std::string_view json, std::string_view source) {
  JsonFields f(source);
  VIGIL_ASSIGN_OR_RETURN(object root, f.ParseRoot(internal::ThreadParser(), json));
  VIGIL_ASSIGN_OR_RETURN(std::string type, f.OptString(root, "dataType", ""));
  if (!type.empty() && type != "CVE_RECORD") {
    return f.Fail("dataType", "expected CVE_RECORD, got " + internal::Quote(type));
  }
  VIGIL_ASSIGN_OR_RETURN(auto meta, internal::OptObject(f, root, "cveMetadata", ""));
  if (!meta) return f.Fail("$", "required field 'cveMetadata' is missing");
  Advisory adv;
  adv.source = AdvisorySource::kCve5;
  VIGIL_ASSIGN_OR_RETURN(adv.id, f.ReqString(*meta, "cveId", "cveMetadata"));
  if (adv.id.rfind("CVE-", 0) != 0) {
    return f.Fail("cveMetadata.cveId", "expected a CVE id, got " + internal::Quote(adv.id));
  }
  VIGIL_ASSIGN_OR_RETURN(adv.status, f.ReqString(*meta, "state", "cveMetadata"));
  if (adv.status != "PUBLISHED" && adv.status != "REJECTED") {
    return f.Fail("cveMetadata.state",
                  "expected PUBLISHED or REJECTED, got " + internal::Quote(adv.status));
  }
  VIGIL_ASSIGN_OR_RETURN(adv.modified, f.OptString(*meta, "dateUpdated", "cveMetadata"));
  VIGIL_ASSIGN_OR_RETURN(adv.published, f.OptString(*meta, "datePublished", "cveMetadata"));
  VIGIL_ASSIGN_OR_RETURN(auto containers, internal::OptObject(f, root, "containers", ""));
  if (!containers) return f.Fail("$", "required field 'containers' is missing");
  VIGIL_RETURN_IF_ERROR(ReadCna(f, *containers, adv));
  VIGIL_RETURN_IF_ERROR(ReadAdps(f, *containers, adv));
  return adv;
}

}  // namespace vigil::vuln
