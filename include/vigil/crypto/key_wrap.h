// AES key wrap (RFC 3394 / SP 800-38F KW) and key wrap with padding (RFC 5649 / KWP), used to
// protect data keys under a key-encryption key. KEKs of 16, 24 or 32 bytes (32 is the default
// everywhere in Vigil; the shorter ones exist for interoperability and the test vectors).
//
// Thread-safety: pure functions.
#ifndef VIGIL_CRYPTO_KEY_WRAP_H_
#define VIGIL_CRYPTO_KEY_WRAP_H_

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"
#include "vigil/crypto/secret_bytes.h"

namespace vigil::crypto {

// KW: the key to wrap must be a multiple of 8 bytes and at least 16. InvalidArgument otherwise.
Result<Bytes> AesKeyWrap(const SecretBytes& kek, const SecretBytes& key);
// Unauthenticated if the integrity check fails; InvalidArgument for a malformed length.
Result<SecretBytes> AesKeyUnwrap(const SecretBytes& kek, ByteView wrapped);

// KWP: any key length from 1 byte.
Result<Bytes> AesKeyWrapPad(const SecretBytes& kek, const SecretBytes& key);
Result<SecretBytes> AesKeyUnwrapPad(const SecretBytes& kek, ByteView wrapped);

}  // namespace vigil::crypto

#endif  // VIGIL_CRYPTO_KEY_WRAP_H_
