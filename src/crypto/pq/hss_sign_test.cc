// Stateful HSS signing: signatures verify; the key exhausts; and, with power loss injected at
// every mutation point of the state update across thousands of signatures, no one-time key is
// ever used for two different messages. Corrupted state files are refused, never reset.
#include <gtest/gtest.h>

#include <map>

#include "vigil/core/fault_env.h"
#include "vigil/crypto/pq/hss.h"

namespace vigil::crypto::pq {
namespace {

// LMS_SHA256_M32_H5 (type 5) with LMOTS_SHA256_N32_W1 (type 1): cheap one-time keys, so
// thousands of signatures and restarts run quickly under the sanitizers.
const HssShape kTwoLevelsH5 = {{{5, 1}, {5, 1}}};

uint32_t U32(const Bytes& b, size_t at) {
  return (uint32_t{b[at]} << 24) | (uint32_t{b[at + 1]} << 16) | (uint32_t{b[at + 2]} << 8) | b[at + 3];
}

// The bottom-level leaf of a two-level signature, as (top q, bottom q): the one-time keys used.
std::pair<uint32_t, uint32_t> Leaves(const Bytes& sig) {
  const uint32_t top_q = U32(sig, 4);
  // 4 (Nspk) + top LMS signature (4 + 4 + 32 + 265·32 + 4 + 5·32) + child pub (24 + 32)
  const size_t top_sig = 4 + 4 + 32 + 265 * 32 + 4 + 5 * 32;
  return {top_q, U32(sig, 4 + top_sig + 56)};
}

TEST(HssSign, SignaturesVerifyAcrossLevelsAndTheKeyExhausts) {
  FaultInjectingEnv env(3);
  ASSERT_TRUE(env.CreateDir("/keys").has_value());
  auto key = HssSigningKey::Create(env, "/keys/fw.hss", {{{5, 1}}});
  ASSERT_TRUE(key.has_value()) << key.error().message();
  auto pub = (*key)->PublicKey();
  for (int i = 0; i < 32; ++i) {
    const std::string m = "image " + std::to_string(i);
    auto sig = (*key)->Sign(AsBytes(m));
    ASSERT_TRUE(sig.has_value()) << i;
    EXPECT_TRUE(pub->Verify(AsBytes(m), *sig).has_value()) << i;
  }
  EXPECT_EQ((*key)->remaining(), 0U);
  auto done = (*key)->Sign(AsBytes("one more"));
  ASSERT_FALSE(done.has_value());
  EXPECT_EQ(done.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(HssSigningKey::Create(env, "/keys/fw.hss", {{{5, 1}}}).error().code(),
            ErrorCode::kAlreadyExists);
  // A reloaded exhausted key stays exhausted.
  auto again = HssSigningKey::Load(env, "/keys/fw.hss");
  ASSERT_TRUE(again.has_value());
  EXPECT_FALSE((*again)->Sign(AsBytes("x")).has_value());
}

void CrashSweep(uint32_t reserve) {
  FaultInjectingEnv env(11);
  ASSERT_TRUE(env.CreateDir("/keys").has_value());
  ASSERT_TRUE(env.SyncDir("/").has_value());
  auto key = HssSigningKey::Create(env, "/keys/k.hss", kTwoLevelsH5, reserve);
  ASSERT_TRUE(key.has_value());
  auto pub = (*key)->PublicKey();
  std::map<std::pair<uint32_t, uint32_t>, std::string> used;
  int crashes = 0, signatures = 0;
  uint64_t crash_point = 1;
  for (int attempt = 0; attempt < 6000 && (*key)->remaining() > 0; ++attempt) {
    const std::string m = "msg " + std::to_string(attempt);
    // Every attempt arms a crash at the next mutation point of a cycle over 1..8, which walks
    // every create, write, fsync, close, rename and directory sync of the state update (points
    // past the update's six mutations let the signature through).
    env.CrashAfter(crash_point = crash_point % 8 + 1);
    auto sig = (*key)->Sign(AsBytes(m));
    env.CrashAfter(0);
    if (!sig.has_value()) {
      ++crashes;
      env.SimulatePowerLoss();
      auto reloaded = HssSigningKey::Load(env, "/keys/k.hss", reserve);
      ASSERT_TRUE(reloaded.has_value()) << reloaded.error().message();
      key = std::move(reloaded);
      continue;
    }
    if (env.crashed() || attempt % 7 == 0) {
      // Power lost after this signature (maybe mid-reserve): the unused reserve is skipped.
      env.SimulatePowerLoss();
      auto reloaded = HssSigningKey::Load(env, "/keys/k.hss", reserve);
      ASSERT_TRUE(reloaded.has_value());
      key = std::move(reloaded);
    }
    ASSERT_TRUE(pub->Verify(AsBytes(m), *sig).has_value()) << attempt;
    auto leaf = Leaves(*sig);
    auto [it, fresh] = used.emplace(leaf, m);
    ASSERT_TRUE(fresh) << "one-time key (" << leaf.first << "," << leaf.second
                       << ") used twice: '" << it->second << "' and '" << m << "'";
    ++signatures;
  }
  std::printf("reserve %u: %d signatures, %d crashes, %zu distinct one-time keys, none reused, "
              "%zu skipped\n", reserve, signatures, crashes, used.size(), 1024 - used.size());
  EXPECT_GT(signatures, 300);
  EXPECT_GT(crashes, 50);
}

TEST(HssSign, PowerLossAtEveryStateWriteNeverReusesAOneTimeKey) { CrashSweep(1); }
TEST(HssSign, ReservedRangesAreSkippedNotReusedAfterACrash) { CrashSweep(10); }

TEST(HssSign, CorruptedStateIsRefusedNeverReset) {
  FaultInjectingEnv env(5);
  ASSERT_TRUE(env.CreateDir("/keys").has_value());
  auto key = HssSigningKey::Create(env, "/keys/k.hss", {{{5, 1}}});
  ASSERT_TRUE(key.has_value());
  ASSERT_TRUE((*key)->Sign(AsBytes("a")).has_value());
  Bytes state = *env.ReadFile("/keys/k.hss");
  for (size_t at : {size_t{0}, size_t{5}, state.size() - 40, state.size() - 33, state.size() - 1}) {
    Bytes bad = state;
    bad[at] ^= 0x01;
    ASSERT_TRUE(env.WriteFileAtomic("/keys/k.hss", bad).has_value());
    auto loaded = HssSigningKey::Load(env, "/keys/k.hss");
    ASSERT_FALSE(loaded.has_value()) << "byte " << at;
    EXPECT_EQ(loaded.error().code(), ErrorCode::kDataLoss);
  }
  ASSERT_TRUE(env.WriteFileAtomic("/keys/k.hss", ByteView(state).first(20)).has_value());
  EXPECT_EQ(HssSigningKey::Load(env, "/keys/k.hss").error().code(), ErrorCode::kDataLoss);
}

TEST(HssSign, FullDiskRefusesToSign) {
  FaultInjectingEnv env(6);
  ASSERT_TRUE(env.CreateDir("/keys").has_value());
  auto key = HssSigningKey::Create(env, "/keys/k.hss", {{{5, 1}}});
  ASSERT_TRUE(key.has_value());
  env.SetDiskCapacity(10);
  auto sig = (*key)->Sign(AsBytes("a"));
  ASSERT_FALSE(sig.has_value());
  EXPECT_EQ(sig.error().code(), ErrorCode::kResourceExhausted);
}

}  // namespace
}  // namespace vigil::crypto::pq
