// Time-based one-time passwords (RFC 6238, over RFC 4226 HOTP; computed by liboath) as the
// second factor for privileged roles (FDA AUTH-3).
//
// Security properties: a code is accepted within ±1 time step of the device clock (drift), and
// only once: the verifier reports the time-step counter it matched, the caller persists it as
// the account's last used counter, and any code at or below it is refused (replay). Secrets are
// 20 random bytes (SHA-1, the algorithm every authenticator app supports) held in SecretBytes.
//
// Thread-safety: pure functions; safe from any thread.
#ifndef VIGIL_IDENTITY_TOTP_H_
#define VIGIL_IDENTITY_TOTP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vigil/core/env.h"
#include "vigil/core/result.h"
#include "vigil/crypto/secret_bytes.h"

namespace vigil::identity {

enum class TotpHash { kSha1, kSha256, kSha512 };

class TotpConfig {
 public:
  // SHA-1, 6 digits, 30-second steps, T0 = 0: what authenticator apps expect.
  static TotpConfig Default();
  // InvalidArgument unless digits is 6..8 and step is 15..300 seconds.
  static Result<TotpConfig> Create(TotpHash hash, int digits, int step_seconds);
  TotpHash hash() const { return hash_; }
  int digits() const { return digits_; }
  int step_seconds() const { return step_; }

 private:
  TotpConfig(TotpHash h, int d, int s) : hash_(h), digits_(d), step_(s) {}
  TotpHash hash_;
  int digits_;
  int step_;
};

// A fresh 20-byte secret from `env`'s CSPRNG.
Result<crypto::SecretBytes> NewTotpSecret(Env& env);

// HOTP value for `counter` (RFC 4226), zero-padded to `digits`.
Result<std::string> HotpCode(const crypto::SecretBytes& secret, uint64_t counter, int digits);
// TOTP value at `unix_seconds` (RFC 6238).
Result<std::string> TotpCode(const crypto::SecretBytes& secret, const TotpConfig& config,
                             int64_t unix_seconds);

// Checks `code` at `unix_seconds` with ±1 step of drift. Returns the matched time-step counter.
// Unauthenticated if the code does not match, or if it matches only a counter <=
// `last_used_counter` (a replay); InvalidArgument if `code` is not `digits` decimal digits.
// Comparison is constant time.
Result<uint64_t> VerifyTotp(const crypto::SecretBytes& secret, const TotpConfig& config,
                            std::string_view code, int64_t unix_seconds,
                            std::optional<uint64_t> last_used_counter);

// RFC 4648 base32 (upper case, no padding) as authenticator apps expect.
std::string Base32Encode(ByteView data);

// otpauth://totp/<issuer>:<account>?secret=<base32>&issuer=<issuer>&algorithm=..&digits=..&period=..
// (Google Authenticator key URI format), percent-encoding issuer and account. InvalidArgument
// if issuer or account is empty or contains ':'.
Result<std::string> ProvisioningUri(std::string_view issuer, std::string_view account,
                                    const crypto::SecretBytes& secret, const TotpConfig& config);

}  // namespace vigil::identity

#endif  // VIGIL_IDENTITY_TOTP_H_
