#include "vigil/crypto/ecdsa.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include <algorithm>

#include "internal/evp_keys.h"

namespace vigil::crypto {

using internal::EvpSigningKey;
using internal::EvpVerifyingKey;
using internal::PkeyPtr;

namespace {

Status CheckEcdsa(AlgorithmId alg) {
  if (internal::EcGroupName(alg) == nullptr) {
    return InvalidArgumentError("ecdsa: algorithm id " + std::to_string(static_cast<int>(alg)) +
                                " is not ECDSA P-256 or P-384");
  }
  return OkStatus();
}

struct SigFree {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};
using SigPtr = std::unique_ptr<ECDSA_SIG, SigFree>;

// ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING (n bytes), [0] namedCurve }:
// the bytes after the scalar ([0] holding prime256v1 1.2.840.10045.3.1.7 or secp384r1
// 1.3.132.0.34) and before it. Both curves keep every length below 128 (DER short form).
Bytes EcPrivateKeySuffix(AlgorithmId alg) {
  if (alg == AlgorithmId::kEcdsaP256Sha256) {
    return {0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
  }
  return {0xa0, 0x07, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};
}

Bytes EcPrivateKeyPrefix(AlgorithmId alg) {
  const size_t n = internal::EcCoordinateSize(alg);
  const size_t body = 3 + 2 + n + EcPrivateKeySuffix(alg).size();
  return {0x30, static_cast<uint8_t>(body), 0x02, 0x01, 0x01, 0x04, static_cast<uint8_t>(n)};
}

}  // namespace

Result<std::unique_ptr<SigningKey>> GenerateEcdsa(AlgorithmId alg) {
  VIGIL_RETURN_IF_ERROR(CheckEcdsa(alg));
  PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", internal::EcGroupName(alg)));
  if (!pkey) return internal::OpensslError("ECDSA keygen");
  return std::unique_ptr<SigningKey>(new EvpSigningKey(alg, std::move(pkey)));
}

Result<std::unique_ptr<VerifyingKey>> EcdsaPublicKey(AlgorithmId alg, ByteView point) {
  VIGIL_RETURN_IF_ERROR(CheckEcdsa(alg));
  const size_t n = internal::EcCoordinateSize(alg);
  const bool uncompressed = point.size() == 1 + 2 * n && point[0] == 0x04;
  const bool compressed = point.size() == 1 + n && (point[0] == 0x02 || point[0] == 0x03);
  if (!uncompressed && !compressed) {
    return InvalidArgumentError("ecdsa: expected a SEC1 point of " + std::to_string(1 + 2 * n) +
                                " (uncompressed) or " + std::to_string(1 + n) +
                                " (compressed) bytes, found " + std::to_string(point.size()));
  }
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
                                       const_cast<char*>(internal::EcGroupName(alg)), 0),  // NOLINT
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, const_cast<uint8_t*>(point.data()),
                                        point.size()),  // NOLINT
      OSSL_PARAM_construct_end()};
  internal::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    internal::DrainOpensslErrors();
    return InvalidArgumentError("ecdsa: public key is not a point on " +
                                std::string(internal::EcGroupName(alg)));
  }
  PkeyPtr pkey(raw);
  internal::PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    internal::DrainOpensslErrors();
    return InvalidArgumentError("ecdsa: public key is not a valid point on " +
                                std::string(internal::EcGroupName(alg)));
  }
  return std::unique_ptr<VerifyingKey>(new EvpVerifyingKey(alg, std::move(pkey)));
}

Result<Bytes> EcdsaDerToP1363(AlgorithmId alg, ByteView der) {
  VIGIL_RETURN_IF_ERROR(CheckEcdsa(alg));
  const unsigned char* p = der.data();
  SigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig || p != der.data() + der.size()) {
    internal::DrainOpensslErrors();
    return InvalidArgumentError("ecdsa: signature is not a DER Ecdsa-Sig-Value");
  }
  // Only the minimal DER encoding is accepted: re-encode and compare.
  unsigned char* re = nullptr;
  int re_len = i2d_ECDSA_SIG(sig.get(), &re);
  bool canonical = re_len == static_cast<int>(der.size()) && std::equal(der.begin(), der.end(), re);
  OPENSSL_free(re);
  if (!canonical) return InvalidArgumentError("ecdsa: signature is BER, not canonical DER");
  const size_t n = internal::EcCoordinateSize(alg);
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  Bytes out(2 * n);
  if (BN_bn2binpad(r, out.data(), static_cast<int>(n)) < 0 ||
      BN_bn2binpad(s, out.data() + n, static_cast<int>(n)) < 0) {
    return InvalidArgumentError("ecdsa: r or s is larger than the curve order");
  }
  return out;
}

Result<Bytes> EcdsaP1363ToDer(AlgorithmId alg, ByteView p1363) {
  VIGIL_RETURN_IF_ERROR(CheckEcdsa(alg));
  const size_t n = internal::EcCoordinateSize(alg);
  if (p1363.size() != 2 * n) {
    return InvalidArgumentError("ecdsa: expected a " + std::to_string(2 * n) +
                                "-byte r||s signature, found " + std::to_string(p1363.size()));
  }
  SigPtr sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(p1363.data(), static_cast<int>(n), nullptr);
  BIGNUM* s = BN_bin2bn(p1363.data() + n, static_cast<int>(n), nullptr);
  if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return internal::OpensslError("ecdsa: building signature");
  }
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return internal::OpensslError("ecdsa: DER encoding");
  Bytes out(der, der + len);
  OPENSSL_free(der);
  return out;
}

Status VerifyEcdsaP1363(const VerifyingKey& key, ByteView message, ByteView p1363) {
  auto der = EcdsaP1363ToDer(key.algorithm(), p1363);
  if (!der) return UnauthenticatedError("signature does not verify: " + der.error().message());
  return key.Verify(message, *der);
}

Result<Bytes> SignEcdsaP1363(SigningKey& key, ByteView message) {
  VIGIL_ASSIGN_OR_RETURN(Bytes der, key.Sign(message));
  return EcdsaDerToP1363(key.algorithm(), der);
}

Result<SecretBytes> EcdsaPrivateKeyDer(const SigningKey& key) {
  const auto* evp = dynamic_cast<const EvpSigningKey*>(&key);
  if (evp == nullptr || internal::EcGroupName(key.algorithm()) == nullptr) {
    return InvalidArgumentError("ecdsa: not an ECDSA P-256 or P-384 signing key");
  }
  const AlgorithmId alg = key.algorithm();
  const size_t n = internal::EcCoordinateSize(alg);
  BIGNUM* d = nullptr;
  if (EVP_PKEY_get_bn_param(evp->pkey(), OSSL_PKEY_PARAM_PRIV_KEY, &d) != 1) {
    return internal::OpensslError("ecdsa: reading the private scalar");
  }
  Bytes prefix = EcPrivateKeyPrefix(alg);
  Bytes suffix = EcPrivateKeySuffix(alg);
  SecretBytes der(prefix.size() + n + suffix.size());
  uint8_t* out = der.MutableReveal().data();
  std::copy(prefix.begin(), prefix.end(), out);
  const int written = BN_bn2binpad(d, out + prefix.size(), static_cast<int>(n));
  BN_clear_free(d);
  if (written < 0) return InternalError("ecdsa: private scalar wider than the curve order");
  std::copy(suffix.begin(), suffix.end(), out + prefix.size() + n);
  return der;
}

Result<std::unique_ptr<SigningKey>> ParseEcdsaPrivateKeyDer(AlgorithmId alg, ByteView der) {
  VIGIL_RETURN_IF_ERROR(CheckEcdsa(alg));
  const size_t n = internal::EcCoordinateSize(alg);
  const Bytes prefix = EcPrivateKeyPrefix(alg);
  const Bytes suffix = EcPrivateKeySuffix(alg);
  const std::string what = std::string("ecdsa ") + internal::EcGroupName(alg) + " ECPrivateKey: ";
  if (der.size() != prefix.size() + n + suffix.size() ||
      !std::equal(prefix.begin(), prefix.end(), der.begin()) ||
      !std::equal(suffix.begin(), suffix.end(), der.end() - static_cast<long>(suffix.size()))) {
    return InvalidArgumentError(
        what + "expected " + std::to_string(prefix.size() + n + suffix.size()) +
        " bytes of DER: version 1, a " + std::to_string(n) +
        "-byte scalar, the curve OID as parameters and no public key; "
        "found " +
        std::to_string(der.size()) + " bytes" +
        (der.size() == prefix.size() + n + suffix.size() ? " with another header or curve" : ""));
  }
  // OpenSSL recomputes the public point when the encoding omits it.
  const unsigned char* p = der.data();
  PkeyPtr pkey(d2i_PrivateKey(EVP_PKEY_EC, nullptr, &p, static_cast<long>(der.size())));
  if (!pkey || p != der.data() + der.size()) {
    internal::DrainOpensslErrors();
    return InvalidArgumentError(what + "the scalar is not a private key on the curve");
  }
  internal::PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  if (!check || EVP_PKEY_check(check.get()) != 1) {
    internal::DrainOpensslErrors();
    return InvalidArgumentError(what + "the scalar is outside [1, n-1]");
  }
  return std::unique_ptr<SigningKey>(new EvpSigningKey(alg, std::move(pkey)));
}

}  // namespace vigil::crypto
