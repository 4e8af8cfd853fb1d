#include "pem_public_key.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <string>

namespace vigil::update::internal {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct CtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

Result<PkeyPtr> ReadPem(std::string_view pem) {
  if (pem.size() > 16384) return InvalidArgumentError("PEM public key longer than 16384 bytes");
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return InternalError("BIO_new_mem_buf failed");
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) {
    return InvalidArgumentError(
        "expected a PEM \"PUBLIC KEY\" (SubjectPublicKeyInfo); it does "
        "not parse");
  }
  return PkeyPtr(key);
}

class RsaPssChecker : public SignatureChecker {
 public:
  explicit RsaPssChecker(PkeyPtr key) : key_(std::move(key)) {}
  Status Verify(ByteView message, ByteView signature) const override {
    std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key_.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_AUTO) != 1) {
      return InternalError("rsassa-pss-sha256: OpenSSL verification setup failed");
    }
    int rc = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                              message.size());
    if (rc == 1) return OkStatus();
    return UnauthenticatedError("rsassa-pss-sha256: signature does not verify");
  }

 private:
  PkeyPtr key_;
};

}  // namespace

Result<std::unique_ptr<SignatureChecker>> ParseRsaPssPublicKey(std::string_view pem) {
  VIGIL_ASSIGN_OR_RETURN(PkeyPtr key, ReadPem(pem));
  if (EVP_PKEY_is_a(key.get(), "RSA") != 1) {
    return InvalidArgumentError("expected an RSA public key, found " +
                                std::string(EVP_PKEY_get0_type_name(key.get())));
  }
  int bits = EVP_PKEY_get_bits(key.get());
  if (bits < kMinRsaBits) {
    return InvalidArgumentError("expected an RSA modulus of at least " +
                                std::to_string(kMinRsaBits) + " bits, found " +
                                std::to_string(bits));
  }
  return std::unique_ptr<SignatureChecker>(new RsaPssChecker(std::move(key)));
}

Result<Bytes> PemP256ToPoint(std::string_view pem) {
  VIGIL_ASSIGN_OR_RETURN(PkeyPtr key, ReadPem(pem));
  char curve[64] = {0};
  size_t curve_len = 0;
  if (EVP_PKEY_is_a(key.get(), "EC") != 1 ||
      EVP_PKEY_get_utf8_string_param(key.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve, sizeof(curve),
                                     &curve_len) != 1 ||
      std::string_view(curve, curve_len) != "prime256v1") {
    return InvalidArgumentError("expected an EC public key on curve P-256 (prime256v1)");
  }
  Bytes point(65);
  size_t point_len = 0;
  if (EVP_PKEY_get_octet_string_param(key.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point.data(),
                                      point.size(), &point_len) != 1 ||
      point_len != 65) {
    return InvalidArgumentError("expected an uncompressed P-256 point of 65 bytes");
  }
  return point;
}

}  // namespace vigil::update::internal
