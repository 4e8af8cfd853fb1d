#include "vigil/core/json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace vigil::json {
namespace {

std::string ParseError(std::string_view text, const Limits& limits = {}) {
  auto v = Parse(text, "doc.json", limits);
  if (v) return "(parsed)";
  EXPECT_EQ(v.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(v.error().message().find('\n'), std::string::npos);
  return v.error().message();
}

Value MustParse(std::string_view text) {
  auto v = Parse(text, "doc.json");
  EXPECT_TRUE(v.has_value()) << (v ? "" : v.error().message());
  return v ? *v : Value();
}

// ---- Refusals, each with its exact message ----

TEST(JsonParseTest, RefusesDuplicateKeysNamingThePath) {
  EXPECT_EQ(ParseError(R"({"a":1,"a":2})"), "doc.json: $: duplicate object key \"a\"");
  EXPECT_EQ(ParseError(R"({"signed":{"roles":{"root":{"x":1,"y":2,"x":3}}}})"),
            "doc.json: $.signed.roles.root: duplicate object key \"x\"");
  // Large objects take the sorting path.
  std::string big = "{";
  for (int i = 0; i < 40; ++i) big += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  big += "\"k7\":0}";
  EXPECT_EQ(ParseError(big), "doc.json: $: duplicate object key \"k7\"");
  // Large objects whose names rise (canonical documents) are checked in one pass; a repeat
  // beside its twin stops the rise and is found by the sort.
  std::string rising = "{";
  for (int i = 10; i < 50; ++i)
    rising += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  EXPECT_TRUE(Parse(rising + "\"k99\":0}", "doc.json"));
  EXPECT_EQ(ParseError(rising + "\"k49\":0}"), "doc.json: $: duplicate object key \"k49\"");
  EXPECT_EQ(ParseError(R"([{"a\nb":1,"a\nb":2}])"),
            "doc.json: $[0]: duplicate object key \"a\\x0ab\"");
}

TEST(JsonParseTest, RefusesNestingBeyondTheLimit) {
  Limits limits;
  limits.max_depth = 3;
  EXPECT_TRUE(Parse("[[[1]]]", "doc.json", limits).has_value());
  EXPECT_EQ(ParseError("[[[[1]]]]", limits),
            "doc.json: malformed JSON at byte 3: nesting deeper than 3 levels (in $[0][0][0])");
  EXPECT_EQ(ParseError(std::string(100, '[') + std::string(100, ']')).substr(0, 75),
            "doc.json: malformed JSON at byte 64: nesting deeper than 64 levels (in $[0]");
}

TEST(JsonParseTest, RefusesDocumentsOverTheSizeLimit) {
  Limits limits;
  limits.max_bytes = 4;
  EXPECT_TRUE(Parse("[12]", "doc.json", limits).has_value());
  EXPECT_EQ(ParseError("[123]", limits), "doc.json: document is 5 bytes, more than the limit of 4");
}

TEST(JsonParseTest, RefusesInvalidUtf8) {
  EXPECT_EQ(ParseError("[\"a\xff\"]"),
            "doc.json: malformed JSON at byte 3: invalid UTF-8 in a string (in $[0])");
  EXPECT_EQ(ParseError("\"\xc0\xaf\""),  // overlong '/'
            "doc.json: malformed JSON at byte 1: invalid UTF-8 in a string");
  EXPECT_EQ(ParseError("\"\xed\xa0\x80\""),  // an encoded surrogate
            "doc.json: malformed JSON at byte 1: invalid UTF-8 in a string");
  EXPECT_EQ(ParseError("\"\xf4\x90\x80\x80\""),  // above U+10FFFF
            "doc.json: malformed JSON at byte 1: invalid UTF-8 in a string");
  EXPECT_EQ(ParseError("{\"\xe2\x82\":1}"),  // truncated sequence in a key
            "doc.json: malformed JSON at byte 2: invalid UTF-8 in a string");
}

TEST(JsonParseTest, RefusesUnpairedSurrogateEscapes) {
  EXPECT_EQ(ParseError(R"(["\ud800"])"),
            "doc.json: malformed JSON at byte 2: a \\u high surrogate must be followed by a \\u "
            "low surrogate (in $[0])");
  EXPECT_EQ(ParseError(R"("\ud800\u0041")"),
            "doc.json: malformed JSON at byte 1: a \\u high surrogate must be followed by a \\u "
            "low surrogate");
  EXPECT_EQ(ParseError(R"("x\udc00")"),
            "doc.json: malformed JSON at byte 2: a \\u low surrogate without a high surrogate "
            "before it");
  EXPECT_EQ(MustParse(R"("\ud83d\ude00")").as_string(), "\xf0\x9f\x98\x80");
}

TEST(JsonParseTest, RefusesTrailingGarbage) {
  EXPECT_EQ(ParseError("{} x"),
            "doc.json: malformed JSON at byte 3: expected the end of the document after the "
            "value, found 'x'");
  EXPECT_EQ(ParseError("1 2"),
            "doc.json: malformed JSON at byte 2: expected the end of the document after the "
            "value, found '2'");
  EXPECT_EQ(ParseError("{}\n\x01"),
            "doc.json: malformed JSON at byte 3: expected the end of the document after the "
            "value, found '\\x01'");
}

TEST(JsonParseTest, RefusesALeadingByteOrderMark) {
  EXPECT_EQ(ParseError("\xef\xbb\xbf{}"),
            "doc.json: malformed JSON at byte 0: a byte order mark is not allowed (RFC 8259 "
            "section 8.1)");
}

TEST(JsonParseTest, RefusesNanAndInfinity) {
  for (const char* text : {"NaN", "[Infinity]", "-Infinity"}) {
    EXPECT_NE(ParseError(text).find("NaN and Infinity are not JSON numbers"), std::string::npos)
        << text;
  }
  EXPECT_EQ(ParseError("[1,NaN]"),
            "doc.json: malformed JSON at byte 3: NaN and Infinity are not JSON numbers (in $[1])");
  EXPECT_EQ(ParseError("1e999"),
            "doc.json: malformed JSON at byte 0: number 1e999 is out of range");
}

TEST(JsonParseTest, RefusesLeadingZerosAndMalformedNumbers) {
  EXPECT_EQ(ParseError("[01]"),
            "doc.json: malformed JSON at byte 2: a number must not have leading zeros (in $[0])");
  EXPECT_EQ(ParseError("-00"),
            "doc.json: malformed JSON at byte 2: a number must not have leading zeros");
  EXPECT_EQ(ParseError("1."),
            "doc.json: malformed JSON at byte 2: expected a digit, found the end of the input");
  EXPECT_EQ(ParseError("-"),
            "doc.json: malformed JSON at byte 1: expected a digit, found the end of the input");
  EXPECT_EQ(ParseError("1e+"),
            "doc.json: malformed JSON at byte 3: expected a digit, found the end of the input");
  EXPECT_EQ(ParseError("+1"), "doc.json: malformed JSON at byte 0: expected a value, found '+'");
  EXPECT_EQ(ParseError(".5"), "doc.json: malformed JSON at byte 0: expected a value, found '.'");
}

TEST(JsonParseTest, RefusesControlCharactersInStrings) {
  EXPECT_EQ(ParseError("{\"a\":\"x\ny\"}"),
            "doc.json: malformed JSON at byte 7: expected a string character, found the control "
            "character \\x0a (write it as an escape) (in $.a)");
  EXPECT_EQ(ParseError(std::string("\"\0\"", 3)),
            "doc.json: malformed JSON at byte 1: expected a string character, found the control "
            "character \\x00 (write it as an escape)");
}

TEST(JsonParseTest, RefusesOtherSyntaxErrorsWithTheExpectation) {
  EXPECT_EQ(ParseError(""),
            "doc.json: malformed JSON at byte 0: expected a value, found the end of the input");
  EXPECT_EQ(ParseError("   "),
            "doc.json: malformed JSON at byte 3: expected a value, found the end of the input");
  EXPECT_EQ(ParseError("[1,]"),
            "doc.json: malformed JSON at byte 3: expected a value, found ']' (in $[1])");
  // The path runs through members and elements, outermost first.
  EXPECT_EQ(ParseError(R"({"a":[0,{"b c":[1,]}]})"),
            "doc.json: malformed JSON at byte 18: expected a value, found ']' "
            "(in $.a[1][\"b c\"][1])");
  EXPECT_EQ(ParseError("{\"a\":1,}"),
            "doc.json: malformed JSON at byte 7: expected '\"' to start a member name, found '}'");
  EXPECT_EQ(ParseError("{\"a\" 1}"),
            "doc.json: malformed JSON at byte 5: expected ':' after a member name, found '1'");
  EXPECT_EQ(ParseError("{\"a\":1 \"b\":2}"),
            "doc.json: malformed JSON at byte 7: expected ',' or '}' after an object member, "
            "found '\"'");
  EXPECT_EQ(ParseError("[1 2]"),
            "doc.json: malformed JSON at byte 3: expected ',' or ']' after an array element, "
            "found '2'");
  EXPECT_EQ(ParseError("\"abc"),
            "doc.json: malformed JSON at byte 4: expected '\"' to close the string, found the end "
            "of the input");
  EXPECT_EQ(ParseError(R"("\x")"),
            "doc.json: malformed JSON at byte 1: expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r "
            "\\t \\uXXXX), found \\x");
  EXPECT_EQ(ParseError(R"("\u12G4")"),
            "doc.json: malformed JSON at byte 5: expected 4 hex digits after \\u, found 'G'");
  EXPECT_EQ(ParseError("tru"), "doc.json: malformed JSON at byte 0: expected a value, found 't'");
  EXPECT_EQ(ParseError("[\xc3\xa9]"),
            "doc.json: malformed JSON at byte 1: expected a value, found byte \\xc3 (in $[0])");
}

TEST(JsonParseTest, DocumentNameIsOneLine) {
  auto v = Parse("[", "evil\nname.json");
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().message(),
            "evil\\x0aname.json: malformed JSON at byte 1: expected a value, found the end of the "
            "input (in $[0])");
}

// ---- Values ----

TEST(JsonValueTest, NumbersRememberIntegers) {
  Value v = MustParse(
      "[0,-0,9223372036854775807,-9223372036854775808,9223372036854775808,1.5,1e2,-2.5E-3]");
  const Array& a = v.as_array();
  ASSERT_EQ(a.size(), 8u);
  EXPECT_TRUE(a[0].is_integer());
  EXPECT_EQ(a[1].as_int(), 0);
  EXPECT_EQ(a[2].as_int(), INT64_MAX);
  EXPECT_EQ(a[3].as_int(), INT64_MIN);
  EXPECT_FALSE(a[4].is_integer());
  EXPECT_EQ(a[4].as_double(), 9223372036854775808.0);
  EXPECT_FALSE(a[6].is_integer());
  EXPECT_EQ(a[6].as_double(), 100.0);
  EXPECT_EQ(a[7].as_double(), -2.5e-3);
  EXPECT_EQ(MustParse("1e-400").as_double(), 0.0);  // underflow is zero, as elsewhere
}

TEST(JsonValueTest, ObjectsKeepDocumentOrderAndBuild) {
  Value v = MustParse(R"({"z":1,"a":{"m":[true,false,null]},"é":"x"})");
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v.as_object()[0].key, "z");
  EXPECT_EQ(v.as_object()[2].key, "é");
  EXPECT_EQ(Write(v), R"({"z":1,"a":{"m":[true,false,null]},"é":"x"})");

  Value built = Value::MakeObject();
  built.Set("z", 1);
  Value& a = built.Set("a", Value::MakeObject());
  a.Set("m", Value::MakeArray()).Push(true);
  a.Find("m")->Push(false);
  a.Find("m")->Push(nullptr);
  built.Set("é", "x");
  EXPECT_EQ(built, v);
  built.Set("z", 2);  // replaces in place
  EXPECT_EQ(built.as_object()[0].value.as_int(), 2);
  EXPECT_TRUE(built.Erase("z"));
  EXPECT_FALSE(built.Erase("z"));
  EXPECT_EQ(built.size(), 2u);
  Value copy = built;  // copies are deep and independent
  copy.Find("a")->Set("extra", 1.5);
  EXPECT_FALSE(copy == built);
  EXPECT_EQ(MustParse(R"({"a":1,"b":2})"), MustParse(R"({"b":2.0,"a":1})"));
}

TEST(JsonValueTest, SubscriptEditsInPlaceAndReadsNullWhenAbsent) {
  Value doc;  // null becomes an object on the first subscript
  doc["signed"]["version"] = 1;
  doc["signed"]["_type"] = "root";
  doc["signatures"] = Value::MakeArray();
  doc["signed"]["version"] = 2;  // replaced in place, order kept
  EXPECT_EQ(Write(doc), R"({"signed":{"version":2,"_type":"root"},"signatures":[]})");
  const Value& view = doc;
  EXPECT_EQ(view["signed"]["version"].as_int(), 2);
  EXPECT_TRUE(view["nope"]["deeper"].is_null());
  EXPECT_TRUE(view["signatures"]["x"].is_null());  // not an object
  EXPECT_EQ(view.size(), 2u);                      // const reads add nothing

  Value made = Value::MakeObject({{"keyid", "ab"}, {"sig", "cd"}, {"n", 3}});
  EXPECT_EQ(Write(made), R"({"keyid":"ab","sig":"cd","n":3})");
  EXPECT_TRUE(made["keyid"] == Value("ab"));
}

TEST(JsonValueTest, StringEscapesDecode) {
  EXPECT_EQ(MustParse(R"("\"\\\/\b\f\n\r\t\u0041\u00e9\u0000")").as_string(),
            std::string("\"\\/\b\f\n\r\tA\xc3\xa9\0", 12));
}

// ---- Writers ----

TEST(JsonWriteTest, CompactAndPrettyRoundTrip) {
  const std::string text =
      R"({"a":[1,-2,3.25,1e+300,"s\"\\\n\u0001é"],"b":{},"c":[],"d":null,"e":true})";
  Value v = MustParse(text);
  std::string compact = Write(v);
  EXPECT_EQ(compact,
            R"({"a":[1,-2,3.25,1e+300,"s\"\\\n\u0001é"],"b":{},"c":[],"d":null,"e":true})");
  EXPECT_EQ(MustParse(compact), v);
  std::string pretty = Write(v, 2);
  EXPECT_EQ(pretty, nlohmann::ordered_json::parse(text).dump(2));
  EXPECT_EQ(MustParse(pretty), v);
  EXPECT_EQ(Write(Value(2.0)), "2.0");
}

TEST(JsonCanonicalTest, SortsByBytesAndEscapesOnlyQuoteAndBackslash) {
  Value v = MustParse(R"({"b":[1,{"z":null,"a":false}],"a":"q\"\\\n\u0001é","B":-0,"é":1})");
  auto c = Canonical(v);
  ASSERT_TRUE(c) << c.error().message();
  EXPECT_EQ(*c,
            "{\"B\":0,\"a\":\"q\\\"\\\\\n\x01\xc3\xa9\",\"b\":[1,{\"a\":false,\"z\":null}],"
            "\"\xc3\xa9\":1}");
}

// {"k00":0,...,"k17":17}, past the size where duplicate names are found by sorting; with the
// last two members swapped when `swap_last`.
std::string LargeObject(bool swap_last) {
  std::vector<std::string> members;
  for (int i = 0; i < 18; ++i) {
    members.push_back("\"k" + std::string(i < 10 ? "0" : "") + std::to_string(i) +
                      "\":" + std::to_string(i));
  }
  if (swap_last) std::swap(members[16], members[17]);
  std::string text = "{";
  for (const std::string& m : members) text += (text.size() > 1 ? "," : "") + m;
  return text + "}";
}

TEST(JsonCanonicalTest, RecognisesTextWrittenCanonically) {
  for (const std::string& text :
       std::vector<std::string>{R"({"a":[1,-2,true,false,null],"b":{"c":"x\"y\\z"},"d":"é"})", "[]",
                                "0", R"("")", R"({"":1,"a":{}})", R"(["a b.c+d e-0 1e3","\\"])",
                                R"([-10,-1,true])", LargeObject(false)}) {
    bool canonical = false;
    auto v = Parse(text, "t.json", {}, &canonical);
    ASSERT_TRUE(v) << v.error().message();
    EXPECT_TRUE(canonical) << text;
    EXPECT_EQ(*Canonical(*v), text);
  }
  // Each differs from its canonical form in one way.
  for (const std::string& text : std::vector<std::string>{
           R"({"b":1,"a":2})", R"({"a": 1})", R"([1,2] )", R"(["\u0041"])", R"(["a\/b"])",
           R"([1.5])", R"([1e3])", R"([1E3])", R"([-0])", R"({"a":[{"y":1,"x":2}]})", "[\n]",
           R"([10000000000000000000000])", R"(["a\nb"])", R"(["\t"])", LargeObject(true)}) {
    bool canonical_text = true;
    auto v = Parse(text, "t.json", {}, &canonical_text);
    ASSERT_TRUE(v) << v.error().message();
    EXPECT_FALSE(canonical_text) << text;
    auto canonical = Canonical(*v);
    if (canonical) {
      EXPECT_NE(*canonical, text);
    }
  }
  // A document that fails to parse is not canonical text, even where it stopped being read.
  bool canonical_text = true;
  EXPECT_FALSE(Parse(R"({"a":1,"a":2})", "t.json", {}, &canonical_text));
  EXPECT_FALSE(canonical_text);
}

TEST(JsonCanonicalTest, RefusesFloatsNamingThePath) {
  auto c = Canonical(MustParse(R"({"signed":{"x":[1,{"b":1,"a.b":2.5}]}})"));
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message(),
            "canonical JSON: $.signed.x[1][\"a.b\"]: expected an integer, string, boolean, null, "
            "array or object; found a number (canonical JSON has no floating-point numbers)");
  EXPECT_FALSE(Canonical(Value(1e3)));
}

// ---- Node ----

class JsonNodeTest : public ::testing::Test {
 protected:
  Value doc_ =
      MustParse(R"({"signed":{"version":3,"expires":"2030-01-01T00:00:00Z","consistent":true,)"
                R"("ratio":0.5,"neg":-4,"roles":{"root":{"keyids":["a","b",7],"threshold":1}}}})");
  Node root_{doc_, "root.json"};
};

TEST_F(JsonNodeTest, TypedAccessors) {
  auto s = root_.Required("signed");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->path(), "$.signed");
  EXPECT_EQ(*s->Required("version")->Int(), 3);
  EXPECT_EQ(*s->Required("version")->UInt(), 3u);
  EXPECT_EQ(*s->Required("expires")->String(), "2030-01-01T00:00:00Z");
  EXPECT_EQ(*s->Required("expires")->StringView(), "2030-01-01T00:00:00Z");
  EXPECT_TRUE(*s->Required("consistent")->Bool());
  EXPECT_EQ(*s->Required("ratio")->Double(), 0.5);
  EXPECT_TRUE(s->Has("ratio"));
  EXPECT_FALSE(s->Has("nope"));
  auto missing = s->Optional("nope");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
}

TEST_F(JsonNodeTest, ErrorsNameDocumentPathAndExpectation) {
  Node s = *root_.Required("signed");
  EXPECT_EQ(s.Required("nope").error().message(),
            "root.json: $.signed.nope: required field missing");
  EXPECT_EQ(s.Required("version")->String().error().message(),
            "root.json: $.signed.version: expected a string, found a number");
  EXPECT_EQ(s.Required("ratio")->Int().error().message(),
            "root.json: $.signed.ratio: expected an integer, found a number with a fraction or "
            "exponent, or out of range");
  EXPECT_EQ(s.Required("neg")->UInt().error().message(),
            "root.json: $.signed.neg: expected an integer >= 0, found -4");
  EXPECT_EQ(s.Required("version")->UInt(4).error().message(),
            "root.json: $.signed.version: expected an integer >= 4, found 3");
  EXPECT_EQ(s.Required("ratio")->UInt(1).error().message(),
            "root.json: $.signed.ratio: expected an integer >= 1, found a number");
  EXPECT_EQ(s.Required("expires")->Bool().error().message(),
            "root.json: $.signed.expires: expected a boolean, found a string");
  EXPECT_EQ(s.Required("roles")->AsArray().error().message(),
            "root.json: $.signed.roles: expected an array, found an object");
  EXPECT_EQ(s.Required("version")->Required("x").error().message(),
            "root.json: $.signed.version: expected an object, found a number");
  EXPECT_EQ(s.Required("consistent")->Double().error().message(),
            "root.json: $.signed.consistent: expected a number, found a boolean");
  EXPECT_EQ(s.Required("roles")->Int().error().message(),
            "root.json: $.signed.roles: expected an integer, found an object");
}

TEST_F(JsonNodeTest, IterationExtendsThePath) {
  Node keyids = *root_.Required("signed")->Required("roles")->Required("root")->Required("keyids");
  std::vector<std::string> seen;
  Status st = keyids.ForEachElement([&](const Node& e) -> Status {
    VIGIL_ASSIGN_OR_RETURN(std::string id, e.String());
    seen.push_back(id);
    return OkStatus();
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(st.error().message(),
            "root.json: $.signed.roles.root.keyids[2]: expected a string, found a number");
  auto elements = keyids.Elements();
  ASSERT_TRUE(elements);
  EXPECT_EQ((*elements)[1].path(), "$.signed.roles.root.keyids[1]");

  std::vector<std::string> paths;
  Value odd = MustParse(R"({"a":1,"x.y":2,"":3})");
  EXPECT_TRUE(Node(odd, "t.json").ForEachMember([&](std::string_view, const Node& m) {
    paths.push_back(m.path());
    return OkStatus();
  }));
  EXPECT_EQ(paths, (std::vector<std::string>{"$.a", "$[\"x.y\"]", "$[\"\"]"}));
  EXPECT_EQ(root_.ForEachElement([](const Node&) { return OkStatus(); }).error().message(),
            "root.json: $: expected an array, found an object");
}

TEST_F(JsonNodeTest, AbsentNodesFailEveryReadWithTheirPath) {
  Node s = root_.Get("signed");
  ASSERT_TRUE(s.present());
  EXPECT_EQ(s.path(), "$.signed");
  EXPECT_EQ(*s.Get("version").UInt(1), 3u);
  EXPECT_EQ(*s.Get("roles").Get("root").Get("keyids").At(1).String(), "b");
  EXPECT_EQ(s.Get("roles").Get("root").Get("keyids").size(), 3u);
  EXPECT_TRUE(s.ExpectObject());
  EXPECT_TRUE(s.Get("roles").Get("root").Get("keyids").ExpectArray());

  Node gone = s.Get("nope").Get("deeper");  // a member of an absent node is absent too
  EXPECT_FALSE(gone.present());
  EXPECT_EQ(gone.size(), 0u);
  EXPECT_FALSE(gone.Has("x"));
  const std::string missing = "root.json: $.signed.nope.deeper: required field missing";
  EXPECT_EQ(gone.String().error().message(), missing);
  EXPECT_EQ(gone.StringView().error().message(), missing);
  EXPECT_EQ(gone.Bool().error().message(), missing);
  EXPECT_EQ(gone.Int().error().message(), missing);
  EXPECT_EQ(gone.UInt(1).error().message(), missing);
  EXPECT_EQ(gone.Double().error().message(), missing);
  EXPECT_EQ(gone.ExpectObject().error().message(), missing);
  EXPECT_EQ(gone.ExpectArray().error().message(), missing);
  EXPECT_EQ(gone.AsObject().error().message(), missing);
  EXPECT_EQ(gone.Required("x").error().message(), missing);
  EXPECT_EQ(gone.ForEachMember([](std::string_view, const Node&) { return OkStatus(); })
                .error()
                .message(),
            missing);

  EXPECT_EQ(s.Get("roles").Get("root").Get("keyids").At(3).String().error().message(),
            "root.json: $.signed.roles.root.keyids[3]: required field missing");
  EXPECT_FALSE(s.Get("version").At(0).present());  // not an array
  EXPECT_FALSE(s.Get("version").Get("x").present());  // not an object
  EXPECT_EQ(s.Get("version").ExpectObject().error().message(),
            "root.json: $.signed.version: expected an object, found a number");
  EXPECT_EQ(s.Get("roles").ExpectArray().error().message(),
            "root.json: $.signed.roles: expected an array, found an object");
}

TEST_F(JsonNodeTest, RefusesUnknownMembers) {
  Node root = *root_.Required("signed")->Required("roles")->Required("root");
  EXPECT_TRUE(root.RefuseUnknown({"keyids", "threshold"}));
  EXPECT_EQ(root.RefuseUnknown({"keyids"}).error().message(),
            "root.json: $.signed.roles.root: unknown member \"threshold\" (allowed: keyids)");
  Value v = MustParse("{\"a\\nb\":1}");
  EXPECT_EQ(Node(v, "x.json").RefuseUnknown({}).error().message(),
            "x.json: $: unknown member \"a\\x0ab\" (allowed: )");
}

// ---- Differential: every JSON file of the shared data, ours beside nlohmann ----

// Empty if `ours` and `theirs` hold the same tree, else the first difference's path.
std::string Difference(const Value& ours, const nlohmann::json& theirs, const std::string& path) {
  switch (ours.type()) {
    case Type::kNull:
      return theirs.is_null() ? "" : path;
    case Type::kBool:
      return theirs.is_boolean() && theirs.get<bool>() == ours.as_bool() ? "" : path;
    case Type::kNumber:
      if (theirs.is_number_integer() && !theirs.is_number_unsigned()) {
        return ours.is_integer() && ours.as_int() == theirs.get<int64_t>() ? "" : path;
      }
      if (theirs.is_number_unsigned()) {
        uint64_t u = theirs.get<uint64_t>();
        if (ours.is_integer())
          return ours.as_int() >= 0 && uint64_t(ours.as_int()) == u ? "" : path;
        return ours.as_double() == static_cast<double>(u) ? "" : path;
      }
      return theirs.is_number_float() && !ours.is_integer() &&
                     ours.as_double() == theirs.get<double>()
                 ? ""
                 : path;
    case Type::kString:
      return theirs.is_string() && theirs.get_ref<const std::string&>() == ours.as_string() ? ""
                                                                                            : path;
    case Type::kArray: {
      if (!theirs.is_array() || theirs.size() != ours.size()) return path;
      for (size_t i = 0; i < ours.size(); ++i) {
        std::string d =
            Difference(ours.as_array()[i], theirs[i], path + "[" + std::to_string(i) + "]");
        if (!d.empty()) return d;
      }
      return "";
    }
    case Type::kObject: {
      if (!theirs.is_object() || theirs.size() != ours.size()) return path;
      for (const Member& m : ours.as_object()) {
        auto it = theirs.find(m.key);
        if (it == theirs.end()) return MemberPath(path, m.key);
        std::string d = Difference(m.value, *it, MemberPath(path, m.key));
        if (!d.empty()) return d;
      }
      return "";
    }
  }
  return path;
}

TEST(JsonDifferentialTest, EveryJsonFileOfTheSharedDataAgreesWithNlohmann) {
  size_t files = 0, agreed = 0, both_rejected = 0, duplicates = 0;
  std::vector<std::string> disagreements;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(VIGIL_DATA_DIR)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    ++files;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    auto ours = Parse(text, entry.path().filename().string());
    nlohmann::json theirs = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (theirs.is_discarded()) {
      if (ours)
        disagreements.push_back(entry.path().string() + ": nlohmann rejects, we accept");
      else
        ++both_rejected;
      continue;
    }
    if (!ours) {
      if (ours.error().message().find("duplicate object key") != std::string::npos) {
        ++duplicates;  // nlohmann keeps the last value silently
        continue;
      }
      disagreements.push_back(ours.error().message());
      continue;
    }
    std::string diff = Difference(*ours, theirs, "$");
    if (!diff.empty()) {
      disagreements.push_back(entry.path().string() + ": trees differ at " + diff);
      continue;
    }
    ++agreed;
  }
  ::testing::Test::RecordProperty("files", static_cast<int>(files));
  std::cout << "differential: " << files << " files, " << agreed << " agree, " << both_rejected
            << " rejected by both, " << duplicates << " with duplicate keys\n";
  EXPECT_GT(files, 0u);
  EXPECT_EQ(agreed + both_rejected + duplicates, files);
  for (const std::string& d : disagreements) ADD_FAILURE() << d;
}

}  // namespace
}  // namespace vigil::json
