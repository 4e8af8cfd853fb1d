// A KEK sealed in a file under a passphrase.
//
// The file holds the Argon2id parameters and salt, a nonce, and the KEK encrypted with
// AES-256-GCM under Argon2id(passphrase, salt) — the whole header is the associated data, so a
// changed parameter (say, a downgrade of the memory cost) makes the file fail to open instead of
// weakening it. Binary layout (integers big-endian), exactly and nothing more:
//
//   "VGLKEK01" | memory_kib u32 | iterations u32 | parallelism u32 | salt_len u8 | salt
//   | nonce (12) | sealed KEK (32 + 16-byte tag)
//
// Security property: an attacker holding the file must pay one Argon2id evaluation
// (memory_kib KiB, iterations passes) per passphrase guess. The parameters never fall below the
// OWASP minimum (m = 19 MiB, t = 2, p = 1; see vigil/identity/password_hasher.h).
// DestroyKek overwrites the file with zeros, syncs, and removes it; on flash storage with
// wear levelling the old blocks may survive in the device, which is why the KEK — not the
// passphrase — is what must be destroyed, and why a hardware key store is preferred.
//
// Thread-safety: not thread-safe; one object per file.
#ifndef VIGIL_VAULT_PASSPHRASE_KEK_FILE_H_
#define VIGIL_VAULT_PASSPHRASE_KEK_FILE_H_

#include <array>
#include <cstdint>
#include <string>

#include "vigil/core/bytes.h"
#include "vigil/core/env.h"
#include "vigil/core/result.h"
#include "vigil/crypto/secret_bytes.h"
#include "vigil/vault/kek_source.h"

namespace vigil::vault {

// Argon2id cost parameters of a sealed KEK file.
class KdfParams {
 public:
  // m = 64 MiB, t = 3, p = 1: the same default as password hashing.
  static KdfParams Default();
  // InvalidArgument below the OWASP minimum or above m = 4 GiB, t = 64, p = 16.
  static Result<KdfParams> Create(uint32_t memory_kib, uint32_t iterations, uint32_t parallelism);

  uint32_t memory_kib() const { return memory_kib_; }
  uint32_t iterations() const { return iterations_; }
  uint32_t parallelism() const { return parallelism_; }

 private:
  KdfParams(uint32_t m, uint32_t t, uint32_t p) : memory_kib_(m), iterations_(t), parallelism_(p) {}
  uint32_t memory_kib_;
  uint32_t iterations_;
  uint32_t parallelism_;
};

// The parsed content of a sealed KEK file (nothing secret: the KEK inside is still encrypted).
struct SealedKek {
  static constexpr size_t kMinSaltSize = 16;
  static constexpr size_t kMaxSaltSize = 64;
  static constexpr size_t kNonceSize = 12;
  static constexpr size_t kSealedSize = 32 + 16;
  // The longest valid file (145 bytes): LoadKek refuses a larger one without reading it.
  static constexpr size_t kMaxEncodedSize = 8 + 3 * 4 + 1 + kMaxSaltSize + kNonceSize + kSealedSize;

  KdfParams params = KdfParams::Default();
  Bytes salt;
  std::array<uint8_t, kNonceSize> nonce{};
  std::array<uint8_t, kSealedSize> sealed{};

  // The header bytes (everything before `sealed`): the AEAD's associated data.
  Bytes EncodeHeader() const;
  Bytes Encode() const;
  // DataLoss naming the field when `file` is not exactly the layout above (bad magic, parameters
  // out of range, salt length outside 16..64, truncated or trailing bytes).
  static Result<SealedKek> Parse(ByteView file);
};

class PassphraseKekFile final : public KekSource {
 public:
  // `env` must outlive the object. InvalidArgument when the passphrase is shorter than 8 bytes.
  static Result<PassphraseKekFile> Create(std::string path, crypto::SecretBytes passphrase,
                                          KdfParams params, Env& env);

  // NotFound when the file is missing; DataLoss when it is malformed; ResourceExhausted
  // ("PATH: N bytes, over the 145 bytes limit for a sealed KEK file") when it is larger than
  // SealedKek::kMaxEncodedSize, refused unread through Env::ReadFileLimited; Unauthenticated
  // when the passphrase is wrong or the file was altered.
  Result<crypto::SecretBytes> LoadKek() override;
  // Seals `kek` with a fresh salt and nonce and the object's current parameters, and replaces
  // the file atomically (Env::WriteFileAtomic).
  Status StoreKek(const crypto::SecretBytes& kek) override;
  Status DestroyKek() override;
  std::string Describe() const override { return "kek-file:" + path_; }

 private:
  PassphraseKekFile(std::string path, crypto::SecretBytes passphrase, KdfParams params, Env& env)
      : path_(std::move(path)), passphrase_(std::move(passphrase)), params_(params), env_(&env) {}
  Result<crypto::SecretBytes> DeriveKey(const KdfParams& params, ByteView salt) const;

  std::string path_;
  crypto::SecretBytes passphrase_;
  KdfParams params_;
  Env* env_;
};

}  // namespace vigil::vault

#endif  // VIGIL_VAULT_PASSPHRASE_KEK_FILE_H_
