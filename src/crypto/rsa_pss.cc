// RSASSA-PSS-SHA256 verification over OpenSSL: the one RSA scheme Vigil accepts, for TUF
// repositories whose keys are RSA. Verify-only: Vigil's own signatures are Ed25519, ECDSA,
// ML-DSA, HSS/LMS or composites.
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <algorithm>

#include "internal/evp_keys.h"

namespace vigil::crypto::internal {
namespace {

class RsaPssVerifyingKey final : public VerifyingKey {
 public:
  explicit RsaPssVerifyingKey(PkeyPtr pkey) : pkey_(std::move(pkey)) {}
  AlgorithmId algorithm() const override { return AlgorithmId::kRsaPssSha256; }

  Status Verify(ByteView message, ByteView signature) const override {
    MdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, pkey_.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_AUTO) != 1) {
      return OpensslError("rsassa-pss-sha256: verification set-up");
    }
    int rc = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                              message.size());
    DrainOpensslErrors();
    if (rc == 1) return OkStatus();
    return UnauthenticatedError("rsassa-pss-sha256: signature does not verify");
  }

  // The DER SubjectPublicKeyInfo (RSA has no shorter standard raw form).
  Bytes Encode() const override {
    unsigned char* der = nullptr;
    int len = i2d_PUBKEY(pkey_.get(), &der);
    Bytes out;
    if (len > 0) out.assign(der, der + len);
    OPENSSL_free(der);
    return out;
  }

 private:
  PkeyPtr pkey_;
};

}  // namespace

Result<std::unique_ptr<VerifyingKey>> RsaPssPublicKey(ByteView spki_der) {
  const unsigned char* p = spki_der.data();
  PkeyPtr pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki_der.size())));
  if (!pkey || p != spki_der.data() + spki_der.size()) {
    DrainOpensslErrors();
    return InvalidArgumentError("rsassa-pss-sha256: not a DER SubjectPublicKeyInfo");
  }
  if (EVP_PKEY_is_a(pkey.get(), "RSA") != 1) {
    return InvalidArgumentError(std::string("rsassa-pss-sha256: expected an RSA public key, found ") +
                                EVP_PKEY_get0_type_name(pkey.get()));
  }
  const int bits = EVP_PKEY_get_bits(pkey.get());
  if (bits < kMinRsaBits) {
    return InvalidArgumentError("rsassa-pss-sha256: expected an RSA modulus of at least " +
                                std::to_string(kMinRsaBits) + " bits, found " +
                                std::to_string(bits));
  }
  auto key = std::make_unique<RsaPssVerifyingKey>(std::move(pkey));
  const Bytes canonical = key->Encode();
  if (!std::equal(canonical.begin(), canonical.end(), spki_der.begin(), spki_der.end())) {
    return InvalidArgumentError("rsassa-pss-sha256: public key is not in canonical DER");
  }
  return std::unique_ptr<VerifyingKey>(std::move(key));
}

}  // namespace vigil::crypto::internal
