// Advisory database figures:
//  1. Import throughput (advisories/s) of the real Go (4,291 JSON) + PyPI (2,661 YAML) corpora
//     into a fresh database, beside the parse-only floor of the same bytes with the same parsers
//     (simdjson for JSON, yaml-cpp for YAML; what any importer must at least do) and beside
//     Python's json + yaml C loader parsing the same files (an independent implementation).
//  2. Matching: a 300,000-advisory database cloned from the real shapes, a 10,000-component
//     SBOM matched against it (time and peak RSS in a child process), beside the candidate
//     lookups alone (the SQLite index queries the matcher cannot avoid).
#include <simdjson.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "support/report.h"
#include "vigil/core/env.h"
#include "vigil/vuln/feed_import.h"
#include "vigil/vuln/matcher.h"
#include "vuln/synthetic_advisories.h"

namespace {

namespace fs = std::filesystem;

std::string DataDir() {
  const char* d = std::getenv("VIGIL_DATA_DIR");
  return d != nullptr ? d : "../shared/data";
}

std::string TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "vigil-vuln-bench-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) std::abort();
  return tmpl;
}

std::vector<std::string> CorpusFiles() {
  std::vector<std::string> files;
  for (const char* sub : {"/vuln/osv-go", "/vuln/osv-pypi-yaml"}) {
    for (const auto& e : fs::recursive_directory_iterator(DataDir() + sub)) {
      std::string ext = e.path().extension().string();
      if (e.is_regular_file() && (ext == ".json" || ext == ".yaml")) files.push_back(e.path());
    }
  }
  return files;
}

void ImportThroughput() {
  std::vector<std::string> files = CorpusFiles();
  double n = static_cast<double>(files.size());
  double ours = vigil::bench::MedianOf(3, [&] {
    std::string dir = TempDir();
    auto db = vigil::vuln::AdvisoryDb::Open(dir + "/db.sqlite");
    if (!db) std::abort();
    double t0 = vigil::bench::NowSeconds();
    auto r = vigil::vuln::ImportFeeds(
        *db, {DataDir() + "/vuln/osv-go", DataDir() + "/vuln/osv-pypi-yaml"});
    double t = vigil::bench::NowSeconds() - t0;
    if (!r || r->osv.added != files.size()) std::abort();
    fs::remove_all(dir);
    return n / t;
  });
  double parse_only = vigil::bench::MedianOf(3, [&] {
    simdjson::dom::parser parser;
    double t0 = vigil::bench::NowSeconds();
    for (const std::string& f : files) {
      auto data = vigil::Env::Default()->ReadFile(f);
      if (!data) std::abort();
      std::string text(vigil::AsStringView(*data));
      if (f.ends_with(".yaml")) {
        YAML::Node node = YAML::Load(text);
        if (!node.IsMap()) std::abort();
      } else {
        simdjson::dom::element root;
        if (parser.parse(text).get(root) != simdjson::SUCCESS) std::abort();
      }
    }
    return n / (vigil::bench::NowSeconds() - t0);
  });
  vigil::bench::Report("vuln import Go+PyPI OSV (" + std::to_string(files.size()) + " adv)", ours,
                       "adv/s", "simdjson+yaml-cpp parse only", parse_only);
  std::string py = vigil::bench::RunCommand(
      "/usr/bin/python3 -c 'import json,yaml,os,sys,time\n"
      "fs=[os.path.join(d,f) for r in sys.argv[1:] for d,_,n in os.walk(r) for f in n "
      "if f.endswith((\".json\",\".yaml\"))]\n"
      "t=time.perf_counter()\n"
      "for p in fs:\n"
      "  s=open(p).read()\n"
      "  (json.loads(s) if p.endswith(\".json\") else yaml.load(s, Loader=yaml.CSafeLoader))\n"
      "print(len(fs)/(time.perf_counter()-t))' " +
      DataDir() + "/vuln/osv-go " + DataDir() + "/vuln/osv-pypi-yaml");
  if (!py.empty()) {
    vigil::bench::Report("vuln import Go+PyPI OSV (" + std::to_string(files.size()) + " adv)", ours,
                         "adv/s", "python3 json+yaml(C) parse only", std::stod(py));
  }
}

struct MatchFigures {
  double seconds = 0, lookup_seconds = 0, peak_rss_mib = 0;
  size_t findings = 0, components = 0;
};

// Runs in a child process so that peak RSS is the matcher's, not the generator's.
MatchFigures MatchInChild(const std::string& db_path,
                          const std::vector<vigil::bench::SyntheticPackage>& pkgs) {
  int fds[2];
  if (pipe(fds) != 0) std::abort();
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    MatchFigures m;
    auto db = vigil::vuln::AdvisoryDb::Open(db_path, false);
    if (!db) _exit(3);
    vigil::sbom::Sbom sbom = vigil::bench::MakeSyntheticSbom(pkgs, 10000);
    m.components = sbom.components.size();
    double t0 = vigil::bench::NowSeconds();
    auto findings = vigil::vuln::MatchSbom(sbom, *db);
    m.seconds = vigil::bench::NowSeconds() - t0;
    if (!findings) _exit(4);
    m.findings = findings->size();
    t0 = vigil::bench::NowSeconds();
    for (const auto& c : sbom.components) {
      auto ids = db->AdvisoriesForPackage(
          c.purl->type() == "golang" ? "Go" : "PyPI",
          c.purl->type() == "golang" ? *c.purl->ns() + "/" + c.purl->name() : c.purl->name());
      for (const auto& id : *ids) {
        if (!db->Load(id)) _exit(5);
      }
    }
    m.lookup_seconds = vigil::bench::NowSeconds() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    m.peak_rss_mib = static_cast<double>(ru.ru_maxrss) / 1024.0;
    if (write(fds[1], &m, sizeof(m)) != sizeof(m)) _exit(6);
    _exit(0);
  }
  close(fds[1]);
  MatchFigures m;
  if (read(fds[0], &m, sizeof(m)) != sizeof(m)) std::abort();
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return m;
}

void MatchLargeDb() {
  std::string dir = TempDir();
  double t0 = vigil::bench::NowSeconds();
  auto pkgs = [&] {
    auto db = vigil::vuln::AdvisoryDb::Open(dir + "/db.sqlite");
    if (!db) std::abort();
    return vigil::bench::BuildSyntheticAdvisories(*db, DataDir(), 300000);
  }();
  if (!pkgs) {
    std::fprintf(stderr, "bench_vuln: %s\n", pkgs.error().message().c_str());
    std::abort();
  }
  std::fprintf(stderr, "bench_vuln: 300,000-advisory database built in %.1f s (%.0f MiB)\n",
               vigil::bench::NowSeconds() - t0,
               static_cast<double>(fs::file_size(dir + "/db.sqlite")) / (1 << 20));
  std::vector<MatchFigures> runs;
  for (int i = 0; i < 3; ++i) runs.push_back(MatchInChild(dir + "/db.sqlite", *pkgs));
  std::sort(runs.begin(), runs.end(), [](auto& a, auto& b) { return a.seconds < b.seconds; });
  const MatchFigures& m = runs[1];
  std::fprintf(stderr, "bench_vuln: %zu components, %zu findings\n", m.components, m.findings);
  vigil::bench::Report("vuln match 10k-component SBOM vs 300k advisories", m.seconds * 1000, "ms",
                       "candidate lookups + loads only", m.lookup_seconds * 1000);
  vigil::bench::Report("vuln match peak RSS (target <= 512)", m.peak_rss_mib, "MiB",
                       "target 512 MiB", 512);
  fs::remove_all(dir);
}

}  // namespace

int main() {
  ImportThroughput();
  MatchLargeDb();
  return 0;
}
