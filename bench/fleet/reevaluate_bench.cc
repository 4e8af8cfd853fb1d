// bench_fleet_reevaluate: re-evaluation after an import of 1,000 changed advisories. A fleet of
// 200 releases, each SBOM 100 PyPI components drawn from a pool of 10,000 packages; an advisory
// database of 10,000 OSV advisories (one per package), then 1,000 of them changed (a new fixed
// version) and imported again. The figure is fleet::Reevaluate for those 1,000 (names → releases
// naming them → matcher on each → register filing → events); the peer, in the same run, is what
// `vigil scan --register` of every release costs (matcher + filing of all 200). Goal (issue 18):
// <= 5 s.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "support/report.h"
#include "vigil/core/env.h"
#include "vigil/fleet/fleet.h"
#include "vigil/fleet/reevaluate.h"
#include "vigil/sbom/sbom_reader.h"
#include "vigil/triage/register.h"
#include "vigil/vuln/feed_import.h"
#include "vigil/vuln/matcher.h"

namespace {

using namespace vigil;

constexpr int kPackages = 10000, kReleases = 200, kComponents = 100, kChanged = 1000;

std::string Pkg(int i) { return "pkg" + std::to_string(i); }

std::string Osv(int i, const std::string& fixed) {
  return R"({"id": "PYSEC-BENCH-)" + std::to_string(i) +
         R"(", "modified": "2025-01-01T00:00:00Z", "summary": "bench", "affected": [{"package":)"
         R"( {"ecosystem": "PyPI", "name": ")" +
         Pkg(i) +
         R"("}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": ")" +
         fixed + R"("}]}]}]})";
}

// Release r ships packages (r * 37 + k * 101) mod kPackages, version 1.0.
std::string Sbom(int r) {
  std::string s =
      R"({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [)";
  for (int k = 0; k < kComponents; ++k) {
    const std::string p = Pkg((r * 37 + k * 101) % kPackages);
    s += std::string(k ? "," : "") + R"({"type": "library", "name": ")" + p +
         R"(", "version": "1.0", "purl": "pkg:pypi/)" + p + R"(@1.0"})";
  }
  return s + "]}";
}

int Fail(const Error& e, const char* what) {
  std::fprintf(stderr, "bench_fleet_reevaluate: %s: %s\n", what, e.ToString().c_str());
  return 1;
}

Status WriteAdvisories(Env& env, const std::string& dir, int from, int to, const char* fixed) {
  VIGIL_RETURN_IF_ERROR(env.CreateDir(dir));
  for (int i = from; i < to; ++i) {
    VIGIL_RETURN_IF_ERROR(
        env.WriteFileAtomic(dir + "/" + std::to_string(i) + ".json", AsBytes(Osv(i, fixed))));
  }
  return OkStatus();
}

// The peer: every release matched and filed, as `vigil scan --register` does.
Result<double> FullScan(const std::string& dir, const vuln::AdvisoryDb& db) {
  triage::RegisterOptions ro;
  ro.path = dir + "/peer-register.sqlite";
  ro.create = true;
  VIGIL_ASSIGN_OR_RETURN(triage::Register reg, triage::Register::Open(ro, *Env::Default()));
  const double t0 = bench::NowSeconds();
  for (int r = 0; r < kReleases; ++r) {
    VIGIL_ASSIGN_OR_RETURN(Bytes text, Env::Default()->ReadFile(dir + "/r" + std::to_string(r)));
    VIGIL_ASSIGN_OR_RETURN(sbom::Sbom doc, sbom::ReadSbom(AsStringView(text), "sbom"));
    VIGIL_ASSIGN_OR_RETURN(std::vector<vuln::Finding> f, vuln::MatchSbom(doc, db));
    VIGIL_ASSIGN_OR_RETURN(triage::ObserveSummary s, reg.Observe("Bench", std::to_string(r), f));
    (void)s;
  }
  return bench::NowSeconds() - t0;
}

}  // namespace

int main() {
  char tmpl[] = "/tmp/vigil-bench-reevaluate-XXXXXX";
  if (!mkdtemp(tmpl)) return 1;
  const std::string dir = tmpl;
  Env& env = *Env::Default();
  if (Status s = WriteAdvisories(env, dir + "/all", 0, kPackages, "2.0"); !s)
    return Fail(s.error(), "write");
  if (Status s = WriteAdvisories(env, dir + "/changed", 0, kChanged, "2.1"); !s) {
    return Fail(s.error(), "write");
  }
  auto db = vuln::AdvisoryDb::Open(*vigil::Env::Default(), dir + "/vulndb.sqlite", vuln::OpenMode::kCreate);
  if (!db) return Fail(db.error(), "vulndb");
  if (auto r = vuln::ImportFeeds(env, *db, {dir + "/all"}); !r) return Fail(r.error(), "import");
  auto fdb = fleet::OpenFleetSqlite(dir + "/fleet.sqlite", true);
  if (!fdb) return Fail(fdb.error(), "fleet");
  auto f = fleet::Fleet::Open(std::move(*fdb), "fleet", env);
  if (!f) return Fail(f.error(), "fleet");
  if (auto p = f->AddProduct({"Bench", "", ""}); !p) return Fail(p.error(), "product");
  for (int r = 0; r < kReleases; ++r) {
    const std::string path = dir + "/r" + std::to_string(r);
    if (Status s = env.WriteFileAtomic(path, AsBytes(Sbom(r))); !s) return Fail(s.error(), "sbom");
    if (auto a = f->AddRelease({"Bench", std::to_string(r), path, "", "", "", ""}); !a) {
      return Fail(a.error(), "release");
    }
  }
  auto peer = FullScan(dir, *db);
  if (!peer) return Fail(peer.error(), "peer");
  // The register as `vigil scan --register` left it, then the 1,000 changed advisories.
  triage::RegisterOptions ro;
  ro.path = dir + "/peer-register.sqlite";
  auto reg = triage::Register::Open(ro, env);
  if (!reg) return Fail(reg.error(), "register");
  auto changed = vuln::ImportFeeds(env, *db, {dir + "/changed"});
  if (!changed) return Fail(changed.error(), "import changed");
  if (changed->changed.size() != kChanged) {
    std::fprintf(stderr, "bench_fleet_reevaluate: %zu changed, expected %d\n",
                 changed->changed.size(), kChanged);
    return 1;
  }
  const double t0 = bench::NowSeconds();
  auto report = fleet::Reevaluate(*f, *db, *reg, changed->changed, env);
  const double took = bench::NowSeconds() - t0;
  if (!report) return Fail(report.error(), "reevaluate");
  std::fprintf(stderr, "bench_fleet_reevaluate: %zu of %zu releases rescanned\n",
               report->releases_rescanned, report->releases);
  bench::Report("fleet re-evaluation after 1,000 changed advisories, 200 releases", took, "s",
                "full scan --register of the 200 releases", *peer);
  std::filesystem::remove_all(dir);
  return 0;
}
