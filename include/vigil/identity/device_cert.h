// Device identity: an X.509 certificate for the device's own key (ECDSA P-256 today), issued by
// the manufacturer's CA at provisioning and used for mutual TLS (audit forwarding, updates).
//
// The device certificate is an end-entity certificate: subject CN and serialNumber = device id,
// a URI subjectAltName "urn:vigil:device:<id>", basicConstraints CA:FALSE (critical), keyUsage
// digitalSignature (critical), extendedKeyUsage clientAuth + serverAuth, subject and authority
// key identifiers, a 128-bit random serial, signed with ECDSA-SHA256 by the CA key.
//
// Thread-safety: pure functions.
#ifndef VIGIL_IDENTITY_DEVICE_CERT_H_
#define VIGIL_IDENTITY_DEVICE_CERT_H_

#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/env.h"
#include "vigil/crypto/signature.h"

namespace vigil::identity {

struct CertValidity {
  int64_t not_before_unix = 0;
  int64_t not_after_unix = 0;
};

// A self-signed manufacturer CA certificate (basicConstraints CA:TRUE, pathlen 0; keyCertSign)
// for `ca_key` (ECDSA P-256 or P-384). Returns PEM.
Result<std::string> CreateCaCertificate(const crypto::SigningKey& ca_key, std::string_view name,
                                        CertValidity validity, Env& env);

// What a device certificate may carry besides its identity, for the networks it serves on:
//  - dns_names: host names the device answers HTTPS under (subjectAltName DNS entries, after the
//    URI), so ordinary TLS clients and scanners can check the name they connected to; each a
//    DNS name of letters, digits, '-' and '.', at most 253 characters;
//  - crl_url: where the manufacturer publishes the CA's certificate revocation list (a
//    cRLDistributionPoints extension), http:// or https:// followed by [A-Za-z0-9._~:/-] only.
// Publishing the CRL at that address is the manufacturer's service, not this function's.
struct DeviceCertOptions {
  std::vector<std::string> dns_names;
  std::string crl_url;
};

// Issues the device certificate for `device_key` (public part). InvalidArgument when the device
// id is not an identifier, a DNS name or the CRL URL is malformed (naming it), or the keys are
// not ECDSA; the CA certificate must match `ca_key`.
Result<std::string> IssueDeviceCertificate(const crypto::SigningKey& ca_key,
                                           std::string_view ca_cert_pem,
                                           const crypto::VerifyingKey& device_key,
                                           std::string_view device_id, CertValidity validity,
                                           Env& env, const DeviceCertOptions& options = {});

// Verifies `cert_pem` against the CA at `unix_time` (chain, signature, validity, purpose) and
// that it names `device_id`. Unauthenticated with the reason when it does not.
Status VerifyDeviceCertificate(std::string_view cert_pem, std::string_view ca_cert_pem,
                               std::string_view device_id, int64_t unix_time);

}  // namespace vigil::identity

#endif  // VIGIL_IDENTITY_DEVICE_CERT_H_
