// Argon2id password hashing: PHC round trip, parameter floor, rehash signal, strict parsing,
// and a differential test against the `argon2` command-line tool.
#include "vigil/identity/password_hasher.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "vigil/core/fault_env.h"

namespace vigil::identity {
namespace {

using crypto::SecretBytes;

SecretBytes Pw(std::string_view s) { return SecretBytes::CopyFrom(AsBytes(s)); }

Argon2Params Minimum() { return *Argon2Params::Create(19 * 1024, 2, 1); }

std::string RunArgon2Cli(const std::string& password, const std::string& salt,
                         const Argon2Params& p) {
  std::string cmd = "printf '%s' '" + password + "' | argon2 '" + salt + "' -id -t " +
                    std::to_string(p.iterations()) + " -k " + std::to_string(p.memory_kib()) +
                    " -p " + std::to_string(p.parallelism()) + " -l 32 -e";
  std::string out;
  FILE* f = popen(cmd.c_str(), "r");
  if (f == nullptr) return out;
  char buf[512];
  while (fgets(buf, sizeof buf, f) != nullptr) out += buf;
  pclose(f);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

TEST(Argon2Params, RefusesAnythingBelowTheOwaspMinimum) {
  EXPECT_TRUE(Argon2Params::Create(19 * 1024, 2, 1).has_value());
  EXPECT_FALSE(Argon2Params::Create(19 * 1024 - 1, 2, 1).has_value());
  EXPECT_FALSE(Argon2Params::Create(19 * 1024, 1, 1).has_value());
  EXPECT_FALSE(Argon2Params::Create(19 * 1024, 2, 0).has_value());
  EXPECT_FALSE(Argon2Params::Create(19 * 1024, 65, 1).has_value());
  Argon2Params d = Argon2Params::Default();
  EXPECT_TRUE(d.AtLeast(Minimum()));
}

TEST(PasswordHasher, RoundTripAndWrongPassword) {
  FaultInjectingEnv env(7);
  auto hash = HashPassword(Pw("correct horse battery"), Minimum(), env);
  ASSERT_TRUE(hash.has_value()) << hash.error().ToString();
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0U) << *hash;
  auto ok = VerifyPassword(*hash, Pw("correct horse battery"), Minimum());
  ASSERT_TRUE(ok.has_value());
  EXPECT_TRUE(ok->matched);
  EXPECT_FALSE(ok->needs_rehash);
  auto bad = VerifyPassword(*hash, Pw("correct horse battery!"), Minimum());
  ASSERT_TRUE(bad.has_value());
  EXPECT_FALSE(bad->matched);
}

TEST(PasswordHasher, SaltsDiffer) {
  FaultInjectingEnv env(7);
  auto a = HashPassword(Pw("same password"), Minimum(), env);
  auto b = HashPassword(Pw("same password"), Minimum(), env);
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_NE(*a, *b);
}

TEST(PasswordHasher, WeakerStoredParametersAskForRehash) {
  FaultInjectingEnv env(7);
  auto hash = HashPassword(Pw("a long passphrase"), Minimum(), env);
  ASSERT_TRUE(hash.has_value());
  auto stronger = *Argon2Params::Create(32 * 1024, 3, 1);
  auto check = VerifyPassword(*hash, Pw("a long passphrase"), stronger);
  ASSERT_TRUE(check.has_value());
  EXPECT_TRUE(check->matched);
  EXPECT_TRUE(check->needs_rehash);
}

TEST(PasswordHasher, RejectsMalformedAndWeakHashes) {
  const char* bad[] = {
      "",
      "$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE",
      "$argon2id$v=16$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE",
      "$argon2id$v=19$m=4096,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE",
      "$argon2id$v=19$m=019456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE",
      "$argon2id$v=19$t=2,m=19456,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE",
      "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE",
      "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K13E",
      "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA",
  };
  for (const char* h : bad) {
    auto r = VerifyPassword(h, Pw("password"), Minimum());
    ASSERT_FALSE(r.has_value()) << h;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument) << h;
  }
}

TEST(PasswordHasher, PasswordRules) {
  EXPECT_FALSE(CheckPasswordRules(Pw("short"), "kim").has_value());
  EXPECT_FALSE(CheckPasswordRules(Pw("kimberley"), "kimberley").has_value());
  EXPECT_FALSE(CheckPasswordRules(Pw(std::string(129, 'x')), "kim").has_value());
  EXPECT_TRUE(CheckPasswordRules(Pw("eight ch"), "kim").has_value());
}

// Differential: the `argon2` reference CLI and we produce the same PHC string for the same
// password, salt and parameters, and we verify what it produced.
TEST(PasswordHasher, AgreesWithArgon2Cli) {
  const std::string salt = "vigil-salt-0123456789";
  const std::pair<const char*, Argon2Params> cases[] = {
      {"password", Minimum()},
      {"correct horse battery staple", *Argon2Params::Create(19 * 1024, 3, 1)},
      {"Zürich-2026!", *Argon2Params::Create(24 * 1024, 2, 2)},
  };
  int n = 0;
  for (const auto& [password, params] : cases) {
    std::string theirs = RunArgon2Cli(password, salt, params);
    ASSERT_EQ(theirs.rfind("$argon2id$", 0), 0U) << "argon2 CLI failed: " << theirs;
    auto ours = HashPasswordWithSalt(Pw(password), params, AsBytes(salt));
    ASSERT_TRUE(ours.has_value()) << ours.error().ToString();
    EXPECT_EQ(*ours, theirs);
    auto check = VerifyPassword(theirs, Pw(password), params);
    ASSERT_TRUE(check.has_value());
    EXPECT_TRUE(check->matched);
    ++n;
  }
  std::printf("argon2 CLI differential: %d cases\n", n);
}

}  // namespace
}  // namespace vigil::identity
