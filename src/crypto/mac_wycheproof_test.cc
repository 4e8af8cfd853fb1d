// Wycheproof HMAC-SHA-256 (full and truncated tags) and HKDF-SHA-256 vectors.
#include <gtest/gtest.h>

#include "testing/wycheproof.h"
#include "vigil/crypto/mac.h"

namespace vigil::crypto {
namespace {

using testing::ForEachWycheproofCase;
using testing::WycheproofCase;

TEST(MacWycheproof, HmacSha256) {
  ForEachWycheproofCase("hmac_sha256_test.json", [](const WycheproofCase& c) {
    Bytes key = c.Hex("key"), msg = c.Hex("msg"), tag = c.Hex("tag");
    Status s = VerifyHmacSha256(key, msg, tag);
    if (c.valid()) {
      EXPECT_TRUE(s.has_value()) << c.Describe() << ": " << s.error().message();
      HmacSha256Tag full = HmacSha256(key, msg);
      EXPECT_TRUE(std::equal(tag.begin(), tag.end(), full.begin())) << c.Describe();
    } else {
      EXPECT_FALSE(s.has_value()) << c.Describe();
    }
  });
}

TEST(MacWycheproof, HkdfSha256) {
  ForEachWycheproofCase("hkdf_sha256_test.json", [](const WycheproofCase& c) {
    auto okm = HkdfSha256(c.Hex("ikm"), c.Hex("salt"), c.Hex("info"),
                          c.test.at("size").get<size_t>());
    if (c.valid()) {
      ASSERT_TRUE(okm.has_value()) << c.Describe() << ": " << okm.error().message();
      Bytes want = c.Hex("okm");
      EXPECT_EQ(Bytes(okm->Reveal().begin(), okm->Reveal().end()), want) << c.Describe();
    } else {
      EXPECT_FALSE(okm.has_value()) << c.Describe();
    }
  });
}

TEST(Mac, TagLengthLimits) {
  EXPECT_EQ(VerifyHmacSha256(ToBytes("k"), ToBytes("m"), Bytes(15)).error().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(VerifyHmacSha256(ToBytes("k"), ToBytes("m"), Bytes(16)).error().code(),
            ErrorCode::kUnauthenticated);
  EXPECT_FALSE(HkdfSha256(ToBytes("k"), {}, {}, 0).has_value());
  EXPECT_FALSE(HkdfSha256(ToBytes("k"), {}, {}, 8161).has_value());
}

}  // namespace
}  // namespace vigil::crypto
