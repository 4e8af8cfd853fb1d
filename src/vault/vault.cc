#include "vigil/vault/vault.h"

#include "internal/vault_core.h"

namespace vigil::vault {

class Vault::Impl : public internal::VaultCore {
 public:
  using VaultCore::VaultCore;
};

namespace {

// True when the database already holds the vault's meta table.
Result<bool> HasVaultSchema(storage::Database& db) { return db.HasTable("vault_meta"); }

Result<storage::Database> OpenDb(const VaultOptions& options, bool create) {
  if (options.rotation_batch == 0) {
    return InvalidArgumentError("vault options: rotation_batch must be at least 1");
  }
  storage::SqliteOptions sqlite;
  sqlite.path = options.path;
  sqlite.create = create;
  sqlite.vfs = options.sqlite_vfs;
  VIGIL_ASSIGN_OR_RETURN(storage::Database db, storage::Database::OpenSqlite(sqlite));
  VIGIL_RETURN_IF_ERROR(internal::VaultCore::ApplyPragmas(db));
  return db;
}

}  // namespace

Vault::Vault(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Vault::~Vault() = default;

Result<std::unique_ptr<Vault>> Vault::Create(const VaultOptions& options, KekSource& kek_source,
                                             audit::EventSink& sink, Env& env) {
  VIGIL_ASSIGN_OR_RETURN(storage::Database db, OpenDb(options, /*create=*/true));
  VIGIL_ASSIGN_OR_RETURN(bool exists, HasVaultSchema(db));
  if (exists) return AlreadyExistsError(options.path + ": already holds a vault");
  auto impl = std::make_unique<Impl>(options, std::move(db), kek_source, sink, env);
  VIGIL_RETURN_IF_ERROR(impl->Initialise());
  return std::unique_ptr<Vault>(new Vault(std::move(impl)));
}

Result<std::unique_ptr<Vault>> Vault::Open(const VaultOptions& options, KekSource& kek_source,
                                           audit::EventSink& sink, Env& env) {
  VIGIL_ASSIGN_OR_RETURN(storage::Database db, OpenDb(options, /*create=*/false));
  VIGIL_ASSIGN_OR_RETURN(bool exists, HasVaultSchema(db));
  if (!exists) return NotFoundError(options.path + ": the database holds no vault");
  auto impl = std::make_unique<Impl>(options, std::move(db), kek_source, sink, env);
  VIGIL_RETURN_IF_ERROR(impl->Recover());
  return std::unique_ptr<Vault>(new Vault(std::move(impl)));
}

Status Vault::Put(std::string_view table, std::string_view id, ByteView plaintext) {
  RecordInput one{id, plaintext};
  std::lock_guard l(mu_);
  return impl_->Put(table, std::span(&one, 1));
}

Status Vault::PutBatch(std::string_view table, std::span<const RecordInput> records) {
  std::lock_guard l(mu_);
  return impl_->Put(table, records);
}

Result<Record> Vault::Get(std::string_view table, std::string_view id, uint64_t min_version) {
  std::lock_guard l(mu_);
  return impl_->Get(table, id, min_version);
}

Status Vault::Delete(std::string_view table, std::string_view id) {
  std::lock_guard l(mu_);
  return impl_->Delete(table, id);
}

Result<uint64_t> Vault::Count() {
  std::lock_guard l(mu_);
  return impl_->Count();
}

Status Vault::RotateKek() {
  std::lock_guard l(mu_);
  return impl_->RotateKek();
}

Status Vault::RotateDataKeys() {
  std::lock_guard l(mu_);
  return impl_->RotateDataKeys();
}

Status Vault::CryptoErase() {
  std::lock_guard l(mu_);
  return impl_->CryptoErase();
}

uint64_t Vault::kek_generation() const {
  std::lock_guard l(mu_);
  return impl_->kek_gen();
}

uint64_t Vault::data_key_epoch() const {
  std::lock_guard l(mu_);
  return impl_->dek_epoch();
}

}  // namespace vigil::vault
