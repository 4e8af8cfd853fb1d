// HSS/LMS verification against Botan's vector files: RFC 8554 Appendix F and the SP 800-208
// parameter sets (hss_lms_verify.vec, all must verify; also with the message or signature
// altered, they must not) and hss_lms_invalid.vec (all must be rejected).
#include <gtest/gtest.h>

#include "testing/vec_file.h"
#include "vigil/crypto/pq/hss.h"

namespace vigil::crypto::pq {
namespace {

using testing::ReadVecFile;

TEST(HssVerify, ValidVectorsVerifyAndAlterationsFail) {
  int n = 0;
  for (const auto& r : ReadVecFile("hss_lms_verify.vec")) {
    Bytes pk = r.Hex("PublicKey"), msg = r.Hex("Msg"), sig = r.Hex("Signature");
    Status s = HssVerify(pk, msg, sig);
    EXPECT_TRUE(s.has_value()) << "line " << r.line << ": " << (s ? "" : s.error().message());
    auto key = HssPublicKey(pk);
    ASSERT_TRUE(key.has_value()) << "line " << r.line;
    EXPECT_TRUE((*key)->Verify(msg, sig).has_value());
    Bytes bad_msg = msg;
    bad_msg.push_back(0);
    EXPECT_FALSE(HssVerify(pk, bad_msg, sig).has_value()) << "line " << r.line;
    for (size_t at : {size_t{20}, sig.size() / 2, sig.size() - 1}) {
      Bytes bad_sig = sig;
      bad_sig[at] ^= 0x01;
      EXPECT_FALSE(HssVerify(pk, msg, bad_sig).has_value()) << "line " << r.line << " byte " << at;
    }
    EXPECT_FALSE(HssVerify(pk, msg, ByteView(sig).first(sig.size() - 1)).has_value());
    ++n;
  }
  std::printf("hss_lms_verify.vec: %d cases\n", n);
  EXPECT_GT(n, 0);
}

TEST(HssVerify, InvalidVectorsAreRejected) {
  int n = 0;
  for (const auto& r : ReadVecFile("hss_lms_invalid.vec")) {
    Status s = HssVerify(r.Hex("PublicKey"), r.Hex("Msg"), r.Hex("InvalidSignature"));
    EXPECT_FALSE(s.has_value()) << "line " << r.line << ": accepted";
    ++n;
  }
  std::printf("hss_lms_invalid.vec: %d cases\n", n);
  EXPECT_GT(n, 0);
}

TEST(HssVerify, MalformedKeysAndSignaturesOfEveryLengthAreRejected) {
  auto r = ReadVecFile("hss_lms_verify.vec").front();
  Bytes pk = r.Hex("PublicKey"), msg = r.Hex("Msg"), sig = r.Hex("Signature");
  for (size_t len = 0; len < sig.size(); len += 97) {
    EXPECT_FALSE(HssVerify(pk, msg, ByteView(sig).first(len)).has_value()) << len;
  }
  for (size_t len = 0; len < pk.size(); ++len) {
    EXPECT_FALSE(HssPublicKey(ByteView(pk).first(len)).has_value()) << len;
  }
  // Exactly-sized buffers (found by fuzz_hss: a 10-byte key with a valid LMS type was read
  // past its end for the LM-OTS type).
  for (size_t len = 0; len < 28; ++len) {
    Bytes exact(pk.begin(), pk.begin() + static_cast<std::ptrdiff_t>(len));
    EXPECT_FALSE(HssPublicKey(exact).has_value()) << len;
  }
  Bytes bad_levels = pk;
  bad_levels[3] = 9;
  EXPECT_FALSE(HssPublicKey(bad_levels).has_value());
}

}  // namespace
}  // namespace vigil::crypto::pq
