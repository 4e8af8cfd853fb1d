// Key lifecycle of the vault: creation, KEK rotation, data-key rotation, crypto-erase, and the
// recovery that Open runs. Every step is one SQLite transaction that is safe to repeat, and the
// meta table says which step comes next, so a power cut at any point is finished by Open.
#include <vector>

#include "internal/record_crypto.h"
#include "internal/vault_core.h"
#include "vigil/crypto/key_wrap.h"

namespace vigil::vault::internal {

namespace {

Result<crypto::SecretBytes> NewKey(Env& env) {
  crypto::SecretBytes key(KekSource::kKekSize);
  VIGIL_RETURN_IF_ERROR(env.FillRandom(key.MutableReveal()));
  return key;
}

bool Matches(const crypto::SecretBytes& kek, const std::optional<Bytes>& check) {
  return check && crypto::ConstantTimeEquals(KekCheckValue(kek), *check);
}

}  // namespace

Status VaultCore::Initialise() {
  VIGIL_ASSIGN_OR_RETURN(crypto::SecretBytes key, NewKey(env_));
  VIGIL_ASSIGN_OR_RETURN(kek_, LoadedKek::Make(std::move(key)));
  kek_gen_ = 1;
  dek_epoch_ = 0;
  // The source gets the KEK first: a crash before the commit below leaves no vault, and the
  // next Create simply replaces the orphaned key.
  VIGIL_RETURN_IF_ERROR(source_.StoreKek(kek_->key));
  VIGIL_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db_));
  VIGIL_RETURN_IF_ERROR(CreateSchema());
  VIGIL_RETURN_IF_ERROR(SetMetaInt("format", 1));
  VIGIL_RETURN_IF_ERROR(SetMetaInt("kek_gen", 1));
  VIGIL_RETURN_IF_ERROR(SetMetaBlob("kek_check", KekCheckValue(kek_->key)));
  VIGIL_RETURN_IF_ERROR(SetMetaInt("dek_epoch", 0));
  VIGIL_RETURN_IF_ERROR(txn.Commit());
  return Emit(audit::Action::kKeyGenerate, audit::Outcome::kSuccess, "vault KEK generated");
}

Status VaultCore::Recover() {
  VIGIL_ASSIGN_OR_RETURN(std::optional<int64_t> erased, MetaInt("erased"));
  VIGIL_ASSIGN_OR_RETURN(std::optional<int64_t> erasing, MetaInt("erasing"));
  if (erased || erasing) {
    if (erasing) {
      VIGIL_RETURN_IF_ERROR(FinishErase());
      VIGIL_RETURN_IF_ERROR(Emit(audit::Action::kCryptoErase, audit::Outcome::kSuccess,
                                 "interrupted crypto-erase finished"));
    }
    erased_ = true;
    return FailedPreconditionError(options_.path + ": the vault was crypto-erased");
  }
  VIGIL_ASSIGN_OR_RETURN(std::optional<int64_t> gen, MetaInt("kek_gen"));
  VIGIL_ASSIGN_OR_RETURN(std::optional<int64_t> epoch, MetaInt("dek_epoch"));
  VIGIL_ASSIGN_OR_RETURN(std::optional<Bytes> check, MetaBlob("kek_check"));
  if (!gen || !epoch || !check) {
    return DataLossError(options_.path + ": vault meta lacks kek_gen, dek_epoch or kek_check");
  }
  kek_gen_ = static_cast<uint64_t>(*gen);
  dek_epoch_ = static_cast<uint64_t>(*epoch);
  VIGIL_RETURN_IF_ERROR(RecoverKek(*check));
  VIGIL_ASSIGN_OR_RETURN(std::optional<int64_t> target, MetaInt("dek_target"));
  if (target) {
    VIGIL_RETURN_IF_ERROR(ReencryptAll(*target));
    VIGIL_RETURN_IF_ERROR(FinishDataKeyRotation(*target));
  }
  return OkStatus();
}

Status VaultCore::RecoverKek(const Bytes& check) {
  VIGIL_ASSIGN_OR_RETURN(crypto::SecretBytes kek, source_.LoadKek());
  VIGIL_ASSIGN_OR_RETURN(std::optional<Bytes> pending_check, MetaBlob("pending_check"));
  if (Matches(kek, check)) {
    VIGIL_ASSIGN_OR_RETURN(kek_, LoadedKek::Make(std::move(kek)));
    if (!pending_check) return OkStatus();
    // Interrupted before the source took the new KEK: resume from the re-wrap.
    VIGIL_ASSIGN_OR_RETURN(std::optional<Bytes> pending, MetaBlob("pending_kek"));
    if (!pending) return DataLossError(options_.path + ": pending_check without pending_kek");
    auto next = crypto::AesKeyUnwrap(kek_->key, *pending);
    if (!next || !Matches(*next, pending_check)) {
      return DataLossError(options_.path + ": the pending KEK does not unwrap or match its check");
    }
    VIGIL_ASSIGN_OR_RETURN(pending_kek_, LoadedKek::Make(std::move(*next)));
    return RotateKek();
  }
  if (Matches(kek, pending_check)) {
    // Interrupted after the source took the new KEK: every DEK was re-wrapped before that.
    VIGIL_ASSIGN_OR_RETURN(pending_kek_, LoadedKek::Make(std::move(kek)));
    return FinishKekRotation();
  }
  (void)Emit(audit::Action::kIntegrityViolation, audit::Outcome::kSeriousFailure,
             "KEK does not match the vault");
  return UnauthenticatedError(options_.path + ": the KEK from " + source_.Describe() +
                              " is not this vault's (check value differs)");
}

Status VaultCore::RotateKek() {
  VIGIL_RETURN_IF_ERROR(CheckUsable());
  if (!pending_kek_) {
    VIGIL_ASSIGN_OR_RETURN(crypto::SecretBytes next, NewKey(env_));
    VIGIL_ASSIGN_OR_RETURN(Bytes wrapped, crypto::AesKeyWrap(kek_->key, next));
    VIGIL_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db_));
    VIGIL_RETURN_IF_ERROR(SetMetaBlob("pending_kek", wrapped));
    VIGIL_RETURN_IF_ERROR(SetMetaBlob("pending_check", KekCheckValue(next)));
    VIGIL_RETURN_IF_ERROR(txn.Commit());
    VIGIL_ASSIGN_OR_RETURN(pending_kek_, LoadedKek::Make(std::move(next)));
  }
  VIGIL_RETURN_IF_ERROR(RewrapAll());
  // Only now may the source forget the old KEK: no record needs it any more.
  VIGIL_RETURN_IF_ERROR(source_.StoreKek(pending_kek_->key));
  return FinishKekRotation();
}

Status VaultCore::RewrapAll() {
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool more, RewrapBatch());
    if (!more) return OkStatus();
  }
}

Result<bool> VaultCore::RewrapBatch() {
  VIGIL_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db_));
  VIGIL_ASSIGN_OR_RETURN(
      storage::Statement select,
      db_.Prepare("SELECT rid, wrapped_dek FROM vault_records WHERE kek_gen=? LIMIT ?"));
  VIGIL_RETURN_IF_ERROR(select.BindInt(1, static_cast<int64_t>(kek_gen_)));
  VIGIL_RETURN_IF_ERROR(select.BindInt(2, static_cast<int64_t>(options_.rotation_batch)));
  std::vector<std::pair<int64_t, Bytes>> rewrapped;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    VIGIL_ASSIGN_OR_RETURN(Bytes wrapped,
                           RewrapDek(kek_->cipher, pending_kek_->cipher, select.ColumnBlob(1)));
    rewrapped.emplace_back(select.ColumnInt(0), std::move(wrapped));
  }
  if (rewrapped.empty()) return false;
  VIGIL_ASSIGN_OR_RETURN(
      storage::Statement update,
      db_.Prepare("UPDATE vault_records SET wrapped_dek=?, kek_gen=? WHERE rid=?"));
  for (const auto& [rid, wrapped] : rewrapped) {
    VIGIL_RETURN_IF_ERROR(update.BindBlob(1, wrapped));
    VIGIL_RETURN_IF_ERROR(update.BindInt(2, static_cast<int64_t>(kek_gen_ + 1)));
    VIGIL_RETURN_IF_ERROR(update.BindInt(3, rid));
    VIGIL_RETURN_IF_ERROR(update.Run());
  }
  VIGIL_RETURN_IF_ERROR(txn.Commit());
  return true;
}

Status VaultCore::FinishKekRotation() {
  VIGIL_ASSIGN_OR_RETURN(storage::Statement stale,
                         db_.Prepare("SELECT count(*) FROM vault_records WHERE kek_gen<>?"));
  VIGIL_RETURN_IF_ERROR(stale.BindInt(1, static_cast<int64_t>(kek_gen_ + 1)));
  VIGIL_ASSIGN_OR_RETURN(bool row, stale.Step());
  if (!row || stale.ColumnInt(0) != 0) {
    return DataLossError(options_.path +
                         ": records still wrapped under an old KEK after the "
                         "source took the new one");
  }
  VIGIL_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db_));
  VIGIL_RETURN_IF_ERROR(SetMetaBlob("kek_check", KekCheckValue(pending_kek_->key)));
  VIGIL_RETURN_IF_ERROR(SetMetaInt("kek_gen", static_cast<int64_t>(kek_gen_ + 1)));
  VIGIL_RETURN_IF_ERROR(DeleteMeta("pending_kek"));
  VIGIL_RETURN_IF_ERROR(DeleteMeta("pending_check"));
  VIGIL_RETURN_IF_ERROR(txn.Commit());
  kek_ = std::move(pending_kek_);
  pending_kek_.reset();
  ++kek_gen_;
  return Emit(audit::Action::kKeyRotate, audit::Outcome::kSuccess, "vault KEK rotated");
}

Status VaultCore::RotateDataKeys() {
  VIGIL_RETURN_IF_ERROR(CheckUsable());
  int64_t target = static_cast<int64_t>(dek_epoch_ + 1);
  VIGIL_ASSIGN_OR_RETURN(std::optional<int64_t> pending, MetaInt("dek_target"));
  if (pending) {
    target = *pending;
  } else {
    VIGIL_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db_));
    VIGIL_RETURN_IF_ERROR(SetMetaInt("dek_target", target));
    VIGIL_RETURN_IF_ERROR(txn.Commit());
  }
  VIGIL_RETURN_IF_ERROR(ReencryptAll(target));
  return FinishDataKeyRotation(target);
}

Status VaultCore::ReencryptAll(int64_t target) {
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool more, ReencryptBatch(target));
    if (!more) return OkStatus();
  }
}

Result<bool> VaultCore::ReencryptBatch(int64_t target) {
  struct Row {
    int64_t rid;
    SealedRecord sealed;
  };
  VIGIL_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db_));
  VIGIL_ASSIGN_OR_RETURN(
      storage::Statement select,
      db_.Prepare("SELECT rid, tbl, id, version, kek_gen, wrapped_dek, sealed FROM vault_records"
                  " WHERE dek_epoch<? LIMIT ?"));
  VIGIL_RETURN_IF_ERROR(select.BindInt(1, target));
  VIGIL_RETURN_IF_ERROR(select.BindInt(2, static_cast<int64_t>(options_.rotation_batch)));
  std::vector<Row> rows;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    Bytes aad = RecordAad(select.ColumnText(1), select.ColumnText(2),
                          static_cast<uint64_t>(select.ColumnInt(3)));
    VIGIL_ASSIGN_OR_RETURN(const crypto::AesKeyWrapper* kek, KekForGeneration(select.ColumnInt(4)));
    VIGIL_ASSIGN_OR_RETURN(Bytes plain,
                           OpenRecord(*kek, select.ColumnBlob(5), select.ColumnBlob(6), aad));
    auto sealed = SealRecord(kek_->cipher, env_, aad, plain);
    crypto::SecureZero(plain);
    if (!sealed) return sealed.error();
    rows.push_back({select.ColumnInt(0), std::move(*sealed)});
  }
  if (rows.empty()) return false;
  VIGIL_ASSIGN_OR_RETURN(
      storage::Statement update,
      db_.Prepare("UPDATE vault_records SET wrapped_dek=?, sealed=?, kek_gen=?, dek_epoch=?"
                  " WHERE rid=?"));
  for (const Row& r : rows) {
    VIGIL_RETURN_IF_ERROR(update.BindBlob(1, r.sealed.wrapped_dek));
    VIGIL_RETURN_IF_ERROR(update.BindBlob(2, r.sealed.sealed));
    VIGIL_RETURN_IF_ERROR(update.BindInt(3, static_cast<int64_t>(kek_gen_)));
    VIGIL_RETURN_IF_ERROR(update.BindInt(4, target));
    VIGIL_RETURN_IF_ERROR(update.BindInt(5, r.rid));
    VIGIL_RETURN_IF_ERROR(update.Run());
  }
  VIGIL_RETURN_IF_ERROR(txn.Commit());
  return true;
}

Status VaultCore::FinishDataKeyRotation(int64_t target) {
  VIGIL_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db_));
  VIGIL_RETURN_IF_ERROR(SetMetaInt("dek_epoch", target));
  VIGIL_RETURN_IF_ERROR(DeleteMeta("dek_target"));
  VIGIL_RETURN_IF_ERROR(txn.Commit());
  dek_epoch_ = static_cast<uint64_t>(target);
  return Emit(audit::Action::kKeyRotate, audit::Outcome::kSuccess, "vault data keys rotated");
}

Status VaultCore::CryptoErase() {
  VIGIL_RETURN_IF_ERROR(CheckUsable());
  {
    // The point of no return: from this commit on, Open finishes the erase instead of opening.
    VIGIL_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db_));
    VIGIL_RETURN_IF_ERROR(SetMetaInt("erasing", 1));
    VIGIL_RETURN_IF_ERROR(txn.Commit());
  }
  VIGIL_RETURN_IF_ERROR(FinishErase());
  return Emit(audit::Action::kCryptoErase, audit::Outcome::kSuccess,
              "vault KEK and wrapped data keys destroyed");
}

Status VaultCore::FinishErase() {
  kek_.reset();
  pending_kek_.reset();
  erased_ = true;
  VIGIL_RETURN_IF_ERROR(source_.DestroyKek());
  // secure_delete=ON makes SQLite zero the space the old cells occupied.
  VIGIL_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db_));
  VIGIL_RETURN_IF_ERROR(db_.Exec("UPDATE vault_records SET wrapped_dek=NULL"));
  VIGIL_RETURN_IF_ERROR(db_.Exec(
      "DELETE FROM vault_meta WHERE name IN ('kek_check', 'pending_kek', 'pending_check')"));
  VIGIL_RETURN_IF_ERROR(SetMetaInt("erased", 1));
  VIGIL_RETURN_IF_ERROR(DeleteMeta("erasing"));
  return txn.Commit();
}

}  // namespace vigil::vault::internal
