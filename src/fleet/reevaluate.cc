// Re-evaluation of the releases an advisory import concerns (reevaluate.h).
#include "vigil/fleet/reevaluate.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <utility>

#include "internal/fleet_impl.h"
#include "vigil/fleet/webhook.h"
#include "vigil/sbom/sbom_reader.h"
#include "vigil/vuln/matcher.h"
#include "vigil/vuln/vex.h"

namespace vigil::fleet {
namespace {

using Names = std::set<std::string, std::less<>>;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void AddName(Names& names, std::string_view name) {
  if (name.empty() || name == "*" || name == "-" || name == "n/a") return;
  names.insert(Lower(name));
  const size_t cut = name.find_last_of("/:");
  if (cut != std::string_view::npos && cut + 1 < name.size()) {
    names.insert(Lower(name.substr(cut + 1)));
  }
}

// The CPE 2.3 product of "cpe:2.3:a:vendor:product:…".
std::string_view CpeProduct(std::string_view criteria) {
  for (int field = 0; field < 4; ++field) {
    const size_t colon = criteria.find(':');
    if (colon == std::string_view::npos) return {};
    criteria.remove_prefix(colon + 1);
  }
  return criteria.substr(0, criteria.find(':'));
}

// The package names the changed advisories are about.
Result<Names> AffectedNames(const vuln::AdvisoryDb& db, std::span<const std::string> changed) {
  Names names;
  for (const std::string& id : changed) {
    VIGIL_ASSIGN_OR_RETURN(std::optional<vuln::Advisory> a, db.Load(id));
    if (!a) continue;
    for (const vuln::AffectedPackage& p : a->affected) AddName(names, p.name);
    for (const vuln::CpeConfiguration& c : a->configurations) {
      for (const vuln::CpeNode& n : c.nodes) {
        for (const vuln::CpeMatch& m : n.matches) AddName(names, CpeProduct(m.criteria));
      }
    }
    for (const vuln::Cve5Product& p : a->products) AddName(names, p.product);
  }
  return names;
}

bool NamesAny(const sbom::Sbom& doc, const Names& names) {
  const auto has = [&](std::string_view n) { return !n.empty() && names.contains(Lower(n)); };
  for (const sbom::Component& c : doc.components) {
    if (has(c.name)) return true;
    if (c.purl) {
      if (has(c.purl->name())) return true;
      if (c.purl->ns() && has(*c.purl->ns() + "/" + c.purl->name())) return true;
    }
    if (c.cpe && has(c.cpe->product().unescaped())) return true;
  }
  return false;
}

// Files one register release's findings; the records whose decision in force is an opening
// ("opened" or "re-opened"), whether this filing or an earlier one made it: which of them the
// fleet has not announced yet is decided against fleet_announced (Announce below).
Result<std::vector<NewFinding>> File(triage::Register& reg, const Release& r,
                                     std::vector<vuln::Finding>& findings) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<triage::Filing> filing,
                         reg.BeginFiling(r.register_product, r.register_release));
  VIGIL_ASSIGN_OR_RETURN(auto after, filing->File(findings));
  VIGIL_RETURN_IF_ERROR(filing->Commit());
  std::vector<NewFinding> out;
  for (size_t i = 0; i < after.size() && i < findings.size(); ++i) {
    const std::optional<triage::Record>& rec = after[i];
    if (!rec) continue;
    const std::string& origin = rec->current.origin;
    if (origin != "opened" && origin != "re-opened") continue;
    // Opened already closed by the release's VEX (not_affected with a justification, or fixed):
    // nothing anyone must act on, so nothing to announce.
    const triage::TriageStatus status = rec->current.decision.status;
    if (status == triage::TriageStatus::kNotAffected || status == triage::TriageStatus::kFixed) {
      continue;
    }
    // The version this release ships (the record keeps the last one any release was seen with).
    out.push_back({r.register_product, r.register_release, rec->key.vulnerability,
                   rec->key.component, findings[i].component_version, rec->facts.advisory_id,
                   rec->discovered, origin, rec->current.seq});
  }
  return out;
}

// Marks (record, opening event) announced, inside the caller's transaction; false when it was
// already (by an earlier re-evaluation, or earlier in this one).
Result<bool> Announce(Fleet::Impl& im, const NewFinding& f) {
  VIGIL_ASSIGN_OR_RETURN(
      storage::Statement * ins,
      im.db.Cached("INSERT INTO fleet_announced (product, vulnerability, component, event, at)"
                   " VALUES (?, ?, ?, ?, ?)"
                   " ON CONFLICT (product, vulnerability, component, event) DO NOTHING"));
  VIGIL_RETURN_IF_ERROR(ins->BindText(1, f.product));
  VIGIL_RETURN_IF_ERROR(ins->BindText(2, f.vulnerability));
  VIGIL_RETURN_IF_ERROR(ins->BindText(3, f.component));
  VIGIL_RETURN_IF_ERROR(ins->BindInt(4, f.event));
  VIGIL_RETURN_IF_ERROR(ins->BindText(5, im.Now()));
  Status inserted = im.InsertNew(*ins, "announcement");
  if (inserted) return true;
  if (inserted.error().code() == ErrorCode::kAlreadyExists) return false;
  return inserted.error();
}

// The release's VEX statements applied to its findings, as `vigil scan --vex` does before filing,
// so re-evaluation files the manufacturer's decisions, not a fresh "in triage" for what a VEX
// already declared not_affected or fixed. A statement the application could not use (a
// not_affected without justification, say) is counted in the report.
Status ApplyReleaseVex(const Release& r, const sbom::Sbom& doc, std::vector<vuln::Finding>& findings,
                       Env& env, ReevaluationReport& report) {
  if (r.vex.empty()) return OkStatus();
  VIGIL_ASSIGN_OR_RETURN(Bytes text, env.ReadFileLimited(r.vex, vuln::kMaxVexBytes, "a VEX document"));
  VIGIL_ASSIGN_OR_RETURN(vuln::VexDocument vex, vuln::ReadVex(AsStringView(text), r.vex));
  const vuln::VexApplication applied = vuln::ApplyVex(
      std::span<const vuln::VexDocument>(&vex, 1), doc.primary ? &*doc.primary : nullptr, findings);
  report.vex_applied += applied.applied;
  for (const std::string& p : applied.problems) report.vex_problems.push_back(p);
  return OkStatus();
}

json::Value FindingJson(const NewFinding& f, const std::vector<std::string>& fleet_releases) {
  json::Value releases = json::Value::MakeArray();
  for (const std::string& r : fleet_releases) releases.Push(r);
  return json::Value::MakeObject({{"product", f.product},
                                  {"release", f.release},
                                  {"vulnerability", f.vulnerability},
                                  {"component", f.component},
                                  {"component_version", f.component_version},
                                  {"advisory", f.advisory},
                                  {"discovered", f.discovered},
                                  {"origin", f.origin},
                                  {"fleet_releases", std::move(releases)}});
}

}  // namespace

Status CreateAnnouncedTable(storage::Database& db) {
  return db.Exec(
      "CREATE TABLE fleet_announced (product TEXT NOT NULL, vulnerability TEXT NOT NULL,"
      " component TEXT NOT NULL, event BIGINT NOT NULL, at TEXT NOT NULL,"
      " PRIMARY KEY (product, vulnerability, component, event))");
}

Result<ReevaluationReport> Reevaluate(Fleet& fleet, const vuln::AdvisoryDb& db,
                                      triage::Register& reg, std::span<const std::string> changed,
                                      Env& env) {
  ReevaluationReport report;
  report.advisories = changed.size();
  VIGIL_ASSIGN_OR_RETURN(Names names, AffectedNames(db, changed));
  VIGIL_ASSIGN_OR_RETURN(std::vector<Release> releases, fleet.Releases(""));
  // One scan per register release (several fleet releases may be filed as one).
  std::map<std::pair<std::string, std::string>, std::vector<const Release*>> by_register;
  for (const Release& r : releases) {
    if (!r.sbom.empty()) by_register[{r.register_product, r.register_release}].push_back(&r);
  }
  report.releases = by_register.size();
  if (names.empty()) return report;
  std::vector<std::pair<NewFinding, std::vector<std::string>>> candidates;
  for (const auto& [key, group] : by_register) {
    const Release& r = *group.front();
    const std::string where = "release " + r.product + " " + r.version + " (sbom " + r.sbom + ")";
    auto text = env.ReadFile(r.sbom);
    if (!text) return Error(text.error().code(), where + ": " + text.error().message());
    auto doc = sbom::ReadSbom(AsStringView(*text), r.sbom);
    if (!doc) return Error(doc.error().code(), where + ": " + doc.error().message());
    if (!NamesAny(*doc, names)) continue;
    ++report.releases_rescanned;
    VIGIL_ASSIGN_OR_RETURN(std::vector<vuln::Finding> findings, vuln::MatchSbom(*doc, db));
    Status vexed = ApplyReleaseVex(r, *doc, findings, env, report);
    if (!vexed) {
      // The reader's and Env's messages begin with the VEX file's path.
      return Error(vexed.error().code(), "release " + r.product + " " + r.version + ": VEX " +
                                             vexed.error().message());
    }
    auto filed = File(reg, r, findings);
    if (!filed) return Error(filed.error().code(), where + ": " + filed.error().message());
    std::vector<std::string> names_of;
    for (const Release* g : group) names_of.push_back(g->product + " " + g->version);
    for (NewFinding& f : *filed) candidates.emplace_back(std::move(f), names_of);
  }
  // The register has committed; the fleet now announces, in one transaction, every opening it
  // has not announced yet. A crash before this commit leaves the openings unannounced, and the
  // next re-evaluation of the release announces them: nothing is lost, nothing sent twice.
  Fleet::Impl& im = *fleet.impl_;
  VIGIL_ASSIGN_OR_RETURN(storage::Transaction tx, storage::Transaction::Begin(im.db));
  for (auto& [f, fleet_releases] : candidates) {
    VIGIL_ASSIGN_OR_RETURN(bool fresh, Announce(im, f));
    if (!fresh) continue;
    VIGIL_RETURN_IF_ERROR(im.Enqueue(kEventNewFinding, FindingJson(f, fleet_releases)));
    report.new_findings.push_back(std::move(f));
  }
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return report;
}

}  // namespace vigil::fleet
