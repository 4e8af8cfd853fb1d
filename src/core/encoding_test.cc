#include "vigil/core/encoding.h"

#include <gtest/gtest.h>

#include <random>

namespace vigil {
namespace {

TEST(Hex, RoundTripAndCase) {
  Bytes data = {0x00, 0x01, 0xab, 0xff};
  EXPECT_EQ(HexEncode(data), "0001abff");
  EXPECT_EQ(*HexDecode("0001ABff"), data);
  EXPECT_TRUE(HexDecode("")->empty());
}

TEST(Hex, RejectsOddLengthAndBadDigits) {
  auto odd = HexDecode("abc");
  ASSERT_FALSE(odd.has_value());
  EXPECT_EQ(odd.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(odd.error().message().find("even number"), std::string::npos);
  auto bad = HexDecode("00g1");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(), "hex: offset 2: expected a hex digit, found 'g'");
  EXPECT_FALSE(HexDecode("0 ").has_value());
  EXPECT_FALSE(HexDecode("0x00").has_value());
  EXPECT_NE(HexDecode(std::string("0\n", 2)).error().message().find("\\x0a"), std::string::npos);
}

// RFC 4648 §10 test vectors.
TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> v[] = {{"", ""},         {"f", "Zg=="},
                                                   {"fo", "Zm8="},   {"foo", "Zm9v"},
                                                   {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
                                                   {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, enc] : v) {
    EXPECT_EQ(Base64Encode(AsBytes(plain)), enc);
    auto d = Base64Decode(enc);
    ASSERT_TRUE(d.has_value()) << enc;
    EXPECT_EQ(AsStringView(*d), plain);
    std::string url(enc);
    while (!url.empty() && url.back() == '=') url.pop_back();
    EXPECT_EQ(Base64UrlEncode(AsBytes(plain)), url);
    EXPECT_EQ(AsStringView(*Base64UrlDecode(url)), plain);
  }
}

TEST(Base64, RejectsNonCanonicalInput) {
  const char* bad[] = {
      "Zg",        // missing padding
      "Zg=",       // short padding
      "Zg===",     // length not a multiple of 4
      "Zh==",      // non-zero trailing bits (canonical is Zg==)
      "Zm9=",      // non-zero trailing bits (canonical is Zm8=)
      "Zm9v\n",    // whitespace
      "Zm 9v",     // whitespace
      "Zm9v====",  // extra padding block
      "=Zm9",      // padding first
      "Zm=v",      // padding in the middle
      "Zm9-",      // url alphabet in standard decoding
      "A===",      // three pad characters
  };
  for (const char* b : bad) {
    auto r = Base64Decode(b);
    EXPECT_FALSE(r.has_value()) << "accepted " << b;
    if (!r) {
      EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    }
  }
  EXPECT_NE(Base64Decode("Zh==").error().message().find("non-zero padding bits"),
            std::string::npos);
  EXPECT_EQ(Base64Decode("Zm 9vYg=").error().message(),
            "base64: offset 2: expected a base64 character, found ' '");
  for (const char* b : {"Zg==", "Z", "Zh", "Zm9+", "Zm9/"}) {
    EXPECT_FALSE(Base64UrlDecode(b).has_value()) << "url accepted " << b;
  }
}

TEST(Base64, RandomRoundTripsAreCanonical) {
  std::mt19937 rng(42);
  for (int i = 0; i < 2000; ++i) {
    Bytes data(rng() % 70);
    for (auto& b : data) b = static_cast<uint8_t>(rng());
    EXPECT_EQ(*Base64Decode(Base64Encode(data)), data);
    EXPECT_EQ(*Base64UrlDecode(Base64UrlEncode(data)), data);
    EXPECT_EQ(*HexDecode(HexEncode(data)), data);
  }
}

}  // namespace
}  // namespace vigil
