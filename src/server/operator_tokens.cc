// Operator tokens (operator_tokens.h): issued from the Env's randomness, stored as SHA-256.
#include "vigil/server/operator_tokens.h"

#include "vigil/core/encoding.h"
#include "vigil/crypto/hash.h"

namespace vigil::server {
namespace {

constexpr std::string_view kPrefix = "vgt_";
constexpr size_t kTokenBytes = 32;
// Longer than any token we issue: refuse before hashing megabytes of header.
constexpr size_t kMaxPresentedBytes = 128;

}  // namespace

std::string TokenHash(std::string_view token) {
  const crypto::Sha256Digest d = crypto::Sha256(AsBytes(token));
  return HexEncode(d);
}

Result<IssuedToken> IssueToken(fleet::Fleet& fleet, std::string_view name, std::string_view role,
                               Env& env) {
  crypto::SecretBytes raw(kTokenBytes);
  VIGIL_RETURN_IF_ERROR(env.FillRandom(raw.MutableReveal()));
  std::string text = std::string(kPrefix) + Base64UrlEncode(raw.Reveal());
  crypto::SecretBytes token = crypto::SecretBytes::CopyFrom(AsBytes(text));
  const std::string hash = TokenHash(text);
  crypto::SecureZero({reinterpret_cast<uint8_t*>(text.data()), text.size()});
  VIGIL_ASSIGN_OR_RETURN(
      fleet::OperatorToken record,
      fleet.AddOperatorToken({std::string(name), std::string(role), hash, "", ""}));
  return IssuedToken{std::move(record), std::move(token)};
}

Result<fleet::OperatorToken> Authenticate(fleet::Fleet& fleet, std::string_view presented) {
  const Error refused = UnauthenticatedError("invalid or revoked token");
  if (presented.size() > kMaxPresentedBytes || !presented.starts_with(kPrefix)) return refused;
  const std::string hash = TokenHash(presented);
  VIGIL_ASSIGN_OR_RETURN(std::optional<fleet::OperatorToken> found, fleet.FindOperatorToken(hash));
  // The lookup went by hash through an index; the comparison that decides is constant-time.
  if (!found || !crypto::ConstantTimeEquals(AsBytes(found->hash_hex), AsBytes(hash)) ||
      !found->revoked.empty()) {
    return refused;
  }
  return std::move(*found);
}

audit::Role RoleOf(std::string_view token_role) {
  if (token_role == "read-only") return audit::Role::kReadOnly;
  if (token_role == "analyst") return audit::Role::kAnalyst;
  if (token_role == "admin") return audit::Role::kAdministrator;
  return audit::Role::kNone;
}

}  // namespace vigil::server
