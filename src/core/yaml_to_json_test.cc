#include "vigil/core/yaml_to_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "testing/peak_memory.h"
#include "testing/yaml_alias_bomb.h"

// ASan keeps freed blocks in a quarantine (256 MiB by default) to catch use after free; libyaml
// allocates and frees per event, so that quarantine alone would fill the memory figures below.
// A small one still catches a recent use after free.
extern "C" const char* __asan_default_options() { return "quarantine_size_mb=8"; }

namespace vigil {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

Result<std::string> Convert(std::string_view yaml, YamlScalars scalars = YamlScalars::kStrings) {
  return YamlToJson(yaml, "doc.yaml", scalars, YamlLimits{});
}

// The error message of a refused document, checked to be one line.
std::string Refusal(std::string_view yaml, YamlLimits limits = {}) {
  auto r = YamlToJson(yaml, "doc.yaml", YamlScalars::kStrings, limits);
  if (r) return "accepted: " + *r;
  EXPECT_EQ(r.error().message().find('\n'), std::string::npos) << r.error().message();
  return r.error().message();
}

TEST(YamlToJson, ConvertsTheJsonSubsetOfYaml) {
  EXPECT_EQ(Convert("id: X-1\nlist:\n- a\n- 'b'\nmap: {k: v}\n").value(),
            R"({"id":"X-1","list":["a","b"],"map":{"k":"v"}})");
  // A plain 1.10 stays the version "1.10"; only plain literals become JSON literals.
  EXPECT_EQ(Convert("[1.10, 2, true, 'true', ~, null, \"null\", False, !!int 3]").value(),
            R"(["1.10","2",true,"true",null,null,"null",false,"3"])");
  EXPECT_EQ(Convert("{a: 30, b: '30', c: 007, d: 1234567890123456789, e: -1}",
                    YamlScalars::kIntegersAsNumbers)
                .value(),
            R"({"a":30,"b":"30","c":7,"d":"1234567890123456789","e":"-1"})");
  EXPECT_EQ(Convert("key:\n").value(), R"({"key":null})");
  EXPECT_EQ(Convert("").value(), "null");
  // An empty view without a buffer (libyaml asserts, aborting the process, on a null input).
  EXPECT_EQ(Convert(std::string_view()).value(), "null");
  EXPECT_EQ(Convert("# only a comment\n").value(), "null");
  EXPECT_EQ(Convert("---\na: 1\n...\n").value(), R"({"a":"1"})");
  // Quoted, a "<<" key is an ordinary string.
  EXPECT_EQ(Convert("'<<': x\n").value(), R"({"<<":"x"})");
  EXPECT_EQ(Convert("s: \"tab\\there\"\n").value(), R"({"s":"tab\there"})");
}

TEST(YamlToJson, KeepsTheLineOfEveryValueByJsonPath) {
  YamlLines lines;
  auto json = YamlToJson(
      "device:\n  name: pump\nassets:\n  - id: a\n    kind: process\n  -\n    id: b\n"
      "flow: {x: [1, 2]}\n\"odd key\": 1\n",
      "doc.yaml", YamlScalars::kStrings, YamlLimits{}, &lines);
  ASSERT_TRUE(json) << json.error().message();
  EXPECT_EQ(lines.at("$"), 1);
  EXPECT_EQ(lines.at("$.device"), 1);
  EXPECT_EQ(lines.at("$.device.name"), 2);
  EXPECT_EQ(lines.at("$.assets"), 3);
  EXPECT_EQ(lines.at("$.assets[0]"), 4);
  EXPECT_EQ(lines.at("$.assets[0].kind"), 5);
  EXPECT_EQ(lines.at("$.assets[1]"), 7);  // an element starts where its first token is
  EXPECT_EQ(lines.at("$.assets[1].id"), 7);
  EXPECT_EQ(lines.at("$.flow.x[1]"), 8);
  EXPECT_EQ(lines.at("$[\"odd key\"]"), 9);
  EXPECT_EQ(lines.size(), 14u);
  // Without the map the conversion is the same text.
  EXPECT_EQ(*json, *YamlToJson("device:\n  name: pump\nassets:\n  - id: a\n    kind: process\n"
                               "  -\n    id: b\nflow: {x: [1, 2]}\n\"odd key\": 1\n",
                               "doc.yaml", YamlScalars::kStrings, YamlLimits{}));
}

TEST(YamlToJson, RefusesAnchorsAndAliasesAtTheFirstOne) {
  const std::string kAliases =
      "YAML aliases and anchors are not accepted (they let a 1 KB file expand to gigabytes)";
  EXPECT_EQ(Refusal("a: &x 1\nb: *x\n"), "doc.yaml:1:4: " + kAliases);
  EXPECT_EQ(Refusal("a: 1\nb: &x [1]\n"), "doc.yaml:2:4: " + kAliases);
  EXPECT_EQ(Refusal("list:\n- &m {k: v}\n"), "doc.yaml:2:3: " + kAliases);
  EXPECT_THAT(Refusal("a: *x\n"), StartsWith("doc.yaml:1:4: "));
  EXPECT_THAT(Refusal(testing::YamlAliasBomb(9)), StartsWith("doc.yaml:1:5: " + kAliases));
}

TEST(YamlToJson, RefusesMergeKeysSecondDocumentsAndAmbiguousKeys) {
  EXPECT_EQ(Refusal("a: {x: 1}\nb:\n  <<: {y: 2}\n"),
            "doc.yaml:3:3: YAML merge keys (<<) are not accepted (they copy an aliased mapping)");
  EXPECT_EQ(Refusal("a: 1\n---\nb: 2\n"),
            "doc.yaml:2:1: expected one YAML document, found a second (---)");
  EXPECT_EQ(Refusal("a: 1\nb: 2\na: 3\n"),
            "doc.yaml:3:1: mapping key \"a\" appears twice (expected unique keys)");
  EXPECT_EQ(Refusal("~: 1\n"), "doc.yaml:1:1: expected a string as mapping key, found null");
  EXPECT_EQ(Refusal("? [a]\n: 1\n"),
            "doc.yaml:1:3: expected a string as mapping key, found a sequence");
  // The same key in two different mappings is fine.
  EXPECT_EQ(Convert("a: {k: 1}\nb: {k: 2}\n").value(), R"({"a":{"k":"1"},"b":{"k":"2"}})");
}

TEST(YamlToJson, RefusesDeepNestingAndOversizedText) {
  YamlLimits limits;
  limits.max_depth = 4;
  EXPECT_EQ(YamlToJson("[[[[x]]]]", "doc.yaml", YamlScalars::kStrings, limits).value(),
            R"([[[["x"]]]])");
  EXPECT_EQ(Refusal("[[[[[x]]]]]", limits),
            "doc.yaml:1:5: nesting deeper than 4 levels (expected at most that many nested "
            "sequences and mappings)");
  // The default depth limit holds against a deep flow sequence too.
  EXPECT_THAT(Refusal(std::string(5000, '[') + "x" + std::string(5000, ']')),
              HasSubstr("nesting deeper than 64 levels"));
  limits = YamlLimits{};
  limits.max_bytes = 10;
  auto big = YamlToJson("a: 12345678", "doc.yaml", YamlScalars::kStrings, limits);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(big.error().message(),
            "doc.yaml: 11 bytes, over the 10 bytes limit for a YAML document");
}

TEST(YamlToJson, MalformedYamlIsOneLineWithPosition) {
  EXPECT_THAT(Refusal("id: [unclosed\n"), StartsWith("doc.yaml:2:1: malformed YAML: "));
  // A control character, raw or escaped after a bad backslash, must not break the line.
  for (const std::string& yaml :
       {std::string("id: \"x\\\x01\"\n"), std::string("- a/\0\n- b\n", 10)}) {
    std::string m = Refusal(yaml);
    EXPECT_THAT(m, StartsWith("doc.yaml: byte ")) << m;
    EXPECT_THAT(m, HasSubstr("malformed YAML: control characters are not allowed")) << m;
    for (char c : m) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << m;
  }
  EXPECT_EQ(Refusal("s: \"\\q\"\n"),
            "doc.yaml:1:5: malformed YAML: found unknown escape character (while parsing a quoted "
            "scalar)");
  EXPECT_THAT(Refusal("a: \xff\n"), HasSubstr("doc.yaml: byte 3: malformed YAML: "));
}

TEST(YamlToJson, AnAliasBombIsRefusedWithinFourMebibytes) {
  const std::string bomb = testing::YamlAliasBomb(9);  // 10^10 strings once expanded
  ASSERT_LT(bomb.size(), 1024u);
  auto mem = testing::PeakMemoryGrowthOfChild([&] {
    auto r = YamlToJson(bomb, "bomb.yaml", YamlScalars::kStrings, YamlLimits{});
    return !r && r.error().message().find("aliases") != std::string::npos;
  });
  ASSERT_TRUE(mem.has_value());
  EXPECT_TRUE(mem->fn_returned_true);
  EXPECT_LT(mem->growth_kib, 4 * 1024);
}

// A 1 MiB document of any shape costs little more than the JSON it becomes (and the keys of a
// mapping): yaml-cpp's scanner held every token of a flow collection until its end, so a flat
// "[a,a,…]" cost 137 MiB and "[[[[…" 237 MiB before the first event reached us. Refused shapes
// stop at the depth limit; accepted ones peak under 14 MiB in an optimised build (ASan's
// redzones and its small quarantine about double that).
TEST(YamlToJson, AMebibyteOfAnyShapeCostsUnderFortyEightMebibytes) {
  const size_t n = 1u << 19;
  std::string flat = "[a";
  for (size_t i = 1; i < n - 1; ++i) flat += ",a";
  flat += "]";
  std::string flat_map = "{";
  for (size_t i = 0; flat_map.size() < (1u << 20) - 16; ++i) {
    flat_map += (i ? ",k" : "k") + std::to_string(i);
  }
  flat_map += "}";
  std::string nested_maps;
  while (nested_maps.size() < (1u << 20) - 4) nested_maps += "{a: ";
  struct Shape {
    const char* name;
    std::string yaml;
    bool accepted;
  } shapes[] = {{"flat sequence", flat, true},
                {"flat mapping", flat_map, true},
                {"open brackets", std::string(1u << 20, '['), false},
                {"nested brackets", std::string(n - 1, '[') + std::string(n - 1, ']'), false},
                {"nested mappings", nested_maps, false}};
  for (const Shape& s : shapes) {
    ASSERT_LE(s.yaml.size(), YamlLimits{}.max_bytes) << s.name;
    auto mem = testing::PeakMemoryGrowthOfChild([&] {
      auto r = YamlToJson(s.yaml, "big.yaml", YamlScalars::kStrings, YamlLimits{});
      return r.has_value() == s.accepted;
    });
    ASSERT_TRUE(mem.has_value()) << s.name;
    EXPECT_TRUE(mem->fn_returned_true) << s.name;
    EXPECT_LT(mem->growth_kib, (s.accepted ? 48 : 4) * 1024) << s.name;
    std::printf("%-16s %7zu bytes: peak growth %5lld KiB\n", s.name, s.yaml.size(),
                static_cast<long long>(mem->growth_kib));
  }
}

}  // namespace
}  // namespace vigil
