// The real corpora: the whole Go OSV feed (JSON), the PyPI advisory database (YAML) and the
// CISA KEV catalogue import without error; re-import reports them unchanged; a .zip of
// advisories imports like the files; and an SBOM of versions taken from the advisories'
// own boundaries matches exactly what an independent Python reading of the ranges says.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "vigil/core/env.h"
#include "vigil/core/fault_env.h"
#include "vigil/vuln/feed_import.h"
#include "vigil/vuln/matcher.h"
#include "testing/vuln_fixture.h"

namespace vigil::vuln {
namespace {

using ::testing::HasSubstr;

const std::string kData = std::string(VIGIL_DATA_DIR) + "/vuln/";

std::string RunCommand(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  return pclose(p) == 0 ? out : "";
}

class CorpusTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    auto db = AdvisoryDb::Open(*vigil::Env::Default(), dir_->File("vulndb.sqlite"));
    ASSERT_TRUE(db) << db.error().message();
    db_ = new AdvisoryDb(std::move(*db));
    auto report = ImportFeeds(*Env::Default(), *db_, {kData + "osv-go", kData + "osv-pypi-yaml",
                                     kData + "kev/known_exploited_vulnerabilities.json"});
    ASSERT_TRUE(report) << report.error().message();
    first_ = new ImportReport(*report);
  }
  static void TearDownTestSuite() {
    delete first_;
    delete db_;
    delete dir_;
  }
  static testing::TempDir* dir_;
  static AdvisoryDb* db_;
  static ImportReport* first_;
};
testing::TempDir* CorpusTest::dir_ = nullptr;
AdvisoryDb* CorpusTest::db_ = nullptr;
ImportReport* CorpusTest::first_ = nullptr;

TEST_F(CorpusTest, WholeGoAndPypiCorporaAndKevImport) {
  ASSERT_NE(first_, nullptr);
  EXPECT_EQ(first_->osv.added, 4291u + 2661u);
  EXPECT_EQ(first_->osv.changed + first_->osv.unchanged, 0u);
  EXPECT_EQ(first_->kev.added, 1404u);
  EXPECT_EQ(first_->files, 4291u + 2661u + 1u);
  auto st = db_->Stats();
  ASSERT_TRUE(st) << st.error().message();
  EXPECT_EQ(st->osv_advisories, 4291u + 2661u);
  EXPECT_EQ(st->kev_entries, 1404u);
  EXPECT_EQ(st->kev_catalog_version, "2025.08.25");
  EXPECT_EQ(st->advisories_by_ecosystem.at("Go"), 4291u);
  EXPECT_EQ(st->advisories_by_ecosystem.at("PyPI"), 2661u);
  std::printf("imported %zu OSV advisories (%zu package index rows, %zu aliases), %zu KEV\n",
              st->osv_advisories, st->affected_packages, st->aliases, st->kev_entries);
}

TEST_F(CorpusTest, ReimportReportsUnchangedAndOnlyChangedAdvisoriesAreRewritten) {
  auto again =
      ImportFeeds(*Env::Default(), *db_, {kData + "osv-go", kData + "kev/known_exploited_vulnerabilities.json"});
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->osv.unchanged, 4291u);
  EXPECT_EQ(again->osv.added + again->osv.changed, 0u);
  EXPECT_EQ(again->kev.unchanged, 1404u);
  // One advisory edited (fixed version moved), one new: exactly those two are written.
  testing::TempDir edits;
  auto original = Env::Default()->ReadFile(kData + "osv-go/GO-2020-0001.json");
  ASSERT_TRUE(original);
  std::string text(AsStringView(*original));
  size_t at = text.find("\"1.6.0\"");
  ASSERT_NE(at, std::string::npos);
  std::string edited = text;
  edited.replace(at, 7, "\"1.6.1\"");
  std::string added = text;
  added.replace(added.find("GO-2020-0001"), 12, "GO-2099-0001");
  std::ofstream(edits.File("GO-2020-0001.json")) << edited;
  std::ofstream(edits.File("GO-2099-0001.json")) << added;
  auto changed = ImportFeeds(*Env::Default(), *db_, {edits.path()});
  ASSERT_TRUE(changed) << changed.error().message();
  EXPECT_EQ(changed->osv.changed, 1u);
  EXPECT_EQ(changed->osv.added, 1u);
  auto adv = db_->Load("GO-2020-0001");
  ASSERT_TRUE(adv && *adv);
  EXPECT_EQ((*adv)->affected[0].ranges[0].events[1].version, "1.6.1");
  // Restore the original so the other tests see the real corpus.
  auto restored = ImportFeeds(*Env::Default(), *db_, {kData + "osv-go/GO-2020-0001.json"});
  ASSERT_TRUE(restored);
  EXPECT_EQ(restored->osv.changed, 1u);
}

// The compiled form the database keeps (and scans read) is exactly what the reader makes of
// each real document, and each advisory is found under every package it names.
TEST_F(CorpusTest, EveryStoredAdvisoryLoadsAsItsDocumentReads) {
  size_t checked = 0;
  std::map<std::pair<std::string, std::string>, std::vector<Advisory>> by_package;
  for (const char* corpus : {"osv-go", "osv-pypi-yaml"}) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(kData + corpus)) {
      const std::string ext = e.path().extension().string();
      if (!e.is_regular_file() || (ext != ".json" && ext != ".yaml")) continue;
      auto data = Env::Default()->ReadFile(e.path().string());
      ASSERT_TRUE(data);
      std::string text(AsStringView(*data));
      if (ext == ".yaml") {
        auto json = OsvYamlToJson(text, e.path().string());
        ASSERT_TRUE(json) << json.error().message();
        text = *json;
      }
      auto expected = ParseOsvJson(text, e.path().string());
      ASSERT_TRUE(expected) << expected.error().message();
      auto loaded = db_->Load(expected->id);
      ASSERT_TRUE(loaded && *loaded) << expected->id;
      ASSERT_EQ(**loaded, *expected) << expected->id;
      for (const AffectedPackage& p : expected->affected) {
        auto key = std::pair(p.ecosystem, p.name);
        auto it = by_package.find(key);
        if (it == by_package.end()) {
          auto listed = db_->PackageAdvisories(p.ecosystem, p.name);
          ASSERT_TRUE(listed) << listed.error().message();
          it = by_package.emplace(key, std::move(*listed)).first;
        }
        EXPECT_EQ(std::count(it->second.begin(), it->second.end(), *expected), 1)
            << expected->id << " under " << p.ecosystem << "/" << p.name;
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 4291u + 2661u);
}

TEST_F(CorpusTest, ZipArchivesImportLikeFiles) {
  testing::TempDir tmp;
  std::string zip = tmp.File("go-slice.zip");
  std::string cmd =
      "/usr/bin/python3 -c 'import sys,zipfile,glob,os\n"
      "z=zipfile.ZipFile(sys.argv[1],\"w\",zipfile.ZIP_DEFLATED)\n"
      "for f in sorted(glob.glob(sys.argv[2]+\"/GO-2022-*.json\")): z.write(f, "
      "os.path.basename(f))\n"
      "z.writestr(\"README.txt\",\"not an advisory\")\n"
      "z.close()' " +
      zip + " " + kData + "osv-go && echo ok";
  ASSERT_EQ(RunCommand(cmd), "ok\n");
  auto other = AdvisoryDb::Open(*vigil::Env::Default(), tmp.File("zip.sqlite"));
  ASSERT_TRUE(other);
  auto report = ImportFeeds(*Env::Default(), *other, {zip});
  ASSERT_TRUE(report) << report.error().message();
  size_t expected = 0;
  for (const auto& e : std::filesystem::directory_iterator(kData + "osv-go")) {
    expected += e.path().filename().string().rfind("GO-2022-", 0) == 0;
  }
  EXPECT_GT(expected, 100u);
  EXPECT_EQ(report->osv.added, expected);
  auto adv = other->Load("GO-2022-0229");
  ASSERT_TRUE(adv);
  EXPECT_TRUE(adv->has_value());
  // A corrupt archive is refused with its name.
  std::ofstream(tmp.File("bad.zip")) << "PK\x03\x04 not really";
  auto bad = ImportFeeds(*Env::Default(), *other, {tmp.File("bad.zip")});
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message(), HasSubstr("bad.zip: not a readable zip archive"));
}

// Trees, files and archives are read through the Env given, here an in-memory one that holds
// paths the disk does not have: walked in sorted order, hidden entries skipped, zip members read
// through the Env's random-access file.
TEST(FeedImportEnv, TreesFilesAndArchivesAreReadThroughTheGivenEnv) {
  testing::TempDir tmp;
  auto doc = [](std::string_view id) {
    return std::string(R"({"id":")") + std::string(id) +
           R"(","modified":"2025-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Go",)"
           R"("name":"example.com/env"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]})";
  };
  const std::string zip = tmp.File("in.zip");
  const std::string cmd = "/usr/bin/python3 -c 'import sys,zipfile\n"
                          "z=zipfile.ZipFile(sys.argv[1],\"w\",zipfile.ZIP_DEFLATED)\n"
                          "z.writestr(\"GO-2099-0003.json\",sys.argv[2])\n"
                          "z.close()' " +
                          zip + " '" + doc("GO-2099-0003") + "' && echo ok";
  ASSERT_EQ(RunCommand(cmd), "ok\n");
  auto zip_bytes = Env::Default()->ReadFile(zip);
  ASSERT_TRUE(zip_bytes);

  FaultInjectingEnv memory;
  ASSERT_TRUE(memory.CreateDir("/feeds/a/deeper"));
  ASSERT_TRUE(memory.CreateDir("/feeds/.hidden"));
  ASSERT_TRUE(memory.WriteFileAtomic("/feeds/a/GO-2099-0001.json", AsBytes(doc("GO-2099-0001"))));
  ASSERT_TRUE(
      memory.WriteFileAtomic("/feeds/a/deeper/GO-2099-0002.json", AsBytes(doc("GO-2099-0002"))));
  ASSERT_TRUE(memory.WriteFileAtomic("/feeds/a/notes.txt", AsBytes("not a feed")));
  ASSERT_TRUE(memory.WriteFileAtomic("/feeds/.hidden/GO-2099-0009.json", AsBytes("{")));
  ASSERT_TRUE(memory.WriteFileAtomic("/archive.zip", *zip_bytes));

  auto db = AdvisoryDb::Open(*vigil::Env::Default(), tmp.File("db.sqlite"));
  ASSERT_TRUE(db);
  auto report = ImportFeeds(memory, *db, {"/feeds", "/archive.zip"});
  ASSERT_TRUE(report) << report.error().message();
  EXPECT_EQ(report->osv.added, 3u);
  EXPECT_EQ(report->files, 3u);
  for (const char* id : {"GO-2099-0001", "GO-2099-0002", "GO-2099-0003"}) {
    auto adv = db->Load(id);
    ASSERT_TRUE(adv);
    EXPECT_TRUE(adv->has_value()) << id;
  }
  // The disk has none of these paths; only the Env given does.
  auto absent = ImportFeeds(*Env::Default(), *db, {"/feeds"});
  ASSERT_FALSE(absent);
  EXPECT_THAT(absent.error().message(), HasSubstr("/feeds: no such file or directory"));
  ASSERT_TRUE(memory.WriteFileAtomic("/bad.zip", AsBytes("PK\x03\x04 not really")));
  auto corrupt = ImportFeeds(memory, *db, {"/bad.zip"});
  ASSERT_FALSE(corrupt);
  EXPECT_THAT(corrupt.error().message(), HasSubstr("/bad.zip: not a readable zip archive"));
}

// Documents are read and parsed on a helper thread ahead of the writes, through a bounded
// queue: progress still comes once per document in order, and a failure far beyond the queue's
// depth is reported for its own document, with nothing imported.
TEST(FeedImportPipeline, ProgressInOrderAndAFailureBeyondTheQueueDepthRollsBack) {
  testing::TempDir tmp;
  auto doc = [](int i) {
    char id[32];
    std::snprintf(id, sizeof id, "GO-2099-%04d", i);
    return std::string(R"({"id":")") + id +
           R"(","modified":"2025-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Go",)"
           R"("name":"example.com/m"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]})";
  };
  for (int i = 0; i < 700; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "d%04d.json", i);
    std::ofstream(tmp.File(name)) << (i == 600 ? std::string(R"({"id": 7})") : doc(i));
  }
  auto db = AdvisoryDb::Open(*vigil::Env::Default(), tmp.File("db.sqlite"));
  ASSERT_TRUE(db);
  std::vector<size_t> done;
  ImportOptions options;
  options.progress = [&](size_t d, size_t total) {
    EXPECT_EQ(total, 700u);
    done.push_back(d);
  };
  auto failed = ImportFeeds(*Env::Default(), *db, {tmp.path()}, options);
  ASSERT_FALSE(failed);
  EXPECT_THAT(failed.error().message(), HasSubstr("d0600.json: id"));
  ASSERT_EQ(done.size(), 600u);
  for (size_t i = 0; i < done.size(); ++i) ASSERT_EQ(done[i], i + 1);
  auto none = db->PackageAdvisories("Go", "example.com/m");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());

  std::ofstream(tmp.File("d0600.json")) << doc(600);
  done.clear();
  auto ok = ImportFeeds(*Env::Default(), *db, {tmp.path()}, options);
  ASSERT_TRUE(ok) << ok.error().message();
  EXPECT_EQ(ok->osv.added, 700u);
  EXPECT_EQ(done.size(), 700u);
  auto all = db->PackageAdvisories("Go", "example.com/m");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 700u);
}

TEST_F(CorpusTest, AFailedImportLeavesTheDatabaseAsItWas) {
  testing::TempDir tmp;
  std::ofstream(tmp.File("a-good.json"))
      << R"({"id":"GO-2099-7777","modified":"2025-01-01T00:00:00Z","affected":[]})";
  std::ofstream(tmp.File("b-bad.json"))
      << R"({"id":"GO-2099-7778","modified":"x","affected":[{"ranges":[{"type":"SEMVER"}]}]})";
  auto r = ImportFeeds(*Env::Default(), *db_, {tmp.path()});
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message(),
              HasSubstr("b-bad.json: affected[0].ranges[0].events: expected a non-empty array"));
  auto adv = db_->Load("GO-2099-7777");
  ASSERT_TRUE(adv);
  EXPECT_FALSE(adv->has_value());
}

// The independent reading: Python 3 with the `packaging` library for PEP 440, its own SemVer
// 2.0 ordering for Go, and osv-schema.md's evaluation pseudocode transcribed directly. It picks
// an eighth of the packages (by a hash of the name), takes every version its advisories name
// as a boundary (introduced, fixed, last_affected, listed versions, and one just above each),
// and prints the components and the advisories each must match.
constexpr char kIndependentEvaluator[] = R"py(
import hashlib, json, os, sys, yaml
from packaging.version import Version, InvalidVersion

def semver(v):
    v = v[1:] if v.startswith('v') else v
    v = v.split('+', 1)[0]
    core, dash, pre = v.partition('-')
    parts = core.split('.')
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(v)
    if dash and not pre:
        raise ValueError(v)
    ids = tuple((0, int(i), '') if i.isdigit() else (1, 0, i) for i in pre.split('.')) if pre else ()
    return (tuple(int(p) for p in parts), 0 if pre else 1, ids)

def pep440(v):
    try:
        return Version(v)
    except InvalidVersion:
        raise ValueError(v)

def norm(eco, name):
    if eco == 'PyPI':
        out, sep = '', False
        for c in name:
            if c in '-_.':
                sep = True
                continue
            if sep and out:
                out += '-'
            sep = False
            out += c.lower()
        return out
    return name

def in_range(key, v, events):
    limits = [e['limit'] for e in events if 'limit' in e]
    if limits and not any('*' in l or v < key(l) for l in limits):
        return False
    zeros, rest = [], []
    for e in events:
        (k, val), = e.items()
        if k == 'limit':
            continue
        if k == 'introduced' and val == '0':
            zeros.append((k, None))
        else:
            rest.append((k, key(val)))
    rest.sort(key=lambda t: t[1])
    vulnerable = False
    for k, ver in zeros + rest:
        if k == 'introduced' and (ver is None or v >= ver):
            vulnerable = True
        elif k == 'fixed' and v >= ver:
            vulnerable = False
        elif k == 'last_affected' and v > ver:
            vulnerable = False
    return vulnerable

def load(root):
    for d, _, files in os.walk(root):
        for f in files:
            if f.startswith('.') or not f.endswith(('.json', '.yaml', '.yml')):
                continue
            p = os.path.join(d, f)
            with open(p) as fh:
                yield json.load(fh) if f.endswith('.json') else yaml.load(fh, Loader=yaml.BaseLoader)

entries = {}
for root in sys.argv[1:]:
    for adv in load(root):
        if adv.get('withdrawn'):
            continue
        for a in adv.get('affected', []):
            pkg = a.get('package', {})
            eco = pkg.get('ecosystem', '').split(':')[0]
            if eco not in ('Go', 'PyPI'):
                continue
            name = norm(eco, pkg['name'])
            if int(hashlib.sha256(name.encode()).hexdigest(), 16) % 8:
                continue
            entries.setdefault((eco, name), []).append((adv['id'], a))

def candidates(eco, items):
    key = semver if eco == 'Go' else pep440
    out = set()
    for _, a in items:
        out.update(a.get('versions', []))
        for r in a.get('ranges', []):
            for e in r.get('events', []):
                (k, val), = e.items()
                if val == '0' or '*' in val:
                    continue
                out.add(val)
                if eco == 'Go':
                    try:
                        nums, _, _ = semver(val)
                        out.add('%d.%d.%d' % (nums[0], nums[1], nums[2] + 1))
                    except ValueError:
                        pass
                else:
                    out.add(val + '.1')
    good = set()
    for v in out:
        try:
            key(v)
            good.add(v)
        except ValueError:
            pass
    return sorted(good)

for (eco, name), items in sorted(entries.items()):
    key = semver if eco == 'Go' else pep440
    for v in candidates(eco, items):
        print('C\t%s\t%s\t%s' % (eco, name, v))
        kv = key(v)
        hits = set()
        for adv_id, a in items:
            if v in a.get('versions', []):
                hits.add(adv_id)
            for r in a.get('ranges', []):
                if r['type'] not in ('SEMVER', 'ECOSYSTEM'):
                    continue
                try:
                    if in_range(key, kv, r['events']):
                        hits.add(adv_id)
                except ValueError:
                    pass
        for h in sorted(hits):
            print('F\t%s\t%s\t%s\t%s' % (eco, name, v, h))
)py";

TEST_F(CorpusTest, MatchesExactlyWhatAnIndependentReadingOfTheRangesSays) {
  testing::TempDir tmp;
  std::ofstream(tmp.File("evaluate.py")) << kIndependentEvaluator;
  std::string out = RunCommand("/usr/bin/python3 " + tmp.File("evaluate.py") + " " + kData +
                               "osv-go " + kData + "osv-pypi-yaml");
  ASSERT_FALSE(out.empty())
      << "the Python evaluator failed (needs python3-packaging, python3-yaml)";
  sbom::Sbom sbom;
  std::set<std::string> expected;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> f;
    std::istringstream fields(line);
    for (std::string x; std::getline(fields, x, '\t');) f.push_back(x);
    std::string purl =
        f[1] == "Go" ? "pkg:golang/" + f[2] + "@v" + f[3] : "pkg:pypi/" + f[2] + "@" + f[3];
    if (f[0] == "C") {
      sbom::Component c;
      auto p = sbom::PackageUrl::Parse(purl);
      ASSERT_TRUE(p) << purl << ": " << p.error().message();
      c.purl = *p;
      c.purl_text = purl;
      c.name = f[2];
      c.version = f[3];
      sbom.components.push_back(std::move(c));
    } else {
      expected.insert(purl + " " + f[4]);
    }
  }
  std::vector<std::string> notes;
  MatchOptions options;
  options.notes = &notes;
  auto findings = MatchSbom(sbom, *db_, options);
  ASSERT_TRUE(findings) << findings.error().message();
  std::set<std::string> got;
  for (const Finding& f : *findings) got.insert(f.component_purl + " " + f.advisory_id);
  std::vector<std::string> missing, extra;
  std::set_difference(expected.begin(), expected.end(), got.begin(), got.end(),
                      std::back_inserter(missing));
  std::set_difference(got.begin(), got.end(), expected.begin(), expected.end(),
                      std::back_inserter(extra));
  std::printf("independent check: %zu components, %zu expected findings, %zu found, %zu notes\n",
              sbom.components.size(), expected.size(), got.size(), notes.size());
  for (size_t i = 0; i < notes.size() && i < 5; ++i) std::printf("  note: %s\n", notes[i].c_str());
  EXPECT_GT(sbom.components.size(), 1000u);  // 12,134 with a quarter; about half with an eighth
  EXPECT_GT(expected.size(), 1000u);
  for (size_t i = 0; i < missing.size() && i < 20; ++i) ADD_FAILURE() << "missing: " << missing[i];
  for (size_t i = 0; i < extra.size() && i < 20; ++i) ADD_FAILURE() << "extra: " << extra[i];
  EXPECT_EQ(missing.size(), 0u);
  EXPECT_EQ(extra.size(), 0u);
}

}  // namespace
}  // namespace vigil::vuln
