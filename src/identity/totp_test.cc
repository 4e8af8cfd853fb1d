// TOTP/HOTP: RFC 4226 App. D and RFC 6238 App. B vectors, drift and replay rules, and a
// differential test against the `oathtool` command on generated secrets and times.
#include "vigil/identity/totp.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "vigil/core/encoding.h"

namespace vigil::identity {
namespace {

using crypto::SecretBytes;

SecretBytes Ascii(std::string_view s) { return SecretBytes::CopyFrom(AsBytes(s)); }

nlohmann::json LoadVectors() {
  std::ifstream in(std::string(VIGIL_DATA_DIR) + "/crypto/otp-vectors.json");
  EXPECT_TRUE(in.good()) << "otp-vectors.json missing";
  return nlohmann::json::parse(in);
}

std::string RunOathtool(const std::string& args) {
  std::string out;
  FILE* p = popen(("oathtool " + args + " 2>&1").c_str(), "r");
  if (p == nullptr) return out;
  char buf[256];
  while (fgets(buf, sizeof buf, p) != nullptr) out += buf;
  pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

TEST(Hotp, Rfc4226AppendixD) {
  nlohmann::json v = LoadVectors()["hotp"];
  SecretBytes secret = Ascii(v["secret_ascii"].get<std::string>());
  int n = 0;
  for (const auto& want : v["values"]) {
    auto code = HotpCode(secret, static_cast<uint64_t>(n), v["digits"].get<int>());
    ASSERT_TRUE(code.has_value()) << code.error().ToString();
    EXPECT_EQ(*code, want.get<std::string>()) << "counter " << n;
    ++n;
  }
  std::printf("otp-vectors.json hotp: %d cases\n", n);
  EXPECT_EQ(n, 10);
}

TEST(Totp, Rfc6238AppendixB) {
  nlohmann::json v = LoadVectors()["totp"];
  const std::pair<const char*, TotpHash> hashes[] = {
      {"SHA1", TotpHash::kSha1}, {"SHA256", TotpHash::kSha256}, {"SHA512", TotpHash::kSha512}};
  int n = 0;
  for (const auto& row : v["cases"]) {
    for (size_t h = 0; h < 3; ++h) {
      auto config = TotpConfig::Create(hashes[h].second, v["digits"].get<int>(), v["step"].get<int>());
      ASSERT_TRUE(config.has_value());
      SecretBytes secret = Ascii(v["secrets_ascii"][hashes[h].first].get<std::string>());
      const auto t = row[0].get<int64_t>();
      auto code = TotpCode(secret, *config, t);
      ASSERT_TRUE(code.has_value()) << code.error().ToString();
      EXPECT_EQ(*code, row[h + 1].get<std::string>()) << hashes[h].first << " at " << t;
      ++n;
    }
  }
  std::printf("otp-vectors.json totp: %d cases\n", n);
  EXPECT_EQ(n, 18);
}

TEST(Totp, AcceptsOneStepOfDriftEitherWayButNotTwo) {
  SecretBytes secret = Ascii("12345678901234567890");
  TotpConfig config = TotpConfig::Default();
  const int64_t t = 1'700'000'000;
  for (int steps = -3; steps <= 3; ++steps) {
    auto code = TotpCode(secret, config, t + 30 * steps);
    ASSERT_TRUE(code.has_value());
    auto counter = VerifyTotp(secret, config, *code, t, std::nullopt);
    if (std::abs(steps) <= 1) {
      ASSERT_TRUE(counter.has_value()) << "drift " << steps;
      EXPECT_EQ(*counter, static_cast<uint64_t>(t / 30 + steps));
    } else {
      ASSERT_FALSE(counter.has_value()) << "drift " << steps;
      EXPECT_EQ(counter.error().code(), ErrorCode::kUnauthenticated);
    }
  }
}

TEST(Totp, ACodeIsAcceptedOnlyOnce) {
  SecretBytes secret = Ascii("12345678901234567890");
  TotpConfig config = TotpConfig::Default();
  const int64_t t = 1'700'000'000;
  auto code = TotpCode(secret, config, t);
  ASSERT_TRUE(code.has_value());
  auto first = VerifyTotp(secret, config, *code, t, std::nullopt);
  ASSERT_TRUE(first.has_value());
  auto replay = VerifyTotp(secret, config, *code, t + 5, *first);
  ASSERT_FALSE(replay.has_value());
  EXPECT_NE(replay.error().message().find("replay"), std::string::npos);
  // An older code (previous step) is also refused once a newer one was used.
  auto older = TotpCode(secret, config, t - 30);
  ASSERT_TRUE(older.has_value());
  EXPECT_FALSE(VerifyTotp(secret, config, *older, t, *first).has_value());
  // The next step's code is still good.
  auto next = TotpCode(secret, config, t + 30);
  ASSERT_TRUE(next.has_value());
  EXPECT_TRUE(VerifyTotp(secret, config, *next, t + 30, *first).has_value());
}

TEST(Totp, RejectsMalformedCodes) {
  SecretBytes secret = Ascii("12345678901234567890");
  TotpConfig config = TotpConfig::Default();
  for (const char* bad : {"", "12345", "1234567", "12a456", " 23456", "-12345"}) {
    auto r = VerifyTotp(secret, config, bad, 1'700'000'000, std::nullopt);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument) << bad;
  }
  EXPECT_FALSE(TotpConfig::Create(TotpHash::kSha1, 5, 30).has_value());
  EXPECT_FALSE(TotpConfig::Create(TotpHash::kSha1, 6, 10).has_value());
}

TEST(Totp, ProvisioningUriHasEveryParameter) {
  SecretBytes secret = Ascii("12345678901234567890");
  auto uri = ProvisioningUri("Acme Pumps", "nurse.kim@ward 3", secret, TotpConfig::Default());
  ASSERT_TRUE(uri.has_value());
  EXPECT_EQ(*uri,
            "otpauth://totp/Acme%20Pumps:nurse.kim%40ward%203?secret="
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme%20Pumps&algorithm=SHA1&digits=6&period=30");
  EXPECT_FALSE(ProvisioningUri("", "a", secret, TotpConfig::Default()).has_value());
  EXPECT_FALSE(ProvisioningUri("a:b", "a", secret, TotpConfig::Default()).has_value());
}

// Differential: our codes equal oathtool's for random secrets, times and algorithms.
TEST(Totp, AgreesWithOathtool) {
  ASSERT_FALSE(RunOathtool("--version").empty()) << "oathtool is required (scripts/setup)";
  std::mt19937_64 rng(20261122);
  const std::pair<TotpHash, const char*> hashes[] = {
      {TotpHash::kSha1, "sha1"}, {TotpHash::kSha256, "sha256"}, {TotpHash::kSha512, "sha512"}};
  int n = 0;
  for (int i = 0; i < 150; ++i) {
    Bytes key(20 + rng() % 44);
    for (auto& b : key) b = static_cast<uint8_t>(rng());
    const auto& [hash, name] = hashes[i % 3];
    const int digits = 6 + static_cast<int>(rng() % 3);
    const int step = (i % 2 == 0) ? 30 : 60;
    const auto t = static_cast<int64_t>(rng() % 4'000'000'000ULL);
    auto config = TotpConfig::Create(hash, digits, step);
    ASSERT_TRUE(config.has_value());
    auto ours = TotpCode(SecretBytes::CopyFrom(key), *config, t);
    ASSERT_TRUE(ours.has_value());
    std::string theirs = RunOathtool("--totp=" + std::string(name) + " --digits=" +
                                     std::to_string(digits) + " --time-step-size=" +
                                     std::to_string(step) + "s --now=@" + std::to_string(t) +
                                     " " + HexEncode(key));
    EXPECT_EQ(*ours, theirs) << "key " << HexEncode(key) << " t=" << t << " " << name;
    ++n;
  }
  std::printf("oathtool differential: %d cases\n", n);
}

}  // namespace
}  // namespace vigil::identity
