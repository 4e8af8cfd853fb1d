// Imports advisory feeds from files, directory trees and .zip archives into an AdvisoryDb.
//
// Formats are recognised from the content unless forced: a .yaml/.yml file is an OSV advisory,
// a CSV starting with "#model_version" or "cve,epss" is EPSS, JSON with "catalogVersion" is
// KEV, JSON with "cveMetadata" or "containers" in its first 4 KiB is a CVE JSON 5 record,
// JSON with "vulnerabilities"[].cve (or "format": "NVD_CVE") or a single NVD record (with
// "sourceIdentifier" and "vulnStatus") is NVD, JSON with "id" and
// "affected"/"modified" is OSV. Directories are walked recursively (files in sorted order,
// hidden entries skipped; symbolic links followed, to 32 levels); a .zip holds OSV advisories
// (as osv.dev's per-ecosystem all.zip). A document may be gzip-compressed (NVD's
// nvdcve-2.0-2024.json.gz, FIRST's epss_scores-2025-08-25.csv.gz): "name.ext.gz" is read as
// "name.ext".
//
// Each call runs in one transaction: either every document of every source is imported, or
// none is and the error names the file (and the zip member) that failed.
//
// Reading and parsing run on a helper thread, ahead of the calling thread's database writes
// (bounded to 256 documents / 64 MiB of text in flight); errors are still reported for the
// first failing document in order.
//
// Thread-safety: free function; the database must not be used concurrently.
#ifndef VIGIL_VULN_FEED_IMPORT_H_
#define VIGIL_VULN_FEED_IMPORT_H_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/env.h"
#include "vigil/core/result.h"
#include "vigil/vuln/advisory_db.h"

namespace vigil::vuln {

enum class FeedFormat { kAuto, kOsv, kNvd, kCve5, kKev, kEpss };

// "auto", "osv", "nvd", "cve5", "kev", "epss"; InvalidArgument naming the accepted values
// otherwise.
Result<FeedFormat> ParseFeedFormat(std::string_view name);
std::string_view FeedFormatName(FeedFormat format);

struct ImportOptions {
  FeedFormat format = FeedFormat::kAuto;
  // Called after each document with (documents done, documents known so far); the CLI draws a
  // progress bar from it. May be empty.
  std::function<void(size_t done, size_t total)> progress;
  // All or nothing (false, the default): the first document that cannot be read or parsed
  // fails the whole import and nothing is written. With keep_going, such a document is
  // refused alone (its writes undone) and listed in ImportReport::refused, and the rest is
  // imported; a database error still stops everything.
  bool keep_going = false;
};

struct ImportReport {
  ImportCounts osv, nvd, cve5, kev, epss;
  size_t files = 0;                  // documents imported (zip members count one each)
  std::vector<std::string> refused;  // keep_going: one line per refused document, why
  // The stored ids (StoredId, for AdvisoryDb::Load) of the OSV, NVD and CVE 5 advisories this
  // import added or changed, in import order: what a fleet re-evaluates (fleet/reevaluate.h).
  // KEV and EPSS entries change no advisory's packages and are not listed.
  std::vector<std::string> changed;
};

// Every file, directory and archive is read through `env` (the database is not: it is the
// AdvisoryDb's own file).
Result<ImportReport> ImportFeeds(Env& env, AdvisoryDb& db, const std::vector<std::string>& sources,
                                 const ImportOptions& options = {});

}  // namespace vigil::vuln

#endif  // VIGIL_VULN_FEED_IMPORT_H_
