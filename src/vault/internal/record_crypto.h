// Envelope encryption of one vault record: a fresh data key (DEK) per record, AES-256-GCM over
// the plaintext with the record's identity as associated data, the DEK wrapped by the KEK
// (RFC 3394). Also the strict parsers for the two stored blobs (fuzzed in fuzz/vault).
//
// Stored blobs:
//   wrapped_dek = AES-KW(KEK, DEK)                       exactly 40 bytes
//   sealed      = nonce (12) | ciphertext | tag (16)     at least 28 bytes
//
// Thread-safety: pure functions.
#ifndef VIGIL_VAULT_INTERNAL_RECORD_CRYPTO_H_
#define VIGIL_VAULT_INTERNAL_RECORD_CRYPTO_H_

#include <cstdint>
#include <string_view>

#include "vigil/crypto/key_wrap.h"
#include "vigil/core/bytes.h"
#include "vigil/core/env.h"
#include "vigil/core/result.h"
#include "vigil/crypto/secret_bytes.h"

namespace vigil::vault::internal {

inline constexpr size_t kDekSize = 32;
inline constexpr size_t kWrappedDekSize = kDekSize + 8;
inline constexpr size_t kNonceSize = 12;
inline constexpr size_t kTagSize = 16;

// "vigil-vault-record-v1" | u32 len | table | u32 len | id | u64 version, big-endian.
Bytes RecordAad(std::string_view table, std::string_view id, uint64_t version);

struct SealedRecordView {
  ByteView nonce;
  ByteView ciphertext_and_tag;
};

// DataLoss when the blob is shorter than nonce + tag.
Result<SealedRecordView> ParseSealedRecord(ByteView sealed);
// DataLoss unless exactly kWrappedDekSize bytes.
Status CheckWrappedDek(ByteView wrapped);

struct SealedRecord {
  Bytes wrapped_dek;
  Bytes sealed;
};

// Draws a DEK and a nonce from `env`, seals, wraps the DEK under `kek`.
Result<SealedRecord> SealRecord(const crypto::AesKeyWrapper& kek, Env& env, ByteView aad, ByteView plaintext);
// DataLoss when the wrapped key or the record fails authentication.
Result<Bytes> OpenRecord(const crypto::AesKeyWrapper& kek, ByteView wrapped_dek, ByteView sealed, ByteView aad);
// Unwraps under `old_kek` and wraps the same DEK under `new_kek` (KEK rotation).
Result<Bytes> RewrapDek(const crypto::AesKeyWrapper& old_kek, const crypto::AesKeyWrapper& new_kek, ByteView wrapped_dek);
// The key check value stored for a KEK: HMAC-SHA-256(KEK, "vigil-vault-kek-check-v1").
Bytes KekCheckValue(const crypto::SecretBytes& kek);

}  // namespace vigil::vault::internal

#endif  // VIGIL_VAULT_INTERNAL_RECORD_CRYPTO_H_
