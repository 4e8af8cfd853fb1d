// The fleet's schema, its products, releases and devices. Portable SQL only (fleet.h): the same
// statements run on SQLite and on the PostgreSQL engine storage is gaining.
#include "vigil/fleet/fleet.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "internal/fleet_impl.h"
#include "vigil/audit/checkpoint.h"
#include "vigil/core/dates.h"
#include "vigil/core/encoding.h"
#include "vigil/fleet/webhook.h"

namespace vigil::fleet {
namespace {

using storage::Database;
using storage::Statement;
using storage::Transaction;

// Version 1: the model. Keys are the natural ones (product name, (product, version), serial);
// alerts and check-ins carry a sequence number, max + 1 in the write transaction (Impl::NextSeq;
// a check-in batch's INSERT reads it itself, checkin.cc). Hashes are hex TEXT.
constexpr std::string_view kSchemaV1[] = {
    "CREATE TABLE fleet_products (name TEXT PRIMARY KEY, manufacturer TEXT NOT NULL,"
    " created TEXT NOT NULL)",
    "CREATE TABLE fleet_releases (product TEXT NOT NULL, version TEXT NOT NULL,"
    " sbom TEXT NOT NULL, vex TEXT NOT NULL, register_product TEXT NOT NULL,"
    " register_release TEXT NOT NULL, created TEXT NOT NULL, PRIMARY KEY (product, version))",
    "CREATE TABLE fleet_devices (serial TEXT PRIMARY KEY, product TEXT NOT NULL,"
    " installed_release TEXT NOT NULL, site TEXT NOT NULL, customer TEXT NOT NULL,"
    " support_end TEXT NOT NULL, log_key TEXT NOT NULL, slot TEXT NOT NULL,"
    " slot_status TEXT NOT NULL, security_counter BIGINT NOT NULL, last_checkin TEXT NOT NULL,"
    " checkpoint_origin TEXT, checkpoint_size BIGINT, checkpoint_root TEXT,"
    " checkpoint_note TEXT, created TEXT NOT NULL)",
    "CREATE INDEX fleet_releases_register ON fleet_releases (register_product, register_release)",
    "CREATE INDEX fleet_devices_release ON fleet_devices (product, installed_release, site)",
    "CREATE INDEX fleet_devices_site ON fleet_devices (site)",
    // Devices per (product, release, site), kept with every device added or moved to another
    // release: exposure counts a release's devices in one row per site, not one per device.
    "CREATE TABLE fleet_site_counts (product TEXT NOT NULL, installed_release TEXT NOT NULL,"
    " site TEXT NOT NULL, devices BIGINT NOT NULL, PRIMARY KEY (product, installed_release, site))",
    "CREATE TABLE fleet_checkins (seq BIGINT PRIMARY KEY, serial TEXT NOT NULL,"
    " at TEXT NOT NULL, reported_release TEXT NOT NULL, slot TEXT NOT NULL,"
    " slot_status TEXT NOT NULL, security_counter BIGINT NOT NULL, tree_size BIGINT,"
    " tree_root TEXT, accepted INTEGER NOT NULL)",
    "CREATE INDEX fleet_checkins_serial ON fleet_checkins (serial, seq)",
    "CREATE TABLE fleet_alerts (seq BIGINT PRIMARY KEY, serial TEXT NOT NULL, at TEXT NOT NULL,"
    " kind TEXT NOT NULL, detail TEXT NOT NULL)",
    "CREATE INDEX fleet_alerts_serial ON fleet_alerts (serial, seq)",
};

Status CreateV1(Database& db) {
  for (std::string_view sql : kSchemaV1) VIGIL_RETURN_IF_ERROR(db.Exec(sql));
  return OkStatus();
}

const storage::Migration kMigrations[] = {
    {1, "create the fleet tables", CreateV1},
    {2, "create the operator tokens table", CreateTokensV2},
    {3, "create the webhook outbox", CreateWebhookTables},
    {4, "create the end-of-support notices", CreateSupportTables},
    {5, "create the announced findings", CreateAnnouncedTable},
};

constexpr std::string_view kDeviceColumns =
    "serial, product, installed_release, site, customer, support_end, log_key, slot, slot_status,"
    " security_counter, last_checkin, checkpoint_origin, checkpoint_size, checkpoint_root,"
    " checkpoint_note, created";

Device DeviceOf(const Statement& s) {
  Device d;
  d.serial = s.ColumnText(0);
  d.product = s.ColumnText(1);
  d.release = s.ColumnText(2);
  d.site = s.ColumnText(3);
  d.customer = s.ColumnText(4);
  d.support_end = s.ColumnText(5);
  d.log_key = s.ColumnText(6);
  d.slot = s.ColumnText(7);
  d.slot_status = s.ColumnText(8);
  d.security_counter = static_cast<uint64_t>(s.ColumnInt(9));
  d.last_checkin = s.ColumnText(10);
  if (!s.ColumnIsNull(11)) {
    d.checkpoint =
        StoredCheckpoint{std::string(s.ColumnText(11)), static_cast<uint64_t>(s.ColumnInt(12)),
                         std::string(s.ColumnText(13)), std::string(s.ColumnText(14))};
  }
  d.created = s.ColumnText(15);
  return d;
}

Release ReleaseOf(const Statement& s) {
  return Release{std::string(s.ColumnText(0)), std::string(s.ColumnText(1)),
                 std::string(s.ColumnText(2)), std::string(s.ColumnText(3)),
                 std::string(s.ColumnText(4)), std::string(s.ColumnText(5)),
                 std::string(s.ColumnText(6))};
}

// Names are printed in tables and errors: one line, not empty, not absurdly long.
Status CheckName(std::string_view field, std::string_view value) {
  if (value.empty()) return InvalidArgumentError(std::string(field) + ": must not be empty");
  if (value.size() > 256 || OneLine(value) != value) {
    return InvalidArgumentError(std::string(field) +
                                ": expected one line of at most 256 characters, got '" +
                                OneLine(value.substr(0, 64)) + "'");
  }
  return OkStatus();
}

Status CheckOptionalText(std::string_view field, std::string_view value) {
  return value.empty() ? OkStatus() : CheckName(field, value);
}

// Rows of a prepared, bound statement, each read by `of`.
template <typename T, typename Of>
Result<std::vector<T>> Rows(Statement& s, Of of) {
  std::vector<T> out;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    out.push_back(of(s));
  }
}

// The first row of a prepared, bound statement, if any.
template <typename T, typename Of>
Result<std::optional<T>> FirstRow(Statement& s, Of of) {
  VIGIL_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<T>();
  return std::optional<T>(of(s));
}

}  // namespace

std::string Fleet::Impl::Now() const {
  return FormatRfc3339Seconds(env->NowUnixMicros() / 1000000);
}

Result<int64_t> Fleet::Impl::NextSeq(std::string_view table) {
  VIGIL_ASSIGN_OR_RETURN(Statement * s,
                         db.Cached("SELECT COALESCE(MAX(seq), 0) + 1 FROM " + std::string(table)));
  VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return InternalError(name + ": " + std::string(table) + ": no next sequence number");
  const int64_t next = s->ColumnInt(0);
  s->Reset();
  return next;
}

Status Fleet::Impl::InsertNew(Statement& insert, const std::string& what) {
  VIGIL_RETURN_IF_ERROR(insert.Run());
  if (db.Changes() == 0) return AlreadyExistsError(name + ": " + what + " already exists");
  return OkStatus();
}

Status Fleet::Impl::AdjustCount(std::string_view product, std::string_view release,
                                std::string_view site, int64_t delta) {
  VIGIL_ASSIGN_OR_RETURN(
      Statement * s,
      db.Cached("INSERT INTO fleet_site_counts (product, installed_release, site, devices)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (product, installed_release, site)"
                " DO UPDATE SET devices = fleet_site_counts.devices + excluded.devices"));
  VIGIL_RETURN_IF_ERROR(s->BindText(1, product));
  VIGIL_RETURN_IF_ERROR(s->BindText(2, release));
  VIGIL_RETURN_IF_ERROR(s->BindText(3, site));
  VIGIL_RETURN_IF_ERROR(s->BindInt(4, delta));
  return s->Run();
}

Result<std::optional<Device>> Fleet::Impl::LoadDevice(std::string_view serial) {
  VIGIL_ASSIGN_OR_RETURN(Statement * s, db.Cached("SELECT " + std::string(kDeviceColumns) +
                                                  " FROM fleet_devices WHERE serial = ?"));
  VIGIL_RETURN_IF_ERROR(s->BindText(1, serial));
  auto d = FirstRow<Device>(*s, DeviceOf);
  s->Reset();
  return d;
}

Result<DeviceMap> Fleet::Impl::LoadDevices(std::span<const std::string_view> serials) {
  std::vector<std::string_view> wanted(serials.begin(), serials.end());
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  DeviceMap out;
  auto sql = [](size_t n) {
    return "SELECT " + std::string(kDeviceColumns) + " FROM fleet_devices WHERE serial IN (" +
           RepeatRows(n, "?") + ")";
  };
  auto read = [&](Statement& s, size_t start, size_t n) -> Status {
    for (size_t i = 0; i < n; ++i) {
      VIGIL_RETURN_IF_ERROR(s.BindText(static_cast<int>(i + 1), wanted[start + i]));
    }
    auto rows = Rows<Device>(s, DeviceOf);
    s.Reset();
    if (!rows) return rows.error();
    for (Device& d : *rows) out.emplace(d.serial, std::move(d));
    return OkStatus();
  };
  VIGIL_RETURN_IF_ERROR(InChunks(db, wanted.size(), sql, read));
  return out;
}

Status InChunks(Database& db, size_t rows, const std::function<std::string(size_t)>& sql,
                const std::function<Status(Statement&, size_t, size_t)>& run) {
  for (size_t start = 0; start < rows; start += kRowsPerStatement) {
    const size_t n = std::min(kRowsPerStatement, rows - start);
    VIGIL_ASSIGN_OR_RETURN(Statement * s, db.Cached(sql(n)));
    VIGIL_RETURN_IF_ERROR(run(*s, start, n));
  }
  return OkStatus();
}

std::string RepeatRows(size_t rows, std::string_view row) {
  std::string out;
  out.reserve(rows * (row.size() + 2));
  for (size_t i = 0; i < rows; ++i) {
    if (i > 0) out += ", ";
    out += row;
  }
  return out;
}

Result<Alert> Fleet::Impl::RaiseAlert(std::string_view serial, std::string_view kind,
                                      std::string detail) {
  VIGIL_ASSIGN_OR_RETURN(int64_t seq, NextSeq("fleet_alerts"));
  Alert a{seq, std::string(serial), Now(), std::string(kind), OneLine(detail)};
  VIGIL_ASSIGN_OR_RETURN(Statement * s, db.Cached("INSERT INTO fleet_alerts (seq, serial, at, kind,"
                                                  " detail) VALUES (?, ?, ?, ?, ?)"));
  VIGIL_RETURN_IF_ERROR(s->BindInt(1, a.seq));
  VIGIL_RETURN_IF_ERROR(s->BindText(2, a.serial));
  VIGIL_RETURN_IF_ERROR(s->BindText(3, a.at));
  VIGIL_RETURN_IF_ERROR(s->BindText(4, a.kind));
  VIGIL_RETURN_IF_ERROR(s->BindText(5, a.detail));
  VIGIL_RETURN_IF_ERROR(s->Run());
  VIGIL_RETURN_IF_ERROR(
      Enqueue(kEventCheckinAlert, json::Value::MakeObject({{"seq", a.seq},
                                                           {"device", a.serial},
                                                           {"at", a.at},
                                                           {"kind", a.kind},
                                                           {"detail", a.detail}})));
  return a;
}

Result<storage::Database> OpenFleetSqlite(const std::string& path, bool create) {
  storage::SqliteOptions o;
  o.path = path;
  o.create = create;
  VIGIL_ASSIGN_OR_RETURN(Database db, Database::OpenSqlite(o));
  VIGIL_RETURN_IF_ERROR(
      db.Exec("PRAGMA busy_timeout=5000; PRAGMA journal_mode=WAL;"
              " PRAGMA synchronous=EXTRA;"));
  return db;
}

Fleet::Fleet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Fleet::Fleet(Fleet&&) noexcept = default;
Fleet& Fleet::operator=(Fleet&&) noexcept = default;
Fleet::~Fleet() = default;

Result<Fleet> Fleet::Open(storage::Database db, std::string name, Env& env) {
  VIGIL_RETURN_IF_ERROR(storage::Migrate(db, name, kMigrations));
  return Fleet(std::make_unique<Impl>(Impl{std::move(db), std::move(name), &env, {}}));
}

Result<Product> Fleet::AddProduct(Product p) {
  VIGIL_RETURN_IF_ERROR(CheckName("product name", p.name));
  VIGIL_RETURN_IF_ERROR(CheckOptionalText("manufacturer", p.manufacturer));
  p.created = impl_->Now();
  VIGIL_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(impl_->db));
  VIGIL_ASSIGN_OR_RETURN(Statement * s,
                         impl_->db.Cached("INSERT INTO fleet_products (name, manufacturer, created)"
                                          " VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING"));
  VIGIL_RETURN_IF_ERROR(s->BindText(1, p.name));
  VIGIL_RETURN_IF_ERROR(s->BindText(2, p.manufacturer));
  VIGIL_RETURN_IF_ERROR(s->BindText(3, p.created));
  VIGIL_RETURN_IF_ERROR(impl_->InsertNew(*s, "product '" + p.name + "'"));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return p;
}

Result<Release> Fleet::AddRelease(Release r) {
  VIGIL_RETURN_IF_ERROR(CheckName("product", r.product));
  VIGIL_RETURN_IF_ERROR(CheckName("release version", r.version));
  VIGIL_RETURN_IF_ERROR(CheckOptionalText("sbom", r.sbom));
  VIGIL_RETURN_IF_ERROR(CheckOptionalText("vex", r.vex));
  VIGIL_RETURN_IF_ERROR(CheckOptionalText("register product", r.register_product));
  VIGIL_RETURN_IF_ERROR(CheckOptionalText("register release", r.register_release));
  if (r.register_product.empty()) r.register_product = r.product;
  if (r.register_release.empty()) r.register_release = r.version;
  r.created = impl_->Now();
  VIGIL_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(impl_->db));
  VIGIL_ASSIGN_OR_RETURN(std::optional<Product> p, FindProduct(r.product));
  if (!p) return NotFoundError(impl_->name + ": no product '" + r.product + "' (add it first)");
  VIGIL_ASSIGN_OR_RETURN(
      Statement * s,
      impl_->db.Cached("INSERT INTO fleet_releases (product, version, sbom, vex, register_product,"
                       " register_release, created) VALUES (?, ?, ?, ?, ?, ?, ?)"
                       " ON CONFLICT (product, version) DO NOTHING"));
  const std::string_view values[] = {r.product,          r.version,          r.sbom,   r.vex,
                                     r.register_product, r.register_release, r.created};
  for (int i = 0; i < 7; ++i) VIGIL_RETURN_IF_ERROR(s->BindText(i + 1, values[i]));
  VIGIL_RETURN_IF_ERROR(impl_->InsertNew(*s, "release '" + r.version + "' of '" + r.product + "'"));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return r;
}

namespace {

Status CheckDevice(const Device& d) {
  VIGIL_RETURN_IF_ERROR(CheckName("serial", d.serial));
  VIGIL_RETURN_IF_ERROR(CheckName("product", d.product));
  VIGIL_RETURN_IF_ERROR(CheckName("release", d.release));
  VIGIL_RETURN_IF_ERROR(CheckOptionalText("site", d.site));
  VIGIL_RETURN_IF_ERROR(CheckOptionalText("customer", d.customer));
  VIGIL_RETURN_IF_ERROR(CheckName("log key", d.log_key));
  if (auto key = audit::NoteVerifier::Parse(d.log_key); !key) {
    return InvalidArgumentError("log key: " + key.error().message());
  }
  if (!d.support_end.empty() && !ParseDate(d.support_end)) {
    return InvalidArgumentError("support end: expected a date YYYY-MM-DD, got '" +
                                OneLine(d.support_end) + "'");
  }
  if (d.slot != "a" && d.slot != "b") {
    return InvalidArgumentError("slot: expected a or b, got '" + OneLine(d.slot) + "'");
  }
  if (!IsSlotStatus(d.slot_status)) {
    return InvalidArgumentError("slot status: expected " + std::string(kSlotStatuses) + ", got '" +
                                OneLine(d.slot_status) + "'");
  }
  if (d.security_counter > static_cast<uint64_t>(INT64_MAX)) {
    return InvalidArgumentError("security counter: over 2^63 - 1");
  }
  return OkStatus();
}

}  // namespace

Result<Device> Fleet::Impl::InsertDevice(Fleet& fleet, Device d) {
  VIGIL_RETURN_IF_ERROR(CheckDevice(d));
  d.last_checkin.clear();
  d.checkpoint.reset();
  d.created = Now();
  VIGIL_ASSIGN_OR_RETURN(std::optional<Release> r, fleet.FindRelease(d.product, d.release));
  if (!r) {
    return NotFoundError(name + ": no release '" + d.release + "' of product '" + d.product +
                         "' (add it first)");
  }
  VIGIL_ASSIGN_OR_RETURN(
      Statement * s,
      db.Cached("INSERT INTO fleet_devices (serial, product, installed_release, site,"
                " customer, support_end, log_key, slot, slot_status, security_counter,"
                " last_checkin, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (serial) DO NOTHING"));
  const std::string_view texts[] = {d.serial,      d.product, d.release, d.site,       d.customer,
                                    d.support_end, d.log_key, d.slot,    d.slot_status};
  for (int i = 0; i < 9; ++i) VIGIL_RETURN_IF_ERROR(s->BindText(i + 1, texts[i]));
  VIGIL_RETURN_IF_ERROR(s->BindInt(10, static_cast<int64_t>(d.security_counter)));
  VIGIL_RETURN_IF_ERROR(s->BindText(11, d.last_checkin));
  VIGIL_RETURN_IF_ERROR(s->BindText(12, d.created));
  VIGIL_RETURN_IF_ERROR(InsertNew(*s, "device '" + d.serial + "'"));
  VIGIL_RETURN_IF_ERROR(AdjustCount(d.product, d.release, d.site, 1));
  return d;
}

Result<Device> Fleet::AddDevice(Device d) {
  VIGIL_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(impl_->db));
  VIGIL_ASSIGN_OR_RETURN(Device added, impl_->InsertDevice(*this, std::move(d)));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return added;
}

Status Fleet::AddDevices(std::span<const Device> devices) {
  VIGIL_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(impl_->db));
  for (size_t i = 0; i < devices.size(); ++i) {
    auto added = impl_->InsertDevice(*this, devices[i]);
    if (!added) {
      return Error(added.error().code(),
                   "devices[" + std::to_string(i) + "]: " + added.error().message());
    }
  }
  return tx.Commit();
}

Result<Device> Fleet::RemoveDevice(std::string_view serial) {
  VIGIL_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(impl_->db));
  VIGIL_ASSIGN_OR_RETURN(std::optional<Device> d, impl_->LoadDevice(serial));
  if (!d) return NotFoundError(impl_->name + ": no device '" + std::string(serial) + "'");
  VIGIL_ASSIGN_OR_RETURN(Statement s,
                         impl_->db.Prepare("DELETE FROM fleet_devices WHERE serial = ?"));
  VIGIL_RETURN_IF_ERROR(s.BindText(1, serial));
  VIGIL_RETURN_IF_ERROR(s.Run());
  VIGIL_RETURN_IF_ERROR(impl_->AdjustCount(d->product, d->release, d->site, -1));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return *d;
}

namespace {
Product ProductOf(const Statement& s) {
  return Product{std::string(s.ColumnText(0)), std::string(s.ColumnText(1)),
                 std::string(s.ColumnText(2))};
}
}  // namespace

Result<std::vector<Product>> Fleet::Products() {
  VIGIL_ASSIGN_OR_RETURN(Statement s, impl_->db.Prepare("SELECT name, manufacturer, created FROM"
                                                        " fleet_products ORDER BY name"));
  return Rows<Product>(s, ProductOf);
}

Result<std::optional<Product>> Fleet::FindProduct(std::string_view name) {
  VIGIL_ASSIGN_OR_RETURN(Statement s, impl_->db.Prepare("SELECT name, manufacturer, created FROM"
                                                        " fleet_products WHERE name = ?"));
  VIGIL_RETURN_IF_ERROR(s.BindText(1, name));
  return FirstRow<Product>(s, ProductOf);
}

namespace {
constexpr std::string_view kReleaseSelect =
    "SELECT product, version, sbom, vex, register_product, register_release, created"
    " FROM fleet_releases";
}  // namespace

Result<std::vector<Release>> Fleet::ReleasesFiledAs(std::string_view register_product,
                                                    std::string_view register_release) {
  VIGIL_ASSIGN_OR_RETURN(Statement * s,
                         impl_->db.Cached(std::string(kReleaseSelect) +
                                          " WHERE register_product = ? AND register_release = ?"
                                          " ORDER BY product, version"));
  VIGIL_RETURN_IF_ERROR(s->BindText(1, register_product));
  VIGIL_RETURN_IF_ERROR(s->BindText(2, register_release));
  auto found = Rows<Release>(*s, ReleaseOf);
  s->Reset();
  return found;
}

Result<std::vector<Release>> Fleet::Releases(std::string_view product) {
  VIGIL_ASSIGN_OR_RETURN(Statement s,
                         impl_->db.Prepare(std::string(kReleaseSelect) +
                                           " WHERE ? = '' OR product = ? ORDER BY product, created,"
                                           " version"));
  VIGIL_RETURN_IF_ERROR(s.BindText(1, product));
  VIGIL_RETURN_IF_ERROR(s.BindText(2, product));
  return Rows<Release>(s, ReleaseOf);
}

Result<std::optional<Release>> Fleet::FindRelease(std::string_view product,
                                                  std::string_view version) {
  // Cached: a check-in and every device added asks for its release.
  VIGIL_ASSIGN_OR_RETURN(Statement * s, impl_->db.Cached(std::string(kReleaseSelect) +
                                                         " WHERE product = ? AND version = ?"));
  VIGIL_RETURN_IF_ERROR(s->BindText(1, product));
  VIGIL_RETURN_IF_ERROR(s->BindText(2, version));
  auto found = FirstRow<Release>(*s, ReleaseOf);
  s->Reset();
  return found;
}

namespace {
// The filter's WHERE clause; binds product, release, site twice each (empty matches any).
// The filter's WHERE clause, naming only the columns it restricts, so the engine can use the
// (product, installed_release, site) index: "(? = '' OR product = ?)" would make it scan every
// device. BindFilter binds the same non-empty values in the same order.
std::string DeviceWhere(const DeviceFilter& f) {
  std::string where;
  const std::pair<std::string_view, std::string_view> terms[] = {
      {"product", f.product}, {"installed_release", f.release}, {"site", f.site}};
  for (const auto& [column, value] : terms) {
    if (value.empty()) continue;
    where += where.empty() ? " WHERE " : " AND ";
    where += std::string(column) + " = ?";
  }
  return where;
}

Status BindFilter(Statement& s, const DeviceFilter& f) {
  int index = 0;
  for (std::string_view value : {f.product, f.release, f.site}) {
    if (!value.empty()) VIGIL_RETURN_IF_ERROR(s.BindText(++index, value));
  }
  return OkStatus();
}
}  // namespace

Result<std::vector<Device>> Fleet::Devices(const DeviceFilter& filter, int64_t limit) {
  // PostgreSQL refuses a negative LIMIT: no limit is no clause.
  const std::string page = limit >= 0 ? " LIMIT " + std::to_string(limit) : "";
  VIGIL_ASSIGN_OR_RETURN(
      Statement s,
      impl_->db.Prepare("SELECT " + std::string(kDeviceColumns) + " FROM fleet_devices" +
                        DeviceWhere(filter) + " ORDER BY serial" + page));
  VIGIL_RETURN_IF_ERROR(BindFilter(s, filter));
  return Rows<Device>(s, DeviceOf);
}

Result<std::optional<Device>> Fleet::FindDevice(std::string_view serial) {
  return impl_->LoadDevice(serial);
}

Result<std::vector<DeviceCount>> Fleet::CountDevicesOf(
    std::span<const std::pair<std::string, std::string>> releases, std::string_view site) {
  // OR of (product, release) terms, each answered through the (product, installed_release,
  // site) index on both engines; a full chunk's statement is cached, the last one prepared.
  constexpr size_t kChunk = 200;
  std::vector<std::pair<std::string, std::string>> wanted(releases.begin(), releases.end());
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  std::vector<DeviceCount> counts;
  for (size_t start = 0; start < wanted.size(); start += kChunk) {
    const size_t n = std::min(kChunk, wanted.size() - start);
    std::string sql =
        "SELECT product, installed_release, site, devices FROM fleet_site_counts WHERE (";
    for (size_t i = 0; i < n; ++i) {
      sql += i == 0 ? "(product = ? AND installed_release = ?)"
                    : " OR (product = ? AND installed_release = ?)";
    }
    sql += std::string(")") + (site.empty() ? "" : " AND site = ?") + " AND devices > 0";
    std::optional<Statement> own;
    Statement* s = nullptr;
    if (n == kChunk) {
      VIGIL_ASSIGN_OR_RETURN(s, impl_->db.Cached(sql));
    } else {
      VIGIL_ASSIGN_OR_RETURN(own, impl_->db.Prepare(sql));
      s = &*own;
    }
    int index = 0;
    for (size_t i = 0; i < n; ++i) {
      VIGIL_RETURN_IF_ERROR(s->BindText(++index, wanted[start + i].first));
      VIGIL_RETURN_IF_ERROR(s->BindText(++index, wanted[start + i].second));
    }
    if (!site.empty()) VIGIL_RETURN_IF_ERROR(s->BindText(++index, site));
    auto rows = Rows<DeviceCount>(*s, [](const Statement& row) {
      return DeviceCount{std::string(row.ColumnText(0)), std::string(row.ColumnText(1)),
                         std::string(row.ColumnText(2)), static_cast<uint64_t>(row.ColumnInt(3))};
    });
    s->Reset();
    if (!rows) return rows.error();
    counts.insert(counts.end(), rows->begin(), rows->end());
  }
  std::sort(counts.begin(), counts.end(), [](const DeviceCount& a, const DeviceCount& b) {
    return std::tie(a.product, a.release, a.site) < std::tie(b.product, b.release, b.site);
  });
  return counts;
}

Result<std::vector<DeviceCount>> Fleet::CountDevices(const DeviceFilter& filter) {
  // From the kept counts (one row per group); cached, one statement per combination of filters.
  const std::string where = DeviceWhere(filter);
  VIGIL_ASSIGN_OR_RETURN(
      Statement * s,
      impl_->db.Cached("SELECT product, installed_release, site, devices FROM fleet_site_counts" +
                       where + (where.empty() ? " WHERE" : " AND") +
                       " devices > 0 ORDER BY product, installed_release, site"));
  VIGIL_RETURN_IF_ERROR(BindFilter(*s, filter));
  auto counts = Rows<DeviceCount>(*s, [](const Statement& row) {
    return DeviceCount{std::string(row.ColumnText(0)), std::string(row.ColumnText(1)),
                       std::string(row.ColumnText(2)), static_cast<uint64_t>(row.ColumnInt(3))};
  });
  s->Reset();
  return counts;
}

Result<std::vector<Alert>> Fleet::Alerts(std::string_view serial) {
  VIGIL_ASSIGN_OR_RETURN(Statement s,
                         impl_->db.Prepare("SELECT seq, serial, at, kind, detail FROM fleet_alerts"
                                           " WHERE ? = '' OR serial = ? ORDER BY seq"));
  VIGIL_RETURN_IF_ERROR(s.BindText(1, serial));
  VIGIL_RETURN_IF_ERROR(s.BindText(2, serial));
  return Rows<Alert>(s, [](const Statement& row) {
    return Alert{row.ColumnInt(0), std::string(row.ColumnText(1)), std::string(row.ColumnText(2)),
                 std::string(row.ColumnText(3)), std::string(row.ColumnText(4))};
  });
}

Result<std::vector<CheckinEntry>> Fleet::Checkins(std::string_view serial, int64_t limit) {
  VIGIL_ASSIGN_OR_RETURN(
      Statement s, impl_->db.Prepare("SELECT seq, at, reported_release, slot, slot_status,"
                                     " security_counter, tree_size, tree_root, accepted"
                                     " FROM fleet_checkins WHERE serial = ? ORDER BY seq DESC"
                                     " LIMIT ?"));
  VIGIL_RETURN_IF_ERROR(s.BindText(1, serial));
  VIGIL_RETURN_IF_ERROR(s.BindInt(2, limit));
  return Rows<CheckinEntry>(s, [](const Statement& row) {
    CheckinEntry e{row.ColumnInt(0),
                   std::string(row.ColumnText(1)),
                   std::string(row.ColumnText(2)),
                   std::string(row.ColumnText(3)),
                   std::string(row.ColumnText(4)),
                   static_cast<uint64_t>(row.ColumnInt(5)),
                   std::nullopt,
                   "",
                   row.ColumnInt(8) != 0};
    if (!row.ColumnIsNull(6)) {
      e.tree_size = static_cast<uint64_t>(row.ColumnInt(6));
      e.tree_root_hex = std::string(row.ColumnText(7));
    }
    return e;
  });
}

}  // namespace vigil::fleet
