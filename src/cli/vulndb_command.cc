// `vigil vulndb import|stats`: build and inspect the local advisory database (OSV, NVD CVE 2.0,
// CVE JSON 5, CISA KEV, FIRST EPSS).
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "command.h"
#include "fleet_notify.h"
#include "vigil/vuln/advisory_db.h"
#include "vigil/vuln/feed_import.h"

namespace vigil::cli {
namespace {

struct ImportOptions {
  std::string db, format = "auto";
  std::vector<std::string> sources;
  bool keep_going = false;
  std::string fleet, register_path;  // re-evaluate the fleet's releases after the import
};

// Re-evaluates the fleet's releases for what the import changed (vigil/fleet/reevaluate.h).
int RunReevaluation(const ImportOptions& o, const std::string& path,
                    const std::vector<std::string>& changed) {
  auto db = vuln::AdvisoryDb::Open(*vigil::Env::Default(), path, vuln::OpenMode::kReadOnly);
  if (!db) return ReportError("vulndb import", db.error());
  auto r = ReevaluateFleet(o.fleet, o.register_path, *db, changed);
  if (!r) return ReportError("vulndb import", r.error());
  PrintReevaluation(*r);
  return kExitOk;
}

Result<vuln::AdvisoryDb> OpenDb(const std::string& path, vuln::OpenMode mode) {
  std::string p = path;
  if (p.empty()) {
    VIGIL_ASSIGN_OR_RETURN(p, vuln::AdvisoryDb::DefaultPath());
  }
  return vuln::AdvisoryDb::Open(*vigil::Env::Default(), p, mode);
}

// A one-line bar on stderr, redrawn at most every 1% (only when stderr is a terminal).
void DrawProgress(size_t done, size_t total) {
  static size_t last_percent = 101;
  size_t percent = total == 0 ? 100 : done * 100 / total;
  if (percent == last_percent && done != total) return;
  last_percent = percent;
  constexpr size_t kWidth = 40;
  std::string bar(percent * kWidth / 100, '#');
  bar.resize(kWidth, '.');
  std::fprintf(stderr, "\r[%s] %3zu%% %zu/%zu", bar.c_str(), percent, done, total);
  if (done == total) std::fputc('\n', stderr);
}

void PrintCounts(const char* what, const vuln::ImportCounts& c) {
  if (c.total() == 0) return;
  std::printf("%s: %zu new, %zu changed, %zu unchanged\n", what, c.added, c.changed, c.unchanged);
}

// Imports into `db` and closes it (a failed import's new file can then be removed).
Result<vuln::ImportReport> ImportInto(vuln::AdvisoryDb db, const ImportOptions& o,
                                      vuln::FeedFormat format) {
  vuln::ImportOptions options;
  options.format = format;
  options.keep_going = o.keep_going;
  if (isatty(STDERR_FILENO)) options.progress = DrawProgress;
  return vuln::ImportFeeds(*Env::Default(), db, o.sources, options);
}

int RunImport(const ImportOptions& o) {
  auto format = vuln::ParseFeedFormat(o.format);
  if (!format) return ReportError("vulndb import", format.error());
  auto db = OpenDb(o.db, vuln::OpenMode::kCreate);
  if (!db) return ReportError("vulndb import", db.error());
  const std::string path = db->path();
  const bool created = db->created();
  auto report = ImportInto(std::move(*db), o, *format);
  if (!report) {
    // The import rolled back; the database this import created would be left empty, and a
    // later scan would read it as "no vulnerabilities": leave nothing instead.
    if (created) (void)vuln::AdvisoryDb::Destroy(*vigil::Env::Default(), path);
    return ReportError("vulndb import", report.error());
  }
  for (const std::string& why : report->refused) {
    std::fprintf(stderr, "vigil vulndb import: refused: %s\n", why.c_str());
  }
  if (report->files == 0 && !report->refused.empty()) {
    // Every document was refused: a database this import created holds nothing; leave none.
    if (created) (void)vuln::AdvisoryDb::Destroy(*vigil::Env::Default(), path);
    std::fprintf(stderr, "vigil vulndb import: all %zu document(s) refused; nothing imported\n",
                 report->refused.size());
    return kExitUsage;
  }
  PrintCounts("osv", report->osv);
  PrintCounts("nvd", report->nvd);
  PrintCounts("cve5", report->cve5);
  PrintCounts("kev", report->kev);
  PrintCounts("epss", report->epss);
  std::printf("imported %zu document(s) into %s%s\n", report->files, created ? "new database " : "",
              path.c_str());
  if (!report->refused.empty()) {
    std::fprintf(stderr, "vigil vulndb import: %zu document(s) refused (listed above)\n",
                 report->refused.size());
    return kExitUsage;
  }
  if (!o.fleet.empty()) return RunReevaluation(o, path, report->changed);
  return kExitOk;
}

int RunStats(const std::string& path) {
  auto db = OpenDb(path, vuln::OpenMode::kReadOnly);
  if (!db) return ReportError("vulndb stats", db.error());
  auto st = db->Stats();
  if (!st) return ReportError("vulndb stats", st.error());
  std::printf("database: %s\n", db->path().c_str());
  std::printf("osv advisories: %zu\n", st->osv_advisories);
  for (const auto& [eco, n] : st->advisories_by_ecosystem)
    std::printf("  %s: %zu\n", eco.c_str(), n);
  std::printf("nvd cves: %zu (%zu cpe products)\n", st->nvd_advisories, st->cpe_products);
  std::printf("cve 5 records: %zu\n", st->cve5_records);
  std::printf("unassessed cves (no source gives versions): %zu\n", st->unassessed_cves);
  std::printf("kev entries: %zu%s%s\n", st->kev_entries,
              st->kev_catalog_version.empty() ? "" : " catalog ", st->kev_catalog_version.c_str());
  std::printf("epss scores: %zu%s%s\n", st->epss_scores,
              st->epss_score_date.empty() ? "" : " scored ", st->epss_score_date.c_str());
  std::printf("aliases: %zu, package index rows: %zu\n", st->aliases, st->affected_packages);
  return kExitOk;
}

void Setup(CLI::App& app) {
  auto* cmd = app.add_subcommand("vulndb", "Build and inspect the local advisory database");
  cmd->require_subcommand(1);
  auto o = std::make_shared<ImportOptions>();
  auto* imp = cmd->add_subcommand(
      "import",
      "Import OSV (JSON/YAML files, directories, .zip), NVD CVE 2.0 JSON, CVE JSON 5 records, "
      "CISA KEV JSON "
      "or FIRST EPSS CSV; only changed advisories are rewritten");
  imp->add_option("--db", o->db, "Database file (default: $XDG_DATA_HOME/vigil/vulndb.sqlite)");
  imp->add_option("--format", o->format, "auto, osv, nvd, cve5, kev or epss (default: auto)");
  imp->add_option("sources", o->sources, "Files, directories or .zip archives")->required();
  imp->add_flag("--keep-going", o->keep_going,
                "Refuse bad documents one by one and import the rest (default: all or nothing); "
                "each refusal is listed and the exit status is 2");
  auto* fleet = imp->add_option("--fleet", o->fleet,
                                "Then re-evaluate this fleet database's releases for the "
                                "advisories the import changed (needs --register)");
  imp->add_option("--register", o->register_path,
                  "Triage register the re-evaluation files new findings in")
      ->needs(fleet);
  fleet->needs(imp->get_option("--register"));
  imp->callback([o] { SetExitCode(RunImport(*o)); });
  auto db = std::make_shared<std::string>();
  auto* stats = cmd->add_subcommand("stats", "Counts of advisories, KEV entries and EPSS scores");
  stats->add_option("--db", *db, "Database file (default: $XDG_DATA_HOME/vigil/vulndb.sqlite)");
  stats->callback([db] { SetExitCode(RunStats(*db)); });
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
