// Device certificates already verified (server.h, device listener). The TLS handshake verifies
// the chain; the check-in route verifies the certificate again as a device certificate
// (identity::VerifyDeviceCertificate: chain, validity, purpose, the serial it names), which
// costs a PEM round trip, an ECDSA verification and OpenSSL's decoder set-up each time: more
// than the whole check-in. A device keeps its connection and certificate, so the result is kept
// here by the certificate's SHA-256 for at most kVerifiedSeconds and never past the
// certificate's notAfter; a certificate never seen is verified in full. With it, what a
// check-in needs of the device before the fleet's lock: that it is registered (looked up once,
// when the certificate is verified) and its audit-log key, parsed, to verify the checkpoint's
// signature on the thread that received the check-in (fleet::OpenReportedCheckpoint). A device
// deregistered through this server is forgotten at once (Forget), so its certificate is not
// admitted again; one removed by another process is refused by the check-in's transaction,
// which reads the device afresh.
//
// Thread-safety: every member may be called from any thread.
#ifndef VIGIL_SERVER_INTERNAL_VERIFIED_DEVICES_H_
#define VIGIL_SERVER_INTERNAL_VERIFIED_DEVICES_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "vigil/audit/checkpoint.h"

namespace vigil::server {

// A device certificate verified for a registered device.
struct VerifiedDevice {
  std::string serial;
  std::string log_key;                       // the device's registered audit-log key (vkey)
  std::shared_ptr<audit::NoteVerifier> key;  // log_key parsed (NoteVerifier is thread-safe)
};

class VerifiedDevices {
 public:
  static constexpr int64_t kVerifiedSeconds = 300;
  static constexpr size_t kMaxEntries = 100000;  // then forgotten at once (verified again)

  // The device a certificate (by its SHA-256) was verified for, if still valid at `now`.
  std::optional<VerifiedDevice> Find(const std::string& fingerprint, int64_t now);
  // Keeps a verification done at `now` of a certificate valid until `not_after` (unix seconds).
  void Keep(const std::string& fingerprint, VerifiedDevice device, int64_t now, int64_t not_after);
  // Forgets every certificate verified for `serial` (the device was deregistered).
  void Forget(std::string_view serial);

 private:
  struct Entry {
    VerifiedDevice device;
    int64_t until;
  };
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_INTERNAL_VERIFIED_DEVICES_H_
