// Accounts, login with a second factor, throttling, sessions and break-glass emergency access
// (FDA AUTH-1..9, AUTHZ-2; MDCG 2019-16 automatic logoff and emergency access; MDS2 PAUT, ALOF,
// EMRG).
//
// No default credentials (AUTH-5): at manufacturing, Manufacture() creates the device's identity
// state holding only the Argon2id hash of a one-time provisioning secret unique to the device
// (returned once, for the device label or the customer's onboarding sheet). A new device has no
// usable account. Provision() takes that secret and the first administrator's own credentials,
// destroys the secret, and enrols the administrator's TOTP second factor; the account becomes
// usable only after a first valid code confirms the enrolment.
//
// Login: Argon2id password (rehashed on login when the parameters were raised) and, for the
// privileged roles (administrator, service technician, manufacturer service) and every account
// that enrolled one, a TOTP code with ±1 step of drift that is accepted only once. Unknown
// accounts cost the same Argon2id work and get the same answer as a wrong password.
// Throttling instead of lockout (SP 800-63B §5.2.2): after `free_failures` consecutive failures
// per account and per source, each attempt must wait 1, 2, 4 … s (at most `max_delay_seconds`);
// after 100 consecutive failures the account is disabled until an administrator enables it.
// Every attempt is audited.
//
// Sessions: 128-bit ids from the OS CSPRNG, idle timeout and absolute lifetime per role on the
// monotonic clock, explicit logout; kept in memory (a restart ends every session). Break-glass:
// a clinician who cannot complete the second factor opens, with password and a mandatory reason,
// a time-boxed emergency session (no extension) that the access policy limits to its break-glass
// grants; it is audited with purpose BTG, raises an alert, and lands in a review queue an
// administrator must close. Therapy functions never depend on this service to keep running.
//
// State (accounts, TOTP secrets, failure counts, reviews) is one JSON file replaced atomically
// through Env. The TOTP secrets in it are sealed (AES-256-GCM under IdentityOptions::state_key,
// a fresh nonce each, the device id and account bound as associated data): the file alone gives
// no second factor away, and a secret moved to another account or device does not open. In
// memory a secret is unsealed only for the code check, into SecretBytes, and wiped after it.
// It is read through Env::ReadFileLimited: a file over kMaxStateBytes
// (16 MiB, tens of thousands of accounts and break-glass reviews; a device has a few hundred
// bytes per account) is refused unread, so a corrupted or planted file costs a one-line
// refusal, not the memory to hold it.
//
// Thread-safety: all methods are thread-safe (one mutex; Argon2id runs under it, which also
// serialises guessing).
#ifndef VIGIL_IDENTITY_IDENTITY_SERVICE_H_
#define VIGIL_IDENTITY_IDENTITY_SERVICE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "vigil/audit/event.h"
#include "vigil/audit/event_sink.h"
#include "vigil/core/env.h"
#include "vigil/crypto/aead.h"
#include "vigil/crypto/secret_bytes.h"
#include "vigil/identity/password_hasher.h"
#include "vigil/identity/totp.h"

namespace vigil::identity {

struct SessionLimits {
  int64_t idle_seconds;
  int64_t absolute_seconds;
};

struct IdentityOptions {
  // Seals the TOTP secrets in the state file: 32 bytes from the device's key store (never a
  // constant). Required by Open; Manufacture seals nothing and does not need it.
  crypto::SecretBytes state_key;
  std::string device_id = "device";
  std::string issuer = "Vigil";  // shown by authenticator apps
  Argon2Params argon = Argon2Params::Default();
  TotpConfig totp = TotpConfig::Default();
  int free_failures = 5;
  int64_t max_delay_seconds = 900;
  int max_consecutive_failures = 100;
  int break_glass_minutes = 30;
  // Per role; roles not listed cannot log in.
  std::map<audit::Role, SessionLimits> sessions = {
      {audit::Role::kPatient, {30 * 60, 12 * 3600}},
      {audit::Role::kClinician, {15 * 60, 12 * 3600}},
      {audit::Role::kServiceTechnician, {15 * 60, 4 * 3600}},
      {audit::Role::kAdministrator, {10 * 60, 3600}},
      {audit::Role::kManufacturerService, {10 * 60, 3600}},
  };
  // Called when a break-glass session opens (e.g. to sound the nurse-station alert).
  std::function<void(const std::string& account, const std::string& reason)> alert;
};

struct Enrolment {
  std::string account;
  crypto::SecretBytes totp_secret;
  std::string provisioning_uri;  // otpauth://totp/… for the authenticator app
};

struct Session {
  std::string id;  // 32 hex characters (128 bits)
  std::string account;
  audit::Role role = audit::Role::kNone;
  bool break_glass = false;
  int64_t created_ns = 0, last_used_ns = 0, expires_ns = 0;  // monotonic clock
};

struct Review {
  uint64_t id = 0;
  std::string account;
  std::string reason;
  int64_t opened_unix_micros = 0;
  bool closed = false;
  std::string closed_by;
};

class IdentityService {
 public:
  // The largest identity state file Open() reads, in bytes.
  static constexpr uint64_t kMaxStateBytes = uint64_t{16} << 20;

  // Creates the identity state at `path` for a new device and returns its one-time provisioning
  // secret. AlreadyExists if the device already has identity state.
  static Result<crypto::SecretBytes> Manufacture(Env& env, const std::string& path,
                                                 const IdentityOptions& options);
  // Opens existing state. InvalidArgument without a 32-byte options.state_key; NotFound if the
  // device was never manufactured; DataLoss naming the field if the file is malformed, holds a
  // plaintext TOTP secret, or a sealed one does not open under the key; ResourceExhausted ("PATH: N bytes, over the 16 MiB limit
  // for identity state") if it is larger than kMaxStateBytes; Unavailable if it cannot be read.
  static Result<std::unique_ptr<IdentityService>> Open(Env& env, const std::string& path,
                                                       audit::EventSink& sink,
                                                       IdentityOptions options);

  ~IdentityService();
  IdentityService(const IdentityService&) = delete;
  IdentityService& operator=(const IdentityService&) = delete;

  bool provisioned() const;
  // First-use provisioning (see above). PermissionDenied for a wrong secret (throttled like a
  // login), FailedPrecondition once provisioned. Password rules: CheckPasswordRules.
  Result<Enrolment> Provision(const crypto::SecretBytes& provisioning_secret,
                              const std::string& admin_id, const crypto::SecretBytes& password,
                              const std::string& source);
  // Confirms a TOTP enrolment with a first code (also consumes it).
  Status ConfirmEnrolment(const std::string& account, std::string_view code);

  // An administrator (by session) creates an account. Privileged roles get a TOTP enrolment
  // (returned) and cannot log in before ConfirmEnrolment; others get none unless `with_totp`.
  Result<std::optional<Enrolment>> CreateAccount(const std::string& admin_session,
                                                 const std::string& id, audit::Role role,
                                                 const crypto::SecretBytes& password,
                                                 bool with_totp = false);
  Status EnableAccount(const std::string& admin_session, const std::string& id);

  // Unauthenticated("invalid credentials") for any wrong or unknown credential;
  // ResourceExhausted("throttled … retry in N s") while throttled; PermissionDenied for a
  // disabled account or a role that cannot log in.
  Result<Session> Login(const std::string& id, const crypto::SecretBytes& password,
                        std::optional<std::string> totp_code, const std::string& source);
  // Validates a session and records its use. Unauthenticated when unknown, idle for too long or
  // past its lifetime (the expiry is audited once).
  Result<Session> Touch(const std::string& session_id);
  Status Logout(const std::string& session_id);

  // Emergency access: clinicians only, password required (no second factor), reason required.
  Result<Session> OpenBreakGlass(const std::string& id, const crypto::SecretBytes& password,
                                 const std::string& reason, const std::string& source);
  std::vector<Review> PendingReviews() const;
  Status CloseReview(const std::string& admin_session, uint64_t review_id);

 private:
  struct Account;
  struct State;
  IdentityService(Env& env, std::string path, audit::EventSink& sink, IdentityOptions options);
  Status Save();
  Status Audit(audit::Action action, audit::Outcome outcome, const std::string& actor,
               audit::Role role, const std::string& reason, const std::string& source,
               std::vector<std::string> objects = {},
               audit::Purpose purpose = audit::Purpose::kNone);
  Result<Session> AdminSession(const std::string& session_id);
  Result<Session> TouchLocked(const std::string& session_id);
  Result<Session> NewSession(const std::string& account, audit::Role role, bool break_glass);
  // The sealed form of an account's TOTP secret, and the secret back from it.
  Result<Bytes> SealTotp(const std::string& account, const crypto::SecretBytes& secret);
  Result<crypto::SecretBytes> UnsealTotp(const Account& a);
  Status Throttled(const std::string& account, const std::string& source);
  void RecordFailure(const std::string& account, const std::string& source);

  Env& env_;
  const std::string path_;
  audit::EventSink& sink_;
  const IdentityOptions options_;
  std::optional<crypto::Aead> totp_aead_;  // under options_.state_key
  mutable std::mutex mu_;
  std::unique_ptr<State> state_;
  std::map<std::string, Session> sessions_;
  std::string dummy_phc_;  // verified against for unknown accounts (equal timing)
  struct Failures {
    int count = 0;
    int64_t last_ns = 0;
  };
  std::map<std::string, Failures> account_failures_;  // in memory: timing of the last failure
  std::map<std::string, Failures> source_failures_;
};

}  // namespace vigil::identity

#endif  // VIGIL_IDENTITY_IDENTITY_SERVICE_H_
