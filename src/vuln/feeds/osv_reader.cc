// OSV advisory reader (osv-schema.md). Only what matching and reporting need is kept; unknown
// members are ignored, as the schema asks of consumers.
#include <string>

#include "internal/json_access.h"
#include "vigil/vuln/feeds.h"

namespace vigil::vuln {
namespace {

using internal::IndexPath;
using internal::JoinPath;
using internal::JsonFields;
using simdjson::dom::element;
using simdjson::dom::object;

Result<OsvEvent> ReadEvent(const JsonFields& f, element e, const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(object obj, f.AsObject(e, path));
  static constexpr std::pair<std::string_view, OsvEvent::Kind> kKinds[] = {
      {"introduced", OsvEvent::Kind::kIntroduced},
      {"fixed", OsvEvent::Kind::kFixed},
      {"last_affected", OsvEvent::Kind::kLastAffected},
      {"limit", OsvEvent::Kind::kLimit}};
  OsvEvent event;
  int found = 0;
  for (const auto& [key, kind] : kKinds) {
    if (obj[key].error() != simdjson::SUCCESS) continue;
    VIGIL_ASSIGN_OR_RETURN(event.version, f.OptString(obj, key, path));
    event.kind = kind;
    ++found;
  }
  if (found != 1) {
    return f.Fail(path, "expected exactly one of introduced, fixed, last_affected, limit, got " +
                            std::to_string(found));
  }
  if (event.version.empty()) return f.Fail(path, "event version is empty");
  return event;
}

Result<OsvRange> ReadRange(const JsonFields& f, element e, const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(object obj, f.AsObject(e, path));
  OsvRange range;
  range.path = path;
  VIGIL_ASSIGN_OR_RETURN(range.type, f.ReqString(obj, "type", path));
  if (range.type != "SEMVER" && range.type != "ECOSYSTEM" && range.type != "GIT") {
    return f.Fail(JoinPath(path, "type"),
                  "expected SEMVER, ECOSYSTEM or GIT, got " + internal::Quote(range.type));
  }
  VIGIL_ASSIGN_OR_RETURN(range.repo, f.OptString(obj, "repo", path));
  VIGIL_ASSIGN_OR_RETURN(auto events, f.OptArray(obj, "events", path));
  if (!events || events->size() == 0) {
    return f.Fail(JoinPath(path, "events"), "expected a non-empty array of events");
  }
  size_t i = 0;
  for (element ev : *events) {
    VIGIL_ASSIGN_OR_RETURN(OsvEvent event, ReadEvent(f, ev, IndexPath(path, "events", i++)));
    range.events.push_back(std::move(event));
  }
  return range;
}

// Version bounds some databases write outside ranges/versions (advisory-database#470): any
// string member of a database_specific / ecosystem_specific object whose key mentions
// "version" is kept verbatim so the matcher can show it.
void CollectHiddenBounds(object obj, std::string_view key, const std::string& path,
                         std::vector<std::string>& out) {
  object specific;
  if (obj[key].get(specific) != simdjson::SUCCESS) return;
  for (auto [k, v] : specific) {
    std::string_view text;
    if (k.find("version") == std::string_view::npos || v.get(text) != simdjson::SUCCESS) continue;
    out.push_back(JoinPath(JoinPath(path, key), k) + ": " + std::string(text));
  }
}

Result<AffectedPackage> ReadAffected(const JsonFields& f, element e, const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(object obj, f.AsObject(e, path));
  AffectedPackage pkg;
  pkg.path = path;
  VIGIL_ASSIGN_OR_RETURN(auto package, internal::OptObject(f, obj, "package", path));
  if (package) {
    std::string ppath = JoinPath(path, "package");
    VIGIL_ASSIGN_OR_RETURN(pkg.ecosystem, f.ReqString(*package, "ecosystem", ppath));
    VIGIL_ASSIGN_OR_RETURN(pkg.name, f.ReqString(*package, "name", ppath));
    VIGIL_ASSIGN_OR_RETURN(pkg.purl, f.OptString(*package, "purl", ppath));
  }
  VIGIL_ASSIGN_OR_RETURN(auto ranges, f.OptArray(obj, "ranges", path));
  size_t i = 0;
  for (element r : ranges ? *ranges : JsonFields::EmptyArray()) {
    std::string rpath = IndexPath(path, "ranges", i++);
    VIGIL_ASSIGN_OR_RETURN(OsvRange range, ReadRange(f, r, rpath));
    object robj;
    if (r.get(robj) == simdjson::SUCCESS) {
      CollectHiddenBounds(robj, "database_specific", rpath, pkg.hidden_bounds);
    }
    pkg.ranges.push_back(std::move(range));
  }
  VIGIL_ASSIGN_OR_RETURN(pkg.versions, internal::OptStringArray(f, obj, "versions", path));
  CollectHiddenBounds(obj, "database_specific", path, pkg.hidden_bounds);
  CollectHiddenBounds(obj, "ecosystem_specific", path, pkg.hidden_bounds);
  return pkg;
}

Result<std::vector<SeverityScore>> ReadSeverity(const JsonFields& f, object obj,
                                                const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(auto arr, f.OptArray(obj, "severity", path));
  std::vector<SeverityScore> out;
  size_t i = 0;
  for (element e : arr ? *arr : JsonFields::EmptyArray()) {
    std::string spath = IndexPath(path, "severity", i++);
    VIGIL_ASSIGN_OR_RETURN(object s, f.AsObject(e, spath));
    SeverityScore score;
    VIGIL_ASSIGN_OR_RETURN(score.type, f.ReqString(s, "type", spath));
    VIGIL_ASSIGN_OR_RETURN(score.vector, f.ReqString(s, "score", spath));
    out.push_back(std::move(score));
  }
  return out;
}

// The summary, or the first line of the details when there is none.
Result<std::string> ReadSummary(const JsonFields& f, object root) {
  VIGIL_ASSIGN_OR_RETURN(std::string summary, f.OptString(root, "summary", ""));
  if (!summary.empty()) return summary;
  VIGIL_ASSIGN_OR_RETURN(std::string details, f.OptString(root, "details", ""));
  details = details.substr(0, details.find('\n'));
  if (details.size() > 200) details = details.substr(0, 197) + "...";
  return details;
}

}  // namespace

Result<Advisory> ParseOsvJson(std::string_view json, std::string_view source) {
  JsonFields f(source);
  VIGIL_ASSIGN_OR_RETURN(object root, f.ParseRoot(internal::ThreadParser(), json));
  Advisory adv;
  adv.source = AdvisorySource::kOsv;
  VIGIL_ASSIGN_OR_RETURN(adv.id, f.ReqString(root, "id", ""));
  if (adv.id.empty()) return f.Fail("id", "expected a non-empty advisory id");
  VIGIL_ASSIGN_OR_RETURN(adv.modified, f.ReqString(root, "modified", ""));
  VIGIL_ASSIGN_OR_RETURN(adv.published, f.OptString(root, "published", ""));
  VIGIL_ASSIGN_OR_RETURN(adv.withdrawn, f.OptString(root, "withdrawn", ""));
  VIGIL_ASSIGN_OR_RETURN(adv.summary, ReadSummary(f, root));
  VIGIL_ASSIGN_OR_RETURN(adv.aliases, internal::OptStringArray(f, root, "aliases", ""));
  VIGIL_ASSIGN_OR_RETURN(adv.severities, ReadSeverity(f, root, ""));
  VIGIL_ASSIGN_OR_RETURN(auto dbs, internal::OptObject(f, root, "database_specific", ""));
  if (dbs) {
    std::string_view label;
    if ((*dbs)["severity"].get(label) == simdjson::SUCCESS) adv.severity_label = label;
    // GitHub's advisories list their CWE ids here ("cwe_ids": ["CWE-79"]).
    VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> cwes,
                           internal::OptStringArray(f, *dbs, "cwe_ids", "database_specific"));
    for (const std::string& id : cwes) AddWeakness(adv.weaknesses, id, "");
  }
  VIGIL_ASSIGN_OR_RETURN(auto affected, f.OptArray(root, "affected", ""));
  size_t i = 0;
  for (element e : affected ? *affected : JsonFields::EmptyArray()) {
    VIGIL_ASSIGN_OR_RETURN(AffectedPackage pkg, ReadAffected(f, e, IndexPath("", "affected", i++)));
    adv.affected.push_back(std::move(pkg));
  }
  return adv;
}

}  // namespace vigil::vuln
