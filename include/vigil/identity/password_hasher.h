// Password hashing with Argon2id (RFC 9106, libargon2), stored in the PHC string format
// "$argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt b64>$<hash b64>" so that the
// parameters travel with each hash: when the device's parameters are raised, a successful login
// reports needs_rehash and the caller stores a new hash (no flag day, no plaintext kept).
//
// Security property: offline guessing costs `memory_kib` KiB and `iterations` passes per guess;
// verification compares in constant time. Parameters below the OWASP minimum (m = 19 MiB, t = 2,
// p = 1) cannot be constructed, and stored hashes weaker than that are refused at verification.
//
// Thread-safety: pure functions; safe from any thread.
#ifndef VIGIL_IDENTITY_PASSWORD_HASHER_H_
#define VIGIL_IDENTITY_PASSWORD_HASHER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/core/env.h"
#include "vigil/core/result.h"
#include "vigil/crypto/secret_bytes.h"

namespace vigil::identity {

class Argon2Params {
 public:
  // OWASP Password Storage Cheat Sheet minimum for Argon2id.
  static constexpr uint32_t kMinMemoryKib = 19 * 1024;
  static constexpr uint32_t kMinIterations = 2;
  static constexpr uint32_t kMinParallelism = 1;

  // The device default: m = 64 MiB, t = 3, p = 1 (RFC 9106 §4's second recommendation with one
  // lane, since device CPUs are small); 50–500 ms per login on the reference machine.
  static Argon2Params Default();
  // InvalidArgument when below the minimum or absurdly large (m > 4 GiB, t > 64, p > 16).
  static Result<Argon2Params> Create(uint32_t memory_kib, uint32_t iterations, uint32_t parallelism);

  uint32_t memory_kib() const { return memory_kib_; }
  uint32_t iterations() const { return iterations_; }
  uint32_t parallelism() const { return parallelism_; }
  // True if `other` is at least as strong in every dimension.
  bool AtLeast(const Argon2Params& other) const;

 private:
  Argon2Params(uint32_t m, uint32_t t, uint32_t p) : memory_kib_(m), iterations_(t), parallelism_(p) {}
  uint32_t memory_kib_;
  uint32_t iterations_;
  uint32_t parallelism_;
};

struct PasswordCheck {
  bool matched = false;
  // The stored hash used weaker parameters than the current ones: store a new hash.
  bool needs_rehash = false;
};

// NIST SP 800-63B §5.1.1.2: at least 8 characters, at most 128 (bytes here), not equal to the
// account name. InvalidArgument saying which rule was broken (never echoing the password).
Status CheckPasswordRules(const crypto::SecretBytes& password, std::string_view account_name);

// Hashes `password` with a fresh 16-byte salt from `env`. Unavailable if randomness fails;
// ResourceExhausted if the memory cannot be allocated.
Result<std::string> HashPassword(const crypto::SecretBytes& password, const Argon2Params& params,
                                 Env& env);

// As HashPassword with a caller-chosen salt (at least 16 bytes). For tests and for
// reproducing a hash made elsewhere; production code uses HashPassword.
Result<std::string> HashPasswordWithSalt(const crypto::SecretBytes& password,
                                         const Argon2Params& params, ByteView salt);

// Verifies `password` against a stored PHC string. InvalidArgument when `encoded` is not a
// well-formed argon2id PHC string or its parameters are below the minimum; otherwise a
// PasswordCheck (matched false on a wrong password).
Result<PasswordCheck> VerifyPassword(std::string_view encoded, const crypto::SecretBytes& password,
                                     const Argon2Params& current);

// The parameters recorded in a PHC string (for reporting and rehash decisions).
Result<Argon2Params> ParsePhcParams(std::string_view encoded);

}  // namespace vigil::identity

#endif  // VIGIL_IDENTITY_PASSWORD_HASHER_H_
