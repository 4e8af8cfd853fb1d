#include "vigil/identity/password_hasher.h"

#include <argon2.h>

#include <charconv>
#include <vector>

namespace vigil::identity {
namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
constexpr uint32_t kMaxMemoryKib = 4u * 1024 * 1024;
constexpr uint32_t kMaxIterations = 64;
constexpr uint32_t kMaxParallelism = 16;

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

// Parses "<key>=<decimal>" where key must be `key`.
Result<uint32_t> ParseField(std::string_view field, std::string_view key) {
  if (field.size() <= key.size() + 1 || field.substr(0, key.size()) != key ||
      field[key.size()] != '=') {
    return InvalidArgumentError("argon2id hash: expected '" + std::string(key) +
                                "=<number>', found '" + std::string(field) + "'");
  }
  std::string_view digits = field.substr(key.size() + 1);
  uint32_t v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc() || end != digits.data() + digits.size() ||
      (digits.size() > 1 && digits[0] == '0')) {
    return InvalidArgumentError("argon2id hash: '" + std::string(key) +
                                "' is not a canonical decimal number: '" + std::string(digits) + "'");
  }
  return v;
}

}  // namespace

Argon2Params Argon2Params::Default() { return Argon2Params(64 * 1024, 3, 1); }

Result<Argon2Params> Argon2Params::Create(uint32_t memory_kib, uint32_t iterations,
                                          uint32_t parallelism) {
  if (memory_kib < kMinMemoryKib || iterations < kMinIterations || parallelism < kMinParallelism) {
    return InvalidArgumentError("argon2id parameters m=" + std::to_string(memory_kib) +
                                ",t=" + std::to_string(iterations) + ",p=" +
                                std::to_string(parallelism) +
                                " are below the minimum m=19456,t=2,p=1 (OWASP)");
  }
  if (memory_kib > kMaxMemoryKib || iterations > kMaxIterations || parallelism > kMaxParallelism) {
    return InvalidArgumentError("argon2id parameters m=" + std::to_string(memory_kib) +
                                ",t=" + std::to_string(iterations) + ",p=" +
                                std::to_string(parallelism) +
                                " exceed the limits m<=4194304,t<=64,p<=16");
  }
  if (memory_kib < 8 * parallelism) {
    return InvalidArgumentError("argon2id: memory must be at least 8 KiB per lane");
  }
  return Argon2Params(memory_kib, iterations, parallelism);
}

bool Argon2Params::AtLeast(const Argon2Params& other) const {
  return memory_kib_ >= other.memory_kib_ && iterations_ >= other.iterations_ &&
         parallelism_ >= other.parallelism_;
}

Status CheckPasswordRules(const crypto::SecretBytes& password, std::string_view account_name) {
  if (password.size() < 8) {
    return InvalidArgumentError("password: expected at least 8 characters, found " +
                                std::to_string(password.size()));
  }
  if (password.size() > 128) {
    return InvalidArgumentError("password: expected at most 128 bytes, found " +
                                std::to_string(password.size()));
  }
  if (AsStringView(password.Reveal()) == account_name) {
    return InvalidArgumentError("password: must not be the account name");
  }
  return OkStatus();
}

Result<std::string> HashPassword(const crypto::SecretBytes& password, const Argon2Params& params,
                                 Env& env) {
  uint8_t salt[kSaltBytes];
  VIGIL_RETURN_IF_ERROR(env.FillRandom(salt));
  return HashPasswordWithSalt(password, params, salt);
}

Result<std::string> HashPasswordWithSalt(const crypto::SecretBytes& password,
                                         const Argon2Params& params, ByteView salt) {
  if (salt.size() < kSaltBytes) {
    return InvalidArgumentError("argon2id: salt must be at least 16 bytes, found " +
                                std::to_string(salt.size()));
  }
  size_t len = argon2_encodedlen(params.iterations(), params.memory_kib(), params.parallelism(),
                                 static_cast<uint32_t>(salt.size()), kHashBytes, Argon2_id);
  std::string encoded(len, '\0');
  int rc = argon2id_hash_encoded(params.iterations(), params.memory_kib(), params.parallelism(),
                                 password.Reveal().data(), password.size(), salt.data(),
                                 salt.size(), kHashBytes, encoded.data(), encoded.size());
  if (rc == ARGON2_MEMORY_ALLOCATION_ERROR) {
    return ResourceExhaustedError("argon2id: cannot allocate " +
                                  std::to_string(params.memory_kib()) + " KiB");
  }
  if (rc != ARGON2_OK) {
    return InternalError(std::string("argon2id: ") + argon2_error_message(rc));
  }
  encoded.resize(encoded.find('\0'));  // argon2 writes a C string into the buffer
  return encoded;
}

Result<Argon2Params> ParsePhcParams(std::string_view encoded) {
  std::vector<std::string_view> f = Split(encoded, '$');
  if (f.size() != 6 || !f[0].empty()) {
    return InvalidArgumentError(
        "argon2id hash: expected '$argon2id$v=19$m=..,t=..,p=..$<salt>$<hash>', found " +
        std::to_string(f.size()) + " '$'-separated fields");
  }
  if (f[1] != "argon2id") {
    return InvalidArgumentError("argon2id hash: expected algorithm 'argon2id', found '" +
                                std::string(f[1]) + "'");
  }
  VIGIL_ASSIGN_OR_RETURN(uint32_t version, ParseField(f[2], "v"));
  if (version != ARGON2_VERSION_13) {
    return InvalidArgumentError("argon2id hash: expected version v=19, found v=" +
                                std::to_string(version));
  }
  std::vector<std::string_view> p = Split(f[3], ',');
  if (p.size() != 3) {
    return InvalidArgumentError("argon2id hash: expected 'm=..,t=..,p=..', found '" +
                                std::string(f[3]) + "'");
  }
  VIGIL_ASSIGN_OR_RETURN(uint32_t m, ParseField(p[0], "m"));
  VIGIL_ASSIGN_OR_RETURN(uint32_t t, ParseField(p[1], "t"));
  VIGIL_ASSIGN_OR_RETURN(uint32_t lanes, ParseField(p[2], "p"));
  // PHC base64 without padding: 16 salt bytes are 22 characters.
  if (f[4].size() < 22) {
    return InvalidArgumentError("argon2id hash: salt shorter than 16 bytes");
  }
  if (f[5].size() < 43) {
    return InvalidArgumentError("argon2id hash: hash shorter than 32 bytes");
  }
  return Argon2Params::Create(m, t, lanes);
}

Result<PasswordCheck> VerifyPassword(std::string_view encoded, const crypto::SecretBytes& password,
                                     const Argon2Params& current) {
  VIGIL_ASSIGN_OR_RETURN(Argon2Params stored, ParsePhcParams(encoded));
  std::string text(encoded);  // libargon2 wants a NUL-terminated string
  int rc = argon2id_verify(text.c_str(), password.Reveal().data(), password.size());
  PasswordCheck check;
  if (rc == ARGON2_OK) {
    check.matched = true;
    check.needs_rehash = !stored.AtLeast(current);
    return check;
  }
  if (rc == ARGON2_VERIFY_MISMATCH) return check;
  if (rc == ARGON2_MEMORY_ALLOCATION_ERROR) {
    return ResourceExhaustedError("argon2id: cannot allocate " +
                                  std::to_string(stored.memory_kib()) + " KiB");
  }
  return InvalidArgumentError(std::string("argon2id hash: ") + argon2_error_message(rc));
}

}  // namespace vigil::identity
