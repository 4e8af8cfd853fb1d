#include "vigil/update/tuf_key.h"

#include "pem_public_key.h"
#include "vigil/core/encoding.h"
#include "vigil/crypto/key_file.h"

namespace vigil::update {
namespace {

using internal::CryptoChecker;

// One accepted (keytype, scheme) pair and how its keyval.public is read.
enum class PublicEncoding { kHex, kPemP256, kPemRsa };
struct KeyKind {
  std::string_view keytype;
  std::string_view scheme;
  PublicEncoding encoding;
  crypto::AlgorithmId alg;  // unused for kPemRsa
};
constexpr KeyKind kKeyKinds[] = {
    {"ed25519", "ed25519", PublicEncoding::kHex, crypto::AlgorithmId::kEd25519},
    {"ecdsa", "ecdsa-sha2-nistp256", PublicEncoding::kPemP256,
     crypto::AlgorithmId::kEcdsaP256Sha256},
    {"ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256", PublicEncoding::kPemP256,
     crypto::AlgorithmId::kEcdsaP256Sha256},
    {"rsa", "rsassa-pss-sha256", PublicEncoding::kPemRsa, crypto::AlgorithmId::kSha256},
    {"ml-dsa-65", "ml-dsa-65", PublicEncoding::kHex, crypto::AlgorithmId::kMlDsa65},
    {"ml-dsa-65+ed25519", "ml-dsa-65+ed25519", PublicEncoding::kHex,
     crypto::AlgorithmId::kMlDsa65Ed25519},
};

Result<std::unique_ptr<SignatureChecker>> MakeChecker(const KeyKind& kind, const std::string& pub) {
  switch (kind.encoding) {
    case PublicEncoding::kPemRsa:
      return internal::ParseRsaPssPublicKey(pub);
    case PublicEncoding::kPemP256: {
      VIGIL_ASSIGN_OR_RETURN(Bytes point, internal::PemP256ToPoint(pub));
      VIGIL_ASSIGN_OR_RETURN(auto key, crypto::ParseVerifyingKey(kind.alg, point));
      return std::unique_ptr<SignatureChecker>(new CryptoChecker(std::move(key)));
    }
    case PublicEncoding::kHex: {
      VIGIL_ASSIGN_OR_RETURN(Bytes raw, HexDecode(pub));
      VIGIL_ASSIGN_OR_RETURN(auto key, crypto::ParseVerifyingKey(kind.alg, raw));
      return std::unique_ptr<SignatureChecker>(new CryptoChecker(std::move(key)));
    }
  }
  return InternalError("unreachable key encoding");
}

}  // namespace

Result<TufKey> TufKey::Parse(const json::Node& k) {
  VIGIL_RETURN_IF_ERROR(k.ExpectObject());
  VIGIL_ASSIGN_OR_RETURN(std::string keytype, k.Get("keytype").String());
  VIGIL_ASSIGN_OR_RETURN(std::string scheme, k.Get("scheme").String());
  json::Node pub = k.Get("keyval").Get("public");
  VIGIL_ASSIGN_OR_RETURN(std::string_view public_value, pub.StringView());
  const std::string where = k.name() + ": " + k.path();
  for (const KeyKind& kind : kKeyKinds) {
    if (kind.keytype != keytype || kind.scheme != scheme) continue;
    auto checker = MakeChecker(kind, std::string(public_value));
    if (!checker) return checker.error().WithContext(pub.name() + ": " + pub.path());
    std::string identity = keytype + "/" + scheme + "/" + std::string(public_value);
    return TufKey(std::move(keytype), std::move(scheme), std::move(identity),
                  std::shared_ptr<const SignatureChecker>(std::move(*checker)));
  }
  return InvalidArgumentError(where + ": unsupported keytype/scheme \"" + OneLine(keytype) +
                              "\"/\"" + OneLine(scheme) +
                              "\" (supported: ed25519, ecdsa-sha2-nistp256, "
                              "rsassa-pss-sha256, ml-dsa-65, ml-dsa-65+ed25519)");
}

namespace {

// A key object: {"keytype", "scheme", "keyval": {"public"}}.
json::Value KeyObject(std::string_view keytype, std::string_view scheme, std::string pub) {
  json::Value keyval = json::Value::MakeObject();
  keyval.Set("public", std::move(pub));
  json::Value key = json::Value::MakeObject();
  key.Set("keytype", keytype);
  key.Set("scheme", scheme);
  key.Set("keyval", std::move(keyval));
  return key;
}

}  // namespace

Result<json::Value> TufKey::ToJson(const crypto::VerifyingKey& key) {
  for (const KeyKind& kind : kKeyKinds) {
    if (kind.encoding != PublicEncoding::kHex || kind.alg != key.algorithm()) continue;
    return KeyObject(kind.keytype, kind.scheme, HexEncode(key.Encode()));
  }
  if (key.algorithm() == crypto::AlgorithmId::kEcdsaP256Sha256) {
    // PEM SubjectPublicKeyInfo, as python-tuf/securesystemslib write ECDSA keys.
    VIGIL_ASSIGN_OR_RETURN(std::string pem, crypto::EncodePublicKeyPem(key));
    return KeyObject("ecdsa", "ecdsa-sha2-nistp256", std::move(pem));
  }
  return InvalidArgumentError(
      "TUF key: only ed25519, ecdsa-p256-sha256, ml-dsa-65 and ml-dsa-65+ed25519 public keys "
      "can be written by Vigil");
}

Status TufKey::Verify(ByteView message, std::string_view sig_hex) const {
  auto sig = HexDecode(sig_hex);
  if (!sig || sig->empty()) {
    return UnauthenticatedError("signature is not a non-empty hex string");
  }
  return checker_->Verify(message, *sig);
}

}  // namespace vigil::update
