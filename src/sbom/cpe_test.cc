// CPE 2.3 formatted-string tests, with examples from NISTIR 7695 §6.2 and NVD names.
#include "vigil/sbom/cpe.h"

#include <gtest/gtest.h>

namespace vigil::sbom {
namespace {

TEST(Cpe, ParsesElevenAttributes) {
  auto cpe = Cpe::Parse("cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*");
  ASSERT_TRUE(cpe.has_value()) << cpe.error().message();
  EXPECT_EQ(cpe->part().unescaped(), "a");
  EXPECT_EQ(cpe->vendor().unescaped(), "hp");
  EXPECT_EQ(cpe->product().unescaped(), "insight_diagnostics");
  EXPECT_EQ(cpe->version().unescaped(), "7.4.0.1570");
  EXPECT_TRUE(cpe->update().is_na());
  EXPECT_TRUE(cpe->get(Cpe::kEdition).is_any());
  EXPECT_EQ(cpe->get(Cpe::kSwEdition).unescaped(), "online");
  EXPECT_EQ(cpe->get(Cpe::kTargetSw).unescaped(), "win2003");
  EXPECT_EQ(cpe->get(Cpe::kTargetHw).unescaped(), "x64");
  EXPECT_TRUE(cpe->get(Cpe::kOther).is_any());
  EXPECT_EQ(cpe->ToString(),
            "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*");
}

TEST(Cpe, UnescapesAndFoldsCase) {
  auto cpe =
      Cpe::Parse(R"(cpe:2.3:a:Foo\\bar:big\$money_2010:*:*:*:EN\-us:special:ipod_touch:80gb:*)");
  ASSERT_TRUE(cpe.has_value()) << cpe.error().message();
  EXPECT_EQ(cpe->vendor().unescaped(), R"(foo\bar)");
  EXPECT_EQ(cpe->vendor().bound(), R"(foo\\bar)");
  EXPECT_EQ(cpe->product().unescaped(), "big$money_2010");
  EXPECT_EQ(cpe->get(Cpe::kLanguage).bound(), R"(en\-us)");
  auto colon =
      Cpe::Parse(R"(cpe:2.3:a:disney:where\'s_my_perry\?_free:1.5\:1:*:*:*:*:android:*:*)");
  ASSERT_TRUE(colon.has_value()) << colon.error().message();
  EXPECT_EQ(colon->product().unescaped(), "where's_my_perry?_free");
  EXPECT_EQ(colon->version().unescaped(), "1.5:1");
  EXPECT_FALSE(colon->product().has_wildcard());
}

TEST(Cpe, WildcardsOnlyAtTheEnds) {
  auto cpe = Cpe::Parse("cpe:2.3:a:openssl:openssl:1.1.*:*:*:*:*:*:*:*");
  ASSERT_TRUE(cpe.has_value()) << cpe.error().message();
  EXPECT_TRUE(cpe->version().has_wildcard());
  auto q = Cpe::Parse("cpe:2.3:a:openssl:openssl:??1.1:*:*:*:*:*:*:*");
  ASSERT_TRUE(q.has_value());
  EXPECT_TRUE(q->version().has_wildcard());
  EXPECT_FALSE(Cpe::Parse("cpe:2.3:a:openssl:open*ssl:1:*:*:*:*:*:*:*").has_value());
  EXPECT_FALSE(Cpe::Parse("cpe:2.3:a:openssl:openssl:**:*:*:*:*:*:*:*").has_value());
}

TEST(Cpe, RejectsMalformedNames) {
  struct Case {
    const char* text;
    const char* message_part;
  };
  const Case cases[] = {
      {"cpe:/a:openssl:openssl:1.0", "prefix"},
      {"cpe:2.3:a:openssl:openssl:1.0", "expected 11"},
      {"cpe:2.3:a:openssl:openssl:1.0:*:*:*:*:*:*:*:*", "expected 11"},
      {"cpe:2.3:x:openssl:openssl:1.0:*:*:*:*:*:*:*", "part"},
      {"cpe:2.3:a::openssl:1.0:*:*:*:*:*:*:*", "vendor: empty"},
      {"cpe:2.3:a:open ssl:openssl:1.0:*:*:*:*:*:*:*", "must be escaped"},
      {R"(cpe:2.3:a:openssl:openssl:1.0\a:*:*:*:*:*:*:*)", "punctuation"},
      {"cpe:2.3:a:openssl:openssl:1.0:*:*:english:*:*:*:*", "language"},
      {"cpe:2.3:a:openssl:openssl:1.0:*:*:en-u:*:*:*:*", "language"},
  };
  int count = 0;
  for (const Case& c : cases) {
    auto cpe = Cpe::Parse(c.text);
    ASSERT_FALSE(cpe.has_value()) << c.text;
    EXPECT_NE(cpe.error().message().find(c.message_part), std::string::npos)
        << c.text << " → " << cpe.error().message();
    ++count;
  }
  EXPECT_EQ(count, 9);
}

TEST(Cpe, EqualityIsOnCanonicalForm) {
  auto a = Cpe::Parse("cpe:2.3:o:Linux:Linux_Kernel:5.10:*:*:*:*:*:*:*");
  auto b = Cpe::Parse("cpe:2.3:o:linux:linux_kernel:5.10:*:*:*:*:*:*:*");
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(Cpe::AttributeName(Cpe::kTargetHw), "target_hw");
}

}  // namespace
}  // namespace vigil::sbom
