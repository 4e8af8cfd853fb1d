// Readers for the advisory feeds the database is built from:
//
//   OSV        one advisory per document, JSON or YAML (OSV schema 1.x; osv-schema.md)
//   NVD        a CVE API 2.0 response: {"format": "NVD_CVE", "vulnerabilities": [{"cve": …}]},
//              or one record alone (a bare "cve" object, as per-CVE feed mirrors hold)
//   CVE 5      one CVE List record per document (CVE JSON 5.x, cvelistV5)
//   CISA KEV   known_exploited_vulnerabilities.json
//   FIRST EPSS the daily CSV: "#model_version:…,score_date:…", then "cve,epss,percentile" rows
//
// Every failure is InvalidArgument with one line naming the source, the place and the problem:
//   "GO-2020-0001.json: affected[0].ranges[0].events[1]: expected exactly one of introduced,
//    fixed, last_affected, limit, got 2"
//   "epss.csv: line 7: column epss: expected a number in [0, 1], got 'x'"
// The readers check the structure they rely on and ignore members they do not use.
//
// Thread-safety: free functions without shared state.
#ifndef VIGIL_VULN_FEEDS_H_
#define VIGIL_VULN_FEEDS_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/result.h"
#include "vigil/vuln/advisory.h"

namespace vigil::vuln {

// Reads one OSV advisory from JSON text. `source` names the file in error messages.
Result<Advisory> ParseOsvJson(std::string_view json, std::string_view source);

// Converts one OSV advisory written in YAML to compact JSON (scalars become strings, except
// plain true/false/null), so that the JSON reader is the only OSV reader. Read through
// vigil/core/yaml_to_json.h: fails with "SOURCE:LINE:COLUMN: ..." on YAML syntax errors and on
// what OSV does not use (anchors and aliases, merge keys, several documents, nesting deeper
// than 64, duplicate keys; tags are ignored), and with ResourceExhausted on text over 8 MiB.
Result<std::string> OsvYamlToJson(std::string_view yaml, std::string_view source);

// One CVE of an NVD response: the parsed advisory and the compact JSON of its "cve" object
// (what the database stores and the matcher re-reads with ParseNvdCve).
struct NvdRecord {
  Advisory advisory;
  std::string cve_json;
};

// Reads an NVD CVE API 2.0 response and calls `sink` for each vulnerabilities[].cve in order;
// stops at the first malformed record or the first error `sink` returns. One record alone is
// read too: a vulnerabilities[] item ({"cve": {…}}) or a bare "cve" object ({"id": "CVE-…",
// …}, as per-CVE mirrors of the feed store each record).
Status ParseNvdFeed(std::string_view json, std::string_view source,
                    const std::function<Status(NvdRecord)>& sink);

// Reads one NVD "cve" object (as stored by the database).
Result<Advisory> ParseNvdCve(std::string_view cve_json, std::string_view source);

// Reads one CVE JSON 5 record (the CVE List's format, dataType CVE_RECORD, dataVersion 5.x):
// cveMetadata (cveId, state PUBLISHED or REJECTED, dates), the CNA container's English
// description, affected products (vendor, product, defaultStatus, cpes, versions with
// lessThan / lessThanOrEqual, versionType, status and changes), cpeApplicability (into
// Advisory::configurations) and CVSS metrics, and each ADP container's affected products and
// metrics. A REJECTED record may lack the CNA's affected products.
Result<Advisory> ParseCve5Record(std::string_view json, std::string_view source);

// Reads the CISA KEV catalogue.
Result<KevCatalog> ParseKev(std::string_view json, std::string_view source);

// Reads a FIRST EPSS CSV (the leading comment line is optional; the header row is required).
Result<EpssFeed> ParseEpssCsv(std::string_view csv, std::string_view source);

}  // namespace vigil::vuln

#endif  // VIGIL_VULN_FEEDS_H_
