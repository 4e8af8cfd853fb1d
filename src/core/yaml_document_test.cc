// yaml::Document and yaml::Fields: every refusal names FILE:LINE: FIELD (the line of the value,
// or of the object that lacks a member), on one line.
#include "vigil/core/yaml_document.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>

namespace vigil::yaml {
namespace {

using ::testing::HasSubstr;

enum class Colour { kRed, kGreen };
constexpr std::array<EnumName<Colour>, 2> kColours{{{"red", Colour::kRed}, {"green", Colour::kGreen}}};

constexpr std::string_view kText =
    "name: pump\n"           // 1
    "id: pump-1.a_b\n"        // 2
    "colour: green\n"         // 3
    "ratio: \"8.5\"\n"        // 4
    "port: 443\n"             // 5
    "on: true\n"              // 6
    "tags:\n"                 // 7
    "  - a\n"                 // 8
    "  - b\n"                 // 9
    "items:\n"                // 10
    "  - {id: x}\n"           // 11
    "  - id: y\n"             // 12
    "    extra: 1\n";         // 13

Document Parse(std::string_view text, YamlScalars scalars = YamlScalars::kIntegersAsNumbers) {
  auto doc = Document::Parse(text, "m.yaml", scalars, YamlLimits{});
  EXPECT_TRUE(doc) << doc.error().message();
  return std::move(*doc);
}

std::string Refusal(const Status& s) {
  EXPECT_FALSE(s);
  if (s) return "";
  EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().message().find('\n'), std::string::npos);
  return s.error().message();
}
template <typename T>
std::string Refusal(const Result<T>& r) {
  return Refusal(r ? OkStatus() : Status(r.error()));
}

TEST(YamlDocument, ReadsEveryKindOfField) {
  Document doc = Parse(kText);
  Fields f(doc, doc.Root());
  EXPECT_TRUE(f.Expect({"name", "id", "colour", "ratio", "port", "on", "tags", "items"}));
  EXPECT_EQ(*f.String("name"), "pump");
  EXPECT_EQ(*f.OptionalString("absent"), "");
  EXPECT_EQ(*f.Id("id"), "pump-1.a_b");
  EXPECT_EQ(*f.Enum<Colour>("colour", kColours, std::nullopt), Colour::kGreen);
  EXPECT_EQ(*f.Enum<Colour>("absent", kColours, Colour::kRed), Colour::kRed);
  EXPECT_EQ(*f.Number("ratio", 0, 10), 8.5);
  EXPECT_EQ(*f.Number("port", 1, 65535), 443);
  EXPECT_TRUE(*f.Bool("on", false));
  EXPECT_FALSE(*f.Bool("absent", false));
  EXPECT_EQ(*f.Strings("tags"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(f.Strings("absent")->empty());
  EXPECT_EQ(f.NonEmptyList("items")->size(), 2u);
  EXPECT_EQ(NameOf<Colour>(kColours, Colour::kRed), "red");
  EXPECT_EQ(Fields::Words<Colour>(kColours), "red, green");
}

TEST(YamlDocument, RefusalsNameFileLineAndField) {
  Document doc = Parse(kText);
  Fields f(doc, doc.Root());
  EXPECT_EQ(Refusal(f.Expect({"name"})),
            "m.yaml:2: id: unknown field (expected one of name)");
  EXPECT_EQ(Refusal(f.String("absent")), "m.yaml:1: absent: required field missing");
  EXPECT_EQ(Refusal(f.String("port")), "m.yaml:5: port: expected a string, found a number");
  EXPECT_EQ(Refusal(f.Enum<Colour>("name", kColours, std::nullopt)),
            "m.yaml:1: name: expected one of red, green; found \"pump\"");
  EXPECT_EQ(Refusal(f.Number("port", 1, 100)),
            "m.yaml:5: port: expected a number from 1 to 100, found 443");
  EXPECT_EQ(Refusal(f.Bool("name", false)), "m.yaml:1: name: expected a boolean, found a string");
  auto items = f.NonEmptyList("items");
  ASSERT_TRUE(items);
  Fields second(doc, (*items)[1]);
  EXPECT_EQ(second.Line(), "m.yaml:12");
  EXPECT_EQ(Refusal(second.Expect({"id"})),
            "m.yaml:13: items[1].extra: unknown field (expected one of id)");
  EXPECT_EQ(Refusal(second.String("name")), "m.yaml:12: items[1].name: required field missing");
  EXPECT_EQ(Refusal(f.NonEmptyList("x")), "m.yaml:1: x: required field missing");
}

TEST(YamlDocument, IdsAndWordsAreShownOnOneLine) {
  Document doc = Parse("id: \"a b\\nc\"\nkind: \"" + std::string(100, 'w') + "\"\n");
  Fields f(doc, doc.Root());
  EXPECT_EQ(Refusal(f.Id("id")),
            "m.yaml:1: id: expected an id of letters, digits, '.', '_' and '-'; found "
            "\"a b\\x0ac\"");
  EXPECT_THAT(Refusal(f.Enum<Colour>("kind", kColours, std::nullopt)),
              HasSubstr("found \"" + std::string(60, 'w') + "...\""));
}

TEST(YamlDocument, EmptyListsAndTheRootAreReportedWhereTheyStand) {
  Document doc = Parse("a: 1\nlist: []\n");
  Fields f(doc, doc.Root());
  EXPECT_EQ(Refusal(f.NonEmptyList("list")), "m.yaml:2: list: expected at least one entry");
  Document scalar = Parse("just text\n");
  Fields root(scalar, scalar.Root());
  EXPECT_EQ(Refusal(root.Expect({"a"})), "m.yaml:1: (document): expected an object, found a string");
}

TEST(YamlDocument, TheYamlLayersOwnErrorsPassThrough) {
  auto doc = Document::Parse("a: &x 1\nb: *x\n", "m.yaml", YamlScalars::kStrings, YamlLimits{});
  ASSERT_FALSE(doc);
  EXPECT_THAT(doc.error().message(), HasSubstr("m.yaml:1:"));
  auto big = Document::Parse("a: 1\n", "m.yaml", YamlScalars::kStrings,
                             YamlLimits{.max_bytes = 2, .max_depth = 8});
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code(), ErrorCode::kResourceExhausted);
}

TEST(YamlDocument, ScalarsFollowTheModeAskedFor) {
  Document strings = Parse("port: 443\n", YamlScalars::kStrings);
  EXPECT_EQ(*Fields(strings, strings.Root()).String("port"), "443");
  Document numbers = Parse("port: 443\n");
  EXPECT_FALSE(Fields(numbers, numbers.Root()).String("port"));
}

}  // namespace
}  // namespace vigil::yaml
