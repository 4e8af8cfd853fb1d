// The management API's request bodies, read strictly before anything acts on them (FDA INT-D2):
// JSON objects of known members only, each of the expected type and within a safe range, at
// most kMaxBodyBytes. A body that fails is refused with InvalidArgument naming the member, and
// never reaches the identity store or the therapy loop. Range checks against the drug library
// (hard and soft limits) follow in Program::Create.
//
// Thread-safety: pure functions.
#ifndef PUMP_API_REQUESTS_H_
#define PUMP_API_REQUESTS_H_

#include <optional>
#include <string>
#include <string_view>

#include "program.h"
#include "vigil/audit/event.h"
#include "vigil/crypto/secret_bytes.h"
#include "vigil/net/replay_guard.h"

namespace pump {

inline constexpr size_t kMaxBodyBytes = 16 * 1024;
// A drug-library update is the one larger body (a formulary of a few hundred drugs).
inline constexpr size_t kMaxLibraryBodyBytes = 1024 * 1024;

struct LoginRequest {
  std::string account;
  vigil::crypto::SecretBytes password;
  std::optional<std::string> totp;  // 6 to 8 digits
};

struct AccountRequest {
  std::string account;
  vigil::audit::Role role = vigil::audit::Role::kNone;
  vigil::crypto::SecretBytes password;
};

// Emergency access (identity's break-glass): password, no second factor, a reason.
struct BreakGlassRequest {
  std::string account;
  vigil::crypto::SecretBytes password;
  std::string reason;  // 1 to 256 bytes of printable ASCII (the audit log keeps it)
};

struct ConfirmRequest {
  std::string account;
  std::string code;
};

// {"account": ID, "password": TEXT, "totp": "123456"?}
vigil::Result<LoginRequest> ParseLoginRequest(std::string_view body);
// {"account": ID, "role": "clinician", "password": TEXT}
vigil::Result<AccountRequest> ParseAccountRequest(std::string_view body);
// {"account": ID, "code": "123456"}
vigil::Result<ConfirmRequest> ParseConfirmRequest(std::string_view body);
// {"account": ID, "password": TEXT, "reason": TEXT}
vigil::Result<BreakGlassRequest> ParseBreakGlassRequest(std::string_view body);
// {"review": N}: the break-glass review an administrator closes (N >= 1).
vigil::Result<uint64_t> ParseReviewClose(std::string_view body);
// Critical commands carry "nonce" (32 lower-case hex digits) and "counter" (>= 1) beside their
// content (vigil/net/replay_guard.h).
struct ProgramCommand {
  ProgramRequest program;
  vigil::net::CommandTag tag;
  // Who the infusion is for (a name or record number: patient data, so kept in the vault's
  // therapy record only, never in the audit log); empty when not given.
  std::string patient;
};
struct DecommissionCommand {
  std::string device_id;  // must name the pump it is sent to
  vigil::net::CommandTag tag;
};
// A software update the administrator asks for: the TUF target path of the release.
struct UpdateCommand {
  std::string target;  // 1 to 128 of [A-Za-z0-9._/-], no empty, "." or ".." segment
  vigil::net::CommandTag tag;
};
struct LibraryCommand {
  std::string library;  // the library document (written back from the member, two-space JSON)
  vigil::net::CommandTag tag;
};

// {"nonce", "counter", "drug_id": ID, "rate_ul_h": N | "duration_s": N, "volume_ul": N,
//  "confirm_soft_limit": B?, "patient": TEXT? (1 to 128 bytes, no control characters)}
vigil::Result<ProgramCommand> ParseProgramCommand(std::string_view body);
// {"nonce", "counter", "library": {drug library document}}
vigil::Result<LibraryCommand> ParseLibraryCommand(std::string_view body);
// {"nonce", "counter", "device_id": ID}
vigil::Result<DecommissionCommand> ParseDecommissionCommand(std::string_view body);
// {"nonce", "counter", "target": PATH}
vigil::Result<UpdateCommand> ParseUpdateCommand(std::string_view body);
// {"nonce", "counter"}: a command that is nothing but its tag (acknowledging a clock fault).
vigil::Result<vigil::net::CommandTag> ParseTagOnlyCommand(std::string_view body);

}  // namespace pump

#endif  // PUMP_API_REQUESTS_H_
