// Device certificates already verified (internal/verified_devices.h).
#include "internal/verified_devices.h"

#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <time.h>

#include <algorithm>

namespace vigil::server {

std::string CertificateFingerprint(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert, EVP_sha256(), md, &len) != 1) return "";
  return std::string(reinterpret_cast<const char*>(md), len);
}

int64_t CertificateNotAfter(X509* cert) {
  struct tm t = {};
  const ASN1_TIME* at = X509_get0_notAfter(cert);
  if (at == nullptr || ASN1_TIME_to_tm(at, &t) != 1) return 0;
  return static_cast<int64_t>(timegm(&t));
}

std::optional<std::string> VerifiedDevices::Find(const std::string& fingerprint, int64_t now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(fingerprint);
  if (it == entries_.end()) return std::nullopt;
  if (now >= it->second.until) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.serial;
}

void VerifiedDevices::Keep(const std::string& fingerprint, std::string serial, int64_t now,
                           int64_t not_after) {
  std::lock_guard lock(mu_);
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_[fingerprint] = {std::move(serial), std::min(now + kVerifiedSeconds, not_after)};
}

}  // namespace vigil::server
