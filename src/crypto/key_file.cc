#include "vigil/crypto/key_file.h"

#include <openssl/x509.h>

#include "internal/evp_keys.h"
#include "vigil/core/encoding.h"
#include "vigil/crypto/pq/composite.h"
#include "vigil/crypto/pq/hss.h"
#include "vigil/crypto/pq/ml_dsa.h"
#include "vigil/crypto/secret_bytes.h"

namespace vigil::crypto {
namespace {

using internal::EvpSigningKey;
using internal::EvpVerifyingKey;
using internal::PkeyPtr;

std::string Pem(std::string_view label, ByteView der) {
  std::string b64 = Base64Encode(der);
  std::string out = "-----BEGIN " + std::string(label) + "-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  out += "-----END " + std::string(label) + "-----\n";
  return out;
}

// The DER inside the single PEM block labelled `label`. Lines must be canonical base64 of at
// most 64 characters (RFC 7468 strict); nothing but whitespace may surround the block.
Result<Bytes> PemBody(std::string_view pem, std::string_view label, std::string_view source) {
  const std::string src(source);
  constexpr std::string_view kBegin = "-----BEGIN ";
  size_t begin = pem.find(kBegin);
  if (begin == std::string_view::npos) {
    return InvalidArgumentError(src + ": expected a PEM '" + std::string(label) +
                                "' block, found no PEM block");
  }
  size_t label_end = pem.find("-----", begin + kBegin.size());
  if (label_end == std::string_view::npos)
    return InvalidArgumentError(src + ": malformed PEM header");
  std::string_view found = pem.substr(begin + kBegin.size(), label_end - begin - kBegin.size());
  if (found != label) {
    return InvalidArgumentError(src + ": expected a PEM '" + std::string(label) +
                                "' block, found '" + std::string(found) + "'");
  }
  for (char c : pem.substr(0, begin)) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
      return InvalidArgumentError(src + ": unexpected text before the PEM block");
    }
  }
  const std::string end_line = "-----END " + std::string(label) + "-----";
  size_t body_start = label_end + 5;
  size_t end = pem.find(end_line, body_start);
  if (end == std::string_view::npos) {
    return InvalidArgumentError(src + ": missing '" + end_line + "'");
  }
  for (char c : pem.substr(end + end_line.size())) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
      return InvalidArgumentError(src + ": unexpected text after the PEM block (one key per file)");
    }
  }
  std::string b64;
  std::string_view body = pem.substr(body_start, end - body_start);
  size_t line_no = 1;
  while (!body.empty()) {
    size_t nl = body.find('\n');
    std::string_view line = body.substr(0, nl);
    body = nl == std::string_view::npos ? std::string_view() : body.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.size() > 64) {
      return InvalidArgumentError(src + ": PEM body line " + std::to_string(line_no) +
                                  " is longer than 64 characters");
    }
    b64.append(line);
    ++line_no;
  }
  auto der = Base64Decode(b64);
  if (!der) return der.error().WithContext(src + ": PEM body");
  return der;
}

}  // namespace

Result<std::string> EncodePrivateKeyPem(const SigningKey& key) {
  for (auto encode : {pq::MlDsaPkcs8, pq::CompositePkcs8}) {
    if (auto der = encode(key)) {
      SecretBytes secret = SecretBytes::CopyFrom(*der);
      SecureZero(*der);
      return Pem("PRIVATE KEY", secret.Reveal());
    }
  }
  const auto* evp = dynamic_cast<const EvpSigningKey*>(&key);
  if (evp == nullptr) {
    return InvalidArgumentError("key file: this key type has no PKCS#8 encoding in this build");
  }
  PKCS8_PRIV_KEY_INFO* p8 = EVP_PKEY2PKCS8(evp->pkey());
  if (p8 == nullptr) return internal::OpensslError("PKCS#8 encoding");
  unsigned char* der = nullptr;
  int len = i2d_PKCS8_PRIV_KEY_INFO(p8, &der);
  PKCS8_PRIV_KEY_INFO_free(p8);
  if (len <= 0) return internal::OpensslError("PKCS#8 DER");
  SecretBytes secret = SecretBytes::CopyFrom(ByteView(der, static_cast<size_t>(len)));
  OPENSSL_clear_free(der, static_cast<size_t>(len));
  return Pem("PRIVATE KEY", secret.Reveal());
}

Result<std::string> EncodePublicKeyPem(const VerifyingKey& key) {
  if (auto der = pq::MlDsaSpki(key)) return Pem("PUBLIC KEY", *der);
  if (auto der = pq::HssSpki(key)) return Pem("PUBLIC KEY", *der);
  if (auto der = pq::CompositeSpki(key)) return Pem("PUBLIC KEY", *der);
  const auto* evp = dynamic_cast<const EvpVerifyingKey*>(&key);
  if (evp == nullptr) {
    return InvalidArgumentError("key file: this key type has no SPKI encoding in this build");
  }
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(evp->pkey(), &der);
  if (len <= 0) return internal::OpensslError("SPKI DER");
  std::string out = Pem("PUBLIC KEY", ByteView(der, static_cast<size_t>(len)));
  OPENSSL_free(der);
  return out;
}

Result<std::unique_ptr<SigningKey>> ParsePrivateKeyPem(std::string_view pem,
                                                       std::string_view source) {
  VIGIL_ASSIGN_OR_RETURN(Bytes der, PemBody(pem, "PRIVATE KEY", source));
  SecretBytes secret = SecretBytes::CopyFrom(der);
  SecureZero(der);
  for (auto parse : {pq::ParseMlDsaPkcs8, pq::ParseCompositePkcs8}) {
    auto pq_key = parse(secret.Reveal());
    if (pq_key) return std::move(*pq_key);
    if (pq_key.error().code() != ErrorCode::kNotFound) {
      return pq_key.error().WithContext(std::string(source));
    }
  }
  const unsigned char* p = secret.Reveal().data();
  PKCS8_PRIV_KEY_INFO* p8 = d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(secret.size()));
  if (p8 == nullptr || p != secret.Reveal().data() + secret.size()) {
    PKCS8_PRIV_KEY_INFO_free(p8);
    internal::DrainOpensslErrors();
    return InvalidArgumentError(std::string(source) + ": not a DER PKCS#8 PrivateKeyInfo");
  }
  PkeyPtr pkey(EVP_PKCS82PKEY(p8));
  PKCS8_PRIV_KEY_INFO_free(p8);
  if (!pkey) {
    internal::DrainOpensslErrors();
    return InvalidArgumentError(std::string(source) + ": PKCS#8 key could not be decoded");
  }
  auto alg = internal::AlgorithmOfPkey(pkey.get());
  if (!alg) return alg.error().WithContext(std::string(source));
  return std::unique_ptr<SigningKey>(new EvpSigningKey(*alg, std::move(pkey)));
}

Result<std::unique_ptr<VerifyingKey>> ParsePublicKeyPem(std::string_view pem,
                                                        std::string_view source) {
  VIGIL_ASSIGN_OR_RETURN(Bytes der, PemBody(pem, "PUBLIC KEY", source));
  auto ml_dsa = pq::ParseMlDsaSpki(der);
  if (ml_dsa) return std::move(*ml_dsa);
  if (ml_dsa.error().code() != ErrorCode::kNotFound) {
    return ml_dsa.error().WithContext(std::string(source));
  }
  auto composite = pq::ParseCompositeSpki(der);
  if (composite) return std::move(*composite);
  if (composite.error().code() != ErrorCode::kNotFound) {
    return composite.error().WithContext(std::string(source));
  }
  auto hss = pq::ParseHssSpki(der);
  if (hss) return std::move(*hss);
  if (hss.error().code() != ErrorCode::kNotFound)
    return hss.error().WithContext(std::string(source));
  const unsigned char* p = der.data();
  PkeyPtr pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (!pkey || p != der.data() + der.size()) {
    internal::DrainOpensslErrors();
    return InvalidArgumentError(std::string(source) + ": not a DER SubjectPublicKeyInfo");
  }
  if (EVP_PKEY_is_a(pkey.get(), "RSA") == 1) {
    auto rsa = internal::RsaPssPublicKey(der);
    if (!rsa) return rsa.error().WithContext(std::string(source));
    return std::move(*rsa);
  }
  auto alg = internal::AlgorithmOfPkey(pkey.get());
  if (!alg) return alg.error().WithContext(std::string(source));
  // Re-encode and compare: accept only the canonical named-curve encoding.
  unsigned char* re = nullptr;
  int len = i2d_PUBKEY(pkey.get(), &re);
  bool canonical = len == static_cast<int>(der.size()) && std::equal(der.begin(), der.end(), re);
  OPENSSL_free(re);
  if (!canonical) {
    return InvalidArgumentError(std::string(source) + ": public key is not in canonical DER");
  }
  return std::unique_ptr<VerifyingKey>(new EvpVerifyingKey(*alg, std::move(pkey)));
}

Status WritePrivateKeyFile(Env& env, const std::string& path, const SigningKey& key) {
  VIGIL_ASSIGN_OR_RETURN(std::string pem, EncodePrivateKeyPem(key));
  Status s = env.WriteFileAtomic(path, AsBytes(pem));
  SecureZero({reinterpret_cast<uint8_t*>(pem.data()), pem.size()});  // NOLINT: wipe PEM text
  return s;
}

Status WritePublicKeyFile(Env& env, const std::string& path, const VerifyingKey& key) {
  VIGIL_ASSIGN_OR_RETURN(std::string pem, EncodePublicKeyPem(key));
  return env.WriteFileAtomic(path, AsBytes(pem));
}

Result<std::unique_ptr<SigningKey>> ReadPrivateKeyFile(Env& env, const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(Bytes text, env.ReadFile(path));
  if (pq::IsHssStateFile(text)) {
    // A stateful HSS key is its state file: loading reserves the next leaf range durably.
    SecureZero(text);
    VIGIL_ASSIGN_OR_RETURN(auto hss, pq::HssSigningKey::Load(env, path));
    return std::unique_ptr<SigningKey>(std::move(hss));
  }
  auto key = ParsePrivateKeyPem(AsStringView(text), path);
  SecureZero(text);
  return key;
}

Result<std::unique_ptr<VerifyingKey>> ReadPublicKeyFile(Env& env, const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(Bytes text, env.ReadFile(path));
  return ParsePublicKeyPem(AsStringView(text), path);
}

}  // namespace vigil::crypto
