#include "vigil/core/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>

namespace vigil {
namespace {

std::string Str(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

TEST(JsonWriterTest, EscapesWhatJsonRequires) {
  EXPECT_EQ(Str("plain"), "\"plain\"");
  EXPECT_EQ(Str("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(Str("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
  EXPECT_EQ(Str(std::string_view("\x00\x01\x1f", 3)), "\"\\u0000\\u0001\\u001f\"");
  EXPECT_EQ(Str("\x7f/"), "\"\x7f/\"");  // DEL and '/' need no escape
  EXPECT_EQ(Str("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x92\x89"),
            "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x92\x89\"");
}

// The word-at-a-time scan finds a byte to escape wherever it stands: in a whole word, in the
// last word that overlaps the one before, or in a string shorter than a word.
TEST(JsonWriterTest, EscapesAtEveryPositionAndLength) {
  for (size_t n = 1; n <= 25; ++n) {
    for (size_t at = 0; at < n; ++at) {
      for (char c : {'"', '\\', '\n', '\x01', '\x7f', '\xff'}) {
        std::string s(n, 'a');
        s[at] = c;
        std::string expected = "\"" + std::string(at, 'a');
        expected += c == '"'      ? "\\\""
                    : c == '\\'   ? "\\\\"
                    : c == '\n'   ? "\\n"
                    : c == '\x01' ? "\\u0001"
                    : c == '\x7f' ? "\x7f"
                                  : "\xEF\xBF\xBD";
        expected += std::string(n - at - 1, 'a') + "\"";
        ASSERT_EQ(Str(s), expected) << n << " " << at << " " << static_cast<int>(c);
      }
    }
  }
}

TEST(JsonWriterTest, InvalidUtf8BecomesReplacementCharacter) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(Str("a\xff"
                "b"),
            "\"a" + fffd + "b\"");
  EXPECT_EQ(Str("\xc0\xaf"), "\"" + fffd + fffd + "\"");                        // overlong '/'
  EXPECT_EQ(Str("\xed\xa0\x80"), "\"" + fffd + fffd + fffd + "\"");             // UTF-16 surrogate
  EXPECT_EQ(Str("\xf4\x90\x80\x80"), "\"" + fffd + fffd + fffd + fffd + "\"");  // > U+10FFFF
  EXPECT_EQ(Str("\xe2\x82"), "\"" + fffd + fffd + "\"");  // truncated at the end
  // Whatever the bytes, nlohmann (strict UTF-8) reads the result back.
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string s(static_cast<size_t>(rng() % 12), '\0');
    for (char& c : s) c = static_cast<char>(rng());
    EXPECT_TRUE(nlohmann::json::parse(Str(s)).is_string()) << testing::PrintToString(s);
  }
}

TEST(JsonWriterTest, PrettyLayoutMatchesNlohmannDump) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  w.Member("id", "GO-1");
  w.StringArray("aliases", {"CVE-1", "GHSA-x"});
  w.StringArray("empty", {});
  w.Key("nested")
      .BeginObject()
      .Key("n")
      .Integer(-3)
      .Key("t")
      .Bool(true)
      .Key("z")
      .Null()
      .EndObject();
  w.Key("none").BeginObject().EndObject();
  w.Key("list").BeginArray().BeginObject().Member("a", "b").EndObject().Number(7.5).EndArray();
  w.EndObject();
  nlohmann::ordered_json j = {{"id", "GO-1"},
                              {"aliases", {"CVE-1", "GHSA-x"}},
                              {"empty", nlohmann::ordered_json::array()},
                              {"nested", {{"n", -3}, {"t", true}, {"z", nullptr}}},
                              {"none", nlohmann::ordered_json::object()},
                              {"list", {{{"a", "b"}}, 7.5}}};
  EXPECT_EQ(out, j.dump(2));

  std::string compact;
  JsonWriter c(compact, 0);
  c.BeginObject().StringArray("a", {"x"}).Key("b").Number(1).EndObject();
  EXPECT_EQ(compact, R"({"a":["x"],"b":1.0})");
}

TEST(JsonWriterTest, BaseDepthIndentsAsIfNested) {
  std::string out;
  JsonWriter w(out, 2, 2);
  w.BeginObject().Member("k", "v").EndObject();
  EXPECT_EQ(out, "{\n      \"k\": \"v\"\n    }");
}

// A compact container is one line inside an indented document, and what follows it is laid out
// as before; the result is still the same JSON.
TEST(JsonWriterTest, CompactContainerIsOneLine) {
  std::string out;
  JsonWriter w(out, 2);
  w.BeginObject().Member("a", "1");
  w.Key("t").Compact().BeginObject().Member("k", "v");
  w.Key("l").BeginArray().Integer(1).BeginObject().Member("x", "y").EndObject().EndArray();
  w.Key("e").BeginArray().EndArray().EndObject();
  w.Key("b").BeginArray().Integer(2).EndArray().EndObject();
  EXPECT_EQ(out,
            "{\n  \"a\": \"1\",\n  \"t\": {\"k\":\"v\",\"l\":[1,{\"x\":\"y\"}],\"e\":[]},\n"
            "  \"b\": [\n    2\n  ]\n}");
  EXPECT_EQ(nlohmann::ordered_json::parse(out).dump(2),
            R"({
  "a": "1",
  "t": {
    "k": "v",
    "l": [
      1,
      {
        "x": "y"
      }
    ],
    "e": []
  },
  "b": [
    2
  ]
})");
}

// A writer resuming an object someone else opened and filled adds its members after a comma
// and closes the object as if it had written all of it.
TEST(JsonWriterTest, ResumedObjectContinuesAfterTheCallersMembers) {
  std::string out = "{\n      \"a\": 1";
  JsonWriter w(out, 2, 2);
  w.ResumeObject().Member("b", "x").Key("c").BeginArray().Integer(2).EndArray().EndObject();
  std::string whole;
  JsonWriter(whole, 2, 2)
      .BeginObject()
      .Key("a")
      .Integer(1)
      .Member("b", "x")
      .Key("c")
      .BeginArray()
      .Integer(2)
      .EndArray()
      .EndObject();
  EXPECT_EQ(out, whole);
  std::string empty = "{\n      \"a\": 1";
  JsonWriter(empty, 2, 2).ResumeObject().EndObject();
  EXPECT_EQ(empty, "{\n      \"a\": 1\n    }");
}

// A raw value takes a value's place: a comma before it in a container, none after a key.
TEST(JsonWriterTest, RawValueIsPlacedAsAValue) {
  std::string out;
  JsonWriter w(out, 2);
  w.BeginObject().Key("t").Raw(R"({"k":"v"})").Key("l").BeginArray().Raw("1").Raw("[2]");
  w.EndArray().EndObject();
  EXPECT_EQ(out, "{\n  \"t\": {\"k\":\"v\"},\n  \"l\": [\n    1,\n    [2]\n  ]\n}");
}

size_t SignificantDigits(std::string_view number) {
  number = number.substr(0, number.find('e'));
  std::string digits;
  for (char c : number) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  digits.erase(0, digits.find_first_not_of('0'));
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  return digits.size();
}

TEST(JsonWriterTest, NumbersRoundTripShortest) {
  auto num = [](double v) {
    std::string out;
    JsonWriter(out).Number(v);
    return out;
  };
  EXPECT_EQ(num(7.5), "7.5");
  EXPECT_EQ(num(10), "10.0");
  EXPECT_EQ(num(0), "0.0");
  EXPECT_EQ(num(0.0001), "0.0001");
  EXPECT_EQ(num(1e-05), "1e-05");
  EXPECT_EQ(num(std::nan("")), "null");
  EXPECT_EQ(num(std::numeric_limits<double>::infinity()), "null");
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int i = 0; i < 20000; ++i) {
    // EPSS-like probabilities, CVSS-like scores, and values across magnitudes.
    double v = i % 3 == 0   ? std::round(unit(rng) * 1e5) / 1e5
               : i % 3 == 1 ? std::round(unit(rng) * 100) / 10
                            : unit(rng) * std::pow(10.0, static_cast<int>(rng() % 40) - 20);
    std::string ours = num(v);
    EXPECT_EQ(nlohmann::json::parse(ours).get<double>(), v) << ours;
    // Same notation as nlohmann, never more digits (its Grisu2 is not always shortest:
    // 0.99123 is "0.9912300000000001" there).
    std::string theirs = nlohmann::json(v).dump();
    EXPECT_EQ(ours.find('e') == std::string::npos, theirs.find('e') == std::string::npos) << ours;
    EXPECT_LE(SignificantDigits(ours), SignificantDigits(theirs)) << ours << " vs " << theirs;
  }
}

}  // namespace
}  // namespace vigil
