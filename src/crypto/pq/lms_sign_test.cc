// LMS signing reproduces Botan's lms.vec (RFC 8554 Appendix F test case 2 and hash-sigs
// vectors): the public key from (I, SEED) and the SHA-256 of the signature at leaf q.
#include "pq/lms_sign.h"

#include <gtest/gtest.h>

#include "testing/vec_file.h"
#include "vigil/crypto/hash.h"
#include "vigil/crypto/pq/hss.h"

namespace vigil::crypto::pq::lms {
namespace {

uint32_t U32At(const Bytes& b, size_t at) {
  return (uint32_t{b[at]} << 24) | (uint32_t{b[at + 1]} << 16) | (uint32_t{b[at + 2]} << 8) | b[at + 3];
}

TEST(LmsSign, BotanLmsVectors) {
  int n = 0;
  for (const auto& r : testing::ReadVecFile("lms.vec")) {
    Bytes pk = r.Hex("PublicKey");
    ByteView id = ByteView(pk).subspan(8, 16);
    auto tree = LmsTree::Build(U32At(pk, 0), U32At(pk, 4), id, SecretBytes::CopyFrom(r.Hex("Seed")));
    ASSERT_TRUE(tree.has_value()) << "line " << r.line << ": " << tree.error().message();
    EXPECT_EQ(tree->PublicKey(), pk) << "line " << r.line;
    auto sig = tree->Sign(static_cast<uint32_t>(std::stoul(r.fields.at("q"))), r.Hex("Msg"));
    ASSERT_TRUE(sig.has_value());
    Sha256Digest h = Sha256(*sig);
    EXPECT_EQ(Bytes(h.begin(), h.end()), r.Hex("HashSig")) << "line " << r.line;
    // And it verifies as a one-level HSS signature.
    Bytes hss_pk = {0, 0, 0, 1};
    Append(hss_pk, pk);
    Bytes hss_sig = {0, 0, 0, 0};
    Append(hss_sig, *sig);
    EXPECT_TRUE(HssVerify(hss_pk, r.Hex("Msg"), hss_sig).has_value()) << "line " << r.line;
    ++n;
  }
  std::printf("lms.vec: %d cases\n", n);
  EXPECT_GT(n, 0);
}

}  // namespace
}  // namespace vigil::crypto::pq::lms
