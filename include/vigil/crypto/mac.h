// HMAC-SHA-256 (RFC 2104, FIPS 198-1) and HKDF-SHA-256 (RFC 5869) over OpenSSL 3.0.
//
// Thread-safety: pure functions.
#ifndef VIGIL_CRYPTO_MAC_H_
#define VIGIL_CRYPTO_MAC_H_

#include <array>

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"
#include "vigil/crypto/secret_bytes.h"

namespace vigil::crypto {

using HmacSha256Tag = std::array<uint8_t, 32>;

// HMAC-SHA-256 of `data` under `key` (any key length).
HmacSha256Tag HmacSha256(ByteView key, ByteView data);

// Checks `tag` in constant time. Truncated tags (SP 800-107: at least 16 bytes) compare against
// the leading bytes of the full tag. Unauthenticated on mismatch; InvalidArgument for a tag
// shorter than 16 or longer than 32 bytes.
Status VerifyHmacSha256(ByteView key, ByteView data, ByteView tag);

// HKDF-SHA-256 extract-and-expand. `length` must be 1..8160 (255 × 32) bytes: InvalidArgument
// otherwise. An empty salt means a string of 32 zero bytes (RFC 5869 §2.2).
Result<SecretBytes> HkdfSha256(ByteView ikm, ByteView salt, ByteView info, size_t length);

}  // namespace vigil::crypto

#endif  // VIGIL_CRYPTO_MAC_H_
