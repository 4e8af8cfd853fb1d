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

// Files one register release's findings; the records it opened or re-opened.
Result<std::vector<NewFinding>> File(triage::Register& reg, const Release& r,
                                     std::vector<vuln::Finding>& findings) {
  std::vector<triage::RecordKey> keys;
  keys.reserve(findings.size());
  for (const vuln::Finding& f : findings) {
    keys.push_back({r.register_product, triage::Register::VulnerabilityOf(f),
                    triage::Register::ComponentOf(f)});
  }
  VIGIL_ASSIGN_OR_RETURN(auto before, reg.FindMany(keys));
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<triage::Filing> filing,
                         reg.BeginFiling(r.register_product, r.register_release));
  VIGIL_ASSIGN_OR_RETURN(auto after, filing->File(findings));
  VIGIL_RETURN_IF_ERROR(filing->Commit());
  std::vector<NewFinding> out;
  for (size_t i = 0; i < after.size(); ++i) {
    if (!after[i]) continue;
    const triage::Record& rec = *after[i];
    const bool opened = !before[i];
    const bool reopened =
        before[i] && rec.current.origin == "re-opened" && rec.current.seq > before[i]->current.seq;
    if (!opened && !reopened) continue;
    out.push_back({r.register_product, r.register_release, rec.key.vulnerability, rec.key.component,
                   rec.component_version, rec.facts.advisory_id, rec.discovered,
                   opened ? "opened" : "re-opened"});
  }
  return out;
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
  std::vector<std::pair<NewFinding, std::vector<std::string>>> events;
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
    auto filed = File(reg, r, findings);
    if (!filed) return Error(filed.error().code(), where + ": " + filed.error().message());
    std::vector<std::string> names_of;
    for (const Release* g : group) names_of.push_back(g->product + " " + g->version);
    for (NewFinding& f : *filed) {
      events.emplace_back(f, names_of);
      report.new_findings.push_back(std::move(f));
    }
  }
  Fleet::Impl& im = *fleet.impl_;
  VIGIL_ASSIGN_OR_RETURN(storage::Transaction tx, storage::Transaction::Begin(im.db));
  for (const auto& [f, fleet_releases] : events) {
    VIGIL_RETURN_IF_ERROR(im.Enqueue(kEventNewFinding, FindingJson(f, fleet_releases)));
  }
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return report;
}

}  // namespace vigil::fleet
