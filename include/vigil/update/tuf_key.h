// A TUF public key ("keytype", "scheme", "keyval": {"public"}) and signature verification under
// it, for the key types a TUF client meets in practice plus our post-quantum ones:
//
//   keytype                  scheme                     keyval.public        signature ("sig")
//   ed25519                  ed25519                    hex, 32 bytes        hex, 64 bytes
//   ecdsa | ecdsa-sha2-nistp256  ecdsa-sha2-nistp256    PEM SubjectPublicKeyInfo, P-256  hex DER
//   rsa                      rsassa-pss-sha256          PEM SubjectPublicKeyInfo, >= 2048 bits  hex
//   ml-dsa-65                ml-dsa-65                  hex, FIPS 204 pk     hex
//   ml-dsa-65+ed25519        ml-dsa-65+ed25519          hex, composite pk    hex
//
// Anything else is rejected when the key is parsed, so a role can never silently count on a key
// nobody can check. Key IDs are not recomputed: TUF 1.0 leaves them opaque to clients and real
// repositories (sigstore root v11) carry ids that do not match the key's hash.
//
// Thread-safety: immutable after Parse; Verify may be called from any thread.
#ifndef VIGIL_UPDATE_TUF_KEY_H_
#define VIGIL_UPDATE_TUF_KEY_H_

#include <memory>
#include <string>
#include <string_view>

#include "vigil/core/bytes.h"
#include "vigil/core/json.h"
#include "vigil/core/result.h"
#include "vigil/crypto/signature.h"

namespace vigil::update {

// Verifies one signature; implemented over vigil::crypto or (RSA-PSS) OpenSSL directly.
class SignatureChecker {
 public:
  virtual ~SignatureChecker() = default;
  // OK, or Unauthenticated for any invalid or malformed signature.
  virtual Status Verify(ByteView message, ByteView signature) const = 0;
};

class TufKey {
 public:
  // Parses the key object at `k` (e.g. root.json's $.signed.keys["ab.."]). InvalidArgument
  // naming the document and field ("root.json: $.signed.keys.ab.keyval.public: ...") and the
  // rule, for a missing or mistyped field, unknown keytype/scheme pairs, bad encodings, wrong
  // curves, RSA keys under 2048 bits.
  static Result<TufKey> Parse(const json::Node& k);

  // The TUF key object for one of our public keys (ed25519, ecdsa-p256-sha256 as PEM,
  // ml-dsa-65, ml-dsa-65+ed25519), used by repository tooling and tests. InvalidArgument for
  // other algorithms.
  static Result<json::Value> ToJson(const crypto::VerifyingKey& key);

  // OK if `sig_hex` is the lower/upper-case hex of a valid signature of `message`;
  // Unauthenticated otherwise (including an empty or non-hex string).
  Status Verify(ByteView message, std::string_view sig_hex) const;

  const std::string& keytype() const { return keytype_; }
  const std::string& scheme() const { return scheme_; }
  // keytype, scheme and public key material: two key IDs with the same identity are one key.
  const std::string& identity() const { return identity_; }

 private:
  TufKey(std::string keytype, std::string scheme, std::string identity,
         std::shared_ptr<const SignatureChecker> checker)
      : keytype_(std::move(keytype)),
        scheme_(std::move(scheme)),
        identity_(std::move(identity)),
        checker_(std::move(checker)) {}
  std::string keytype_;
  std::string scheme_;
  std::string identity_;
  std::shared_ptr<const SignatureChecker> checker_;
};

}  // namespace vigil::update

#endif  // VIGIL_UPDATE_TUF_KEY_H_
