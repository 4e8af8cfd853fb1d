// The vault's state and operations without locking (Vault adds the mutex). Split over
// vault_core.cc (schema, meta, records) and vault_maintenance.cc (rotation, erase, recovery).
//
// Meta rows (table vault_meta, name → value):
//   format          1
//   kek_gen         generation of the current KEK (records carry the generation that wraps them)
//   kek_check       KekCheckValue(current KEK)
//   pending_kek     during KEK rotation: the new KEK wrapped (AES-KW) under the current one
//   pending_check   during KEK rotation: KekCheckValue(new KEK)
//   dek_epoch       data-key epoch; records carry the epoch their DEK was drawn in
//   dek_target      during data-key rotation: dek_epoch + 1
//   erasing         crypto-erase has begun (the vault no longer opens records)
//   erased          crypto-erase finished
//
// Thread-safety: none; the caller serialises.
#ifndef VIGIL_VAULT_INTERNAL_VAULT_CORE_H_
#define VIGIL_VAULT_INTERNAL_VAULT_CORE_H_

#include <optional>
#include <string>

#include "vigil/crypto/key_wrap.h"
#include "vigil/audit/event.h"
#include "vigil/audit/event_sink.h"
#include "vigil/storage/database.h"
#include "vigil/vault/vault.h"

namespace vigil::vault::internal {

class VaultCore {
 public:
  VaultCore(VaultOptions options, storage::Database db, KekSource& source, audit::EventSink& sink, Env& env)
      : options_(std::move(options)), db_(std::move(db)), source_(source), sink_(sink), env_(env) {}

  // vault_core.cc
  static Status ApplyPragmas(storage::Database& db);
  Status CreateSchema();
  Status Put(std::string_view table, std::span<const RecordInput> records);
  Result<Record> Get(std::string_view table, std::string_view id, uint64_t min_version);
  Status Delete(std::string_view table, std::string_view id);
  Result<uint64_t> Count();

  // vault_maintenance.cc
  Status Initialise();  // new vault: KEK, meta, event
  Status Recover();     // existing vault: load KEK, finish interrupted work
  Status RotateKek();
  Status RotateDataKeys();
  Status CryptoErase();

  uint64_t kek_gen() const { return kek_gen_; }
  uint64_t dek_epoch() const { return dek_epoch_; }

 private:
  // Meta access.
  Result<std::optional<int64_t>> MetaInt(std::string_view name);
  Result<std::optional<Bytes>> MetaBlob(std::string_view name);
  Status SetMetaInt(std::string_view name, int64_t value);
  Status SetMetaBlob(std::string_view name, ByteView value);
  Status DeleteMeta(std::string_view name);

  Status CheckUsable() const;
  Result<const crypto::AesKeyWrapper*> KekForGeneration(int64_t gen) const;
  Status Emit(audit::Action action, audit::Outcome outcome, std::string reason);

  Status RecoverKek(const Bytes& check);
  // Rotation steps (each a transaction, each safe to repeat after a crash).
  Status RewrapAll();
  Status FinishKekRotation();
  Status ReencryptAll(int64_t target);
  Status FinishDataKeyRotation(int64_t target);
  Status FinishErase();
  Result<bool> RewrapBatch();
  Result<bool> ReencryptBatch(int64_t target);

  VaultOptions options_;
  storage::Database db_;
  KekSource& source_;
  audit::EventSink& sink_;
  Env& env_;

  // A KEK with its key schedule ready for wrapping.
  struct LoadedKek {
    static Result<LoadedKek> Make(crypto::SecretBytes key);
    crypto::SecretBytes key;
    crypto::AesKeyWrapper cipher;
  };
  std::optional<LoadedKek> kek_;
  uint64_t kek_gen_ = 0;
  std::optional<LoadedKek> pending_kek_;  // only while a KEK rotation runs
  uint64_t dek_epoch_ = 0;
  bool erased_ = false;
};

// Identifier rules shared by Put/Get/Delete.
Status CheckTableName(std::string_view table);
Status CheckRecordId(std::string_view id);

}  // namespace vigil::vault::internal

#endif  // VIGIL_VAULT_INTERNAL_VAULT_CORE_H_
