// The single-block SHA-256 (SHA-NI and portable paths) against OpenSSL's SHA-256 on every
// length 0..55 and many random inputs, and against the FIPS 180-4 "abc" example.
#include "pq/lms_sha256.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "vigil/crypto/hash.h"

namespace vigil::crypto::pq::lms {
namespace {

TEST(LmsSha256, AbcExample) {
  uint8_t out[32];
  Sha256Short(reinterpret_cast<const uint8_t*>("abc"), 3, out);
  const uint8_t want[32] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
                            0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
                            0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
  EXPECT_EQ(0, std::memcmp(out, want, 32));
}

TEST(LmsSha256, MatchesOpenSslOnEveryShortLength) {
  std::mt19937 rng(7);
  int cases = 0;
  for (int round = 0; round < 200; ++round) {
    for (size_t len = 0; len <= 55; ++len) {
      Bytes msg(len);
      for (auto& b : msg) b = static_cast<uint8_t>(rng());
      uint8_t out[32];
      Sha256Short(msg.data(), len, out);
      Sha256Digest want = Sha256(ByteView(msg));
      ASSERT_EQ(0, std::memcmp(out, want.data(), 32)) << "len " << len;
      ++cases;
    }
  }
  std::printf("lms_sha256: %d cases (sha-ni %s)\n", cases, Sha256HasShaNi() ? "on" : "off");
}

TEST(LmsSha256, PortableAndDispatchedCompressionAgree) {
  std::mt19937 rng(9);
  for (int round = 0; round < 1000; ++round) {
    uint32_t a[8], b[8];
    uint8_t block[64];
    for (auto& x : a) x = static_cast<uint32_t>(rng());
    std::memcpy(b, a, sizeof a);
    for (auto& x : block) x = static_cast<uint8_t>(rng());
    Sha256Compress(a, block);
    Sha256CompressPortable(b, block);
    ASSERT_EQ(0, std::memcmp(a, b, sizeof a)) << round;
  }
}

TEST(LmsSha256, ChainMatchesStepwiseHashing) {
  std::mt19937 rng(11);
  int cases = 0;
  for (size_t n : {size_t{24}, size_t{32}}) {
    for (int round = 0; round < 50; ++round) {
      uint8_t id[16], q[4], tmp[32], want[32];
      for (auto& b : id) b = static_cast<uint8_t>(rng());
      for (auto& b : q) b = static_cast<uint8_t>(rng());
      for (auto& b : tmp) b = static_cast<uint8_t>(rng());
      std::memcpy(want, tmp, 32);
      const int i = static_cast<int>(rng() % 300), from = static_cast<int>(rng() % 256);
      const int to = from + static_cast<int>(rng() % (256 - from));
      for (int j = from; j < to; ++j) {
        const uint8_t ib[2] = {static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
        const uint8_t jb = static_cast<uint8_t>(j);
        Sha256Digest d = Sha256({{id, 16}, {q, 4}, {ib, 2}, {&jb, 1}, {want, n}});
        std::memcpy(want, d.data(), n);
      }
      Sha256Chain(id, q, i, from, to, n, tmp);
      ASSERT_EQ(0, std::memcmp(tmp, want, n)) << "n " << n << " round " << round;
      ++cases;
    }
  }
  std::printf("lms_sha256 chains: %d cases\n", cases);
}

TEST(LmsSha256, BatchedChainsMatchSingleChains) {
  std::mt19937 rng(13);
  int cases = 0;
  for (size_t n : {size_t{24}, size_t{32}}) {
    for (size_t count : {size_t{0}, size_t{1}, size_t{3}, size_t{4}, size_t{5}, size_t{34},
                         size_t{67}, size_t{265}}) {
      uint8_t id[16], q[4];
      for (auto& b : id) b = static_cast<uint8_t>(rng());
      for (auto& b : q) b = static_cast<uint8_t>(rng());
      std::vector<uint8_t> a(count * 32), b(count * 32);
      for (auto& x : a) x = static_cast<uint8_t>(rng());
      b = a;
      std::vector<ChainJob> jobs;
      for (size_t k = 0; k < count; ++k) {
        const int from = static_cast<int>(rng() % 256);
        const int to = k % 7 == 0 ? from : from + static_cast<int>(rng() % (256 - from));
        jobs.push_back({static_cast<int>(k), from, to, a.data() + 32 * k});
        Sha256Chain(id, q, static_cast<int>(k), from, to, n, b.data() + 32 * k);
      }
      Sha256Chains(id, q, n, jobs.data(), jobs.size());
      ASSERT_EQ(a, b) << "n " << n << " count " << count;
      ++cases;
    }
  }
  std::printf("lms_sha256 batched chains: %d cases\n", cases);
}

}  // namespace
}  // namespace vigil::crypto::pq::lms
