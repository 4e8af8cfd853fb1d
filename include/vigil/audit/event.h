// Typed security events: what the audit log records.
//
// An Event names who did what, through which interface, with which outcome and why — by
// identifiers only. It never carries patient data: actor and object ids are opaque identifiers
// (validated: letters, digits and ._:@/- only), the reason is short printable text that callers
// must keep free of personal data (it is meant for "forgot second factor, code blue bed 4"-style
// purposes, not clinical content).
//
// Each event is stored in the log as one canonical JSON object (EncodeEvent): keys sorted, no
// whitespace, UTF-8; DecodeEvent accepts exactly that shape and nothing else, so the bytes a
// checkpoint commits to have one meaning.
//
// Thread-safety: plain values and pure functions.
#ifndef VIGIL_AUDIT_EVENT_H_
#define VIGIL_AUDIT_EVENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"

namespace vigil::audit {

// Closed list of auditable actions. The string code (ActionCode) is stable and goes into every
// export; never renumber or rename one, only append.
enum class Action : uint16_t {
  kLogin,              // authentication attempt (outcome says whether it worked)
  kLogout,             // explicit logout
  kSessionExpired,     // idle or absolute timeout
  kSecondFactorEnrol,  // TOTP enrolment
  kAccountCreate,
  kAccountModify,
  kAccountDisable,
  kRoleChange,
  kProvision,         // first-use provisioning of the device
  kAccessDecision,    // authorization check (allow or deny, see outcome)
  kBreakGlassOpen,    // emergency access session opened
  kBreakGlassClose,   // emergency session ended (expired or closed)
  kBreakGlassReview,  // administrator closed the review of an emergency session
  kPolicyLoad,        // access policy loaded or refused
  kKeyGenerate,
  kKeyRotate,
  kCryptoErase,  // key destroyed so its data is unrecoverable
  kUpdateCheck,
  kUpdateInstall,
  kUpdateRollbackRefused,
  kUpdateCommit,
  kUpdateFallback,
  kConfigChange,
  kTherapyStart,
  kTherapyStop,
  kAuditExport,
  kLogCheckpoint,
  kIntegrityViolation,  // tampering or corruption detected
  kTimeChange,          // wall clock set
  kDecommission,
};
inline constexpr int kActionCount = static_cast<int>(Action::kDecommission) + 1;

// Outcome, with the FHIR AuditEvent.outcome meaning (0 success, 4 minor failure — e.g. a denied
// request or wrong password —, 8 serious failure, 12 major failure).
enum class Outcome : uint8_t { kSuccess, kMinorFailure, kSeriousFailure, kMajorFailure };

enum class Role : uint8_t {
  kNone,  // unauthenticated (e.g. a failed login for an unknown account)
  kPatient,
  kClinician,
  kServiceTechnician,  // biomedical / service technician
  kAdministrator,
  kManufacturerService,
  kSystem,  // the device itself (timers, update agent, integrity checks)
  // Operators of the fleet server (vigil serve): see the fleet, and decide on findings (analyst).
  // Its administrators use kAdministrator.
  kReadOnly,
  kAnalyst,
};

// Why the action was taken (FHIR purposeOfEvent). kBreakGlass maps to v3-ActReason "BTG".
enum class Purpose : uint8_t { kNone, kTreatment, kBreakGlass, kMaintenance, kSecurity };

enum class Interface : uint8_t { kLocalUi, kNetwork, kServicePort, kWireless, kInternal };

struct Event {
  uint64_t sequence = 0;         // assigned by the log: 0, 1, 2, … (== leaf index)
  int64_t time_unix_micros = 0;  // wall time when the event happened (assigned if 0)
  std::string device_id;         // the observer: this device's identifier
  std::string actor_id;          // account or system component id ("" only with Role::kNone)
  Role actor_role = Role::kNone;
  Action action = Action::kLogin;
  Outcome outcome = Outcome::kSuccess;
  Purpose purpose = Purpose::kNone;
  std::string reason;  // mandatory for break-glass, otherwise optional
  Interface interface = Interface::kLocalUi;
  std::string source;                   // network address or port name; optional
  std::vector<std::string> object_ids;  // what was acted on (account ids, permission names…)

  friend bool operator==(const Event&, const Event&) = default;
};

// Stable codes: "auth.login", "access.decision", "emergency.open", …
std::string_view ActionCode(Action a);
std::string_view OutcomeCode(Outcome o);      // "success", "minor-failure", …
std::string_view RoleCode(Role r);            // "none", "patient", "clinician", …
std::string_view PurposeCode(Purpose p);      // "none", "treatment", "break-glass", …
std::string_view InterfaceCode(Interface i);  // "local-ui", "network", …
Result<Action> ParseActionCode(std::string_view code);
Result<Outcome> ParseOutcomeCode(std::string_view code);
Result<Role> ParseRoleCode(std::string_view code);
Result<Purpose> ParsePurposeCode(std::string_view code);
Result<Interface> ParseInterfaceCode(std::string_view code);

// Checks an event before it is appended. InvalidArgument naming the field when:
//  - device_id, actor_id, an object id or source is not an identifier (1–128 characters of
//    [A-Za-z0-9._:@/-]; actor_id may be empty only for Role::kNone, source may be empty);
//  - reason is longer than 256 bytes or holds a control or non-ASCII character;
//  - purpose is break-glass and reason is empty, or action is kBreakGlassOpen and purpose is not
//    break-glass;
//  - more than 16 object ids;
//  - time_unix_micros is negative.
Status ValidateEvent(const Event& e);

// Canonical entry bytes. EncodeEvent requires a valid event (it validates and fails otherwise).
Result<Bytes> EncodeEvent(const Event& e);
// Strict inverse of EncodeEvent: DataLoss naming the field when the bytes are not exactly a
// canonical encoding of a valid event (unknown or missing keys, wrong types, bad codes,
// non-canonical form).
Result<Event> DecodeEvent(ByteView entry);

}  // namespace vigil::audit

#endif  // VIGIL_AUDIT_EVENT_H_
