// HSS state file under torn writes: with TearWrites on, a power cut at every mutation point of
// the state update leaves a pseudo-random prefix of unsynced data on "disk". Reloading must
// always find an intact state (the update is write-temp, fsync, rename, fsync-dir) or refuse
// it, and across hundreds of signatures and crashes no one-time key may be used twice.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "vigil/core/fault_env.h"
#include "vigil/crypto/pq/hss.h"

namespace vigil::crypto::pq {
namespace {

uint32_t U32At(const Bytes& b, size_t at) {
  return (uint32_t{b[at]} << 24) | (uint32_t{b[at + 1]} << 16) | (uint32_t{b[at + 2]} << 8) |
         b[at + 3];
}

// (top q, bottom q) of a two-level LMS_SHA256_M32_H5 / LMOTS_SHA256_N32_W1 signature.
std::pair<uint32_t, uint32_t> LeavesOf(const Bytes& sig) {
  const size_t top_sig = 4 + 4 + 32 + 265 * 32 + 4 + 5 * 32;
  return {U32At(sig, 4), U32At(sig, 4 + top_sig + 56)};
}

void TornSweep(uint32_t reserve) {
  FaultInjectingEnv env(21 + reserve);
  ASSERT_TRUE(env.CreateDir("/keys").has_value());
  ASSERT_TRUE(env.SyncDir("/").has_value());
  auto key = HssSigningKey::Create(env, "/keys/t.hss", {{{5, 1}, {5, 1}}}, reserve);
  ASSERT_TRUE(key.has_value()) << key.error().message();
  auto pub = (*key)->PublicKey();
  env.TearWrites(true);
  std::map<std::pair<uint32_t, uint32_t>, int> used;
  int crashes = 0, signatures = 0;
  for (int attempt = 0; attempt < 500 && (*key)->remaining() > 0; ++attempt) {
    const std::string m = "torn " + std::to_string(attempt);
    env.CrashAfter(static_cast<uint64_t>(attempt % 9) + 1);
    auto sig = (*key)->Sign(AsBytes(m));
    env.CrashAfter(0);
    const bool lose_power = !sig.has_value() || env.crashed() || attempt % 5 == 0;
    if (lose_power) {
      ++crashes;
      env.SimulatePowerLoss();
      auto reloaded = HssSigningKey::Load(env, "/keys/t.hss", reserve);
      ASSERT_TRUE(reloaded.has_value())
          << "attempt " << attempt << ": " << reloaded.error().message();
      key = std::move(reloaded);
    }
    if (!sig.has_value()) continue;
    ASSERT_TRUE(pub->Verify(AsBytes(m), *sig).has_value()) << attempt;
    auto [it, fresh] = used.emplace(LeavesOf(*sig), attempt);
    ASSERT_TRUE(fresh) << "one-time key reused by attempts " << it->second << " and " << attempt;
    ++signatures;
  }
  std::printf("torn writes, reserve %u: %d signatures, %d power cuts, %zu distinct one-time "
              "keys, none reused\n",
              reserve, signatures, crashes, used.size());
  EXPECT_GT(signatures, 80);
  EXPECT_GT(crashes, 100);
}

TEST(HssState, TornWritesAtEveryMutationPointNeverReuseAOneTimeKey) { TornSweep(1); }
TEST(HssState, TornWritesWithReservationsNeverReuseAOneTimeKey) { TornSweep(4); }

TEST(HssState, FailedWriteRefusesToSignAndKeepsTheKeyUsable) {
  FaultInjectingEnv env(31);
  ASSERT_TRUE(env.CreateDir("/keys").has_value());
  auto key = HssSigningKey::Create(env, "/keys/w.hss", {{{5, 1}}});
  ASSERT_TRUE(key.has_value());
  env.FailNthWrite(1);
  auto sig = (*key)->Sign(AsBytes("a"));
  EXPECT_FALSE(sig.has_value()) << "a signature was returned although its state was not saved";
  env.ResetFaults();
  auto next = (*key)->Sign(AsBytes("b"));
  ASSERT_TRUE(next.has_value()) << next.error().message();
  EXPECT_TRUE((*key)->PublicKey()->Verify(AsBytes("b"), *next).has_value());
}

}  // namespace
}  // namespace vigil::crypto::pq
