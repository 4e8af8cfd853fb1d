#include "vigil/identity/totp.h"

#include <liboath/oath.h>

#include <array>
#include <cstdio>

namespace vigil::identity {
namespace {

constexpr size_t kSecretBytes = 20;

// liboath keeps global state that oath_init() sets up once per process.
Status EnsureOathInitialised() {
  static const int rc = oath_init();
  if (rc != OATH_OK) return InternalError(std::string("liboath: ") + oath_strerror(rc));
  return OkStatus();
}

int OathFlags(TotpHash h) {
  switch (h) {
    case TotpHash::kSha1: return 0;
    case TotpHash::kSha256: return OATH_TOTP_HMAC_SHA256;
    case TotpHash::kSha512: return OATH_TOTP_HMAC_SHA512;
  }
  return 0;
}

std::string_view HashName(TotpHash h) {
  switch (h) {
    case TotpHash::kSha1: return "SHA1";
    case TotpHash::kSha256: return "SHA256";
    case TotpHash::kSha512: return "SHA512";
  }
  return "SHA1";
}

Result<std::string> CodeAtCounter(const crypto::SecretBytes& secret, const TotpConfig& config,
                                  uint64_t counter) {
  VIGIL_RETURN_IF_ERROR(EnsureOathInitialised());
  // TOTP at time T with T0 = 0 is HOTP of floor(T / step): ask liboath for the time that
  // starts the step, so counters beyond the current one are reachable exactly.
  std::array<char, 16> out{};
  const auto step = static_cast<uint64_t>(config.step_seconds());
  int rc = oath_totp_generate2(reinterpret_cast<const char*>(secret.Reveal().data()),  // NOLINT
                               secret.size(), static_cast<time_t>(counter * step),
                               static_cast<unsigned>(step), 0,
                               static_cast<unsigned>(config.digits()), OathFlags(config.hash()),
                               out.data());
  if (rc != OATH_OK) return InternalError(std::string("liboath: ") + oath_strerror(rc));
  return std::string(out.data());
}

bool ConstantTimeStringEquals(std::string_view a, std::string_view b) {
  return crypto::ConstantTimeEquals(AsBytes(a), AsBytes(b));
}

std::string PercentEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out.append(buf);
    }
  }
  return out;
}

}  // namespace

TotpConfig TotpConfig::Default() { return TotpConfig(TotpHash::kSha1, 6, 30); }

Result<TotpConfig> TotpConfig::Create(TotpHash hash, int digits, int step_seconds) {
  if (digits < 6 || digits > 8) {
    return InvalidArgumentError("totp: digits must be 6, 7 or 8, found " + std::to_string(digits));
  }
  if (step_seconds < 15 || step_seconds > 300) {
    return InvalidArgumentError("totp: step must be 15..300 seconds, found " +
                                std::to_string(step_seconds));
  }
  return TotpConfig(hash, digits, step_seconds);
}

Result<crypto::SecretBytes> NewTotpSecret(Env& env) {
  crypto::SecretBytes s(kSecretBytes);
  VIGIL_RETURN_IF_ERROR(env.FillRandom(s.MutableReveal()));
  return s;
}

Result<std::string> HotpCode(const crypto::SecretBytes& secret, uint64_t counter, int digits) {
  VIGIL_RETURN_IF_ERROR(EnsureOathInitialised());
  if (digits < 6 || digits > 8) {
    return InvalidArgumentError("hotp: digits must be 6, 7 or 8, found " + std::to_string(digits));
  }
  std::array<char, 16> out{};
  int rc = oath_hotp_generate(reinterpret_cast<const char*>(secret.Reveal().data()),  // NOLINT
                              secret.size(), counter, static_cast<unsigned>(digits), false,
                              OATH_HOTP_DYNAMIC_TRUNCATION, out.data());
  if (rc != OATH_OK) return InternalError(std::string("liboath: ") + oath_strerror(rc));
  return std::string(out.data());
}

Result<std::string> TotpCode(const crypto::SecretBytes& secret, const TotpConfig& config,
                             int64_t unix_seconds) {
  if (unix_seconds < 0) return InvalidArgumentError("totp: time before 1970");
  return CodeAtCounter(secret, config,
                       static_cast<uint64_t>(unix_seconds) /
                           static_cast<uint64_t>(config.step_seconds()));
}

Result<uint64_t> VerifyTotp(const crypto::SecretBytes& secret, const TotpConfig& config,
                            std::string_view code, int64_t unix_seconds,
                            std::optional<uint64_t> last_used_counter) {
  if (code.size() != static_cast<size_t>(config.digits())) {
    return InvalidArgumentError("totp: expected a " + std::to_string(config.digits()) +
                                "-digit code, found " + std::to_string(code.size()) +
                                " characters");
  }
  for (char c : code) {
    if (c < '0' || c > '9') return InvalidArgumentError("totp: code must be decimal digits");
  }
  if (unix_seconds < 0) return InvalidArgumentError("totp: time before 1970");
  const uint64_t now = static_cast<uint64_t>(unix_seconds) /
                       static_cast<uint64_t>(config.step_seconds());
  // Check all three windows whatever matches, so timing does not tell which step matched.
  std::optional<uint64_t> matched;
  for (int64_t delta = -1; delta <= 1; ++delta) {
    if (delta < 0 && now == 0) continue;
    uint64_t counter = now + static_cast<uint64_t>(delta);
    VIGIL_ASSIGN_OR_RETURN(std::string expected, CodeAtCounter(secret, config, counter));
    if (ConstantTimeStringEquals(expected, code) && !matched) matched = counter;
  }
  if (!matched) return UnauthenticatedError("totp: code does not match");
  if (last_used_counter && *matched <= *last_used_counter) {
    return UnauthenticatedError("totp: code was already used (replay refused)");
  }
  return *matched;
}

std::string Base32Encode(ByteView data) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t b : data) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 31]);
  return out;
}

Result<std::string> ProvisioningUri(std::string_view issuer, std::string_view account,
                                    const crypto::SecretBytes& secret, const TotpConfig& config) {
  if (issuer.empty() || account.empty() || issuer.find(':') != std::string_view::npos ||
      account.find(':') != std::string_view::npos) {
    return InvalidArgumentError("otpauth: issuer and account must be non-empty and without ':'");
  }
  std::string uri = "otpauth://totp/" + PercentEncode(issuer) + ":" + PercentEncode(account);
  uri += "?secret=" + Base32Encode(secret.Reveal());
  uri += "&issuer=" + PercentEncode(issuer);
  uri += "&algorithm=" + std::string(HashName(config.hash()));
  uri += "&digits=" + std::to_string(config.digits());
  uri += "&period=" + std::to_string(config.step_seconds());
  return uri;
}

}  // namespace vigil::identity
