// The local advisory database: OSV advisories, NVD records and CVE JSON 5 records, the CISA KEV
// catalogue and FIRST EPSS scores in one SQLite file, indexed for matching by (OSV ecosystem,
// package name), by (CPE vendor, product) and by normalized product name (the names CVE 5
// records give, and the description words of records no source gives versions for).
//
// Each advisory is stored as the compact JSON of its source document (an OSV advisory, an NVD
// "cve" object) with a SHA-256 content hash, so a re-import touches only advisories whose
// content changed (the Go feed writes "modified": "0001-01-01T00:00:00Z" everywhere, so the
// hash, not `modified`, decides). Beside each document the database keeps the advisory as its
// reader understood it, compiled to a compact binary form: Load() decodes that instead of
// re-parsing the document (a scan loads tens of thousands of advisories). A database written by
// an older Vigil (schema 1 or 2) is upgraded in place the first time it is opened.
//
// Default location: $XDG_DATA_HOME/vigil/vulndb.sqlite, or ~/.local/share/vigil/vulndb.sqlite.
//
// Errors: Unavailable when SQLite cannot open or write the file, DataLoss when it is corrupt or
// a stored document no longer parses, FailedPrecondition for a file that is not a Vigil advisory
// database (or one written by a newer schema).
//
// Thread-safety: an AdvisoryDb is used by one thread at a time (it holds one SQLite connection
// and cached statements); open one per thread to read in parallel.
#ifndef VIGIL_VULN_ADVISORY_DB_H_
#define VIGIL_VULN_ADVISORY_DB_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vigil/core/env.h"
#include "vigil/core/result.h"
#include "vigil/vuln/advisory.h"
#include "vigil/vuln/feeds.h"

namespace vigil::vuln {

// What storing one record did.
enum class PutOutcome { kAdded, kChanged, kUnchanged };

// An advisory in the forms the database stores (its document's SHA-256, which decides whether a
// re-import changed it, and its compiled form), computed by PrepareAdvisory on any thread: an
// import prepares on a second thread while the database is written on the first.
struct PreparedAdvisory {
  Advisory advisory;
  std::string document;  // compact JSON (an OSV advisory, an NVD "cve" object, a CVE 5 record)
  std::array<uint8_t, 32> document_hash{};
  std::string compiled;
};
PreparedAdvisory PrepareAdvisory(Advisory advisory, std::string document);

// Counts of one import, per outcome.
struct ImportCounts {
  size_t added = 0, changed = 0, unchanged = 0;
  void Count(PutOutcome o);
  size_t total() const { return added + changed + unchanged; }
};

// What a database can be matched against, read with a few index seeks (no table scans), so a scan
// can say which components nothing in the database covers.
struct DbContents {
  bool has_advisories = false;  // any OSV or NVD advisory
  std::vector<std::string>
      ecosystems;                 // OSV base ecosystems with advisories ("Go", "PyPI"), sorted
  bool has_cpe_products = false;  // NVD records that name a concrete CPE vendor:product
};

// How Open treats the file. Only kCreate creates anything; kReadOnly never changes the file (no
// schema written into an empty file, no upgrade, no journal mode switched), which is what
// commands that only read (`vulndb stats`, `scan`) use.
enum class OpenMode { kReadOnly, kReadWrite, kCreate };

struct DbStats {
  size_t osv_advisories = 0, nvd_advisories = 0, kev_entries = 0, epss_scores = 0;
  size_t cve5_records = 0;
  // CVEs (by id) whose NVD and CVE 5 records, whichever are stored, give no versions and are
  // not rejected: a scan lists them as unassessed against the components they name.
  size_t unassessed_cves = 0;
  size_t affected_packages = 0, cpe_products = 0, aliases = 0;
  std::map<std::string, size_t> advisories_by_ecosystem;  // OSV ecosystem (base name) → count
  std::string kev_catalog_version, epss_model_version, epss_score_date;
};

// What a scan keeps for the next scan of the same database (the matcher's, matcher.cc).
struct ScanCache;

class AdvisoryDb {
 public:
  // $XDG_DATA_HOME/vigil/vulndb.sqlite, else $HOME/.local/share/vigil/vulndb.sqlite. Fails
  // (FailedPrecondition) when neither variable is set.
  static Result<std::string> DefaultPath();

  // Opens the database at `path`. kCreate creates the file (and its parent directory, mode 0700)
  // and the schema when absent, and upgrades a schema-1 file in place; kReadWrite does the same
  // to an existing file. Otherwise: NotFound, saying how to make one, when the file does not
  // exist; FailedPrecondition for an empty file, a file that is not a Vigil advisory database,
  // and (kReadOnly) a schema-1 file, which needs a writer to upgrade it.
  // The file's checks, its parent directory and Destroy go through `env`, which must outlive
  // the database (SQLite reads and writes the file itself).
  static Result<AdvisoryDb> Open(Env& env, const std::string& path,
                                 OpenMode mode = OpenMode::kCreate);
  // Removes the database file and SQLite's companions (-wal, -shm, -journal); OK when absent.
  // For a database an import just created and then failed to fill: no AdvisoryDb may be open on
  // it.
  static Status Destroy(Env& env, const std::string& path);

  AdvisoryDb(AdvisoryDb&&) noexcept;
  AdvisoryDb& operator=(AdvisoryDb&&) noexcept;
  ~AdvisoryDb();

  const std::string& path() const { return path_; }
  // The Env it was opened with (a second connection to the same file opens through it).
  Env& env() const { return *env_; }
  // True when this Open created the file (kCreate on a path where no file was).
  bool created() const { return created_; }

  // Groups writes in one transaction (imports run thousands of Puts inside one). Commit makes
  // them durable, Rollback discards them; an AdvisoryDb destroyed inside a transaction rolls it
  // back.
  Status Begin();
  Status Commit();
  Status Rollback();
  // One document's writes inside the open write transaction (an SQL SAVEPOINT), so an import
  // that keeps going past a bad document undoes that document alone: UndoDocument discards
  // what was written since BeginDocument, KeepDocument keeps it. FailedPrecondition outside a
  // write transaction.
  Status BeginDocument();
  Status KeepDocument();
  Status UndoDocument();
  // A read transaction: the queries until EndRead() see one snapshot of the database, and
  // SQLite takes its file locks once instead of once per query (a scan runs hundreds of
  // thousands of lookups). Fails (FailedPrecondition) inside another transaction.
  Status BeginRead() const;
  Status EndRead() const;
  // A number every committed write transaction increases: two connections that read the same
  // generation inside their read transactions see the same snapshot.
  Result<int64_t> Generation() const;
  // Changes whenever another connection commits a change to the file (SQLite's data_version)
  // or this object writes, commits or undoes anything: equal stamps, equal contents. What a
  // scan keeps for the next one is valid for one stamp.
  Result<std::pair<int64_t, uint64_t>> ChangeStamp() const;
  // The matcher's cache on this object (null until a first scan makes one, which the next scans
  // fill and read); the connections a scan opens beside this one share it.
  std::shared_ptr<ScanCache>& scan_cache() const;

  // Stores an OSV advisory (`json` is its document as compact JSON) / an NVD record / a KEV
  // entry / an EPSS score, replacing a previous version with the same id when its content
  // differs. Index rows (packages, CPE products, aliases) are rewritten with it.
  Result<PutOutcome> PutOsv(const Advisory& advisory, std::string_view json);
  // Stores a prepared advisory of any source (an OSV advisory, an NVD record, a CVE 5 record).
  Result<PutOutcome> Put(const PreparedAdvisory& prepared);
  Result<PutOutcome> PutNvd(const NvdRecord& record);
  Result<PutOutcome> PutKev(const KevEntry& entry);
  Result<PutOutcome> PutEpss(const EpssScore& score);
  // Free-form metadata ("kev.catalog_version", "epss.model_version", "epss.score_date").
  Status SetMeta(std::string_view key, std::string_view value);

  // The OSV advisories with an affected[] entry for this package, loaded, ordered by id, read in
  // one index range (what a scan uses). `ecosystem` is the base name ("Debian" for
  // "Debian:12"); `name` as OSV writes it (PyPI names are compared normalised per PEP 503).
  Result<std::vector<Advisory>> PackageAdvisories(std::string_view ecosystem,
                                                  std::string_view name) const;
  // The same into `out` (replacing what it held; on failure, what it holds is unspecified),
  // decoded into the advisories it holds already so that their storage is reused: a scan keeps
  // one vector for all its components.
  Status PackageAdvisories(std::string_view ecosystem, std::string_view name,
                           std::vector<Advisory>& out) const;
  // The same rows undecoded, for the matcher: `each` gets every advisory's stored id and its
  // compiled form (the module's internal advisory_codec.h decodes it), in id order, the bytes
  // valid only during the call; the first error it returns stops the visit and is returned.
  // `each` may run other queries on this database.
  using CompiledVisitor = std::function<Status(std::string_view id, std::string_view compiled)>;
  Status VisitPackageAdvisories(std::string_view ecosystem, std::string_view name,
                                const CompiledVisitor& each) const;
  // Ids of NVD advisories with a vulnerable:true cpeMatch for exactly this vendor and product
  // (lower case, as CPE 2.3 folds them). A cpeMatch whose vendor or product is a wildcard is
  // never indexed: it cannot identify a product (grype#580).
  Result<std::vector<std::string>> AdvisoriesForCpeProduct(std::string_view vendor,
                                                           std::string_view product) const;
  // Stored ids (StoredId) of NVD and CVE 5 records indexed under this normalized product name
  // (internal::NormalizeName form, e.g. "mbed tls"), ordered.
  Result<std::vector<std::string>> AdvisoriesForProductName(std::string_view name) const;
  // Whether any CVE JSON 5 record is stored (one index probe).
  Result<bool> HasCve5Records() const;
  // Whether any stored id begins with `prefix` (one index probe), e.g. "CVE-": a scan asks once
  // per kind of id before looking the aliases of that kind up one by one (an OSV-only database
  // holds none of the CVE and GHSA ids its advisories alias).
  Result<bool> HasIdPrefix(std::string_view prefix) const;
  // Whether any NVD or CVE 5 record is indexed by CPE product or product name (one probe): a
  // scan of a database without looks no component up by them.
  Result<bool> HasCveIndexes() const;
  // Whether any KEV entry / EPSS score is stored (one probe each): a scan of a database without
  // them looks none up.
  Result<bool> HasKevEntries() const;
  Result<bool> HasEpssScores() const;
  // The stored advisory (its compiled form) by its stored id; nullopt when the id is unknown.
  Result<std::optional<Advisory>> Load(std::string_view id) const;
  Result<std::optional<KevEntry>> Kev(std::string_view cve) const;
  Result<std::optional<EpssScore>> Epss(std::string_view cve) const;

  Result<DbStats> Stats() const;
  Result<DbContents> Contents() const;

 private:
  struct Impl;
  AdvisoryDb(Env& env, std::string path, std::unique_ptr<Impl> impl);
  Env* env_;
  std::string path_;
  bool created_ = false;
  std::unique_ptr<Impl> impl_;
};

// The id an advisory is stored (and loaded) under: its own id, except that a CVE JSON 5 record
// is "cve5:CVE-…", so that it sits beside the NVD record of the same CVE.
std::string StoredId(const Advisory& advisory);

// PEP 503 normalisation of a PyPI project name ("Foo_Bar.baz" → "foo-bar-baz").
std::string NormalisePypiName(std::string_view name);

}  // namespace vigil::vuln

#endif  // VIGIL_VULN_ADVISORY_DB_H_
