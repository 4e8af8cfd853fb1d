// Deterministic HSS signing against Botan's hss_lms_sig.vec (made with cisco/hash-sigs,
// "Secret Method 2"): from the private key (u32 L || u64 index || L x (LMS type, LM-OTS type)
// || SEED || I) every level's tree is rebuilt with the RFC 8554 Appendix A derivation, child
// levels' (SEED, I) derived from the parent's (SEED, I, q) with i = 0xfffe / 0xffff, and the
// HSS signature at the key's index must come out byte for byte. It must also verify.
#include <gtest/gtest.h>

#include <optional>

#include "pq/lms_params.h"
#include "pq/lms_sign.h"
#include "testing/vec_file.h"
#include "vigil/core/endian.h"
#include "vigil/crypto/pq/hss.h"

namespace vigil::crypto::pq::lms {
namespace {


void Append(Bytes& out, ByteView b) { out.insert(out.end(), b.begin(), b.end()); }

// (SEED, I) of the child under leaf q of the parent (SEED, I).
void DeriveChild(const OtsParams& o, Bytes& seed, Bytes& id, uint32_t q) {
  uint8_t qb[4], ff = 0xff;
  StoreBe32(qb, q);
  const uint8_t i_seed[2] = {0xff, 0xfe}, i_id[2] = {0xff, 0xff};
  uint8_t s[32], n[32];
  Hash(o.hash, o.n, {id, {qb, 4}, {i_seed, 2}, {&ff, 1}, seed}, s);
  Hash(o.hash, o.n, {id, {qb, 4}, {i_id, 2}, {&ff, 1}, seed}, n);
  seed.assign(s, s + o.n);
  id.assign(n, n + 16);
}

TEST(HssSigVectors, BotanDeterministicSignaturesReproduce) {
  int cases = 0;
  for (const auto& r : testing::ReadVecFile("hss_lms_sig.vec")) {
    const Bytes sk = r.Hex("PrivateKey"), msg = r.Hex("Msg"), want = r.Hex("Signature");
    ASSERT_GE(sk.size(), 12u);
    const uint32_t levels = LoadBe32(sk.data());
    const uint64_t index = LoadBe64(sk.data() + 4);
    ASSERT_TRUE(levels >= 1 && levels <= 8) << "line " << r.line;
    std::vector<std::pair<uint32_t, uint32_t>> types;
    for (uint32_t i = 0; i < levels; ++i) {
      types.emplace_back(LoadBe32(sk.data() + 12 + 8 * i), LoadBe32(sk.data() + 16 + 8 * i));
    }
    const size_t at = 12 + 8 * size_t{levels};
    auto o0 = OtsFor(types[0].second);
    ASSERT_TRUE(o0.has_value());
    ASSERT_EQ(sk.size(), at + o0->n + 16) << "line " << r.line;
    Bytes seed(sk.begin() + static_cast<std::ptrdiff_t>(at),
               sk.begin() + static_cast<std::ptrdiff_t>(at + o0->n));
    Bytes id(sk.end() - 16, sk.end());
    // The index splits across levels, the top level taking the most significant bits.
    std::vector<uint32_t> q(levels);
    uint64_t rest = index;
    for (uint32_t i = levels; i-- > 0;) {
      auto l = LmsFor(types[i].first);
      ASSERT_TRUE(l.has_value());
      q[i] = static_cast<uint32_t>(rest & ((uint64_t{1} << l->h) - 1));
      rest >>= l->h;
    }
    ASSERT_EQ(rest, 0u) << "line " << r.line << ": index beyond the key";
    Bytes sig, pk;
    AppendBe32(sig, levels - 1);
    AppendBe32(pk, levels);
    Bytes parent_pub;
    std::optional<LmsTree> parent;
    for (uint32_t i = 0; i < levels; ++i) {
      auto o = OtsFor(types[i].second);
      ASSERT_TRUE(o.has_value());
      if (i > 0) DeriveChild(*OtsFor(types[i - 1].second), seed, id, q[i - 1]);
      auto tree = LmsTree::Build(types[i].first, types[i].second, id, SecretBytes::CopyFrom(seed));
      ASSERT_TRUE(tree.has_value()) << "line " << r.line << " level " << i;
      if (i == 0) {
        Append(pk, tree->PublicKey());
      } else {
        auto s = parent->Sign(q[i - 1], tree->PublicKey());
        ASSERT_TRUE(s.has_value());
        Append(sig, *s);
        Append(sig, tree->PublicKey());
      }
      parent = std::move(*tree);
    }
    auto last = parent->Sign(q[levels - 1], msg);
    ASSERT_TRUE(last.has_value());
    Append(sig, *last);
    EXPECT_EQ(sig, want) << "line " << r.line;
    Status v = HssVerify(pk, msg, want);
    EXPECT_TRUE(v.has_value()) << "line " << r.line << ": " << (v ? "" : v.error().message());
    ++cases;
  }
  std::printf("hss_lms_sig.vec: %d cases (valid %d, invalid 0, acceptable 0)\n", cases, cases);
  EXPECT_GT(cases, 0);
}

}  // namespace
}  // namespace vigil::crypto::pq::lms
