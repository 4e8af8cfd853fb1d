// AES key wrap (RFC 3394 / SP 800-38F KW) and key wrap with padding (RFC 5649 / KWP), used to
// protect data keys under a key-encryption key. KEKs of 16, 24 or 32 bytes (32 is the default
// everywhere in Vigil; the shorter ones exist for interoperability and the test vectors).
//
// Thread-safety: the free functions are pure; an AesKeyWrapper is not thread-safe (its AES
// contexts are reused), one per thread or serialised by its owner.
#ifndef VIGIL_CRYPTO_KEY_WRAP_H_
#define VIGIL_CRYPTO_KEY_WRAP_H_

#include <memory>

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"
#include "vigil/crypto/secret_bytes.h"

namespace vigil::crypto {

// KW under one KEK whose AES key schedule is set up once: each wrap or unwrap is then its 6n
// block operations (AES-NI through OpenSSL's ECB contexts). Setting up OpenSSL's AES-WRAP cipher
// per call costs more than that (17.5 µs per unwrap on the reference machine), which dominated
// a vault read; the vault keeps one wrapper per KEK. The free AesKeyWrap/AesKeyUnwrap below are
// this class used once, so KW has one implementation (tested against Wycheproof and,
// differentially, OpenSSL's AES-WRAP).
class AesKeyWrapper {
 public:
  // InvalidArgument unless `kek` is 16, 24 or 32 bytes; Internal if OpenSSL refuses the key.
  static Result<AesKeyWrapper> Create(const SecretBytes& kek);
  AesKeyWrapper(AesKeyWrapper&&) noexcept;
  AesKeyWrapper& operator=(AesKeyWrapper&&) noexcept;
  ~AesKeyWrapper();

  // `key`: a multiple of 8 bytes, at least 16 (InvalidArgument otherwise). Output 8 bytes longer.
  Result<Bytes> Wrap(ByteView key) const;
  // InvalidArgument for a malformed length; Unauthenticated when the integrity check fails.
  Result<SecretBytes> Unwrap(ByteView wrapped) const;

 private:
  struct Contexts;
  explicit AesKeyWrapper(std::unique_ptr<Contexts> ctx);
  std::unique_ptr<Contexts> ctx_;
};

// KW: the key to wrap must be a multiple of 8 bytes and at least 16. InvalidArgument otherwise.
Result<Bytes> AesKeyWrap(const SecretBytes& kek, const SecretBytes& key);
// Unauthenticated if the integrity check fails; InvalidArgument for a malformed length.
Result<SecretBytes> AesKeyUnwrap(const SecretBytes& kek, ByteView wrapped);

// KWP: any key length from 1 byte.
Result<Bytes> AesKeyWrapPad(const SecretBytes& kek, const SecretBytes& key);
Result<SecretBytes> AesKeyUnwrapPad(const SecretBytes& kek, ByteView wrapped);

}  // namespace vigil::crypto

#endif  // VIGIL_CRYPTO_KEY_WRAP_H_
