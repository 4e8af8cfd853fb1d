#include "internal/finding_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "vigil/core/json_writer.h"
#include "vigil/vuln/scan_report.h"
#include "vigil/vuln/vex.h"

namespace vigil::vuln {
namespace {

// The same object through the general JsonWriter, member by member: the specialised writer's
// reference (what the report wrote before it).
std::string Reference(const Finding& f, const internal::FindingExtra& extra = {}) {
  std::string out;
  JsonWriter w(out, 2, 2);
  w.BeginObject().Member("id", f.advisory_id).StringArray("aliases", f.aliases);
  w.Member("summary", f.summary).Member("severity", SeverityName(f.severity));
  if (f.cvss_score) w.Key("cvss_score").Number(*f.cvss_score);
  if (!f.cvss_vector.empty()) w.Member("cvss_vector", f.cvss_vector);
  w.Member("severity_source", f.severity_source).Key("scores").BeginArray();
  for (const StatedScore& s : f.scores) {
    w.BeginObject().Member("advisory", s.advisory_id).Member("source", s.source);
    if (!s.role.empty()) w.Member("role", s.role);
    w.Member("cvss_version", s.version).Member("vector", s.vector);
    if (s.base_score) w.Key("base_score").Number(*s.base_score);
    if (!s.label.empty()) w.Member("label", s.label);
    w.EndObject();
  }
  w.EndArray().Key("component").BeginObject().Member("ref", f.component_ref);
  w.Member("name", f.component_name).Member("version", f.component_version);
  w.Member("purl", f.component_purl).Member("cpe", f.component_cpe).EndObject();
  w.StringArray("fixed_versions", f.fixed_versions);
  if (!f.weaknesses.empty()) {
    w.Key("cwes").BeginArray();
    for (const Weakness& x : f.weaknesses) {
      w.BeginObject().Member("id", x.id);
      if (!x.name.empty()) w.Member("name", x.name);
      w.EndObject();
    }
    w.EndArray();
  }
  w.Key("kev").Bool(f.kev);
  if (f.kev) w.Member("kev_due_date", f.kev_due_date).Key("kev_ransomware").Bool(f.kev_ransomware);
  if (f.epss_score) w.Key("epss_score").Number(*f.epss_score);
  if (f.epss_percentile) w.Key("epss_percentile").Number(*f.epss_percentile);
  w.Member("match_reason", f.match_reason);
  w.Member("confidence", f.confidence == Confidence::kHigh ? "high" : "low");
  w.Key("vex").BeginObject().Member("status", VexStatusName(f.vex_status));
  w.Member("justification", f.vex_justification).Member("detail", f.vex_detail);
  w.Member("trace", f.vex_trace).EndObject().Key("suppressed").Bool(IsSuppressed(f));
  if (extra) extra(w);
  w.EndObject();
  return out;
}

// Strings that need every kind of escaping, and invalid UTF-8, beside plain ones.
class Strings {
 public:
  explicit Strings(uint32_t seed) : rng_(seed) {}
  std::string Next() {
    static const char* const kPieces[] = {"GO-2023-1571",
                                          "CVE-2021-3711",
                                          "a \"quoted\" word",
                                          "back\\slash",
                                          "tab\tnew\nline",
                                          "\x01\x1f",
                                          "caf\xc3\xa9 \xe2\x82\xac",
                                          "bad \xff\xc0",
                                          "",
                                          "0123456789abcdef0123456789"};
    std::string s;
    for (uint32_t n = rng_() % 4; n > 0; --n) s += kPieces[rng_() % std::size(kPieces)];
    return s;
  }
  std::vector<std::string> List() {
    std::vector<std::string> v(rng_() % 3);
    for (std::string& s : v) s = Next();
    return v;
  }
  bool Coin() { return rng_() % 2 == 0; }
  double Number() { return static_cast<double>(rng_() % 100001) / 100000.0 * 10; }

 private:
  std::mt19937 rng_;
};

Finding RandomFinding(Strings& r) {
  Finding f;
  f.component_ref = r.Next(), f.component_name = r.Next(), f.component_version = r.Next();
  f.component_purl = r.Next(), f.component_cpe = r.Next();
  f.advisory_id = r.Next(), f.aliases = r.List(), f.summary = r.Next();
  f.severity = static_cast<Severity>(static_cast<int>(r.Number()) % 6);
  if (r.Coin()) f.cvss_score = r.Number();
  if (r.Coin()) f.cvss_vector = r.Next();
  f.severity_source = r.Next();
  for (const std::string& id : r.List()) {
    StatedScore s{id, r.Next(), r.Coin() ? "" : r.Next(), r.Next(), r.Next(), {}, r.Next()};
    if (r.Coin()) s.base_score = r.Number();
    f.scores.push_back(s);
  }
  f.fixed_versions = r.List();
  for (const std::string& id : r.List()) f.weaknesses.push_back({id, r.Coin() ? "" : r.Next()});
  f.kev = r.Coin(), f.kev_due_date = f.kev ? r.Next() : "", f.kev_ransomware = r.Coin();
  if (r.Coin()) f.epss_score = r.Number() / 10;
  if (r.Coin()) f.epss_percentile = r.Number() / 10;
  f.match_reason = r.Next(), f.confidence = r.Coin() ? Confidence::kHigh : Confidence::kLow;
  f.vex_status = static_cast<VexStatus>(static_cast<int>(r.Number()) % 5);
  f.vex_justification = r.Next(), f.vex_detail = r.Next(), f.vex_trace = r.Next();
  return f;
}

TEST(FindingJson, SameBytesAsTheGeneralWriter) {
  Strings r(19);
  for (int i = 0; i < 3000; ++i) {
    const Finding f = RandomFinding(r);
    std::string out = "prefix";
    internal::AppendFindingJson(out, f);
    ASSERT_EQ(out, "prefix" + Reference(f)) << i;
  }
}

// A caller's members come last, laid out by the writer that takes the object over, with a
// comma before the first; a caller that writes nothing leaves the plain object.
TEST(FindingJson, CallersMembersFollowTheFindingsOwn) {
  Strings r(7);
  const internal::FindingExtra triage = [](JsonWriter& w) {
    w.Key("triage").BeginObject().Member("status", "open").Key("n").Integer(3).EndObject();
  };
  const internal::FindingExtra nothing = [](JsonWriter&) {};
  for (int i = 0; i < 200; ++i) {
    const Finding f = RandomFinding(r);
    std::string with, without, empty;
    internal::AppendFindingJson(with, f, &triage);
    internal::AppendFindingJson(empty, f, &nothing);
    internal::AppendFindingJson(without, f);
    ASSERT_EQ(with, Reference(f, triage));
    ASSERT_EQ(empty, without);
  }
  Finding plain;
  plain.advisory_id = "GO-1";
  std::string out;
  internal::AppendFindingJson(out, plain, &triage);
  const auto j = nlohmann::ordered_json::parse(out);
  EXPECT_EQ(j.back()["status"], "open");
  EXPECT_EQ(out.substr(out.size() - 6), "\n    }");
}

// The stream hands its text over in pieces of at least kFlushBytes (the header and the last
// piece apart) that together are the whole report, extra members included.
TEST(FindingJson, StreamHandsOverLargePiecesThatMakeTheWholeReport) {
  Strings r(3);
  std::vector<Finding> findings;
  for (int i = 0; i < 2000; ++i) findings.push_back(RandomFinding(r));
  ReportContext ctx;
  ctx.sbom_source = "bench.json";
  ctx.timestamp = "2026-01-01T00:00:00Z";
  std::vector<std::string> pieces;
  FindingsStreamWriter w(FindingsStreamWriter::Format::kJson, ctx,
                         [&](std::string_view s) { pieces.emplace_back(s); });
  const FindingsStreamWriter::ExtraMembers extra = [](size_t i, JsonWriter& jw) {
    if (i % 2 == 0) jw.Member("triage", std::to_string(i));
  };
  for (size_t i = 0; i < findings.size(); i += 3) {
    w.Add(std::span<const Finding>(findings).subspan(i, std::min<size_t>(3, findings.size() - i)),
          extra);
  }
  w.Finish();
  ASSERT_GE(pieces.size(), 4u);
  for (size_t i = 1; i + 1 < pieces.size(); ++i) {
    EXPECT_GE(pieces[i].size(), FindingsStreamWriter::kFlushBytes) << i;
  }
  std::string whole;
  for (const std::string& p : pieces) whole += p;
  std::string expected = pieces.front();
  for (size_t i = 0; i < findings.size(); ++i) {
    expected += i == 0 ? "\n    " : ",\n    ";
    const size_t in_batch = i % 3;
    expected += Reference(findings[i], [&](JsonWriter& jw) { extra(in_batch, jw); });
  }
  EXPECT_EQ(whole.substr(0, expected.size()), expected);
  EXPECT_EQ(whole.substr(expected.size(), 20), "\n  ],\n  \"unassessed\"");
}

}  // namespace
}  // namespace vigil::vuln
