#include "vigil/update/metadata.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace vigil::update {
namespace {

const std::string kStatic = std::string(VIGIL_DATA_DIR) + "/update/tuf-static/";

Bytes ReadData(const std::string& rel) {
  std::ifstream in(kStatic + rel, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_TRUE(in.good() || in.eof()) << rel;
  return ToBytes(ss.str());
}

std::string ErrorOf(Status s) { return s ? "" : s.error().message(); }

template <typename T>
std::string ParseError(std::string_view text) {
  auto r = T::Parse(AsBytes(text), "x.json");
  return r ? "" : r.error().message();
}

// "" if `bytes` parse as a T, else the error message.
template <typename T>
std::string ParseErrorAs(ByteView bytes, const std::string& where) {
  auto r = T::Parse(bytes, where);
  return r ? "" : r.error().message();
}

TEST(Metadata, SigstoreRootChainVerifiesVersionByVersion) {
  // Roots 5..12: each signed by its predecessor's root threshold and by its own. (Earlier
  // versions predate spec-compliant metadata, see the data's README.)
  auto prev = Root::Parse(ReadData("sigstore-root-signing/metadata/5.root.json"), "5.root.json");
  ASSERT_TRUE(prev.has_value()) << prev.error().message();
  int verified = 0;
  for (int v = 6; v <= 12; ++v) {
    std::string name = std::to_string(v) + ".root.json";
    auto next = Root::Parse(ReadData("sigstore-root-signing/metadata/" + name), name);
    if (!next) {
      // v11 has a non-compliant key ID, documented upstream; everything else must parse.
      ADD_FAILURE() << next.error().message();
      continue;
    }
    EXPECT_EQ(next->envelope.version, static_cast<uint64_t>(v));
    EXPECT_EQ(ErrorOf(VerifyThreshold(next->envelope, next->keys, next->roles.at("root"), name)),
              "");
    ++verified;
    prev = std::move(next);
  }
  EXPECT_EQ(verified, 7);
}

TEST(Metadata, TufOnCiFilesParseAndVerify) {
  auto root = Root::Parse(ReadData("tuf-on-ci-0.11/initial_root.json"), "root.json");
  ASSERT_TRUE(root.has_value()) << root.error().message();
  auto ts = Timestamp::Parse(ReadData("tuf-on-ci-0.11/metadata/timestamp.json"), "timestamp");
  ASSERT_TRUE(ts.has_value()) << ts.error().message();
  EXPECT_EQ(ErrorOf(VerifyThreshold(ts->envelope, root->keys, root->roles.at("timestamp"), "ts")),
            "");
  auto targets = Targets::Parse(ReadData("tuf-on-ci-0.11/metadata/1.targets.json"), "targets");
  ASSERT_TRUE(targets.has_value()) << targets.error().message();
  ASSERT_TRUE(targets->delegations.has_value());
  const DelegatedRole& role = targets->delegations->roles.at(0);
  EXPECT_EQ(role.name, "delegatedrole");
  EXPECT_TRUE(role.IsDelegatedPath("delegatedrole/artifact"));
  EXPECT_TRUE(role.IsDelegatedPath("delegatedrole/a/b"));
  EXPECT_FALSE(role.IsDelegatedPath("other/artifact"));
  auto delegated = Targets::Parse(ReadData("tuf-on-ci-0.11/metadata/2.delegatedrole.json"), "d");
  ASSERT_TRUE(delegated.has_value()) << delegated.error().message();
  EXPECT_EQ(ErrorOf(VerifyThreshold(delegated->envelope, targets->delegations->keys, role.keys,
                                    "delegatedrole")),
            "");
  // The timestamp key cannot sign for delegatedrole.
  EXPECT_NE(ErrorOf(VerifyThreshold(ts->envelope, targets->delegations->keys, role.keys, "d")), "");
}

TEST(Metadata, TamperedSignedPartFailsThreshold) {
  Bytes bytes = ReadData("tuf-on-ci-0.11/metadata/timestamp.json");
  std::string text(AsStringView(bytes));
  text.replace(text.rfind("\"version\": 2"), 12, "\"version\": 3");
  auto root = Root::Parse(ReadData("tuf-on-ci-0.11/initial_root.json"), "root.json");
  ASSERT_TRUE(root.has_value());
  auto ts = Timestamp::Parse(AsBytes(text), "timestamp.json");
  ASSERT_TRUE(ts.has_value()) << ts.error().message();
  std::string err =
      ErrorOf(VerifyThreshold(ts->envelope, root->keys, root->roles.at("timestamp"), "timestamp"));
  EXPECT_NE(err.find("timestamp: 0 valid signature(s) from distinct keys, threshold 1"),
            std::string::npos)
      << err;
}

TEST(Metadata, ErrorsNameRoleFieldAndRule) {
  const std::string base =
      R"({"signatures":[],"signed":{"_type":"timestamp","spec_version":"1.0.31",
      "version":1,"expires":"2030-01-01T00:00:00Z","meta":{"snapshot.json":{"version":VER}}}})";
  auto with = [&](const std::string& v) {
    std::string s = base;
    s.replace(s.find("VER"), 3, v);
    return s;
  };
  EXPECT_EQ(ParseError<Timestamp>(with("1")), "");
  EXPECT_EQ(ParseError<Timestamp>(with("-1")),
            "x.json: $.signed.meta[\"snapshot.json\"].version: expected an integer >= 1, found -1");
  EXPECT_EQ(ParseError<Timestamp>(with("0")),
            "x.json: $.signed.meta[\"snapshot.json\"].version: expected an integer >= 1, found 0");
  EXPECT_NE(ParseError<Timestamp>(with("1.0")).find("expected an integer"), std::string::npos);
  EXPECT_EQ(ParseError<Snapshot>(with("1")),
            "x.json: $.signed._type: expected \"snapshot\", found \"timestamp\"");
  std::string bad_time = with("1");
  bad_time.replace(bad_time.find("2030-01-01T00:00:00Z"), 20, "2030-02-30T00:00:00Z");
  EXPECT_NE(ParseError<Timestamp>(bad_time).find("x.json: $.signed.expires: expected a UTC time"),
            std::string::npos);
  std::string bad_spec = with("1");
  bad_spec.replace(bad_spec.find("1.0.31"), 6, "2.0.0");
  EXPECT_NE(ParseError<Timestamp>(bad_spec).find("signed.spec_version: expected specification"),
            std::string::npos);
  EXPECT_NE(ParseError<Timestamp>("{\"signed\":{}}").find("x.json: $.signatures: required field"),
            std::string::npos);
}

// Target entries are read by a quick reader and, when it refuses one, by the field-by-field
// reader that names the rule: each rule is checked here through both.
TEST(Metadata, TargetEntryRulesNameTheField) {
  auto doc = [](const std::string& entry) {
    return R"({"signatures":[],"signed":{"_type":"targets","spec_version":"1.0","version":1,
      "expires":"2030-01-01T00:00:00Z","targets":{"ok.bin":{"length":3,"hashes":{"sha256":"ab"}},
      "a/b.bin":)" + entry + "}}}";
  };
  const std::string at = "x.json: $.signed.targets[\"a/b.bin\"]";
  EXPECT_EQ(ParseError<Targets>(doc(R"({"length":0,"hashes":{"sha512":"cd","x":"01"},
      "custom":{"n":[1]}})")),
            "");
  const std::pair<const char*, std::string> cases[] = {
      {"[]", at + ": expected an object, found an array"},
      {R"({"hashes":{"sha256":"ab"}})", at + ".length: required field missing"},
      {R"({"length":-1,"hashes":{"sha256":"ab"}})", at + ".length: expected an integer >= 0, found -1"},
      // Refused before the entry is read: signed metadata cannot hold a fraction.
      {R"({"length":1.5,"hashes":{"sha256":"ab"}})",
       "x.json: $.signed: canonical JSON: $.targets[\"a/b.bin\"].length: expected an integer, "
       "string, boolean, null, array or object; found a number (canonical JSON has no "
       "floating-point numbers)"},
      {R"({"length":18446744073709551616,"hashes":{"sha256":"ab"}})",
       "x.json: $.signed: canonical JSON: $.targets[\"a/b.bin\"].length: expected an integer, "
       "string, boolean, null, array or object; found a number (canonical JSON has no "
       "floating-point numbers)"},
      {R"({"length":"1","hashes":{"sha256":"ab"}})", at + ".length: expected an integer >= 0, found a string"},
      {R"({"length":1})", at + ".hashes: required field missing"},
      {R"({"length":1,"hashes":[]})", at + ".hashes: expected an object, found an array"},
      {R"({"length":1,"hashes":{}})", at + ".hashes: expected at least one hash"},
      {R"({"length":1,"hashes":{"sha256":7}})", at + ".hashes.sha256: expected a string, found a number"},
      {R"({"length":1,"hashes":{"sha256":"xyz"}})", at + ".hashes.sha256: expected a non-empty hex digest"},
      {R"({"length":1,"hashes":{"sha256":""}})", at + ".hashes.sha256: expected a non-empty hex digest"},
  };
  for (const auto& [entry, want] : cases) EXPECT_EQ(ParseError<Targets>(doc(entry)), want) << entry;
  auto parsed = Targets::Parse(AsBytes(doc(R"({"length":2,"hashes":{"sha256":"0a0b"},"custom":"c"})")), "x.json");
  ASSERT_TRUE(parsed) << parsed.error().message();
  const TargetFile& f = parsed->targets.at("a/b.bin");
  EXPECT_EQ(f.length, 2u);
  EXPECT_EQ(f.hashes.at("sha256"), (Bytes{0x0a, 0x0b}));
  EXPECT_EQ(f.custom, json::Value("c"));
}

// Entries are read in one pass that moves each name out of the document once read, so an entry
// refused after others is named from its own member, never looked up among the names already
// moved (an empty name would match an entry moved before it).
TEST(Metadata, RefusedEntryAfterReadOnesIsNamedByItself) {
  auto doc = [](const std::string& entries) {
    return R"({"signatures":[],"signed":{"_type":"targets","spec_version":"1.0","version":1,
      "expires":"2030-01-01T00:00:00Z","targets":{)" +
           entries + "}}}";
  };
  const std::string good = R"({"length":3,"hashes":{"sha256":"ab"}})";
  EXPECT_EQ(ParseError<Targets>(
                doc(R"("a.bin":)" + good + R"(,"b.bin":)" + good + R"(,"":{"length":1})")),
            "x.json: $.signed.targets[\"\"].hashes: required field missing");
  EXPECT_EQ(ParseError<Targets>(
                doc(R"("a.bin":)" + good + R"(,"z/c.bin":{"length":1,"hashes":{"sha256":"q"}})")),
            "x.json: $.signed.targets[\"z/c.bin\"].hashes.sha256: expected a non-empty hex digest");
  auto parsed = Targets::Parse(AsBytes(doc(R"("a.bin":)" + good + R"(,"":)" + good)), "x.json");
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(parsed->targets.size(), 2u);
  EXPECT_EQ(parsed->targets.at("").length, 3u);
  EXPECT_EQ(parsed->targets.at("a.bin").hashes.at("sha256"), (Bytes{0xab}));
}

TEST(Metadata, DelegationRulesAreEnforced) {
  auto doc = [](const std::string& role) {
    return R"({"signatures":[],"signed":{"_type":"targets","spec_version":"1.0","version":1,
      "expires":"2030-01-01T00:00:00Z","targets":{},"delegations":{"keys":{},"roles":[)" +
           role + "]}}}";
  };
  EXPECT_EQ(ParseError<Targets>(doc(R"({"name":"a","keyids":[],"threshold":1,
      "terminating":false,"paths":["a/*"]})")),
            "");
  EXPECT_NE(ParseError<Targets>(doc(R"({"name":"a","keyids":[],"threshold":1,
      "terminating":false})"))
                .find("exactly one of"),
            std::string::npos);
  EXPECT_NE(ParseError<Targets>(doc(R"({"name":"a","keyids":["k"],"threshold":1,
      "terminating":false,"paths":[]})"))
                .find("is not defined in keys"),
            std::string::npos);
  // The message names the file, the full field path (array indices included) and the rule.
  EXPECT_EQ(ParseError<Targets>(doc(R"({"name":"a","keyids":["k","k"],"threshold":1,
      "terminating":false,"paths":[]})")),
            "x.json: $.signed.delegations.roles[0].keyids[1]: duplicate entry \"k\"");
  EXPECT_EQ(ParseError<Targets>(doc(R"({"name":"a","keyids":[],"threshold":1,
      "terminating":false,"paths":[7]})")),
            "x.json: $.signed.delegations.roles[0].paths[0]: expected a string, found a number");
  EXPECT_NE(ParseError<Targets>(doc(R"({"name":"root","keyids":[],"threshold":1,
      "terminating":false,"paths":[]})"))
                .find("top-level role"),
            std::string::npos);
}

TEST(Metadata, PathPatternsMatchSegmentBySegment) {
  DelegatedRole r;
  r.paths = std::vector<std::string>{"a/*.tgz", "b/file?", "c/[ab]x", "d/[!a]x"};
  EXPECT_TRUE(r.IsDelegatedPath("a/x.tgz"));
  EXPECT_FALSE(r.IsDelegatedPath("a/x/y.tgz"));  // '*' never crosses '/'
  EXPECT_TRUE(r.IsDelegatedPath("b/file1"));
  EXPECT_FALSE(r.IsDelegatedPath("b/file12"));
  EXPECT_TRUE(r.IsDelegatedPath("c/bx"));
  EXPECT_FALSE(r.IsDelegatedPath("c/cx"));
  EXPECT_TRUE(r.IsDelegatedPath("d/bx"));
  EXPECT_FALSE(r.IsDelegatedPath("d/ax"));
  // As many segments on both sides: fewer or more never match, empty segments count.
  DelegatedRole n;
  n.paths = std::vector<std::string>{"e/*/f", "g/"};
  EXPECT_TRUE(n.IsDelegatedPath("e/x/f"));
  EXPECT_FALSE(n.IsDelegatedPath("e/x"));
  EXPECT_FALSE(n.IsDelegatedPath("e/x/f/y"));
  EXPECT_TRUE(n.IsDelegatedPath("e//f"));
  EXPECT_TRUE(n.IsDelegatedPath("g/"));
  EXPECT_FALSE(n.IsDelegatedPath("g"));
  EXPECT_FALSE(n.IsDelegatedPath("g/h"));
  DelegatedRole h;
  // sha256("file.txt") = 2c4b...? Use prefixes that cover half of all digests.
  h.path_hash_prefixes = std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7"};
  DelegatedRole h2;
  h2.path_hash_prefixes = std::vector<std::string>{"8", "9", "a", "b", "c", "d", "e", "f"};
  int in_h = 0;
  for (int i = 0; i < 64; ++i) {
    std::string p = "t/" + std::to_string(i);
    EXPECT_NE(h.IsDelegatedPath(p), h2.IsDelegatedPath(p)) << p;
    in_h += h.IsDelegatedPath(p);
  }
  EXPECT_GT(in_h, 10);
  EXPECT_LT(in_h, 54);
}

TEST(Metadata, RootRulesAreEnforced) {
  auto root_with = [](const std::string& roles, const std::string& keys = "{}") {
    return R"({"signatures":[],"signed":{"_type":"root","spec_version":"1.0","version":1,
      "expires":"2030-01-01T00:00:00Z","consistent_snapshot":true,"keys":)" +
           keys + R"(,"roles":)" + roles + "}}";
  };
  const std::string r = R"({"keyids":[],"threshold":1})";
  std::string four =
      "{\"root\":" + r + ",\"snapshot\":" + r + ",\"targets\":" + r + ",\"timestamp\":" + r + "}";
  EXPECT_EQ(ParseError<Root>(root_with(four)), "");
  std::string missing = "{\"root\":" + r + ",\"snapshot\":" + r + ",\"targets\":" + r + "}";
  EXPECT_EQ(ParseError<Root>(root_with(missing)),
            "x.json: $.signed.roles.timestamp: required field missing");
  std::string extra = four.substr(0, four.size() - 1) + ",\"mirror\":" + r + "}";
  EXPECT_NE(ParseError<Root>(root_with(extra)).find("expected exactly the roles"),
            std::string::npos);
  std::string zero = four;
  zero.replace(zero.find("\"threshold\":1"), 13, "\"threshold\":0");
  EXPECT_EQ(ParseError<Root>(root_with(zero)),
            "x.json: $.signed.roles.root.threshold: expected an integer >= 1, found 0");
  std::string bad_key =
      R"({"k1":{"keytype":"ed25519","scheme":"ed25519","keyval":{"public":"00"}}})";
  EXPECT_NE(ParseError<Root>(root_with(four, bad_key)).find("x.json: $.signed.keys.k1.keyval.public"),
            std::string::npos)
      << ParseError<Root>(root_with(four, bad_key));
}

TEST(Metadata, TwoKeyIdsOfOneKeyCountOnce) {
  // tuf-on-ci's timestamp key listed under a second ID, and the signature duplicated under it.
  auto root = Root::Parse(ReadData("tuf-on-ci-0.11/initial_root.json"), "root.json");
  ASSERT_TRUE(root.has_value());
  auto ts = Timestamp::Parse(ReadData("tuf-on-ci-0.11/metadata/timestamp.json"), "timestamp");
  ASSERT_TRUE(ts.has_value());
  RoleKeys role = root->roles.at("timestamp");
  const std::string id = role.keyids.at(0);
  root->keys.emplace("alias", root->keys.at(id));
  role.keyids.push_back("alias");
  role.threshold = 2;
  ts->envelope.signatures.push_back({"alias", ts->envelope.signatures.at(0).sig});
  std::string err = ErrorOf(VerifyThreshold(ts->envelope, root->keys, role, "timestamp"));
  EXPECT_NE(err.find("1 valid signature(s) from distinct keys, threshold 2"), std::string::npos)
      << err;
}

// Issue 13 item 1: the key IDs in signatures must be unique, for every role. Each real file,
// with its first signature repeated, is refused naming the file and the key ID.
TEST(Metadata, RepeatedKeyIdIsRefusedForEveryRole) {
  struct Case {
    const char* file;
    std::string (*parse)(ByteView, const std::string&);
  };
  const Case cases[] = {{"1.root.json", &ParseErrorAs<Root>},
                        {"timestamp.json", &ParseErrorAs<Timestamp>},
                        {"2.snapshot.json", &ParseErrorAs<Snapshot>},
                        {"1.targets.json", &ParseErrorAs<Targets>},
                        {"2.delegatedrole.json", &ParseErrorAs<Targets>}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    Bytes bytes = ReadData(std::string("tuf-on-ci-0.11/metadata/") + c.file);
    ASSERT_EQ(c.parse(bytes, c.file), "");
    nlohmann::json doc = nlohmann::json::parse(AsStringView(bytes));
    ASSERT_FALSE(doc["signatures"].empty());
    doc["signatures"].push_back(doc["signatures"][0]);
    std::string keyid = doc["signatures"][0]["keyid"];
    EXPECT_EQ(c.parse(ToBytes(doc.dump()), c.file),
              std::string(c.file) + ": $.signatures[" + std::to_string(doc["signatures"].size() - 1) +
                  "].keyid: key ID \"" + keyid +
                  "\" signs more than once; each key ID may appear once");
  }
}

TEST(Metadata, ParseTufTime) {
  EXPECT_EQ(ParseTufTime("1970-01-01T00:00:00Z").value_or(-1), 0);
  EXPECT_EQ(ParseTufTime("2044-08-10T10:21:51Z").value_or(-1), 2354437311);
  EXPECT_EQ(ParseTufTime("2024-02-29T00:00:00Z").value_or(-1), 1709164800);
  EXPECT_FALSE(ParseTufTime("2023-02-29T00:00:00Z").has_value());
  EXPECT_FALSE(ParseTufTime("2023-01-01T00:00:00+00:00").has_value());
  EXPECT_FALSE(ParseTufTime("2023-01-01 00:00:00Z").has_value());
}

}  // namespace
}  // namespace vigil::update
