// Device certificates already verified (server.h, device listener). The TLS handshake verifies
// the chain; the check-in route verifies the certificate again as a device certificate
// (identity::VerifyDeviceCertificate: chain, validity, purpose, the serial it names), which
// costs a PEM round trip, an ECDSA verification and OpenSSL's decoder set-up each time: more
// than the whole check-in. A device keeps its connection and certificate, so the result is kept
// here by the certificate's SHA-256 for at most kVerifiedSeconds and never past the
// certificate's notAfter; a certificate never seen is verified in full.
//
// Thread-safety: Find and Keep may be called from any thread.
#ifndef VIGIL_SERVER_INTERNAL_VERIFIED_DEVICES_H_
#define VIGIL_SERVER_INTERNAL_VERIFIED_DEVICES_H_

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace vigil::server {

class VerifiedDevices {
 public:
  static constexpr int64_t kVerifiedSeconds = 300;
  static constexpr size_t kMaxEntries = 100000;  // then forgotten at once (verified again)

  // The serial a certificate (by its SHA-256) was verified for, if still valid at `now`.
  std::optional<std::string> Find(const std::string& fingerprint, int64_t now);
  // Keeps a verification done at `now` of a certificate valid until `not_after` (unix seconds).
  void Keep(const std::string& fingerprint, std::string serial, int64_t now, int64_t not_after);

 private:
  struct Entry {
    std::string serial;
    int64_t until;
  };
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_INTERNAL_VERIFIED_DEVICES_H_
