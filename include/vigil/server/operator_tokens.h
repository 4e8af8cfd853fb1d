// Operator tokens of the fleet server: random bearer tokens bound to a role (read-only, analyst,
// admin), of which the fleet database keeps only the SHA-256 (fleet.h OperatorToken).
//
// A token is "vgt_" followed by 43 base64url characters (32 random bytes from the Env): shown
// once when issued, never stored. Authenticate hashes what a client presents, looks the hash up
// and compares the stored hash with the computed one in constant time; a revoked or unknown
// token is Unauthenticated with the same message, so a caller learns nothing about which.
//
// Security property: a copy of the database, a backup or a log holds no usable credential.
// Thread-safety: uses the Fleet it is given (one thread at a time).
#ifndef VIGIL_SERVER_OPERATOR_TOKENS_H_
#define VIGIL_SERVER_OPERATOR_TOKENS_H_

#include <string>
#include <string_view>

#include "vigil/audit/event.h"
#include "vigil/core/env.h"
#include "vigil/core/result.h"
#include "vigil/crypto/secret_bytes.h"
#include "vigil/fleet/fleet.h"

namespace vigil::server {

struct IssuedToken {
  fleet::OperatorToken record;  // what the database keeps
  crypto::SecretBytes token;    // the bearer token (ASCII), to show the operator once
};

// Issues a token named `name` with `role`. The errors of Fleet::AddOperatorToken (a malformed
// name or role, a name already used) and of the Env's randomness.
Result<IssuedToken> IssueToken(fleet::Fleet& fleet, std::string_view name, std::string_view role,
                               Env& env);

// The valid token `presented` is. Unauthenticated "invalid or revoked token" when it is not one.
Result<fleet::OperatorToken> Authenticate(fleet::Fleet& fleet, std::string_view presented);

// The audit and access role of a token role: read-only → kReadOnly, analyst → kAnalyst,
// admin → kAdministrator; kNone for anything else.
audit::Role RoleOf(std::string_view token_role);

// The SHA-256 of a token as 64 lower-case hex digits (what the database keeps).
std::string TokenHash(std::string_view token);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_OPERATOR_TOKENS_H_
