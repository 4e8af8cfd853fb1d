// MatchSbom: per component, candidate advisories from the database indexes, the OSV and NVD
// rules (osv_match.cc, nvd_match.cc), then severity, KEV and EPSS context (matcher.h).
#include "vigil/vuln/matcher.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <variant>

#include "internal/advisory_codec.h"
#include "internal/cvss_severity.h"
#include "internal/match_rules.h"
#include "vigil/risk/cvss.h"

namespace vigil::vuln {

// What one scan keeps for the next on the same AdvisoryDb object, valid for one ChangeStamp and
// score source: per OSV package and version, the notes its advisories gave and its matches
// (the advisory's context and the rule's verdict), so that a warm scan (`vigil serve`'s
// re-evaluations, a library user scanning release after release) reads no advisory again.
// Bounded; a scan's two workers share it under the mutex. An entry is never changed or removed
// while a scan runs (a scan starts by clearing a stale cache), so a found one is read unlocked.
struct ScanCache {
  struct Entry {
    std::vector<std::string> notes;
    std::vector<std::pair<std::shared_ptr<const Finding>, internal::RuleMatch>> matches;
  };
  // About 40 MiB at most (a match holds its reason and shares its advisory's context).
  static constexpr size_t kMaxEntries = 65536, kMaxMatches = 40000;

  const Entry* Find(const std::string& key) {
    std::lock_guard lock(mu);
    auto it = entries.find(key);
    return it == entries.end() ? nullptr : &it->second;
  }
  void Insert(std::string key, Entry entry) {
    std::lock_guard lock(mu);
    if (entries.size() >= kMaxEntries || matches + entry.matches.size() > kMaxMatches) return;
    const size_t n = entry.matches.size();
    if (entries.emplace(std::move(key), std::move(entry)).second) matches += n;
  }

  std::mutex mu;
  std::pair<int64_t, uint64_t> stamp{-1, 0};
  ScoreSource score_source = ScoreSource::kNvd;
  std::unordered_map<std::string, Entry> entries;
  size_t matches = 0;
};

namespace {

using internal::CpeComponent;
using internal::CveComponent;
using internal::RuleMatch;

// The qualitative rating of a score in its CVSS version (risk::cvss: v2.0 has no critical).
Severity BandOf(double score, std::string_view version) {
  using risk::cvss::Version;
  const Version v = version == "2.0"   ? Version::kV2_0
                    : version == "3.0" ? Version::kV3_0
                    : version == "4.0" ? Version::kV4_0
                                       : Version::kV3_1;
  return internal::SeverityFromCvss(risk::cvss::SeverityOf(v, score));
}

// GHSA / NVD qualitative labels ("MODERATE" is GitHub's medium).
Severity BandOf(std::string_view label) {
  std::string l;
  for (char c : label) l.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (l == "CRITICAL") return Severity::kCritical;
  if (l == "HIGH") return Severity::kHigh;
  if (l == "MODERATE" || l == "MEDIUM") return Severity::kMedium;
  if (l == "LOW") return Severity::kLow;
  if (l == "NONE") return Severity::kNone;
  return Severity::kUnknown;
}

// Per-call caches: an SBOM names the same advisory from many components.
class Context {
 public:
  // `cache`: what scans of this database keep (null: nothing is kept).
  Context(const AdvisoryDb& db, const MatchOptions& options, ScanCache* cache)
      : db_(db), options_(options), cache_(cache) {}

  ScanCache* cache() const { return cache_; }

  // The CVE 5 record of a CVE id, or null; no lookup at all in a database without CVE 5 records
  // (one index probe per scan), so that scans of NVD-only databases pay nothing for them.
  // Whether any record could be a candidate CVE of a component (one probe per scan): an
  // OSV-only database gets no index lookups per component.
  Result<bool> HasCveIndexes() {
    if (!has_cve_indexes_) {
      VIGIL_ASSIGN_OR_RETURN(has_cve_indexes_, db_.HasCveIndexes());
    }
    return *has_cve_indexes_;
  }

  Result<const Advisory*> Cve5(const std::string& cve) {
    if (!has_cve5_) {
      VIGIL_ASSIGN_OR_RETURN(bool any, db_.HasCve5Records());
      has_cve5_ = any;
    }
    if (!*has_cve5_) return nullptr;
    return Get("cve5:" + cve);
  }

  // The stored advisory of an id, or null. Ids the database does not hold are remembered
  // apart, small and longer than the advisories: the aliases of OSV advisories (GHSA and CVE
  // ids, most of them absent without NVD and GHSA imports) repeat across advisories, and each
  // miss was an index seek.
  Result<const Advisory*> Get(const std::string& id) {
    VIGIL_ASSIGN_OR_RETURN(bool may, MayHold(id));
    if (!may || absent_.contains(id)) return nullptr;
    auto it = advisories_.find(id);
    if (it == advisories_.end()) {
      VIGIL_ASSIGN_OR_RETURN(auto adv, db_.Load(id));
      if (!adv) {
        if (absent_.size() >= kMaxAbsent) absent_.clear();
        absent_.insert(id);
        return nullptr;
      }
      it = advisories_.emplace(id, std::move(adv)).first;
    }
    return it->second ? &*it->second : nullptr;
  }

  // Whether the database may hold `id`: not when no stored id is of its kind (the text up to
  // its first '-': "CVE-", "GHSA-", "cve5:CVE-"), asked once per kind and scan. In an OSV-only
  // database every CVE and GHSA alias was a miss, each a seek into the id index (16.8k of them,
  // half the pages the 10k-component scan read).
  Result<bool> MayHold(std::string_view id) {
    const size_t dash = id.find('-');
    if (dash == std::string_view::npos) return true;
    const std::string_view kind = id.substr(0, dash + 1);
    for (const auto& [k, held] : kinds_) {
      if (k == kind) return held;
    }
    if (kinds_.size() >= kMaxKinds) return true;
    VIGIL_ASSIGN_OR_RETURN(bool held, db_.HasIdPrefix(kind));
    kinds_.emplace_back(std::string(kind), held);
    return held;
  }

  // Scratch for the advisory being matched (MatchOsvComponent): all but its affected[], and
  // its affected[] as views into the stored bytes.
  Advisory& scratch() { return scratch_; }
  internal::OsvView& scratch_view() { return scratch_view_; }

  // Notes of the chunk being matched go to `notes` (null: notes are not wanted), each distinct
  // one once per chunk; the caller keeps them distinct over the whole scan.
  void BeginChunk(std::vector<std::string>* notes) {
    notes_ = notes;
    noted_.clear();
  }

  // Each distinct note once: an advisory problem would otherwise repeat for every version.
  void Note(std::string note) {
    if (notes_ != nullptr && noted_.insert(note).second) notes_->push_back(std::move(note));
  }
  void Notes(const std::vector<std::string>& notes) {
    for (const auto& n : notes) Note(n);
  }

  // A finding holding only the advisory's own fields and its severity, KEV and EPSS context;
  // computed once per advisory (each costs database lookups) however many components it
  // matches. Valid until the next Trim().
  Result<std::shared_ptr<const Finding>> Enriched(const Advisory& adv);

  // Called between components: drops the caches once they hold more than kMaxCached
  // advisories, so memory stays bounded however large the SBOM and the database are (an SBOM
  // naming a package many times far apart may load its advisories more than once).
  void Trim() {
    if (advisories_.size() + enriched_.size() <= kMaxCached) return;
    advisories_.clear();
    enriched_.clear();
  }

 private:
  static constexpr size_t kMaxCached = 4096;
  static constexpr size_t kMaxAbsent = 65536;  // ids, a few MiB at most
  static constexpr size_t kMaxKinds = 64;      // kinds of id MayHold remembers

  Status Severity(const Advisory& adv, Finding& f);
  Status Exploitation(const Advisory& adv, Finding& f);

  const AdvisoryDb& db_;
  const MatchOptions& options_;
  ScanCache* cache_;
  std::vector<std::string>* notes_ = nullptr;
  std::unordered_map<std::string, std::optional<Advisory>> advisories_;
  // advisory id → its context fields (shared with the scan cache)
  std::unordered_map<std::string, std::shared_ptr<const Finding>> enriched_;
  std::unordered_set<std::string> noted_;
  std::unordered_set<std::string> absent_;  // ids Load found nothing for
  std::vector<std::pair<std::string, bool>> kinds_;  // id kind → whether the database holds one
  std::optional<bool> has_cve5_, has_kev_, has_epss_, has_cve_indexes_;
  Advisory scratch_;
  internal::OsvView scratch_view_;
};

// The CVE ids an advisory goes by: its own id and its CVE aliases.
std::vector<std::string> CveIds(const Advisory& adv) {
  std::vector<std::string> out;
  if (adv.id.rfind("CVE-", 0) == 0) out.push_back(adv.id);
  for (const std::string& a : adv.aliases) {
    if (a.rfind("CVE-", 0) == 0) out.push_back(a);
  }
  return out;
}

// Where a stated score comes from, in the terms of ScoreSource.
enum class ScoreClass { kNvdPrimary, kCna, kAdvisory };

ScoreClass ClassOf(const Advisory& a, const SeverityScore& s) {
  // A CVE 5 record's metrics are its CNA's (or an ADP's).
  if (a.source == AdvisorySource::kCve5) return ScoreClass::kCna;
  if (a.source != AdvisorySource::kNvd) return ScoreClass::kAdvisory;
  return s.role == "Secondary" ? ScoreClass::kCna : ScoreClass::kNvdPrimary;
}

int Rank(ScoreClass c, ScoreSource policy) {
  static constexpr int kNvdFirst[] = {0, 1, 2}, kCnaFirst[] = {2, 0, 1};
  return (policy == ScoreSource::kNvd ? kNvdFirst : kCnaFirst)[static_cast<int>(c)];
}

// "4.0", "3.1", "3.0", "2.0" (v2 vectors carry no prefix), "" when not recognised.
std::string CvssVersion(const SeverityScore& s) {
  for (std::string_view v : {"4.0", "3.1", "3.0"}) {
    if (s.vector.starts_with("CVSS:" + std::string(v) + "/")) return std::string(v);
  }
  return s.type == "CVSS_V2" || s.vector.starts_with("AV:") ? "2.0" : "";
}

StatedScore Stated(const Advisory& a, const SeverityScore& s) {
  StatedScore out{a.id, "", s.role, CvssVersion(s), s.vector, s.base_score, s.label};
  const ScoreClass c = ClassOf(a, s);
  out.source = c == ScoreClass::kNvdPrimary ? "NVD"
               : c == ScoreClass::kCna      ? (s.source.empty() ? "CNA" : "CNA " + s.source)
                                            : "advisory";
  // OSV states only the vector: it is scored here (v2, v3.x or v4.0; a v4.0 vector's one
  // score). A vector that does not parse leaves the score unknown.
  if (!out.base_score && !out.version.empty()) {
    if (auto scored = risk::cvss::Evaluate(s.vector)) out.base_score = scored->base;
  }
  return out;
}

// Every score of the advisory and of its aliases in the database, then the one ScoreSource's
// rule picks (matcher.h); without any, the advisory's label, else an alias's. The same sources
// give the finding's CWE weaknesses (a CVE 5 record names what NVD only numbers).
Status Context::Severity(const Advisory& adv, Finding& f) {
  std::vector<const Advisory*> sources = {&adv};
  // NVD's record first, then the CVE 5 record's CNA / ADP metrics (NVD's backlog has none),
  // then whatever aliases of it the database holds.
  if (adv.source == AdvisorySource::kNvd) {
    VIGIL_ASSIGN_OR_RETURN(const Advisory* cve5, Cve5(adv.id));
    if (cve5 != nullptr) sources.push_back(cve5);
  }
  for (const std::string& alias : adv.aliases) {
    VIGIL_ASSIGN_OR_RETURN(const Advisory* other, Get(alias));
    if (other != nullptr) sources.push_back(other);
  }
  struct Candidate {
    int rank;
    std::string version;
    size_t index;  // into f.scores: the advisory before its aliases, in stated order
  };
  std::vector<Candidate> candidates;
  for (const Advisory* a : sources) {
    for (const Weakness& w : a->weaknesses) AddWeakness(f.weaknesses, w.id, w.name);
    for (const SeverityScore& s : a->severities) {
      f.scores.push_back(Stated(*a, s));
      candidates.push_back({Rank(ClassOf(*a, s), options_.score_source), f.scores.back().version,
                            f.scores.size() - 1});
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(), [](const auto& x, const auto& y) {
    return x.rank != y.rank ? x.rank < y.rank : x.version > y.version;
  });
  for (const Candidate& c : candidates) {
    const StatedScore& s = f.scores[c.index];
    if (!s.base_score) continue;
    f.cvss_score = s.base_score;
    f.cvss_vector = s.vector;
    f.severity = BandOf(*s.base_score, s.version);
    f.severity_source = s.advisory_id + " (" + s.source + ", CVSS " + s.version + ")";
    return OkStatus();
  }
  if (!adv.severities.empty()) f.cvss_vector = adv.severities.front().vector;
  for (const Advisory* a : sources) {
    f.severity = BandOf(a->severity_label);
    if (f.severity == vuln::Severity::kUnknown) continue;
    f.severity_source = a->id + " (advisory label " + a->severity_label + ")";
    return OkStatus();
  }
  return OkStatus();
}

// A database without KEV entries or EPSS scores gets no lookups of them (one probe each per
// scan).
Status Context::Exploitation(const Advisory& adv, Finding& f) {
  if (!has_kev_) {
    VIGIL_ASSIGN_OR_RETURN(has_kev_, db_.HasKevEntries());
    VIGIL_ASSIGN_OR_RETURN(has_epss_, db_.HasEpssScores());
  }
  if (!*has_kev_ && !*has_epss_) return OkStatus();
  for (const std::string& cve : CveIds(adv)) {
    std::optional<KevEntry> kev;
    if (*has_kev_) {
      VIGIL_ASSIGN_OR_RETURN(kev, db_.Kev(cve));
    }
    if (kev && !f.kev) {
      f.kev = true;
      f.kev_due_date = kev->due_date;
      f.kev_ransomware = kev->ransomware;
    }
    std::optional<EpssScore> epss;
    if (*has_epss_) {
      VIGIL_ASSIGN_OR_RETURN(epss, db_.Epss(cve));
    }
    if (epss && (!f.epss_score || epss->score > *f.epss_score)) {
      f.epss_score = epss->score;
      f.epss_percentile = epss->percentile;
    }
  }
  return OkStatus();
}

Result<std::shared_ptr<const Finding>> Context::Enriched(const Advisory& adv) {
  auto it = enriched_.find(adv.id);
  if (it == enriched_.end()) {
    auto e = std::make_shared<Finding>();
    e->advisory_id = adv.id;
    e->aliases = adv.aliases;
    e->summary = adv.summary;
    VIGIL_RETURN_IF_ERROR(Severity(adv, *e));
    VIGIL_RETURN_IF_ERROR(Exploitation(adv, *e));
    it = enriched_.emplace(adv.id, std::move(e)).first;
  }
  return it->second;
}

// Appends `advisory` (from Context::Enriched) completed with the component and why it matched,
// built in place: a Finding is 664 bytes of strings and vectors, and a temporary's move and
// destruction cost as much as the copy. Room for a few findings is made at the first (growing
// one by one moved them again at each step, and allocated blocks large enough to make glibc
// consolidate its free lists).
Finding& AppendFinding(std::vector<Finding>& out, const Finding& advisory, const sbom::Component& c,
                       const std::string& version, RuleMatch m) {
  if (out.capacity() == 0) out.reserve(4);
  Finding& f = out.emplace_back(advisory);
  f.component_ref = c.ref;
  f.component_name = c.name;
  f.component_version = version;
  f.component_purl = c.purl_text;
  f.component_cpe = c.cpe_text;
  f.component_type = c.type;
  std::sort(m.fixed_versions.begin(), m.fixed_versions.end());
  m.fixed_versions.erase(std::unique(m.fixed_versions.begin(), m.fixed_versions.end()),
                         m.fixed_versions.end());
  f.fixed_versions = std::move(m.fixed_versions);
  f.match_reason = std::move(m.reason);
  f.confidence = m.confidence;
  return f;
}

std::string ComponentLabel(size_t i, const sbom::Component& c) {
  return "components[" + std::to_string(i) + "] (" + c.name + "@" + c.version + ")";
}

// The version to match: the purl's when it has one, else the component's.
std::string ComponentVersion(const sbom::Component& c) {
  if (c.purl && c.purl->version() && !c.purl->version()->empty()) return *c.purl->version();
  return c.version;
}

std::optional<CpeComponent> CpeOf(const sbom::Component& c, size_t index) {
  if (!c.cpe) return std::nullopt;
  const sbom::CpeValue& v = c.cpe->version();
  std::string version =
      v.kind() == sbom::CpeValue::Kind::kValue && !v.has_wildcard() ? v.unescaped() : c.version;
  return CpeComponent{*c.cpe, version, index};
}

// A component's matches as an earlier scan kept them: the same notes, findings made anew.
void Replay(Context& ctx, const ScanCache::Entry& kept, const sbom::Component& c,
            const std::string& version, std::vector<Finding>& out) {
  ctx.Notes(kept.notes);
  for (const auto& [base, m] : kept.matches) AppendFinding(out, *base, c, version, m);
}

Status MatchOsvComponent(Context& ctx, const AdvisoryDb& db, size_t i, const sbom::Component& c,
                         std::vector<Finding>& out) {
  if (!c.purl) return OkStatus();
  auto pkg = internal::OsvPackageForPurl(*c.purl);
  if (!pkg) {
    ctx.Note(ComponentLabel(i, c) + ": purl type '" + c.purl->type() + "' has no OSV ecosystem");
    return OkStatus();
  }
  std::string version = ComponentVersion(c);
  if (version.empty()) {
    ctx.Note(ComponentLabel(i, c) + ": no version; not matched");
    return OkStatus();
  }
  internal::OsvComponent component(std::move(*pkg), std::move(version));
  ScanCache* cache = ctx.cache();
  std::string key;
  if (cache != nullptr) {
    key = component.package().ecosystem + '\0' + component.package().name + '\0' +
          component.version();
    if (const ScanCache::Entry* kept = cache->Find(key)) {
      Replay(ctx, *kept, c, component.version(), out);
      return OkStatus();
    }
  }
  // The package's advisories come in one index range; within a scan they need no cache (an
  // SBOM rarely lists a package twice), only their severity and exploitation context is cached.
  // Each is matched on views of its affected[] into its stored bytes (no copy of PyPI's version
  // lists); its other fields, which only a match reads, are decoded into the previous one's
  // storage.
  ScanCache::Entry entry;
  auto each = [&](std::string_view id, std::string_view compiled) -> Status {
        VIGIL_RETURN_IF_ERROR(
            internal::DecodeStored(compiled, db.path(), id, ctx.scratch(), &ctx.scratch_view()));
        RuleMatch m = internal::MatchOsv(ctx.scratch_view(), component);
        ctx.Notes(m.notes);
        if (cache != nullptr) entry.notes.insert(entry.notes.end(), m.notes.begin(), m.notes.end());
        if (!m.matched) return OkStatus();
        VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const Finding> base, ctx.Enriched(ctx.scratch()));
        if (cache != nullptr) entry.matches.emplace_back(base, m);
        AppendFinding(out, *base, c, component.version(), std::move(m));
        return OkStatus();
  };
  VIGIL_RETURN_IF_ERROR(
      db.VisitPackageAdvisories(component.package().ecosystem, component.package().name, each));
  if (cache != nullptr) cache->Insert(std::move(key), std::move(entry));
  return OkStatus();
}

// The CVE ids to decide for a component: those with a record naming its CPE vendor and product,
// or indexed under one of its names (a CVE 5 product, or a description word of a record without
// versions; a name of several words is looked up by its first, the records decide the rest).
Result<std::set<std::string>> CandidateCves(const AdvisoryDb& db, const CveComponent& c) {
  std::set<std::string> out;
  auto add = [&](const std::vector<std::string>& stored_ids) {
    for (const std::string& k : stored_ids) out.insert(k.rfind("cve5:", 0) == 0 ? k.substr(5) : k);
  };
  if (c.cpe) {
    const sbom::CpeValue& vendor = c.cpe->cpe.vendor();
    const sbom::CpeValue& product = c.cpe->cpe.product();
    if (vendor.kind() == sbom::CpeValue::Kind::kValue &&
        product.kind() == sbom::CpeValue::Kind::kValue) {
      VIGIL_ASSIGN_OR_RETURN(auto ids, db.AdvisoriesForCpeProduct(vendor.bound(), product.bound()));
      add(ids);
    }
  }
  for (const std::string& name : c.names.products) {
    VIGIL_ASSIGN_OR_RETURN(auto ids, db.AdvisoriesForProductName(name));
    add(ids);
    if (size_t space = name.find(' '); space != std::string::npos) {
      VIGIL_ASSIGN_OR_RETURN(auto first, db.AdvisoriesForProductName(name.substr(0, space)));
      add(first);
    }
  }
  return out;
}

// The version a CVE 5 product is evaluated at: the SBOM's, else the purl's, else the CPE's.
std::string ReleaseOf(const sbom::Component& c, const std::optional<CpeComponent>& cpe) {
  if (!c.version.empty()) return c.version;
  std::string purl = ComponentVersion(c);
  if (!purl.empty()) return purl;
  return cpe ? cpe->version : std::string();
}

// The component's CVEs, each decided from its NVD and CVE 5 records together (MatchCve).
Status MatchCveComponent(Context& ctx, const AdvisoryDb& db, size_t i, const sbom::Component& c,
                         const std::vector<CpeComponent>& platform, std::vector<Finding>& out) {
  VIGIL_ASSIGN_OR_RETURN(bool indexed, ctx.HasCveIndexes());
  if (!indexed) return OkStatus();
  CveComponent component{CpeOf(c, i), internal::NamesOf(c), ""};
  component.version = ReleaseOf(c, component.cpe);
  VIGIL_ASSIGN_OR_RETURN(auto cves, CandidateCves(db, component));
  for (const std::string& id : cves) {
    VIGIL_ASSIGN_OR_RETURN(const Advisory* nvd, ctx.Get(id));
    if (nvd != nullptr && nvd->source != AdvisorySource::kNvd) nvd = nullptr;
    VIGIL_ASSIGN_OR_RETURN(const Advisory* cve5, ctx.Cve5(id));
    if (nvd == nullptr && cve5 == nullptr) continue;
    RuleMatch m = internal::MatchCve(nvd, cve5, component, platform);
    ctx.Notes(m.notes);
    if (!m.matched && !m.unassessed) continue;
    const bool unassessed = m.unassessed;
    VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const Finding> base,
                           ctx.Enriched(nvd != nullptr ? *nvd : *cve5));
    const std::string version = m.reason.rfind("NVD ", 0) == 0 && component.cpe
                                    ? component.cpe->version
                                    : component.version;
    AppendFinding(out, *base, c, version, std::move(m)).unassessed = unassessed;
  }
  return OkStatus();
}

// One finding per vulnerability: an NVD finding whose CVE an OSV finding of the same component
// aliases is folded into that OSV finding's reason.
void FoldNvdIntoOsv(std::vector<Finding>& osv, std::vector<Finding>& nvd) {
  for (Finding& n : nvd) {
    auto it = std::find_if(osv.begin(), osv.end(), [&](const Finding& o) {
      return std::find(o.aliases.begin(), o.aliases.end(), n.advisory_id) != o.aliases.end();
    });
    if (it == osv.end()) {
      osv.push_back(std::move(n));
      continue;
    }
    if (n.unassessed) continue;  // the OSV advisory assessed it
    it->match_reason += "; also " + n.match_reason;
  }
}

// The findings of one component, VEX-free, ordered by advisory id.
Status MatchComponent(Context& ctx, const AdvisoryDb& db, size_t i, const sbom::Sbom& sbom,
                      const std::vector<CpeComponent>& all_cpes, const MatchOptions& options,
                      std::vector<Finding>& out) {
  const sbom::Component& c = sbom.components[i];
  if (!c.purl && !c.cpe) {
    ctx.Note(ComponentLabel(i, c) + ": no valid purl or CPE; not matched");
    return OkStatus();
  }
  std::vector<Finding> osv, nvd;
  VIGIL_RETURN_IF_ERROR(MatchOsvComponent(ctx, db, i, c, osv));
  VIGIL_RETURN_IF_ERROR(MatchCveComponent(ctx, db, i, c, all_cpes, nvd));
  FoldNvdIntoOsv(osv, nvd);
  // Findings are large: they are moved only when they must be (the OSV ones come in id order,
  // and the caller's batch is usually empty and takes them whole).
  auto by_id = [](const Finding& a, const Finding& b) { return a.advisory_id < b.advisory_id; };
  if (!std::is_sorted(osv.begin(), osv.end(), by_id)) std::sort(osv.begin(), osv.end(), by_id);
  if (out.empty() && options.include_low_confidence) {
    out = std::move(osv);
    return OkStatus();
  }
  for (Finding& f : osv) {
    // Unassessed records are not findings of low confidence: a person must triage them.
    if (f.confidence == Confidence::kLow && !f.unassessed && !options.include_low_confidence)
      continue;
    out.push_back(std::move(f));
  }
  return OkStatus();
}

// Components are matched in chunks; with two workers, the calling thread and a second thread
// (own connection, same snapshot) each take the next chunk nobody has taken, and the caller
// hands finished chunks to the sink in SBOM order. The caller also runs the sink (writing the
// report): when the next chunk in order is not finished it matches the next free chunk itself
// rather than wait for the second thread, so neither thread idles while chunks remain (when it
// waited, the 10k-component scan ran 0.46 G instructions on the caller's thread, SBOM reading
// included, against 0.90 G on the second).
constexpr size_t kChunk = 128;
// Below this many components a second connection costs more than it saves.
constexpr size_t kParallelMinComponents = 1024;
// How many chunks past the next one to deliver may be taken (bounds the memory of finished
// chunks waiting for their turn).
constexpr size_t kWindow = 8;

struct Chunk {
  std::vector<std::vector<Finding>> batches;  // one per component with findings, in order
  std::vector<std::string> notes;
};

std::vector<CpeComponent> AllCpes(const sbom::Sbom& sbom) {
  std::vector<CpeComponent> all;
  for (size_t i = 0; i < sbom.components.size(); ++i) {
    if (auto cpe = CpeOf(sbom.components[i], i)) all.push_back(std::move(*cpe));
  }
  return all;
}

Result<Chunk> MatchChunk(Context& ctx, const AdvisoryDb& db, const sbom::Sbom& sbom, size_t index,
                         const std::vector<CpeComponent>& all_cpes, const MatchOptions& options) {
  Chunk out;
  ctx.BeginChunk(options.notes != nullptr ? &out.notes : nullptr);
  const size_t end = std::min(sbom.components.size(), (index + 1) * kChunk);
  for (size_t i = index * kChunk; i < end; ++i) {
    ctx.Trim();
    std::vector<Finding> batch;
    VIGIL_RETURN_IF_ERROR(MatchComponent(ctx, db, i, sbom, all_cpes, options, batch));
    if (!batch.empty()) out.batches.push_back(std::move(batch));
  }
  return out;
}

// Hands chunks to the sink in order, and their notes to MatchOptions::notes, each distinct note
// once over the whole scan (in the order a single thread would have found them).
class Delivery {
 public:
  Delivery(const FindingSink& sink, const MatchOptions& options) : sink_(sink), options_(options) {}
  Status Deliver(Chunk& chunk) {
    if (options_.notes != nullptr) {
      for (std::string& n : chunk.notes) {
        if (noted_.insert(n).second) options_.notes->push_back(std::move(n));
      }
    }
    for (std::vector<Finding>& batch : chunk.batches) VIGIL_RETURN_IF_ERROR(sink_(batch));
    return OkStatus();
  }

 private:
  const FindingSink& sink_;
  const MatchOptions& options_;
  std::unordered_set<std::string> noted_;
};

// Which chunk each worker matches next, and the finished ones waiting to be delivered in order.
// Thread-safe.
class Schedule {
 public:
  explicit Schedule(size_t chunks) : chunks_(chunks) {}

  // The second worker's next chunk, waiting while kWindow chunks past the next to deliver are
  // taken; nullopt once every chunk is taken or after Stop.
  std::optional<size_t> TakeForWorker() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return stop_ || next_ >= chunks_ || next_ < delivered_ + kWindow; });
    if (stop_ || next_ >= chunks_) return std::nullopt;
    return next_++;
  }

  // Stores a chunk someone matched.
  void Finish(size_t index, Result<Chunk> chunk) {
    {
      std::lock_guard lock(mu_);
      done_.emplace(index, std::move(chunk));
    }
    changed_.notify_all();
  }

  // For the caller, whose next chunk to deliver is `index`: that chunk once finished, else the
  // index of a chunk for the caller to match (then Finish it and ask again); waits only when
  // neither is there (the second worker is matching `index`).
  std::variant<Result<Chunk>, size_t> Next(size_t index) {
    std::unique_lock lock(mu_);
    for (;;) {
      if (auto node = done_.extract(index)) {
        delivered_ = index + 1;
        lock.unlock();
        changed_.notify_all();
        return std::move(node.mapped());
      }
      if (next_ < chunks_ && next_ < index + kWindow) return next_++;
      changed_.wait(lock);
    }
  }

  void Stop() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    changed_.notify_all();
  }

 private:
  const size_t chunks_;
  std::mutex mu_;
  std::condition_variable changed_;
  size_t next_ = 0;                       // the first chunk nobody has taken
  size_t delivered_ = 0;                  // the first chunk the caller has not delivered
  std::map<size_t, Result<Chunk>> done_;  // finished, not yet delivered
  bool stop_ = false;
};

// The second worker: on its own thread and database connection, matches the chunks the
// schedule gives it.
class SecondWorker {
 public:
  // Nullptr when a second connection cannot be had or does not see the caller's snapshot (an
  // import committed in between): the caller then matches alone.
  static std::unique_ptr<SecondWorker> Start(const sbom::Sbom& sbom, const AdvisoryDb& db,
                                             const std::vector<CpeComponent>& all_cpes,
                                             const MatchOptions& options, ScanCache* cache,
                                             Schedule& schedule) {
    auto generation = db.Generation();
    if (!generation) return nullptr;
    auto own = AdvisoryDb::Open(db.env(), db.path(), OpenMode::kReadOnly);
    if (!own || !own->BeginRead()) return nullptr;
    auto own_generation = own->Generation();
    if (!own_generation || *own_generation != *generation) return nullptr;
    return std::unique_ptr<SecondWorker>(
        new SecondWorker(sbom, std::move(*own), all_cpes, options, cache, schedule));
  }

  ~SecondWorker() {
    schedule_.Stop();
    thread_.join();
    (void)db_.EndRead();
  }
  SecondWorker(const SecondWorker&) = delete;
  SecondWorker& operator=(const SecondWorker&) = delete;

 private:
  SecondWorker(const sbom::Sbom& sbom, AdvisoryDb db, const std::vector<CpeComponent>& all_cpes,
               const MatchOptions& options, ScanCache* cache, Schedule& schedule)
      : sbom_(sbom),
        db_(std::move(db)),
        all_cpes_(all_cpes),
        options_(options),
        cache_(cache),
        schedule_(schedule),
        thread_([this] { Run(); }) {}

  // Stops at its first failure: the caller delivers the chunks before it, then reports it.
  void Run() {
    Context ctx(db_, options_, cache_);
    while (std::optional<size_t> index = schedule_.TakeForWorker()) {
      Result<Chunk> c = MatchChunk(ctx, db_, sbom_, *index, all_cpes_, options_);
      const bool failed = !c.has_value();
      schedule_.Finish(*index, std::move(c));
      if (failed) return;
    }
  }

  const sbom::Sbom& sbom_;
  AdvisoryDb db_;
  const std::vector<CpeComponent>& all_cpes_;
  const MatchOptions& options_;
  ScanCache* cache_;  // the caller's database's (same snapshot)
  Schedule& schedule_;
  std::thread thread_;  // last: starts once the members above exist
};

// `parallel`: the caller's read snapshot is its own (not a write transaction another
// connection cannot see), so a second worker may read beside it. `cache`: null, or what scans
// of this snapshot keep.
Status MatchEach(const sbom::Sbom& sbom, const AdvisoryDb& db, const FindingSink& sink,
                 const MatchOptions& options, bool parallel, ScanCache* cache) {
  const std::vector<CpeComponent> all_cpes = AllCpes(sbom);
  const size_t chunks = (sbom.components.size() + kChunk - 1) / kChunk;
  Schedule schedule(chunks);
  std::unique_ptr<SecondWorker> second;
  if (parallel && options.threads >= 2 && sbom.components.size() >= kParallelMinComponents) {
    second = SecondWorker::Start(sbom, db, all_cpes, options, cache, schedule);
  }
  Context ctx(db, options, cache);
  Delivery delivery(sink, options);
  for (size_t index = 0; index < chunks;) {
    auto next = schedule.Next(index);
    if (const size_t* mine = std::get_if<size_t>(&next)) {
      schedule.Finish(*mine, MatchChunk(ctx, db, sbom, *mine, all_cpes, options));
      continue;
    }
    Result<Chunk>& c = std::get<Result<Chunk>>(next);
    if (!c) return c.error();
    VIGIL_RETURN_IF_ERROR(delivery.Deliver(*c));
    ++index;
  }
  return OkStatus();
}

// The database object's scan cache for this snapshot: emptied when what it kept is from another
// state of the database or another score source; null for the object's first scan (a process
// that scans once, as `vigil scan`, would only pay for keeping: +3 % instructions and +34 MiB
// on the 10k-component scan) and when the state cannot be read.
ScanCache* CacheFor(const AdvisoryDb& db, const MatchOptions& options) {
  std::shared_ptr<ScanCache>& cache = db.scan_cache();
  if (cache == nullptr) {
    cache = std::make_shared<ScanCache>();
    return nullptr;
  }
  auto stamp = db.ChangeStamp();
  if (!stamp) return nullptr;
  std::lock_guard lock(cache->mu);
  if (cache->stamp != *stamp || cache->score_source != options.score_source) {
    cache->entries.clear();
    cache->matches = 0;
    cache->stamp = *stamp;
    cache->score_source = options.score_source;
  }
  return cache.get();
}

}  // namespace

Status MatchSbomStreaming(const sbom::Sbom& sbom, const AdvisoryDb& db, const FindingSink& sink,
                          const MatchOptions& options) {
  // One read snapshot for the whole scan; a caller already inside a transaction (an import
  // that matches as it goes) keeps its own.
  // Only a snapshot of committed data may be kept for the next scan.
  const bool snapshot = db.BeginRead().has_value();
  ScanCache* cache = snapshot ? CacheFor(db, options) : nullptr;
  Status matched = MatchEach(sbom, db, sink, options, /*parallel=*/snapshot, cache);
  if (snapshot) {
    Status s = db.EndRead();
    if (!s && matched) return s;
  }
  return matched;
}

namespace {

// Why nothing in the database can match `c`, or "" when something can.
std::string UncoveredReason(const sbom::Component& c, const DbContents& contents) {
  std::vector<std::string> why;
  if (c.purl) {
    auto pkg = internal::OsvPackageForPurl(*c.purl);
    const std::string eco = pkg ? pkg->ecosystem.substr(0, pkg->ecosystem.find(':')) : "";
    if (pkg && std::binary_search(contents.ecosystems.begin(), contents.ecosystems.end(), eco)) {
      return "";
    }
    why.push_back(pkg ? "no " + eco + " advisories in the database"
                      : "purl type '" + c.purl->type() + "' has no OSV ecosystem");
  } else {
    why.push_back("no purl");
  }
  if (c.cpe && contents.has_cpe_products) return "";
  why.push_back(c.cpe ? "no NVD CPE records in the database" : "no CPE");
  return why[0] + "; " + why[1];
}

}  // namespace

std::vector<UncoveredComponent> UncoveredComponents(const sbom::Sbom& sbom,
                                                    const DbContents& contents) {
  std::vector<UncoveredComponent> out;
  for (const sbom::Component& c : sbom.components) {
    std::string reason = UncoveredReason(c, contents);
    if (reason.empty()) continue;
    out.push_back({c.ref, c.name, c.version, c.purl_text, std::move(reason)});
  }
  return out;
}

Result<std::vector<Finding>> MatchSbom(const sbom::Sbom& sbom, const AdvisoryDb& db,
                                       const MatchOptions& options) {
  std::vector<Finding> findings;
  VIGIL_RETURN_IF_ERROR(MatchSbomStreaming(
      sbom, db,
      [&](std::vector<Finding>& batch) {
        for (Finding& f : batch) findings.push_back(std::move(f));
        return OkStatus();
      },
      options));
  return findings;
}

}  // namespace vigil::vuln
