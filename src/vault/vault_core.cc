#include "internal/vault_core.h"

#include "internal/record_crypto.h"

namespace vigil::vault::internal {

namespace {

bool IsTableChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == ':' || c == '@' || c == '/' || c == '-';
}

template <typename Pred>
bool AllOf(std::string_view s, Pred pred) {
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}

}  // namespace

Status CheckTableName(std::string_view table) {
  if (table.empty() || table.size() > 64 || !AllOf(table, IsTableChar)) {
    return InvalidArgumentError("vault table name: expected 1-64 characters of [a-z0-9_], got \"" +
                                std::string(table.substr(0, 64)) + "\"");
  }
  return OkStatus();
}

Status CheckRecordId(std::string_view id) {
  // Ids are stored in clear; the character set keeps them identifiers, not free text.
  // The id is not echoed: a user who typed a name where an identifier belongs would see it in
  // logs. Its length and the first character refused say what to fix.
  constexpr std::string_view kExpected =
      "vault record id: expected 1-128 characters of [A-Za-z0-9._:@/-]";
  if (id.empty() || id.size() > 128) {
    return InvalidArgumentError(std::string(kExpected) + " (" + std::to_string(id.size()) +
                                " characters given)");
  }
  for (size_t i = 0; i < id.size(); ++i) {
    if (IsIdChar(id[i])) continue;
    const unsigned char c = static_cast<unsigned char>(id[i]);
    const std::string what = c == ' '                  ? "a space"
                             : (c < 0x20 || c >= 0x7f) ? "byte " + std::to_string(c)
                                                       : std::string("'") + id[i] + "'";
    return InvalidArgumentError(std::string(kExpected) + "; character " + std::to_string(i + 1) +
                                " is " + what +
                                " (an id is an opaque identifier such as patient-0042, never a "
                                "name)");
  }
  return OkStatus();
}

Status VaultCore::ApplyPragmas(storage::Database& db) {
  // secure_delete zeroes freed content; DELETE journal + synchronous=EXTRA: see vault.h.
  // temp_store=MEMORY keeps sorter and temporary tables out of temporary files.
  return db.Exec(
      "PRAGMA secure_delete=ON; PRAGMA journal_mode=DELETE; PRAGMA synchronous=EXTRA; "
      "PRAGMA temp_store=MEMORY;");
}

Status VaultCore::CreateSchema() {
  return db_.Exec(
      "CREATE TABLE vault_meta(name TEXT PRIMARY KEY, value NOT NULL) WITHOUT ROWID;"
      "CREATE TABLE vault_records(rid INTEGER PRIMARY KEY, tbl TEXT NOT NULL, id TEXT NOT NULL,"
      " version INTEGER NOT NULL, kek_gen INTEGER NOT NULL, dek_epoch INTEGER NOT NULL,"
      " wrapped_dek BLOB, sealed BLOB NOT NULL, UNIQUE(tbl, id));");
}

Result<std::optional<int64_t>> VaultCore::MetaInt(std::string_view name) {
  VIGIL_ASSIGN_OR_RETURN(storage::Statement s,
                         db_.Prepare("SELECT value FROM vault_meta WHERE name=?"));
  VIGIL_RETURN_IF_ERROR(s.BindText(1, name));
  VIGIL_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<int64_t>();
  return std::optional<int64_t>(s.ColumnInt(0));
}

Result<std::optional<Bytes>> VaultCore::MetaBlob(std::string_view name) {
  VIGIL_ASSIGN_OR_RETURN(storage::Statement s,
                         db_.Prepare("SELECT value FROM vault_meta WHERE name=?"));
  VIGIL_RETURN_IF_ERROR(s.BindText(1, name));
  VIGIL_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<Bytes>();
  ByteView v = s.ColumnBlob(0);
  return std::optional<Bytes>(Bytes(v.begin(), v.end()));
}

Status VaultCore::SetMetaInt(std::string_view name, int64_t value) {
  VIGIL_ASSIGN_OR_RETURN(
      storage::Statement s,
      db_.Prepare("INSERT OR REPLACE INTO vault_meta(name, value) VALUES(?, ?)"));
  VIGIL_RETURN_IF_ERROR(s.BindText(1, name));
  VIGIL_RETURN_IF_ERROR(s.BindInt(2, value));
  return s.Run();
}

Status VaultCore::SetMetaBlob(std::string_view name, ByteView value) {
  VIGIL_ASSIGN_OR_RETURN(
      storage::Statement s,
      db_.Prepare("INSERT OR REPLACE INTO vault_meta(name, value) VALUES(?, ?)"));
  VIGIL_RETURN_IF_ERROR(s.BindText(1, name));
  VIGIL_RETURN_IF_ERROR(s.BindBlob(2, value));
  return s.Run();
}

Status VaultCore::DeleteMeta(std::string_view name) {
  VIGIL_ASSIGN_OR_RETURN(storage::Statement s, db_.Prepare("DELETE FROM vault_meta WHERE name=?"));
  VIGIL_RETURN_IF_ERROR(s.BindText(1, name));
  return s.Run();
}

Status VaultCore::CheckUsable() const {
  if (erased_) return FailedPreconditionError(options_.path + ": the vault was crypto-erased");
  return OkStatus();
}

Result<VaultCore::LoadedKek> VaultCore::LoadedKek::Make(crypto::SecretBytes key) {
  VIGIL_ASSIGN_OR_RETURN(crypto::AesKeyWrapper cipher, crypto::AesKeyWrapper::Create(key));
  return LoadedKek{std::move(key), std::move(cipher)};
}

Result<const crypto::AesKeyWrapper*> VaultCore::KekForGeneration(int64_t gen) const {
  if (kek_ && gen == static_cast<int64_t>(kek_gen_)) return &kek_->cipher;
  if (pending_kek_ && gen == static_cast<int64_t>(kek_gen_ + 1)) return &pending_kek_->cipher;
  return DataLossError("vault record: wrapped under KEK generation " + std::to_string(gen) +
                       ", the vault holds generation " + std::to_string(kek_gen_));
}

Status VaultCore::Emit(audit::Action action, audit::Outcome outcome, std::string reason) {
  audit::Event e;
  e.device_id = options_.device_id;
  e.actor_id = options_.actor_id;
  e.actor_role = audit::Role::kSystem;
  e.action = action;
  e.outcome = outcome;
  e.purpose = audit::Purpose::kSecurity;
  e.interface = audit::Interface::kInternal;
  e.reason = std::move(reason);
  e.object_ids = {"vault", "kek-generation:" + std::to_string(kek_gen_),
                  "data-key-epoch:" + std::to_string(dek_epoch_)};
  return sink_.Record(std::move(e));
}

Status VaultCore::Put(std::string_view table, std::span<const RecordInput> records) {
  VIGIL_RETURN_IF_ERROR(CheckUsable());
  VIGIL_RETURN_IF_ERROR(CheckTableName(table));
  for (const RecordInput& r : records) VIGIL_RETURN_IF_ERROR(CheckRecordId(r.id));
  VIGIL_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db_));
  VIGIL_ASSIGN_OR_RETURN(
      storage::Statement * find_ptr,
      db_.Cached("SELECT version FROM vault_records WHERE tbl=? AND id=?"));
  VIGIL_ASSIGN_OR_RETURN(
      storage::Statement * upsert_ptr,
      db_.Cached(
             "INSERT INTO vault_records(tbl, id, version, kek_gen, dek_epoch, wrapped_dek,"
             " sealed) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(tbl, id) DO UPDATE SET"
             " version=?3, kek_gen=?4, dek_epoch=?5, wrapped_dek=?6, sealed=?7"));
  storage::Statement& find = *find_ptr;
  storage::Statement& upsert = *upsert_ptr;
  for (const RecordInput& r : records) {
    VIGIL_RETURN_IF_ERROR(find.BindText(1, table));
    VIGIL_RETURN_IF_ERROR(find.BindText(2, r.id));
    VIGIL_ASSIGN_OR_RETURN(bool exists, find.Step());
    uint64_t version = exists ? static_cast<uint64_t>(find.ColumnInt(0)) + 1 : 1;
    find.Reset();
    VIGIL_ASSIGN_OR_RETURN(
        SealedRecord sealed,
        SealRecord(kek_->cipher, env_, RecordAad(table, r.id, version), r.plaintext));
    VIGIL_RETURN_IF_ERROR(upsert.BindText(1, table));
    VIGIL_RETURN_IF_ERROR(upsert.BindText(2, r.id));
    VIGIL_RETURN_IF_ERROR(upsert.BindInt(3, static_cast<int64_t>(version)));
    VIGIL_RETURN_IF_ERROR(upsert.BindInt(4, static_cast<int64_t>(kek_gen_)));
    VIGIL_RETURN_IF_ERROR(upsert.BindInt(5, static_cast<int64_t>(dek_epoch_)));
    VIGIL_RETURN_IF_ERROR(upsert.BindBlob(6, sealed.wrapped_dek));
    VIGIL_RETURN_IF_ERROR(upsert.BindBlob(7, sealed.sealed));
    VIGIL_RETURN_IF_ERROR(upsert.Run());
  }
  return txn.Commit();
}

Result<Record> VaultCore::Get(std::string_view table, std::string_view id, uint64_t min_version) {
  VIGIL_RETURN_IF_ERROR(CheckUsable());
  VIGIL_RETURN_IF_ERROR(CheckTableName(table));
  VIGIL_RETURN_IF_ERROR(CheckRecordId(id));
  VIGIL_ASSIGN_OR_RETURN(storage::Statement * stmt,
                         db_.Cached(
                                "SELECT version, kek_gen, wrapped_dek, sealed FROM vault_records"
                                " WHERE tbl=? AND id=?"));
  storage::Statement& s = *stmt;
  VIGIL_RETURN_IF_ERROR(s.BindText(1, table));
  VIGIL_RETURN_IF_ERROR(s.BindText(2, id));
  VIGIL_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return NotFoundError("vault: no record " + std::string(table) + "/" + std::string(id));
  Record out;
  out.version = static_cast<uint64_t>(s.ColumnInt(0));
  auto kek = KekForGeneration(s.ColumnInt(1));
  Result<Bytes> plain =
      kek ? OpenRecord(**kek, s.ColumnBlob(2), s.ColumnBlob(3), RecordAad(table, id, out.version))
          : Result<Bytes>(kek.error());
  s.Reset();
  if (plain && out.version < min_version) {
    plain = DataLossError("vault record: version " + std::to_string(out.version) +
                          " is older than the version " + std::to_string(min_version) +
                          " last written (rolled back)");
  }
  if (!plain) {
    // Tampering is a security event; the record's id stays out of the event (it may be linkable).
    (void)Emit(audit::Action::kIntegrityViolation, audit::Outcome::kSeriousFailure,
               "vault record failed authentication");
    return plain.error().WithContext(std::string(table) + "/" + std::string(id));
  }
  out.plaintext = std::move(*plain);
  return out;
}

Status VaultCore::Delete(std::string_view table, std::string_view id) {
  VIGIL_RETURN_IF_ERROR(CheckUsable());
  VIGIL_RETURN_IF_ERROR(CheckTableName(table));
  VIGIL_RETURN_IF_ERROR(CheckRecordId(id));
  VIGIL_ASSIGN_OR_RETURN(storage::Statement s,
                         db_.Prepare("DELETE FROM vault_records WHERE tbl=? AND id=?"));
  VIGIL_RETURN_IF_ERROR(s.BindText(1, table));
  VIGIL_RETURN_IF_ERROR(s.BindText(2, id));
  VIGIL_RETURN_IF_ERROR(s.Run());
  if (db_.Changes() == 0) {
    return NotFoundError("vault: no record " + std::string(table) + "/" + std::string(id));
  }
  return OkStatus();
}

Result<uint64_t> VaultCore::Count() {
  VIGIL_RETURN_IF_ERROR(CheckUsable());
  VIGIL_ASSIGN_OR_RETURN(storage::Statement s, db_.Prepare("SELECT count(*) FROM vault_records"));
  VIGIL_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return InternalError("vault: count(*) returned no row");
  return static_cast<uint64_t>(s.ColumnInt(0));
}

}  // namespace vigil::vault::internal
