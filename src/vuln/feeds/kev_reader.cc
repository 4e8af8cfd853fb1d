// CISA Known Exploited Vulnerabilities catalogue reader (known_exploited_vulnerabilities.json,
// schema in the same folder of the shared data).
#include <string>

#include "vigil/vuln/feeds.h"
#include "internal/json_access.h"

namespace vigil::vuln {
namespace {

using internal::IndexPath;
using internal::JsonFields;
using simdjson::dom::element;
using simdjson::dom::object;

// YYYY-MM-DD (the schema's "date" format); anything else would sort and display wrongly.
bool IsIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

Result<KevEntry> ReadEntry(const JsonFields& f, element e, const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(object obj, f.AsObject(e, path));
  KevEntry k;
  VIGIL_ASSIGN_OR_RETURN(k.cve, f.ReqString(obj, "cveID", path));
  if (k.cve.rfind("CVE-", 0) != 0) {
    return f.Fail(internal::JoinPath(path, "cveID"),
                  "expected a CVE id, got " + internal::Quote(k.cve));
  }
  VIGIL_ASSIGN_OR_RETURN(k.vendor, f.OptString(obj, "vendorProject", path));
  VIGIL_ASSIGN_OR_RETURN(k.product, f.OptString(obj, "product", path));
  VIGIL_ASSIGN_OR_RETURN(k.name, f.OptString(obj, "vulnerabilityName", path));
  VIGIL_ASSIGN_OR_RETURN(k.date_added, f.ReqString(obj, "dateAdded", path));
  VIGIL_ASSIGN_OR_RETURN(k.due_date, f.ReqString(obj, "dueDate", path));
  for (const auto& [key, value] :
       {std::pair{"dateAdded", &k.date_added}, {"dueDate", &k.due_date}}) {
    if (!IsIsoDate(*value)) {
      return f.Fail(internal::JoinPath(path, key),
                    "expected a date YYYY-MM-DD, got " + internal::Quote(*value));
    }
  }
  VIGIL_ASSIGN_OR_RETURN(std::string ransomware,
                         f.OptString(obj, "knownRansomwareCampaignUse", path));
  k.ransomware = ransomware == "Known";
  return k;
}

}  // namespace

Result<KevCatalog> ParseKev(std::string_view json, std::string_view source) {
  JsonFields f(source);
  VIGIL_ASSIGN_OR_RETURN(object root, f.ParseRoot(internal::ThreadParser(), json));
  KevCatalog catalog;
  VIGIL_ASSIGN_OR_RETURN(catalog.catalog_version, f.ReqString(root, "catalogVersion", ""));
  VIGIL_ASSIGN_OR_RETURN(auto vulns, f.OptArray(root, "vulnerabilities", ""));
  if (!vulns) return f.Fail("$", "required field 'vulnerabilities' is missing");
  size_t i = 0;
  for (element e : *vulns) {
    VIGIL_ASSIGN_OR_RETURN(KevEntry k, ReadEntry(f, e, IndexPath("", "vulnerabilities", i++)));
    catalog.entries.push_back(std::move(k));
  }
  return catalog;
}

}  // namespace vigil::vuln
