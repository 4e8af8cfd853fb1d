// Vault: an encrypted record store on SQLite (envelope encryption) with key rotation and
// crypto-erase, for confidentiality of patient data at rest (FDA Appendix 1 CONF, MDS2 STCF).
//
// Every record is sealed with AES-256-GCM under its own random 256-bit data key (DEK); the DEK
// is stored beside it, wrapped (RFC 3394 AES key wrap) by the key-encryption key (KEK) that a
// KekSource holds outside the database. The associated data of each record is
//   "vigil-vault-record-v1" | u32 len | table | u32 len | id | u64 version   (big-endian)
// so a record copied to another id or table, or whose version column is edited, fails to open
// (DataLoss). A whole row replaced by an older copy of itself (rollback) opens as that older
// version; callers that must detect it pass the version they last wrote to Get (min_version),
// or anchor versions in a monotonic counter outside the file.
//
// Only ciphertext reaches the database: plaintext is never written to the file, its rollback
// journal or any temporary file. Table names and record ids are stored in clear (they index the
// store), so they must be opaque identifiers, never patient data.
//
// Storage: SQLite with secure_delete=ON (freed content is zeroed), the rollback journal in
// DELETE mode (the journal, which holds pre-images of changed pages, is unlinked at each commit;
// chosen over WAL so no old page images stay in a -wal file after a crypto-erase) and
// synchronous=EXTRA: the directory is synced after the journal is unlinked, so a committed
// transaction cannot be rolled back by a journal that reappears after a power cut. That matters
// here because commits are ordered against KEK changes outside the database.
//
// Rotation and erase are crash-safe: each step is a SQLite transaction and the database records
// what is in progress, so Open() finishes an interrupted operation. After a power cut during
// any of them the vault opens either in the old or in the new state and every record reads
// back (except, by design, after crypto-erase has begun: then nothing does).
//  - RotateKek: a new random KEK; the DEKs are re-wrapped in batches (record data untouched);
//    the new KEK, wrapped under the old one, is kept in the database only until the source holds
//    it. Old-KEK compromise during that window reveals the new KEK.
//  - RotateDataKeys: every record re-encrypted under a fresh DEK, in batches.
//  - CryptoErase (NIST SP 800-88 Rev. 1 cryptographic erase): the KEK is destroyed in its source
//    and every wrapped DEK and key check value is overwritten in the database.
// Each of them, and vault creation (kKeyGenerate), is recorded through the audit EventSink; if
// the sink fails the operation reports the failure (the key change itself has happened).
//
// Thread-safety: all methods may be called from any thread; they serialise on one mutex.
#ifndef VIGIL_VAULT_VAULT_H_
#define VIGIL_VAULT_VAULT_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "vigil/audit/event_sink.h"
#include "vigil/core/bytes.h"
#include "vigil/core/env.h"
#include "vigil/core/result.h"
#include "vigil/vault/kek_source.h"

namespace vigil::vault {

struct VaultOptions {
  std::string path;                        // the SQLite database file
  std::string sqlite_vfs;                  // SQLite VFS name; "" = the default (tests inject one)
  std::string device_id = "vigil-device";  // audit: the observing device
  std::string actor_id = "vault";          // audit: the component acting
  size_t rotation_batch = 512;             // records per transaction during rotation
};

struct RecordInput {
  std::string_view id;
  ByteView plaintext;
};

struct Record {
  Bytes plaintext;
  uint64_t version = 0;  // 1 for the first Put of an id, +1 per later Put
};

class Vault {
 public:
  // Creates a new vault at options.path with a fresh random KEK stored in `kek_source`.
  // AlreadyExists when the database already holds a vault. `kek_source`, `sink` and `env` must
  // outlive the vault.
  static Result<std::unique_ptr<Vault>> Create(const VaultOptions& options, KekSource& kek_source,
                                               audit::EventSink& sink, Env& env);
  // Opens an existing vault and finishes any interrupted rotation or erase. NotFound when there
  // is no vault; FailedPrecondition when it was crypto-erased; Unauthenticated when the source's
  // KEK is not this vault's; DataLoss when the database is inconsistent.
  static Result<std::unique_ptr<Vault>> Open(const VaultOptions& options, KekSource& kek_source,
                                             audit::EventSink& sink, Env& env);
  ~Vault();

  // Stores `plaintext` as the next version of (table, id). Table: 1–64 of [a-z0-9_]; id: 1–128
  // of [A-Za-z0-9._:@/-]. InvalidArgument otherwise; FailedPrecondition after erase.
  Status Put(std::string_view table, std::string_view id, ByteView plaintext);
  // Several records in one transaction (all or none).
  Status PutBatch(std::string_view table, std::span<const RecordInput> records);
  // NotFound when absent; DataLoss when the record fails authentication (swapped, edited,
  // truncated) or is older than `min_version` (rolled back).
  Result<Record> Get(std::string_view table, std::string_view id, uint64_t min_version = 0);
  // NotFound when absent. The row is overwritten (secure_delete) in the same transaction.
  Status Delete(std::string_view table, std::string_view id);
  // Number of records in the vault.
  Result<uint64_t> Count();

  Status RotateKek();
  Status RotateDataKeys();
  // Irreversible. Afterwards every method fails with FailedPrecondition and Open as well.
  Status CryptoErase();

  // Introspection for tests and the CLI: the KEK generation (1 after Create, +1 per rotation)
  // and the data-key epoch (0 after Create, +1 per RotateDataKeys).
  uint64_t kek_generation() const;
  uint64_t data_key_epoch() const;

 private:
  class Impl;
  explicit Vault(std::unique_ptr<Impl> impl);
  mutable std::mutex mu_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::vault

#endif  // VIGIL_VAULT_VAULT_H_
