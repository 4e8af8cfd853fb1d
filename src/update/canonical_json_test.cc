#include "vigil/update/canonical_json.h"

#include <gtest/gtest.h>

namespace vigil::update {
namespace {

std::string Canon(std::string_view text) {
  auto j = ParseStrictJson(text, "test");
  EXPECT_TRUE(j.has_value()) << j.error().message();
  if (!j) return "";
  auto c = CanonicalJson(*j);
  EXPECT_TRUE(c.has_value()) << c.error().message();
  return c.value_or("");
}

TEST(CanonicalJson, SortsKeysDropsWhitespaceEscapesOnlyQuoteAndBackslash) {
  EXPECT_EQ(Canon(R"({ "b": [1, -2, true, null], "a": {"z": "x", "y": ""} })"),
            R"({"a":{"y":"","z":"x"},"b":[1,-2,true,null]})");
  // Control characters and non-ASCII are written raw; only '"' and '\' are escaped.
  EXPECT_EQ(Canon(R"(["q\"b\\n\n\u00e9"])"), "[\"q\\\"b\\\\n\n\xc3\xa9\"]");
  // Keys sort by UTF-8 bytes: "B" < "a" < "\u00e9".
  EXPECT_EQ(Canon(R"({"\u00e9":1,"a":2,"B":3})"), "{\"B\":3,\"a\":2,\"\xc3\xa9\":1}");
}

TEST(CanonicalJson, RejectsFloats) {
  auto j = ParseStrictJson(R"({"a":[1.5]})", "test");
  ASSERT_TRUE(j.has_value());
  auto c = CanonicalJson(*j);
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message().find("$.a[0]"), std::string::npos) << c.error().message();
}

TEST(StrictJson, RejectsDuplicateKeysDepthTrailingAndBadUtf8) {
  auto dup = ParseStrictJson(R"({"a":1,"b":{"x":1,"x":2}})", "root.json");
  ASSERT_FALSE(dup.has_value());
  EXPECT_NE(dup.error().message().find("duplicate object key \"x\""), std::string::npos);
  EXPECT_NE(dup.error().message().find("root.json"), std::string::npos);
  EXPECT_FALSE(ParseStrictJson(
                   std::string(kMaxJsonDepth + 1, '[') + std::string(kMaxJsonDepth + 1, ']'), "t")
                   .has_value());
  EXPECT_TRUE(
      ParseStrictJson(std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']'), "t")
          .has_value());
  EXPECT_FALSE(ParseStrictJson(R"({"a":1} x)", "t").has_value());
  EXPECT_FALSE(ParseStrictJson("[\"\xff\"]", "t").has_value());
  EXPECT_FALSE(ParseStrictJson("", "t").has_value());
  // Same key in sibling objects is fine.
  EXPECT_TRUE(ParseStrictJson(R"([{"a":1},{"a":2}])", "t").has_value());
}

}  // namespace
}  // namespace vigil::update
