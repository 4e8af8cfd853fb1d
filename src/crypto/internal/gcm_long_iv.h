// AES-GCM for nonces longer than OpenSSL 3.0 accepts (it caps GCM IVs at 128 bytes). SP 800-38D
// defines any IV length: for IVs other than 96 bits, J0 = GHASH_H(IV || 0^(s+64) || [len(IV)]64).
// Nothing in Vigil uses such nonces (Aead takes 12 bytes); this exists so the AES-GCM engine
// implements the whole standard and passes every Wycheproof vector. Software GHASH: bitwise,
// without table lookups, so no secret-indexed memory access.
#ifndef VIGIL_CRYPTO_INTERNAL_GCM_LONG_IV_H_
#define VIGIL_CRYPTO_INTERNAL_GCM_LONG_IV_H_

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"
#include "vigil/crypto/secret_bytes.h"

namespace vigil::crypto::internal {

// ciphertext || tag
Result<Bytes> GcmLongIvSeal(const SecretBytes& key, ByteView iv, ByteView plaintext, ByteView aad);
// plaintext, or Unauthenticated
Result<Bytes> GcmLongIvOpen(const SecretBytes& key, ByteView iv, ByteView sealed, ByteView aad);

}  // namespace vigil::crypto::internal

#endif  // VIGIL_CRYPTO_INTERNAL_GCM_LONG_IV_H_
