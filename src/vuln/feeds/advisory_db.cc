// SQLite storage of the advisory database (see advisory_db.h). The connection layer is the
// the storage layer (vigil/storage/database.h).
#include "vigil/vuln/advisory_db.h"

#include <charconv>
#include <cstdlib>
#include <set>
#include <unordered_map>

#include "vigil/core/env.h"
#include "vigil/crypto/hash.h"
#include "vigil/sbom/cpe.h"
#include "vigil/storage/database.h"
#include "internal/advisory_codec.h"
#include "internal/match_rules.h"

namespace vigil::vuln {

using storage::Database;
using storage::Statement;

namespace {

// 2: each advisory row holds the model compiled (advisory_codec.h), its source document sits
// apart in `documents` (same row key; read only to recompile, so scans never page through it),
// and each `packages` row holds the advisory's integer row key, so a scan reads a package's
// advisories with one index range and one rowid lookup each, and parses no JSON. The index rows
// stay small (a WITHOUT ROWID table keeps whole rows in its interior pages: blobs there made every
// seek walk a deep, narrow tree), and there are no indexes by advisory id: a changed
// advisory's index rows are found from its old compiled form and deleted by their keys, which
// saves an import three index insertions per row. A version-1 file is upgraded in place on
// open.
//
// 3: CVE JSON 5 records beside NVD's (stored under "cve5:" + the CVE id, see StoredId), the
// compiled form carries NVD's vulnStatus and the CVE 5 products (codec version 2), and two
// tables serve the CVEs no source gives versions for: `product_names` (normalized product
// names a CVE 5 record's affected blocks give, or the words of the description of a record
// without version data) finds the records naming a component, and `cve_records` says per
// NVD / CVE 5 row whether it gives versions or is rejected, so `vulndb stats` counts the
// unassessed CVEs without decoding a record. A version-2 file is recompiled in place on open.
constexpr std::string_view kSchemaVersion = "3";

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS advisories(rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL, modified TEXT NOT NULL, hash BLOB NOT NULL, compiled BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS documents(rid INTEGER PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS packages(ecosystem TEXT NOT NULL, name TEXT NOT NULL,
  advisory_id TEXT NOT NULL, advisory_rid INTEGER NOT NULL,
  PRIMARY KEY(ecosystem, name, advisory_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cpe_products(vendor TEXT NOT NULL, product TEXT NOT NULL,
  advisory_id TEXT NOT NULL, PRIMARY KEY(vendor, product, advisory_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS aliases(alias TEXT NOT NULL, advisory_id TEXT NOT NULL,
  PRIMARY KEY(alias, advisory_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS product_names(name TEXT NOT NULL, advisory_id TEXT NOT NULL,
  PRIMARY KEY(name, advisory_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cve_records(cve TEXT NOT NULL, advisory_id TEXT NOT NULL,
  versions INTEGER NOT NULL, rejected INTEGER NOT NULL, PRIMARY KEY(cve, advisory_id))
  WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS kev(cve TEXT PRIMARY KEY, vendor TEXT, product TEXT, name TEXT,
  date_added TEXT, due_date TEXT, ransomware INTEGER) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS epss(cve TEXT PRIMARY KEY, score TEXT, percentile TEXT) WITHOUT ROWID;
)sql";

// What schema 1 had that schema 3 replaces; the upgrade drops it after copying the documents.
constexpr std::string_view kDropSchemaOne = R"sql(
ALTER TABLE advisories RENAME TO advisories_old;
DROP TABLE packages;
DROP TABLE cpe_products;
DROP TABLE aliases;
)sql";
constexpr std::string_view kSelectSchemaOne = "SELECT id, source, hash, doc FROM advisories_old";

// What schema 2 had that schema 3 replaces: the compiled forms lack the fields codec version 2
// added, so every document is compiled again.
constexpr std::string_view kDropSchemaTwo = R"sql(
ALTER TABLE advisories RENAME TO advisories_old;
ALTER TABLE documents RENAME TO documents_old;
DROP TABLE packages;
DROP TABLE cpe_products;
DROP TABLE aliases;
)sql";
constexpr std::string_view kSelectSchemaTwo =
    "SELECT a.id, a.source, a.hash, d.doc FROM advisories_old a JOIN documents_old d ON d.rid = "
    "a.rid";

std::string_view SourceName(AdvisorySource s) {
  switch (s) {
    case AdvisorySource::kNvd:
      return "nvd";
    case AdvisorySource::kCve5:
      return "cve5";
    case AdvisorySource::kOsv:
      break;
  }
  return "osv";
}

// A stored document read again by its source's reader.
Result<Advisory> ParseStored(std::string_view source, std::string_view doc,
                             std::string_view where) {
  if (source == "nvd") return ParseNvdCve(doc, where);
  if (source == "cve5") return ParseCve5Record(doc, where);
  return ParseOsvJson(doc, where);
}

// Words of a description that could be (part of) a product name: not numbers, not the commonest
// English words of vulnerability descriptions (they would only make the index larger).
std::vector<std::string> DescriptionWords(std::string_view description) {
  static const std::set<std::string, std::less<>> kCommon = {
      "a",        "an",     "and",           "are",   "as",   "attacker", "attackers", "be",
      "before",   "by",     "can",           "could", "for",  "from",     "has",       "have",
      "in",       "is",     "issue",         "it",    "may",  "of",       "on",        "or",
      "prior",    "remote", "that",          "the",   "this", "through",  "to",        "version",
      "versions", "via",    "vulnerability", "was",   "when", "which",    "with",      "allows"};
  std::set<std::string, std::less<>> words;
  std::string text = internal::NormalizeName(description);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    std::string_view w(text.data() + start, end - start);
    const bool number =
        std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (w.size() >= 2 && !number && !kCommon.contains(w)) words.emplace(w);
    start = end + 1;
  }
  return {words.begin(), words.end()};
}

// The product_names rows of an NVD or CVE 5 record: the names its CVE 5 products go by, or, when
// no source of it gives versions and its CNA block names no product ("n/a"), the words of its
// description. An NVD record with configurations is found by its CPEs instead.
std::vector<std::string> ProductNameRows(const Advisory& adv) {
  std::set<std::string> names;
  if (adv.source == AdvisorySource::kOsv) return {};
  for (const Cve5Product& p : adv.products) {
    for (std::string& k : internal::ProductKeys(p.product, p.vendor)) {
      if (k != "n a") names.insert(std::move(k));
    }
  }
  if (names.empty() && !internal::GivesVersions(adv)) {
    for (std::string& w : DescriptionWords(adv.summary)) names.insert(std::move(w));
  }
  return {names.begin(), names.end()};
}

// The CPEs a record names a vulnerable product by: its configurations' vulnerable entries and
// its CVE 5 products' cpes.
std::vector<sbom::Cpe> ProductCpes(const Advisory& adv) {
  std::vector<sbom::Cpe> out;
  auto add = [&](std::string_view text) {
    auto cpe = sbom::Cpe::Parse(text);
    // Only a concrete vendor and product identify a product.
    if (!cpe || cpe->vendor().kind() != sbom::CpeValue::Kind::kValue ||
        cpe->product().kind() != sbom::CpeValue::Kind::kValue || cpe->vendor().has_wildcard() ||
        cpe->product().has_wildcard()) {
      return;
    }
    out.push_back(std::move(*cpe));
  };
  for (const CpeConfiguration& c : adv.configurations) {
    for (const CpeNode& n : c.nodes) {
      for (const CpeMatch& m : n.matches) {
        if (m.vulnerable) add(m.criteria);
      }
    }
  }
  for (const Cve5Product& p : adv.products) {
    for (const std::string& c : p.cpes) add(c);
  }
  return out;
}

std::string BaseEcosystem(std::string_view ecosystem) {
  return std::string(ecosystem.substr(0, ecosystem.find(':')));
}

// The name as the package index keys it: PyPI names compare per PEP 503, others exactly.
std::string IndexName(std::string_view base_ecosystem, std::string_view name) {
  return base_ecosystem == "PyPI" ? NormalisePypiName(name) : std::string(name);
}

std::string FormatDouble(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  return ec == std::errc() ? std::string(buf, end) : "0";
}

double ParseDouble(std::string_view s) {
  double v = 0;
  (void)std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

std::string StoredId(const Advisory& advisory) {
  return advisory.source == AdvisorySource::kCve5 ? "cve5:" + advisory.id : advisory.id;
}

std::string NormalisePypiName(std::string_view name) {
  std::string out;
  bool sep = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      sep = true;
      continue;
    }
    if (sep && !out.empty()) out.push_back('-');
    sep = false;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

void ImportCounts::Count(PutOutcome o) {
  (o == PutOutcome::kAdded ? added : o == PutOutcome::kChanged ? changed : unchanged)++;
}

struct AdvisoryDb::Impl {
  Database db;
  // The write or read transaction Begin/BeginRead opened, and the open document's savepoint.
  std::optional<storage::Transaction> txn;
  std::optional<storage::Savepoint> document;
  // Counts what this object wrote, committed or undid (ChangeStamp).
  uint64_t writes = 0;
  std::shared_ptr<ScanCache> scan_cache;

  // The cached prepared statement for `sql`, reset and ready to bind.
  Result<Statement*> Stmt(std::string_view sql) { return db.Cached(sql); }

  // Runs `sql` with text parameters, expecting no rows.
  Status Run(std::string_view sql, std::initializer_list<std::string_view> params) {
    ++writes;
    VIGIL_ASSIGN_OR_RETURN(Statement * s, Stmt(sql));
    int i = 1;
    for (std::string_view p : params) VIGIL_RETURN_IF_ERROR(s->BindText(i++, p));
    return s->Run();
  }

  // The first text column of every row of `sql` with one text parameter.
  Result<std::vector<std::string>> Column(std::string_view sql,
                                          std::initializer_list<std::string_view> params) {
    VIGIL_ASSIGN_OR_RETURN(Statement * s, Stmt(sql));
    int i = 1;
    for (std::string_view p : params) VIGIL_RETURN_IF_ERROR(s->BindText(i++, p));
    std::vector<std::string> out;
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      out.emplace_back(s->ColumnText(0));
    }
    s->Reset();
    return out;
  }

  Result<size_t> Count(std::string_view sql) {
    VIGIL_ASSIGN_OR_RETURN(Statement * s, Stmt(sql));
    VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
    size_t n = row ? static_cast<size_t>(s->ColumnInt(0)) : 0;
    s->Reset();
    return n;
  }

  Result<PutOutcome> PutDocument(const PreparedAdvisory& p);
  // Stores the advisory row (replacing the id's previous one); returns its row key.
  Result<int64_t> PutRow(const Advisory& adv, ByteView hash, std::string_view compiled,
                         std::string_view doc);
  // Inserts (insert) or deletes the package, CPE product and alias rows that name `adv`.
  Status IndexRows(const Advisory& adv, bool insert, int64_t rid);
  // Compiles every stored document again into the current schema, in one transaction: `drop`
  // renames the old advisories table to advisories_old (and documents to documents_old) and
  // drops the old index tables, `select` reads (id, source, hash, doc) from them.
  Status Recompile(const std::string& path, std::string_view drop, std::string_view select);
};

Result<int64_t> AdvisoryDb::Impl::PutRow(const Advisory& adv, ByteView hash,
                                         std::string_view compiled, std::string_view doc) {
  VIGIL_ASSIGN_OR_RETURN(Statement * put,
                         Stmt("INSERT OR REPLACE INTO advisories(id, source, modified, hash, "
                              "compiled) VALUES (?, ?, ?, ?, ?) RETURNING rid"));
  VIGIL_RETURN_IF_ERROR(put->BindText(1, StoredId(adv)));
  VIGIL_RETURN_IF_ERROR(put->BindText(2, SourceName(adv.source)));
  VIGIL_RETURN_IF_ERROR(put->BindText(3, adv.modified));
  VIGIL_RETURN_IF_ERROR(put->BindBlob(4, hash));
  VIGIL_RETURN_IF_ERROR(put->BindBlob(5, AsBytes(compiled)));
  VIGIL_ASSIGN_OR_RETURN(bool row, put->Step());
  if (!row) return InternalError("advisory database: INSERT ... RETURNING gave no row");
  const int64_t rid = put->ColumnInt(0);
  VIGIL_ASSIGN_OR_RETURN(bool more, put->Step());
  (void)more;
  put->Reset();
  VIGIL_ASSIGN_OR_RETURN(Statement * put_doc,
                         Stmt("INSERT OR REPLACE INTO documents(rid, doc) VALUES (?, ?)"));
  VIGIL_RETURN_IF_ERROR(put_doc->BindInt(1, rid));
  VIGIL_RETURN_IF_ERROR(put_doc->BindText(2, doc));
  VIGIL_RETURN_IF_ERROR(put_doc->Run());
  return rid;
}

// Schema 1 had no compiled forms and indexed by advisory id, schema 2's compiled forms lack
// fields: compile every stored document once into the new tables, in one transaction.
Status AdvisoryDb::Impl::Recompile(const std::string& path, std::string_view drop,
                                   std::string_view select) {
  VIGIL_ASSIGN_OR_RETURN(storage::Transaction upgrade, storage::Transaction::Begin(db));
  Status s = [&]() -> Status {
    VIGIL_RETURN_IF_ERROR(db.Exec(drop));
    VIGIL_RETURN_IF_ERROR(db.Exec(kSchema));
    {
      VIGIL_ASSIGN_OR_RETURN(Statement all, db.Prepare(select));
      while (true) {
        VIGIL_ASSIGN_OR_RETURN(bool row, all.Step());
        if (!row) break;
        std::string where = path + ": advisory " + std::string(all.ColumnText(0));
        std::string_view doc = all.ColumnText(3);
        auto adv = ParseStored(all.ColumnText(1), doc, where);
        if (!adv) {
          return DataLossError("stored document no longer reads: " + adv.error().message());
        }
        VIGIL_ASSIGN_OR_RETURN(
            int64_t rid, PutRow(*adv, all.ColumnBlob(2), internal::EncodeAdvisory(*adv), doc));
        VIGIL_RETURN_IF_ERROR(IndexRows(*adv, true, rid));
      }
    }
    VIGIL_RETURN_IF_ERROR(db.Exec("DROP TABLE advisories_old; DROP TABLE IF EXISTS documents_old"));
    return Run("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
               {kSchemaVersion});
  }();
  if (!s) return s;  // `upgrade` rolls back
  return upgrade.Commit();
}

Result<PutOutcome> AdvisoryDb::Impl::PutDocument(const PreparedAdvisory& p) {
  ++writes;
  const Advisory& adv = p.advisory;
  ByteView hash(p.document_hash.data(), p.document_hash.size());
  VIGIL_ASSIGN_OR_RETURN(Statement * get,
                         Stmt("SELECT hash, compiled, rid FROM advisories WHERE id = ?"));
  VIGIL_RETURN_IF_ERROR(get->BindText(1, StoredId(adv)));
  VIGIL_ASSIGN_OR_RETURN(bool exists, get->Step());
  if (exists) {
    ByteView old_hash = get->ColumnBlob(0);
    ByteView old_compiled = get->ColumnBlob(1);
    // Same document, compiled by this Vigil's codec: nothing to do. An older codec's form is
    // recompiled, so a re-import brings what the reader now keeps.
    const bool current =
        !old_compiled.empty() && old_compiled[0] == internal::kAdvisoryCodecVersion;
    if (current && old_hash.size() == hash.size() &&
        std::equal(hash.begin(), hash.end(), old_hash.begin())) {
      get->Reset();
      return PutOutcome::kUnchanged;
    }
    // The previous version's index rows, found from its compiled form.
    ByteView data = get->ColumnBlob(1);
    auto old = internal::DecodeAdvisory(
        std::string_view(reinterpret_cast<const char*>(data.data()), data.size()),
        "advisory " + adv.id);
    const int64_t old_rid = get->ColumnInt(2);
    get->Reset();
    if (!old) return DataLossError(old.error().message());
    VIGIL_RETURN_IF_ERROR(IndexRows(*old, false, 0));
    VIGIL_ASSIGN_OR_RETURN(Statement * drop, Stmt("DELETE FROM documents WHERE rid = ?"));
    VIGIL_RETURN_IF_ERROR(drop->BindInt(1, old_rid));
    VIGIL_RETURN_IF_ERROR(drop->Run());
  } else {
    get->Reset();
  }
  VIGIL_ASSIGN_OR_RETURN(int64_t rid, PutRow(adv, hash, p.compiled, p.document));
  VIGIL_RETURN_IF_ERROR(IndexRows(adv, true, rid));
  return exists ? PutOutcome::kChanged : PutOutcome::kAdded;
}

Status AdvisoryDb::Impl::IndexRows(const Advisory& adv, bool insert, int64_t rid) {
  for (const AffectedPackage& p : adv.affected) {
    if (p.ecosystem.empty() || p.name.empty()) continue;
    std::string eco = BaseEcosystem(p.ecosystem);
    VIGIL_ASSIGN_OR_RETURN(
        Statement * s,
        Stmt(insert ? "INSERT OR IGNORE INTO packages(ecosystem, name, advisory_id, advisory_rid) "
                      "VALUES (?, ?, ?, ?)"
                    : "DELETE FROM packages WHERE ecosystem = ? AND name = ? AND advisory_id = ?"));
    VIGIL_RETURN_IF_ERROR(s->BindText(1, eco));
    VIGIL_RETURN_IF_ERROR(s->BindText(2, IndexName(eco, p.name)));
    VIGIL_RETURN_IF_ERROR(s->BindText(3, adv.id));
    if (insert) VIGIL_RETURN_IF_ERROR(s->BindInt(4, rid));
    VIGIL_RETURN_IF_ERROR(s->Run());
  }
  const std::string key = StoredId(adv);
  for (const sbom::Cpe& cpe : ProductCpes(adv)) {
    VIGIL_RETURN_IF_ERROR(
        Run(insert ? "INSERT OR IGNORE INTO cpe_products(vendor, product, advisory_id) "
                     "VALUES (?, ?, ?)"
                   : "DELETE FROM cpe_products WHERE vendor = ? AND product = ? AND "
                     "advisory_id = ?",
            {cpe.vendor().bound(), cpe.product().bound(), key}));
  }
  for (const std::string& name : ProductNameRows(adv)) {
    VIGIL_RETURN_IF_ERROR(
        Run(insert ? "INSERT OR IGNORE INTO product_names(name, advisory_id) VALUES (?, ?)"
                   : "DELETE FROM product_names WHERE name = ? AND advisory_id = ?",
            {name, key}));
  }
  if (adv.source != AdvisorySource::kOsv) {
    VIGIL_RETURN_IF_ERROR(
        Run(insert ? "INSERT OR REPLACE INTO cve_records(cve, advisory_id, versions, rejected) "
                     "VALUES (?, ?, ?, ?)"
                   : "DELETE FROM cve_records WHERE cve = ? AND advisory_id = ? AND "
                     "versions = ? AND rejected = ?",
            {adv.id, key, internal::GivesVersions(adv) ? "1" : "0", adv.rejected() ? "1" : "0"}));
  }
  for (const std::string& alias : adv.aliases) {
    VIGIL_RETURN_IF_ERROR(
        Run(insert ? "INSERT OR IGNORE INTO aliases(alias, advisory_id) VALUES (?, ?)"
                   : "DELETE FROM aliases WHERE alias = ? AND advisory_id = ?",
            {alias, adv.id}));
  }
  return OkStatus();
}

Result<std::string> AdvisoryDb::DefaultPath() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg != nullptr && *xdg == '/') return std::string(xdg) + "/vigil/vulndb.sqlite";
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0') {
    return std::string(home) + "/.local/share/vigil/vulndb.sqlite";
  }
  return FailedPreconditionError(
      "advisory database: neither XDG_DATA_HOME nor HOME is set; pass --db PATH");
}

namespace {

std::string HowToCreate(const std::string& path) {
  return "create one with `vigil vulndb import --db " + path + " FEED...`";
}

// What Open checks before SQLite touches the file: SQLite would turn an empty file into a
// database, so a reader refuses it first.
Status CheckFile(Env& env, const std::string& path, OpenMode mode, bool& exists) {
  exists = env.FileExists(path);
  if (mode == OpenMode::kCreate) return OkStatus();
  if (!exists) return NotFoundError(path + ": no advisory database there; " + HowToCreate(path));
  VIGIL_ASSIGN_OR_RETURN(uint64_t size, env.GetFileSize(path));
  if (size == 0) {
    return FailedPreconditionError(path + ": empty file, not an advisory database; " +
                                   HowToCreate(path));
  }
  return OkStatus();
}

// The parent directory, made (mode 0700) when missing.
Status CreateParent(Env& env, const std::string& path) {
  const std::string parent = DirName(path);
  if (parent.empty() || parent == "." || env.FileExists(parent)) return OkStatus();
  auto made = env.CreateDir(parent);
  if (!made) return UnavailableError(parent + ": cannot create directory: " + made.error().message());
  return OkStatus();
}

}  // namespace

namespace {

// A read-only open cannot upgrade an older database in place.
Error OlderSchema(const std::string& path, const std::string& version) {
  return FailedPreconditionError(path + ": advisory database schema " + version +
                                 " (an older Vigil's); `vigil vulndb import` upgrades it in place");
}

}  // namespace

Result<AdvisoryDb> AdvisoryDb::Open(Env& env, const std::string& path, OpenMode mode) {
  bool exists = false;
  VIGIL_RETURN_IF_ERROR(CheckFile(env, path, mode, exists));
  const bool create = mode == OpenMode::kCreate;
  if (create) VIGIL_RETURN_IF_ERROR(CreateParent(env, path));
  storage::SqliteOptions options;
  options.path = path;
  options.create = create;
  VIGIL_ASSIGN_OR_RETURN(Database db, Database::OpenSqlite(options));
  auto impl = std::make_unique<Impl>(Impl{std::move(db), std::nullopt, std::nullopt, 0, nullptr});
  // A reader sets no journal mode (switching to WAL writes the file) and refuses writes.
  // Its page cache is small: a scan reads each leaf page about once (one index range and its
  // rows per package), so a large cache only grows, a malloc and a fresh page per read; 8 MiB
  // keeps the trees' interior pages. Measured on the 10k-component scan of 300k advisories:
  // CPU -20 %, peak RSS 150 -> 52 MiB against 64 MiB. An import keeps the large one.
  VIGIL_RETURN_IF_ERROR(impl->db.Exec(
      mode == OpenMode::kReadOnly
          ? "PRAGMA busy_timeout = 5000; PRAGMA query_only = 1; PRAGMA cache_size = -8192;"
          : "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA cache_size = -65536;"));
  auto version = impl->Column("SELECT value FROM meta WHERE key = 'schema_version'", {});
  if (version && !version->empty() && version->front() == "1") {
    if (mode == OpenMode::kReadOnly) return OlderSchema(path, version->front());
    VIGIL_RETURN_IF_ERROR(impl->Recompile(path, kDropSchemaOne, kSelectSchemaOne));
  } else if (version && !version->empty() && version->front() == "2") {
    if (mode == OpenMode::kReadOnly) return OlderSchema(path, version->front());
    VIGIL_RETURN_IF_ERROR(impl->Recompile(path, kDropSchemaTwo, kSelectSchemaTwo));
  } else if (version && !version->empty() && version->front() != kSchemaVersion) {
    return FailedPreconditionError(path + ": advisory database schema " + version->front() +
                                   ", this Vigil reads schema " + std::string(kSchemaVersion));
  }
  if (!version) {
    // No meta table: a new file, or something else entirely.
    auto tables = impl->Count("SELECT COUNT(*) FROM sqlite_master");
    if (!tables) return FailedPreconditionError(path + ": not an SQLite database");
    if (*tables > 0 || mode == OpenMode::kReadOnly) {
      return FailedPreconditionError(path + ": not a Vigil advisory database");
    }
    impl->db.ClearCache();
    VIGIL_RETURN_IF_ERROR(impl->db.Exec(kSchema));
    VIGIL_RETURN_IF_ERROR(impl->Run(
        "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)", {kSchemaVersion}));
  }
  AdvisoryDb out(env, path, std::move(impl));
  out.created_ = !exists;
  return out;
}

Status AdvisoryDb::Destroy(Env& env, const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    const std::string file = path + suffix;
    if (!env.FileExists(file)) continue;
    VIGIL_RETURN_IF_ERROR(env.RemoveFile(file));
  }
  return OkStatus();
}

AdvisoryDb::AdvisoryDb(Env& env, std::string path, std::unique_ptr<Impl> impl)
    : env_(&env), path_(std::move(path)), impl_(std::move(impl)) {}
AdvisoryDb::AdvisoryDb(AdvisoryDb&&) noexcept = default;
AdvisoryDb& AdvisoryDb::operator=(AdvisoryDb&&) noexcept = default;
// An open transaction rolls back with impl_ (the savepoint first: members go in reverse order).
AdvisoryDb::~AdvisoryDb() = default;

Status AdvisoryDb::Begin() {
  if (impl_->txn) return FailedPreconditionError("advisory database: already in a transaction");
  VIGIL_ASSIGN_OR_RETURN(storage::Transaction t, storage::Transaction::Begin(impl_->db));
  impl_->txn.emplace(std::move(t));
  return OkStatus();
}

Status AdvisoryDb::Commit() {
  ++impl_->writes;
  if (!impl_->txn) return FailedPreconditionError("advisory database: no transaction to commit");
  VIGIL_RETURN_IF_ERROR(impl_->db.Exec(
      "INSERT INTO meta(key, value) VALUES ('generation', '1') ON CONFLICT(key) DO UPDATE SET "
      "value = CAST(value AS INTEGER) + 1"));
  VIGIL_RETURN_IF_ERROR(impl_->txn->Commit());
  impl_->txn.reset();
  return OkStatus();
}

Status AdvisoryDb::BeginDocument() {
  if (!impl_->txn) {
    return FailedPreconditionError("advisory database: a document needs an open transaction");
  }
  if (impl_->document) return FailedPreconditionError("advisory database: a document is open");
  VIGIL_ASSIGN_OR_RETURN(storage::Savepoint sp, storage::Savepoint::Begin(impl_->db, "document"));
  impl_->document.emplace(std::move(sp));
  return OkStatus();
}

Status AdvisoryDb::KeepDocument() {
  if (!impl_->document) return FailedPreconditionError("advisory database: no document is open");
  Status s = impl_->document->Release();
  impl_->document.reset();
  return s;
}

Status AdvisoryDb::UndoDocument() {
  ++impl_->writes;
  if (!impl_->document) return FailedPreconditionError("advisory database: no document is open");
  Status s = impl_->document->Undo();
  impl_->document.reset();
  return s;
}

Status AdvisoryDb::Rollback() {
  ++impl_->writes;
  if (!impl_->txn) return FailedPreconditionError("advisory database: no transaction to roll back");
  impl_->document.reset();
  Status s = impl_->txn->Rollback();
  impl_->txn.reset();
  return s;
}

Status AdvisoryDb::BeginRead() const {
  if (impl_->txn) return FailedPreconditionError("advisory database: already in a transaction");
  VIGIL_ASSIGN_OR_RETURN(storage::Transaction t,
                         storage::Transaction::Begin(impl_->db, storage::Transaction::Mode::kRead));
  impl_->txn.emplace(std::move(t));
  return OkStatus();
}

Result<int64_t> AdvisoryDb::Generation() const {
  VIGIL_ASSIGN_OR_RETURN(Statement * s,
                         impl_->Stmt("SELECT CAST(value AS INTEGER) FROM meta WHERE key = "
                                     "'generation'"));
  VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
  const int64_t g = row ? s->ColumnInt(0) : 0;
  s->Reset();
  return g;
}

Result<std::pair<int64_t, uint64_t>> AdvisoryDb::ChangeStamp() const {
  // A read first: SQLite's BEGIN takes its snapshot at the first read, and data_version says
  // what the snapshot holds only once there is one.
  VIGIL_ASSIGN_OR_RETURN(int64_t generation, Generation());
  (void)generation;
  VIGIL_ASSIGN_OR_RETURN(Statement * s, impl_->Stmt("PRAGMA data_version"));
  VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
  const int64_t version = row ? s->ColumnInt(0) : 0;
  s->Reset();
  return std::pair(version, impl_->writes);
}

std::shared_ptr<ScanCache>& AdvisoryDb::scan_cache() const { return impl_->scan_cache; }

Status AdvisoryDb::EndRead() const {
  if (!impl_->txn) return FailedPreconditionError("advisory database: no read transaction to end");
  Status s = impl_->txn->Commit();
  impl_->txn.reset();
  return s;
}

PreparedAdvisory PrepareAdvisory(Advisory advisory, std::string document) {
  PreparedAdvisory p;
  p.compiled = internal::EncodeAdvisory(advisory);
  crypto::Sha256Digest digest = crypto::Sha256(AsBytes(document));
  std::copy(digest.begin(), digest.end(), p.document_hash.begin());
  p.advisory = std::move(advisory);
  p.document = std::move(document);
  return p;
}

Result<PutOutcome> AdvisoryDb::PutOsv(const Advisory& advisory, std::string_view json) {
  if (advisory.source != AdvisorySource::kOsv) {
    return InvalidArgumentError("PutOsv: advisory " + advisory.id + " is not an OSV advisory");
  }
  return impl_->PutDocument(PrepareAdvisory(advisory, std::string(json)));
}

Result<PutOutcome> AdvisoryDb::PutNvd(const NvdRecord& record) {
  if (record.advisory.source != AdvisorySource::kNvd) {
    return InvalidArgumentError("PutNvd: advisory " + record.advisory.id + " is not an NVD record");
  }
  return impl_->PutDocument(PrepareAdvisory(record.advisory, record.cve_json));
}

Result<PutOutcome> AdvisoryDb::Put(const PreparedAdvisory& prepared) {
  return impl_->PutDocument(prepared);
}

Result<PutOutcome> AdvisoryDb::PutKev(const KevEntry& e) {
  std::string ransomware = e.ransomware ? "1" : "0";
  VIGIL_ASSIGN_OR_RETURN(
      auto old,
      impl_->Column(
          "SELECT vendor || char(31) || product || char(31) || name || char(31) || date_added || "
          "char(31) || due_date || char(31) || ransomware FROM kev WHERE cve = ?",
          {e.cve}));
  std::string now = e.vendor + '\x1f' + e.product + '\x1f' + e.name + '\x1f' + e.date_added +
                    '\x1f' + e.due_date + '\x1f' + ransomware;
  if (!old.empty() && old.front() == now) return PutOutcome::kUnchanged;
  VIGIL_RETURN_IF_ERROR(impl_->Run(
      "INSERT OR REPLACE INTO kev(cve, vendor, product, name, date_added, due_date, ransomware) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {e.cve, e.vendor, e.product, e.name, e.date_added, e.due_date, ransomware}));
  return old.empty() ? PutOutcome::kAdded : PutOutcome::kChanged;
}

Result<PutOutcome> AdvisoryDb::PutEpss(const EpssScore& s) {
  std::string score = FormatDouble(s.score), percentile = FormatDouble(s.percentile);
  VIGIL_ASSIGN_OR_RETURN(
      auto old,
      impl_->Column("SELECT score || ',' || percentile FROM epss WHERE cve = ?", {s.cve}));
  if (!old.empty() && old.front() == score + "," + percentile) return PutOutcome::kUnchanged;
  VIGIL_RETURN_IF_ERROR(
      impl_->Run("INSERT OR REPLACE INTO epss(cve, score, percentile) VALUES (?, ?, ?)",
                 {s.cve, score, percentile}));
  return old.empty() ? PutOutcome::kAdded : PutOutcome::kChanged;
}

Status AdvisoryDb::SetMeta(std::string_view key, std::string_view value) {
  return impl_->Run("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", {key, value});
}

namespace {

std::string_view AsText(ByteView blob) {
  return {reinterpret_cast<const char*>(blob.data()), blob.size()};
}

Result<Advisory> DecodeStored(ByteView blob, const std::string& path, std::string_view id) {
  Advisory adv;
  VIGIL_RETURN_IF_ERROR(internal::DecodeStored(AsText(blob), path, id, adv));
  return adv;
}

}  // namespace

Result<std::vector<Advisory>> AdvisoryDb::PackageAdvisories(std::string_view ecosystem,
                                                            std::string_view name) const {
  std::vector<Advisory> out;
  VIGIL_RETURN_IF_ERROR(PackageAdvisories(ecosystem, name, out));
  return out;
}

Status AdvisoryDb::PackageAdvisories(std::string_view ecosystem, std::string_view name,
                                     std::vector<Advisory>& out) const {
  size_t n = 0;
  VIGIL_RETURN_IF_ERROR(VisitPackageAdvisories(
      ecosystem, name, [&](std::string_view id, std::string_view compiled) -> Status {
        if (n == out.size()) out.emplace_back();
        return internal::DecodeStored(compiled, path_, id, out[n++]);
      }));
  out.resize(n);
  return OkStatus();
}

Status AdvisoryDb::VisitPackageAdvisories(std::string_view ecosystem, std::string_view name,
                                          const CompiledVisitor& each) const {
  std::string eco = BaseEcosystem(ecosystem);
  VIGIL_ASSIGN_OR_RETURN(
      Statement * s,
      impl_->Stmt("SELECT p.advisory_id, a.compiled FROM packages p JOIN advisories a "
                  "ON a.rid = p.advisory_rid WHERE p.ecosystem = ? AND "
                  "p.name = ? ORDER BY p.advisory_id"));
  VIGIL_RETURN_IF_ERROR(s->BindText(1, eco));
  VIGIL_RETURN_IF_ERROR(s->BindText(2, IndexName(eco, name)));
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    Status visited = each(s->ColumnText(0), AsText(s->ColumnBlob(1)));
    if (!visited) {
      s->Reset();
      return visited;
    }
  }
  s->Reset();
  return OkStatus();
}

Result<std::vector<std::string>> AdvisoryDb::AdvisoriesForCpeProduct(
    std::string_view vendor, std::string_view product) const {
  return impl_->Column(
      "SELECT advisory_id FROM cpe_products WHERE vendor = ? AND product = ? ORDER BY advisory_id",
      {vendor, product});
}

Result<std::vector<std::string>> AdvisoryDb::AdvisoriesForProductName(std::string_view name) const {
  return impl_->Column("SELECT advisory_id FROM product_names WHERE name = ? ORDER BY advisory_id",
                       {name});
}

Result<bool> AdvisoryDb::HasCve5Records() const {
  // "cve5:" … "cve5;" is the range of stored ids StoredId gives CVE 5 records (':' + 1 is ';'),
  // read through the index on id.
  VIGIL_ASSIGN_OR_RETURN(
      auto rows,
      impl_->Column("SELECT 1 FROM advisories WHERE id >= 'cve5:' AND id < 'cve5;' LIMIT 1", {}));
  return !rows.empty();
}

Result<bool> AdvisoryDb::HasIdPrefix(std::string_view prefix) const {
  if (prefix.empty() || prefix.back() == '\xff') return true;
  // The ids from `prefix` up to the prefix with its last byte raised: exactly those beginning
  // with it (text compares bytewise), read through the index on id.
  std::string end(prefix);
  end.back() = static_cast<char>(end.back() + 1);
  VIGIL_ASSIGN_OR_RETURN(
      auto rows,
      impl_->Column("SELECT 1 FROM advisories WHERE id >= ? AND id < ? LIMIT 1", {prefix, end}));
  return !rows.empty();
}

Result<bool> AdvisoryDb::HasCveIndexes() const {
  VIGIL_ASSIGN_OR_RETURN(size_t any, impl_->Count("SELECT EXISTS(SELECT 1 FROM cpe_products) OR "
                                                  "EXISTS(SELECT 1 FROM product_names)"));
  return any != 0;
}

Result<bool> AdvisoryDb::HasKevEntries() const {
  VIGIL_ASSIGN_OR_RETURN(size_t any, impl_->Count("SELECT EXISTS(SELECT 1 FROM kev)"));
  return any != 0;
}

Result<bool> AdvisoryDb::HasEpssScores() const {
  VIGIL_ASSIGN_OR_RETURN(size_t any, impl_->Count("SELECT EXISTS(SELECT 1 FROM epss)"));
  return any != 0;
}

Result<std::optional<Advisory>> AdvisoryDb::Load(std::string_view id) const {
  VIGIL_ASSIGN_OR_RETURN(Statement * s,
                         impl_->Stmt("SELECT compiled FROM advisories WHERE id = ?"));
  VIGIL_RETURN_IF_ERROR(s->BindText(1, id));
  VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<Advisory>();
  auto adv = DecodeStored(s->ColumnBlob(0), path_, id);
  s->Reset();
  if (!adv) return adv.error();
  return std::optional<Advisory>(std::move(*adv));
}

Result<std::optional<KevEntry>> AdvisoryDb::Kev(std::string_view cve) const {
  VIGIL_ASSIGN_OR_RETURN(Statement * s,
                         impl_->Stmt("SELECT vendor, product, name, date_added, due_date, "
                                     "ransomware FROM kev WHERE cve = ?"));
  VIGIL_RETURN_IF_ERROR(s->BindText(1, cve));
  VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<KevEntry>();
  KevEntry e{std::string(cve),
             std::string(s->ColumnText(0)),
             std::string(s->ColumnText(1)),
             std::string(s->ColumnText(2)),
             std::string(s->ColumnText(3)),
             std::string(s->ColumnText(4)),
             s->ColumnInt(5) != 0};
  s->Reset();
  return std::optional<KevEntry>(std::move(e));
}

Result<std::optional<EpssScore>> AdvisoryDb::Epss(std::string_view cve) const {
  VIGIL_ASSIGN_OR_RETURN(Statement * s,
                         impl_->Stmt("SELECT score, percentile FROM epss WHERE cve = ?"));
  VIGIL_RETURN_IF_ERROR(s->BindText(1, cve));
  VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<EpssScore>();
  EpssScore e{std::string(cve), ParseDouble(s->ColumnText(0)), ParseDouble(s->ColumnText(1))};
  s->Reset();
  return std::optional<EpssScore>(std::move(e));
}

Result<DbContents> AdvisoryDb::Contents() const {
  DbContents c;
  VIGIL_ASSIGN_OR_RETURN(c.has_advisories, impl_->Count("SELECT EXISTS(SELECT 1 FROM advisories)"));
  VIGIL_ASSIGN_OR_RETURN(c.has_cpe_products,
                         impl_->Count("SELECT EXISTS(SELECT 1 FROM cpe_products)"));
  // Each distinct ecosystem by one seek past the previous one: a DISTINCT would read the whole
  // package index (millions of rows in a full OSV import).
  std::string after;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(auto next,
                           impl_->Column("SELECT ecosystem FROM packages WHERE ecosystem > ? "
                                         "ORDER BY ecosystem LIMIT 1",
                                         {after}));
    if (next.empty()) break;
    after = next.front();
    c.ecosystems.push_back(after);
  }
  return c;
}

Result<DbStats> AdvisoryDb::Stats() const {
  DbStats st;
  VIGIL_ASSIGN_OR_RETURN(st.osv_advisories,
                         impl_->Count("SELECT COUNT(*) FROM advisories WHERE source = 'osv'"));
  VIGIL_ASSIGN_OR_RETURN(st.nvd_advisories,
                         impl_->Count("SELECT COUNT(*) FROM advisories WHERE source = 'nvd'"));
  VIGIL_ASSIGN_OR_RETURN(st.cve5_records,
                         impl_->Count("SELECT COUNT(*) FROM advisories WHERE source = 'cve5'"));
  VIGIL_ASSIGN_OR_RETURN(st.unassessed_cves,
                         impl_->Count("SELECT COUNT(*) FROM (SELECT cve FROM cve_records GROUP BY "
                                      "cve HAVING MAX(versions) = 0 AND MAX(rejected) = 0)"));
  VIGIL_ASSIGN_OR_RETURN(st.kev_entries, impl_->Count("SELECT COUNT(*) FROM kev"));
  VIGIL_ASSIGN_OR_RETURN(st.epss_scores, impl_->Count("SELECT COUNT(*) FROM epss"));
  VIGIL_ASSIGN_OR_RETURN(st.affected_packages, impl_->Count("SELECT COUNT(*) FROM packages"));
  VIGIL_ASSIGN_OR_RETURN(st.cpe_products, impl_->Count("SELECT COUNT(*) FROM cpe_products"));
  VIGIL_ASSIGN_OR_RETURN(st.aliases, impl_->Count("SELECT COUNT(*) FROM aliases"));
  VIGIL_ASSIGN_OR_RETURN(auto rows, impl_->Column("SELECT ecosystem || char(31) || COUNT(DISTINCT "
                                                  "advisory_id) FROM packages GROUP BY ecosystem",
                                                  {}));
  for (const std::string& r : rows) {
    size_t sep = r.find('\x1f');
    st.advisories_by_ecosystem[r.substr(0, sep)] =
        static_cast<size_t>(ParseDouble(r.substr(sep + 1)));
  }
  for (auto [key, out] : {std::pair{"kev.catalog_version", &st.kev_catalog_version},
                          {"epss.model_version", &st.epss_model_version},
                          {"epss.score_date", &st.epss_score_date}}) {
    VIGIL_ASSIGN_OR_RETURN(auto v, impl_->Column("SELECT value FROM meta WHERE key = ?", {key}));
    if (!v.empty()) *out = v.front();
  }
  return st;
}

}  // namespace vigil::vuln
