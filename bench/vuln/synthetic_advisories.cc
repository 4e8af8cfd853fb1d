#include "vuln/synthetic_advisories.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "vigil/core/env.h"
#include "vigil/vuln/feeds.h"

namespace vigil::bench {
namespace {

using nlohmann::json;

// The real advisories, as JSON values.
Result<std::vector<json>> LoadCorpus(const std::string& data_dir) {
  std::vector<std::string> files;
  for (const char* sub : {"/vuln/osv-go", "/vuln/osv-pypi-yaml"}) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(data_dir + sub)) {
      std::string ext = e.path().extension().string();
      if (e.is_regular_file() && (ext == ".json" || ext == ".yaml")) files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<json> out;
  for (const std::string& f : files) {
    VIGIL_ASSIGN_OR_RETURN(Bytes data, Env::Default()->ReadFile(f));
    std::string text(AsStringView(data));
    if (f.ends_with(".yaml")) {
      VIGIL_ASSIGN_OR_RETURN(text, vuln::OsvYamlToJson(text, f));
    }
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded()) return InvalidArgumentError(f + ": not JSON");
    for (const char* drop : {"details", "references", "credits"}) doc.erase(drop);
    out.push_back(std::move(doc));
  }
  return out;
}

// The purl of an OSV package, without version.
std::string PurlBase(const std::string& ecosystem, const std::string& name) {
  return (ecosystem == "Go" ? "pkg:golang/" : "pkg:pypi/") + name;
}

// A version inside and one outside the first SEMVER/ECOSYSTEM range of `affected`.
bool PickVersions(const json& affected, const std::string& ecosystem, SyntheticPackage& p) {
  if (!affected.contains("ranges")) return false;
  for (const json& r : affected["ranges"]) {
    if (r.value("type", "") == "GIT") continue;
    std::string introduced, fixed;
    for (const json& e : r["events"]) {
      if (e.contains("introduced") && introduced.empty()) introduced = e["introduced"];
      if (e.contains("fixed") && fixed.empty()) fixed = e["fixed"];
    }
    if (introduced.empty() || fixed.empty()) continue;
    if (introduced == "0") introduced = ecosystem == "Go" ? "0.0.0" : "0";
    std::string v = ecosystem == "Go" ? "v" : "";
    p.vulnerable_version = v + introduced;
    p.other_version = v + fixed;
    return true;
  }
  return false;
}

// The clones and their packages; each clone written into `db` unless it is null (one
// transaction).
Result<std::vector<SyntheticPackage>> Clone(vuln::AdvisoryDb* db, const std::string& data_dir,
                                            size_t count) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<json> corpus, LoadCorpus(data_dir));
  if (corpus.empty()) return NotFoundError(data_dir + ": no advisories found");
  std::vector<SyntheticPackage> packages;
  if (db != nullptr) VIGIL_RETURN_IF_ERROR(db->Begin());
  for (size_t i = 0; i < count; ++i) {
    json doc = corpus[i % corpus.size()];
    std::string suffix = "-s" + std::to_string(i / corpus.size());
    doc["id"] = doc["id"].get<std::string>() + suffix;
    for (json& a : doc["affected"]) {
      if (!a.contains("package")) continue;
      a["package"]["name"] = a["package"]["name"].get<std::string>() + suffix;
      a["package"].erase("purl");
    }
    if (db != nullptr) {
      std::string text = doc.dump();
      VIGIL_ASSIGN_OR_RETURN(vuln::Advisory adv,
                             vuln::ParseOsvJson(text, doc["id"].get<std::string>()));
      VIGIL_ASSIGN_OR_RETURN(vuln::PutOutcome o, db->PutOsv(adv, text));
      (void)o;
    }
    if (doc["affected"].empty() || !doc["affected"][0].contains("package")) continue;
    const json& a = doc["affected"][0];
    std::string eco = a["package"]["ecosystem"];
    SyntheticPackage p;
    p.purl_base = PurlBase(eco, a["package"]["name"]);
    if (PickVersions(a, eco, p)) packages.push_back(std::move(p));
  }
  if (db != nullptr) VIGIL_RETURN_IF_ERROR(db->Commit());
  return packages;
}

}  // namespace

Result<std::vector<SyntheticPackage>> BuildSyntheticAdvisories(vuln::AdvisoryDb& db,
                                                               const std::string& data_dir,
                                                               size_t count) {
  return Clone(&db, data_dir, count);
}

Result<std::vector<SyntheticPackage>> SyntheticPackages(const std::string& data_dir, size_t count) {
  return Clone(nullptr, data_dir, count);
}

sbom::Sbom MakeSyntheticSbom(const std::vector<SyntheticPackage>& packages, size_t components) {
  // One entry per distinct package: the clones of a package with many advisories (Go stdlib,
  // tensorflow) would otherwise be drawn once per advisory and dominate the SBOM.
  std::vector<const SyntheticPackage*> distinct;
  std::unordered_set<std::string> seen;
  for (const SyntheticPackage& p : packages) {
    if (seen.insert(p.purl_base).second) distinct.push_back(&p);
  }
  sbom::Sbom s;
  const size_t n = distinct.size();
  for (size_t j = 0; j < components && n > 0; ++j) {
    // Spread evenly when the SBOM is smaller than the package set, else cycle through it with
    // the other version on each pass.
    const SyntheticPackage& p = *distinct[components <= n ? j * n / components : j % n];
    bool vulnerable = (j + j / n) % 2 == 0;
    std::string purl = p.purl_base + "@" + (vulnerable ? p.vulnerable_version : p.other_version);
    auto parsed = sbom::PackageUrl::Parse(purl);
    if (!parsed) continue;
    sbom::Component c;
    c.ref = "c" + std::to_string(j);
    c.type = "library";
    c.name = parsed->name();
    c.version = parsed->version().value_or("");
    c.purl_text = purl;
    c.purl = std::move(*parsed);
    s.components.push_back(std::move(c));
  }
  return s;
}

}  // namespace vigil::bench
