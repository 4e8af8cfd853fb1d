#include "internal/json_doc.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "vigil/update/canonical_json.h"

namespace vigil::update::internal {
namespace {

std::string ErrorOf(std::string_view text) {
  auto doc = JsonDoc::Parse(text, "t.json");
  return doc ? "" : doc.error().message();
}

// Canonical() (copied when written canonically) and CanonicalWritten() (always written) agree.
std::string Canon(std::string_view text) {
  auto doc = JsonDoc::Parse(text, "t");
  EXPECT_TRUE(doc.has_value()) << doc.error().message();
  if (!doc) return "";
  auto fast = doc->Canonical(0);
  auto written = doc->CanonicalWritten(0);
  EXPECT_EQ(fast.has_value(), written.has_value());
  if (!fast || !written) return "error";
  EXPECT_EQ(*fast, *written) << text;
  return *fast;
}

TEST(JsonDoc, ReadsEveryKindInPlace) {
  std::string text = R"({"s":"x","n":null,"t":true,"f":false,"u":7,"neg":-3,"fl":1.5,
                         "a":[1,"b",[]],"o":{}})";
  auto doc = JsonDoc::Parse(text, "t");
  ASSERT_TRUE(doc.has_value()) << doc.error().message();
  EXPECT_EQ(doc->size(0), 9u);
  EXPECT_EQ(doc->text(doc->Find(0, "s")), "x");
  EXPECT_EQ(doc->kind(doc->Find(0, "n")), JsonKind::kNull);
  EXPECT_EQ(doc->kind(doc->Find(0, "t")), JsonKind::kTrue);
  EXPECT_EQ(doc->kind(doc->Find(0, "f")), JsonKind::kFalse);
  EXPECT_EQ(doc->unsigned_value(doc->Find(0, "u")), 7u);
  EXPECT_EQ(doc->negative_value(doc->Find(0, "neg")), -3);
  EXPECT_EQ(doc->kind(doc->Find(0, "fl")), JsonKind::kFloat);
  EXPECT_EQ(doc->size(doc->Find(0, "a")), 3u);
  EXPECT_EQ(doc->size(doc->Find(0, "o")), 0u);
  EXPECT_EQ(doc->Find(0, "missing"), JsonDoc::kNone);
  // A string without escapes is a view into the input.
  EXPECT_EQ(doc->text(doc->Find(0, "s")).data(), text.data() + text.find("\"x\"") + 1);
  EXPECT_EQ(doc->ToNlohmann(0), nlohmann::json::parse(text));
}

TEST(JsonDoc, IntegersKeepTheirRangeAndOthersAreFloats) {
  auto kind = [](std::string_view t) { return JsonDoc::Parse(t, "t").value().kind(0); };
  EXPECT_EQ(kind("18446744073709551615"), JsonKind::kUnsigned);
  EXPECT_EQ(kind("18446744073709551616"), JsonKind::kFloat);
  EXPECT_EQ(kind("-9223372036854775808"), JsonKind::kNegative);
  EXPECT_EQ(kind("-9223372036854775809"), JsonKind::kFloat);
  EXPECT_EQ(kind("1e2"), JsonKind::kFloat);
  EXPECT_EQ(JsonDoc::Parse("18446744073709551615", "t")->unsigned_value(0), UINT64_MAX);
  EXPECT_EQ(JsonDoc::Parse("-9223372036854775808", "t")->negative_value(0), INT64_MIN);
  EXPECT_NE(ErrorOf("1e400").find("out of range"), std::string::npos);
}

TEST(JsonDoc, DecodesEscapesAndValidatesUtf8) {
  auto doc = JsonDoc::Parse(R"(["a\n\"\\\/\u00e9\ud83d\ude00\u0000z"])", "t");
  ASSERT_TRUE(doc.has_value()) << doc.error().message();
  EXPECT_EQ(doc->text(1), std::string_view("a\n\"\\/\xc3\xa9\xf0\x9f\x98\x80\0z", 13));
  EXPECT_EQ(ErrorOf("[\"\xc3\xa9\xf0\x9f\x98\x80\"]"), "");  // raw UTF-8 is fine
  for (std::string bad :
       {"\xc0\x80", "\xed\xa0\x80", "\xf5\x80\x80\x80", "\xe0\x80\x80", "\xff", "\xc3"}) {
    EXPECT_NE(ErrorOf("[\"" + bad + "\"]").find("invalid UTF-8"), std::string::npos) << bad;
  }
  EXPECT_NE(ErrorOf(R"(["\udc00"])").find("low surrogate"), std::string::npos);
  EXPECT_NE(ErrorOf(R"(["\ud800x"])").find("high surrogate"), std::string::npos);
  EXPECT_NE(ErrorOf(R"(["\ud800\u0041"])").find("high surrogate"), std::string::npos);
  EXPECT_NE(ErrorOf(R"(["\x"])").find("expected an escape"), std::string::npos);
  EXPECT_NE(ErrorOf(R"(["\u12g4"])").find("4 hex digits"), std::string::npos);
  EXPECT_NE(ErrorOf("[\"a\tb\"]").find("control character \\x09"), std::string::npos);
}

TEST(JsonDoc, RejectsWhatStrictJsonForbidsNamingByteAndPath) {
  EXPECT_EQ(ErrorOf(R"({"a":{"b":[1,}]}})"),
            "t.json: not valid JSON: at byte 13 (in $.a.b): expected a value, found '}'");
  EXPECT_EQ(ErrorOf(R"({"a":1,"b":{"x":1,"x":2}})"),
            "t.json: not valid JSON: at byte 24 (in $.b): duplicate object key \"x\"");
  EXPECT_EQ(ErrorOf(R"([0,{"k.1":[{}, {"z" 1}]}])"),
            "t.json: not valid JSON: at byte 20 (in $[1][\"k.1\"][1]): expected ':' after the "
            "member name, found '1'");
  EXPECT_NE(ErrorOf("\xef\xbb\xbf{}").find("byte order mark"), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"a":1} x)").find("at byte 8: expected the end of the input"),
            std::string::npos);
  for (std::string bad :
       {"",      " ",   "01",       "-",    "1.",    "1.e3",      "1e",    ".5",
        "+1",    "tru", "nul",      "[1,]", "[1 2]", "{\"a\"}",   "{a:1}", "{\"a\":1,}",
        "\"abc", "[",   "{\"a\":1", "'x'",  "NaN",   "-Infinity", "[1]]"}) {
    EXPECT_NE(ErrorOf(bad), "") << bad;
    EXPECT_TRUE(ErrorOf(bad).starts_with("t.json: not valid JSON: at byte ")) << ErrorOf(bad);
  }
  std::string deep(kMaxJsonDepth, '[');
  EXPECT_EQ(ErrorOf(deep + std::string(kMaxJsonDepth, ']')), "");
  EXPECT_NE(ErrorOf("[" + deep + std::string(kMaxJsonDepth + 1, ']')).find("nesting deeper"),
            std::string::npos);
}

TEST(JsonDoc, CanonicalFormIsCopiedOnlyWhenWrittenCanonically) {
  // Already canonical: the bytes come back as they are.
  std::string canonical = R"({"a":[1,-2,"q\"\\",true,null,{}],"b":{"c":""}})";
  EXPECT_EQ(Canon(canonical), canonical);
  // Each of these differs from its canonical form in one way the reader must notice.
  EXPECT_EQ(Canon(R"({"b":1,"a":2})"), R"({"a":2,"b":1})");
  EXPECT_EQ(Canon(R"({"a": 1})"), R"({"a":1})");
  EXPECT_EQ(Canon(R"([1 ,2])"), R"([1,2])");
  EXPECT_EQ(Canon(R"([ ])"), R"([])");
  EXPECT_EQ(Canon(R"({"a":-0})"), R"({"a":0})");
  EXPECT_EQ(Canon(R"(["\u0041\/"])"), R"(["A/"])");
  EXPECT_EQ(Canon(R"({"\n":1})"), "{\"\n\":1}");
  EXPECT_EQ(Canon(R"(["\t"])"), "[\"\t\"]");
  EXPECT_EQ(Canon(R"({"a":{"y":1,"x":2}})"), R"({"a":{"x":2,"y":1}})");
  // Floats have no canonical form; the error names the path.
  auto doc = JsonDoc::Parse(R"({"a":[1,{"b":2.5}]})", "t").value();
  auto c = doc.Canonical(0);
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message().find("$.a[1].b"), std::string::npos) << c.error().message();
}

// Every metadata file of the two real repositories reads as nlohmann reads it, and both
// canonical writers (JsonDoc's, over the flat document, and core's json::Canonical, over the
// json::Value tree that CanonicalJson signs) give the same bytes.
TEST(JsonDoc, RealRepositoriesReadAsNlohmannReadsThem) {
  namespace fs = std::filesystem;
  int files = 0;
  for (const auto& e :
       fs::recursive_directory_iterator(std::string(VIGIL_DATA_DIR) + "/update/tuf-static")) {
    if (!e.is_regular_file() || e.path().extension() != ".json") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    auto doc = JsonDoc::Parse(text, e.path().string());
    ASSERT_TRUE(doc.has_value()) << doc.error().message();
    nlohmann::json theirs = nlohmann::json::parse(text);
    EXPECT_EQ(doc->ToNlohmann(0), theirs) << e.path();
    auto tree = ParseStrictJson(text, e.path().string());
    ASSERT_TRUE(tree.has_value()) << tree.error().message();
    EXPECT_EQ(doc->ToValue(0), *tree) << e.path();
    EXPECT_EQ(doc->Canonical(0).value(), CanonicalJson(*tree).value()) << e.path();
    ++files;
  }
  EXPECT_GT(files, 20);
}

}  // namespace
}  // namespace vigil::update::internal
