#include "vigil/identity/device_cert.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <memory>

#include "vigil/core/encoding.h"
#include "vigil/crypto/key_file.h"
#include "vigil/crypto/openssl_errors.h"

namespace vigil::identity {
namespace {

struct Free {
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
  void operator()(BIGNUM* p) const { BN_free(p); }
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
template <typename T>
using Ptr = std::unique_ptr<T, Free>;

bool IsEcdsa(crypto::AlgorithmId a) {
  return a == crypto::AlgorithmId::kEcdsaP256Sha256 || a == crypto::AlgorithmId::kEcdsaP384Sha384;
}

Result<Ptr<EVP_PKEY>> PrivateKey(const crypto::SigningKey& key) {
  if (!IsEcdsa(key.algorithm())) return InvalidArgumentError("certificates: keys must be ECDSA");
  VIGIL_ASSIGN_OR_RETURN(std::string pem, crypto::EncodePrivateKeyPem(key));
  Ptr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Ptr<EVP_PKEY> pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  std::fill(pem.begin(), pem.end(), '\0');
  if (!pkey) return InternalError("certificates: " + crypto::DrainOpenSslErrors());
  return pkey;
}

Result<Ptr<EVP_PKEY>> PublicKey(const crypto::VerifyingKey& key) {
  if (!IsEcdsa(key.algorithm())) return InvalidArgumentError("certificates: keys must be ECDSA");
  VIGIL_ASSIGN_OR_RETURN(std::string pem, crypto::EncodePublicKeyPem(key));
  Ptr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Ptr<EVP_PKEY> pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey) return InternalError("certificates: " + crypto::DrainOpenSslErrors());
  return pkey;
}

Result<Ptr<X509>> ParseCert(std::string_view pem, std::string_view what) {
  Ptr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Ptr<X509> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) {
    ERR_clear_error();
    return InvalidArgumentError(std::string(what) + ": not a PEM certificate");
  }
  return cert;
}

Status AddExt(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  Ptr<X509_EXTENSION> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
    return InternalError("certificates: extension " + std::string(value) + ": " +
                         crypto::DrainOpenSslErrors());
  }
  return OkStatus();
}

bool IsIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<Ptr<X509>> NewCert(const std::string& cn, CertValidity v, EVP_PKEY* subject_key, Env& env) {
  Ptr<X509> cert(X509_new());
  VIGIL_ASSIGN_OR_RETURN(Bytes serial, env.RandomBytes(16));
  serial[0] &= 0x7f;  // positive
  serial[0] |= 0x40;  // and 16 bytes long
  Ptr<BIGNUM> bn(BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr));
  if (X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())) ||
      !ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<time_t>(v.not_before_unix)) ||
      !ASN1_TIME_set(X509_getm_notAfter(cert.get()), static_cast<time_t>(v.not_after_unix)) ||
      X509_set_pubkey(cert.get(), subject_key) != 1) {
    return InternalError("certificates: " + crypto::DrainOpenSslErrors());
  }
  X509_NAME* name = X509_get_subject_name(cert.get());
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                                 0) != 1) {
    return InternalError("certificates: " + crypto::DrainOpenSslErrors());
  }
  return cert;
}

// Signs the certificate with `key` (SHA-256) and returns it as PEM.
Result<std::string> SignedPem(X509* cert, EVP_PKEY* key) {
  if (X509_sign(cert, key, EVP_sha256()) <= 0) {
    return InternalError("certificates: signing failed: " + crypto::DrainOpenSslErrors());
  }
  Ptr<BIO> out(BIO_new(BIO_s_mem()));
  if (!out || PEM_write_bio_X509(out.get(), cert) != 1) {
    return InternalError("certificates: PEM encoding failed: " + crypto::DrainOpenSslErrors());
  }
  char* data = nullptr;
  long n = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

}  // namespace

Result<std::string> CreateCaCertificate(const crypto::SigningKey& ca_key, std::string_view name,
                                        CertValidity validity, Env& env) {
  if (name.empty() || name.size() > 64)
    return InvalidArgumentError("CA name must be 1-64 characters");
  if (validity.not_after_unix <= validity.not_before_unix) {
    return InvalidArgumentError("certificate validity ends before it starts");
  }
  VIGIL_ASSIGN_OR_RETURN(auto key, PrivateKey(ca_key));
  VIGIL_ASSIGN_OR_RETURN(auto cert, NewCert(std::string(name), validity, key.get(), env));
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) != 1) {
    return InternalError("certificates: " + crypto::DrainOpenSslErrors());
  }
  VIGIL_RETURN_IF_ERROR(
      AddExt(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0"));
  VIGIL_RETURN_IF_ERROR(
      AddExt(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign"));
  VIGIL_RETURN_IF_ERROR(AddExt(cert.get(), cert.get(), NID_subject_key_identifier, "hash"));
  return SignedPem(cert.get(), key.get());
}

namespace {

// The strings below go into OpenSSL's extension configuration syntax, where ',' separates
// values and ':' starts one: only characters that cannot change its meaning are allowed.
bool IsDnsName(std::string_view name) {
  if (name.empty() || name.size() > 253 || name.front() == '.' || name.front() == '-' ||
      name.back() == '.' || name.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
  });
}

bool IsCrlUrl(std::string_view url) {
  const bool scheme = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
  const size_t host = url.find("://") + 3;
  return scheme && url.size() > host && url.size() <= 512 &&
         std::all_of(url.begin(), url.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '~' || c == ':' || c == '/' || c == '-';
         });
}

Result<std::string> SubjectAltName(std::string_view device_id, const DeviceCertOptions& options) {
  std::string san = "URI:urn:vigil:device:" + std::string(device_id);
  for (const std::string& name : options.dns_names) {
    if (!IsDnsName(name)) {
      return InvalidArgumentError("dns name \"" + OneLine(name) +
                                  "\": expected letters, digits, '-' and '.' (at most 253)");
    }
    san += ",DNS:" + name;
  }
  return san;
}

}  // namespace

Result<std::string> IssueDeviceCertificate(const crypto::SigningKey& ca_key,
                                           std::string_view ca_cert_pem,
                                           const crypto::VerifyingKey& device_key,
                                           std::string_view device_id, CertValidity validity,
                                           Env& env, const DeviceCertOptions& options) {
  if (!IsIdentifier(device_id)) {
    return InvalidArgumentError("device id must be 1-64 characters [A-Za-z0-9._-]");
  }
  VIGIL_ASSIGN_OR_RETURN(std::string san, SubjectAltName(device_id, options));
  if (!options.crl_url.empty() && !IsCrlUrl(options.crl_url)) {
    return InvalidArgumentError("crl url \"" + OneLine(options.crl_url) +
                                "\": expected http:// or https:// and [A-Za-z0-9._~:/-]");
  }
  if (validity.not_after_unix <= validity.not_before_unix) {
    return InvalidArgumentError("certificate validity ends before it starts");
  }
  VIGIL_ASSIGN_OR_RETURN(auto ca_priv, PrivateKey(ca_key));
  VIGIL_ASSIGN_OR_RETURN(auto ca_cert, ParseCert(ca_cert_pem, "CA certificate"));
  if (X509_check_private_key(ca_cert.get(), ca_priv.get()) != 1) {
    ERR_clear_error();
    return InvalidArgumentError("the CA key does not match the CA certificate");
  }
  VIGIL_ASSIGN_OR_RETURN(auto dev_pub, PublicKey(device_key));
  VIGIL_ASSIGN_OR_RETURN(auto cert, NewCert(std::string(device_id), validity, dev_pub.get(), env));
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "serialNumber", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(std::string(device_id).c_str()),
                             -1, -1, 0);
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get())) != 1) {
    return InternalError("certificates: " + crypto::DrainOpenSslErrors());
  }
  VIGIL_RETURN_IF_ERROR(
      AddExt(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE"));
  VIGIL_RETURN_IF_ERROR(
      AddExt(cert.get(), ca_cert.get(), NID_key_usage, "critical,digitalSignature"));
  VIGIL_RETURN_IF_ERROR(
      AddExt(cert.get(), ca_cert.get(), NID_ext_key_usage, "clientAuth,serverAuth"));
  VIGIL_RETURN_IF_ERROR(AddExt(cert.get(), ca_cert.get(), NID_subject_alt_name, san.c_str()));
  VIGIL_RETURN_IF_ERROR(AddExt(cert.get(), ca_cert.get(), NID_subject_key_identifier, "hash"));
  VIGIL_RETURN_IF_ERROR(
      AddExt(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always"));
  if (!options.crl_url.empty()) {
    VIGIL_RETURN_IF_ERROR(AddExt(cert.get(), ca_cert.get(), NID_crl_distribution_points,
                                 ("URI:" + options.crl_url).c_str()));
  }
  return SignedPem(cert.get(), ca_priv.get());
}

Status VerifyDeviceCertificate(std::string_view cert_pem, std::string_view ca_cert_pem,
                               std::string_view device_id, int64_t unix_time) {
  VIGIL_ASSIGN_OR_RETURN(auto cert, ParseCert(cert_pem, "device certificate"));
  VIGIL_ASSIGN_OR_RETURN(auto ca, ParseCert(ca_cert_pem, "CA certificate"));
  Ptr<X509_STORE> store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), ca.get());
  Ptr<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr);
  X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<time_t>(unix_time));
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_CLIENT);
  if (X509_verify_cert(ctx.get()) != 1) {
    int err = X509_STORE_CTX_get_error(ctx.get());
    ERR_clear_error();
    return UnauthenticatedError(std::string("device certificate does not verify: ") +
                                X509_verify_cert_error_string(err));
  }
  std::string id(device_id);
  char cn[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_commonName, cn, sizeof cn);
  if (id != cn) {
    return UnauthenticatedError("device certificate names \"" + std::string(cn) +
                                "\", expected \"" + id + "\"");
  }
  return OkStatus();
}

}  // namespace vigil::identity
