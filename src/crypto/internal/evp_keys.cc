#include "internal/evp_keys.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/x509.h>

#include <cstring>

namespace vigil::crypto::internal {

const EVP_MD* SignatureDigest(AlgorithmId alg) {
  switch (alg) {
    case AlgorithmId::kEcdsaP256Sha256: return EVP_sha256();
    case AlgorithmId::kEcdsaP384Sha384: return EVP_sha384();
    default: return nullptr;
  }
}

const char* EcGroupName(AlgorithmId alg) {
  switch (alg) {
    case AlgorithmId::kEcdsaP256Sha256: return "P-256";
    case AlgorithmId::kEcdsaP384Sha384: return "P-384";
    default: return nullptr;
  }
}

size_t EcCoordinateSize(AlgorithmId alg) {
  switch (alg) {
    case AlgorithmId::kEcdsaP256Sha256: return 32;
    case AlgorithmId::kEcdsaP384Sha384: return 48;
    default: return 0;
  }
}

Result<AlgorithmId> AlgorithmOfPkey(EVP_PKEY* pkey) {
  if (EVP_PKEY_is_a(pkey, "ED25519")) return AlgorithmId::kEd25519;
  if (EVP_PKEY_is_a(pkey, "EC")) {
    char group[64] = {0};
    size_t len = 0;
    if (EVP_PKEY_get_group_name(pkey, group, sizeof group, &len) != 1) {
      DrainOpensslErrors();
      return InvalidArgumentError("EC key with explicit (unnamed) curve parameters: only the "
                                  "named curves P-256 and P-384 are accepted");
    }
    std::string g(group, len);
    if (g == "prime256v1" || g == "P-256") return AlgorithmId::kEcdsaP256Sha256;
    if (g == "secp384r1" || g == "P-384") return AlgorithmId::kEcdsaP384Sha384;
    return InvalidArgumentError("EC key on curve '" + g + "': expected P-256 or P-384");
  }
  return InvalidArgumentError(std::string("key type '") + EVP_PKEY_get0_type_name(pkey) +
                              "' is not supported (expected Ed25519, ECDSA P-256 or P-384)");
}

Status EvpVerifyingKey::Verify(ByteView message, ByteView signature) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit_ex(ctx.get(), nullptr,
                                      SignatureDigest(alg_) ? EVP_MD_get0_name(SignatureDigest(alg_))
                                                            : nullptr,
                                      nullptr, nullptr, pkey_.get(), nullptr) != 1) {
    return OpensslError("signature verify init");
  }
  // OpenSSL's ECDSA verify re-encodes the parsed signature and rejects any DER that differs
  // (BER, trailing bytes), so malformed encodings fail here like wrong signatures.
  int rc = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                            message.size());
  DrainOpensslErrors();
  if (rc != 1) return UnauthenticatedError("signature does not verify");
  return OkStatus();
}

Bytes EvpVerifyingKey::Encode() const {
  if (alg_ == AlgorithmId::kEd25519) {
    Bytes out(32);
    size_t len = out.size();
    EVP_PKEY_get_raw_public_key(pkey_.get(), out.data(), &len);
    return out;
  }
  Bytes out(1 + 2 * EcCoordinateSize(alg_));
  size_t len = 0;
  EVP_PKEY_get_octet_string_param(pkey_.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, out.data(),
                                  out.size(), &len);
  out.resize(len);
  return out;
}

Result<Bytes> EvpSigningKey::Sign(ByteView message) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit_ex(ctx.get(), nullptr,
                                    SignatureDigest(alg_) ? EVP_MD_get0_name(SignatureDigest(alg_))
                                                          : nullptr,
                                    nullptr, nullptr, pkey_.get(), nullptr) != 1) {
    return OpensslError("signature sign init");
  }
  size_t len = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &len, message.data(), message.size()) != 1) {
    return OpensslError("signature size");
  }
  Bytes sig(len);
  if (EVP_DigestSign(ctx.get(), sig.data(), &len, message.data(), message.size()) != 1) {
    return OpensslError("sign");
  }
  sig.resize(len);
  return sig;
}

std::unique_ptr<VerifyingKey> EvpSigningKey::PublicKey() const {
  // Serialise the public half and parse it back, so the verifying key holds no private part.
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(pkey_.get(), &der);
  const unsigned char* p = der;
  PkeyPtr pub(d2i_PUBKEY(nullptr, &p, len));
  OPENSSL_free(der);
  return std::make_unique<EvpVerifyingKey>(alg_, std::move(pub));
}

}  // namespace vigil::crypto::internal
