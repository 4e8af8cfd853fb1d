// Key files: private keys as PKCS#8 PEM ("PRIVATE KEY", unencrypted: protect the file, or keep
// the key in a hardware module) and public keys as SubjectPublicKeyInfo PEM ("PUBLIC KEY"), the
// formats OpenSSL and every TLS stack read. Classical algorithms (Ed25519, ECDSA P-256/P-384)
// today; post-quantum keys use the same framing with their algorithm OIDs when they land.
//
// Parsing is strict: exactly one PEM block with the expected label, canonical base64, DER with
// no trailing bytes, a supported algorithm on a named curve. Errors name the source, e.g.
// "key.pem: expected a PEM 'PRIVATE KEY' block, found 'CERTIFICATE'".
//
// Thread-safety: pure functions (file functions: as thread-safe as the Env).
#ifndef VIGIL_CRYPTO_KEY_FILE_H_
#define VIGIL_CRYPTO_KEY_FILE_H_

#include <memory>
#include <string>
#include <string_view>

#include "vigil/core/env.h"
#include "vigil/crypto/signature.h"

namespace vigil::crypto {

Result<std::string> EncodePrivateKeyPem(const SigningKey& key);
Result<std::string> EncodePublicKeyPem(const VerifyingKey& key);

// `source` names where the text came from (a path) for error messages.
Result<std::unique_ptr<SigningKey>> ParsePrivateKeyPem(std::string_view pem, std::string_view source);
Result<std::unique_ptr<VerifyingKey>> ParsePublicKeyPem(std::string_view pem, std::string_view source);

// Files through an Env: private keys are written atomically with mode 0600.
Status WritePrivateKeyFile(Env& env, const std::string& path, const SigningKey& key);
Status WritePublicKeyFile(Env& env, const std::string& path, const VerifyingKey& key);
Result<std::unique_ptr<SigningKey>> ReadPrivateKeyFile(Env& env, const std::string& path);
Result<std::unique_ptr<VerifyingKey>> ReadPublicKeyFile(Env& env, const std::string& path);

}  // namespace vigil::crypto

#endif  // VIGIL_CRYPTO_KEY_FILE_H_
