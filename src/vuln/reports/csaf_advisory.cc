// The advisory model's pieces the writer builds on: product ids, CSAF's names and file name,
// re-issue, and the input check: what CSAF's mandatory tests refuse, caught on the description
// so the message names the caller's field rather than a JSON path of the output.
#include "vigil/vuln/csaf_advisory.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <set>

#include "internal/csaf_advisory_parts.h"
#include "internal/report_parts.h"
#include "vigil/core/encoding.h"
#include "vigil/risk/cvss.h"
#include "vigil/sbom/cpe.h"
#include "vigil/sbom/purl.h"
#include "vigil/vuln/weakness.h"

namespace vigil::vuln::csaf::internal {
namespace {

using Releases = std::set<std::string, std::less<>>;

// `text` lowercased, each run of characters `keep` refuses made one '_'.
std::string Squash(std::string_view text, bool (*keep)(unsigned char)) {
  std::string out;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(c)));
    if (keep(u)) {
      out += static_cast<char>(u);
    } else if (out.empty() || out.back() != '_') {
      out += '_';
    }
  }
  return out;
}

// CSAF 2.0 section 5.1: [+\-a-z0-9], in ASCII (isalnum would follow the locale).
bool IsFileNameChar(unsigned char u) {
  return (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '+' || u == '-';
}
bool IsIdChar(unsigned char u) { return IsFileNameChar(u) || u == '.'; }

Error Bad(std::string_view field, std::string_view problem) {
  return InvalidArgumentError(std::string(field) + ": " + std::string(problem));
}

std::string Quoted(std::string_view text) { return "\"" + OneLine(text) + "\""; }

std::string Indexed(std::string_view field, size_t i) {
  return std::string(field) + "[" + std::to_string(i) + "]";
}

bool Digits(std::string_view s) {
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return !s.empty();
}

// "YYYY-MM-DD" with digits where the pattern has them.
bool IsDay(std::string_view s) {
  return s.size() == 10 && Digits(s.substr(0, 4)) && s[4] == '-' && Digits(s.substr(5, 2)) &&
         s[7] == '-' && Digits(s.substr(8, 2));
}

// One fixed form, "YYYY-MM-DDTHH:MM:SSZ", so that dates compare correctly as text: the
// revision history's order is checked that way.
bool IsUtcDateTime(std::string_view s) {
  return s.size() == 20 && IsDay(s.substr(0, 10)) && s[10] == 'T' && Digits(s.substr(11, 2)) &&
         s[13] == ':' && Digits(s.substr(14, 2)) && s[16] == ':' && Digits(s.substr(17, 2)) &&
         s[19] == 'Z';
}

Status CheckDate(std::string_view field, std::string_view date, bool required) {
  if (date.empty() && !required) return OkStatus();
  if (IsUtcDateTime(date)) return OkStatus();
  return Bad(field,
             "expected an RFC 3339 UTC date like \"2026-12-03T12:00:00Z\", got " + Quoted(date));
}

Status CheckText(std::string_view field, std::string_view text) {
  if (text.empty()) return Bad(field, "required, got an empty string");
  if (std::isspace(static_cast<unsigned char>(text.front())) ||
      std::isspace(static_cast<unsigned char>(text.back()))) {
    return Bad(field, "must not begin or end with white space, got " + Quoted(text));
  }
  return OkStatus();
}

Status CheckUrl(std::string_view field, std::string_view url) {
  if (url.starts_with("https://") || url.starts_with("http://")) return OkStatus();
  return Bad(field, "expected an http(s) URL, got " + Quoted(url));
}

// BCP 47 in the shape CSAF's schema asks for: letters, then '-'-separated alphanumeric
// subtags ("en", "de-AT", "zh-Hant-TW").
Status CheckLanguage(std::string_view lang) {
  size_t letters = 0;
  while (letters < lang.size() && std::isalpha(static_cast<unsigned char>(lang[letters]))) {
    ++letters;
  }
  bool ok = letters >= 2 && letters <= 8 && (letters == lang.size() || lang[letters] == '-');
  for (size_t i = letters; ok && i < lang.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(lang[i]);
    ok = std::isalnum(c) || (c == '-' && i + 1 < lang.size() && lang[i + 1] != '-');
  }
  if (ok) return OkStatus();
  return Bad("lang", "expected a BCP 47 language tag like \"en\", got " + Quoted(lang));
}

Status CheckPublisher(const Publisher& p) {
  VIGIL_RETURN_IF_ERROR(CheckText("publisher.name", p.name));
  return CheckUrl("publisher.namespace_url", p.namespace_url);
}

Status CheckRevision(const Revision& r, size_t i, const Revision* previous) {
  const std::string field = Indexed("tracking.revision_history", i);
  VIGIL_RETURN_IF_ERROR(CheckDate(field + ".date", r.date, true));
  VIGIL_RETURN_IF_ERROR(CheckText(field + ".summary", r.summary));
  if (r.number != static_cast<int>(i) + 1) {
    return Bad(field + ".number", "expected " + std::to_string(i + 1) +
                                      " (revisions are numbered 1, 2, 3, … without gaps), got " +
                                      std::to_string(r.number));
  }
  if (previous != nullptr && r.date < previous->date) {
    return Bad(field + ".date", r.date + " is before the previous revision's " + previous->date);
  }
  return OkStatus();
}

Status CheckTracking(const Tracking& t) {
  VIGIL_RETURN_IF_ERROR(CheckText("tracking.id", t.id));
  if (t.revision_history.empty()) return Bad("tracking.revision_history", "at least one revision");
  for (size_t i = 0; i < t.revision_history.size(); ++i) {
    const Revision* previous = i == 0 ? nullptr : &t.revision_history[i - 1];
    VIGIL_RETURN_IF_ERROR(CheckRevision(t.revision_history[i], i, previous));
  }
  const Revision& first = t.revision_history.front();
  const Revision& last = t.revision_history.back();
  if (t.version != last.number) {
    return Bad("tracking.version", "expected " + std::to_string(last.number) +
                                       ", the last revision's number, got " +
                                       std::to_string(t.version));
  }
  if (t.current_release_date != last.date) {
    return Bad("tracking.current_release_date", "expected " + last.date +
                                                    ", the last revision's date, got " +
                                                    Quoted(t.current_release_date));
  }
  if (t.initial_release_date != first.date) {
    return Bad("tracking.initial_release_date", "expected " + first.date +
                                                    ", the first revision's date, got " +
                                                    Quoted(t.initial_release_date));
  }
  return OkStatus();
}

// Mandatory test 6.1.31's reading of a version range: a comparison sign, or one of its range
// words standing alone ("1.0 and later", "all versions").
bool LooksLikeRange(std::string_view version) {
  if (version.find_first_of("<>") != std::string_view::npos) return true;
  static constexpr std::string_view kWords[] = {"after", "all",   "before",  "earlier",
                                                "later", "prior", "versions"};
  std::string word;
  for (size_t i = 0; i <= version.size(); ++i) {
    if (i < version.size() && !std::isspace(static_cast<unsigned char>(version[i]))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(version[i])));
      continue;
    }
    if (std::find(std::begin(kWords), std::end(kWords), word) != std::end(kWords)) return true;
    word.clear();
  }
  return false;
}

Status CheckRelease(const Release& r, const std::string& field) {
  VIGIL_RETURN_IF_ERROR(CheckText(field + ".version", r.version));
  if (LooksLikeRange(r.version)) {
    return Bad(field + ".version", "expected one version, got a range " + Quoted(r.version));
  }
  if (!r.purl.empty()) {
    if (auto purl = sbom::PackageUrl::Parse(r.purl); !purl) {
      return Bad(field + ".purl", purl.error().message());
    }
  }
  if (!r.cpe.empty()) {
    if (auto cpe = sbom::Cpe::Parse(r.cpe); !cpe) return Bad(field + ".cpe", cpe.error().message());
  }
  return OkStatus();
}

Status CheckProduct(const Product& p) {
  VIGIL_RETURN_IF_ERROR(CheckText("product.vendor", p.vendor));
  VIGIL_RETURN_IF_ERROR(CheckText("product.name", p.name));
  if (p.releases.empty()) return Bad("product.releases", "at least one release");
  std::map<std::string, std::string> version_of_id;
  for (size_t i = 0; i < p.releases.size(); ++i) {
    const std::string field = Indexed("product.releases", i);
    VIGIL_RETURN_IF_ERROR(CheckRelease(p.releases[i], field));
    const std::string& version = p.releases[i].version;
    auto [it, added] = version_of_id.emplace(ReleaseProductId(p, version), version);
    if (!added) {
      return Bad(field + ".version",
                 Quoted(version) + " gives the same product id as release " + Quoted(it->second));
    }
  }
  return OkStatus();
}

Status CheckKnownRelease(std::string_view field, std::string_view release, const Releases& releases,
                         const Product& product) {
  if (releases.contains(release)) return OkStatus();
  std::string known;
  for (const Release& r : product.releases) known += (known.empty() ? "" : ", ") + r.version;
  return Bad(field, Quoted(release) + " is not a release of " + product.name + " (" + known + ")");
}

Status CheckReleaseList(const std::string& field, const std::vector<std::string>& list,
                        bool required, const Releases& releases, const Product& product) {
  if (required && list.empty()) return Bad(field, "name at least one release");
  for (size_t i = 0; i < list.size(); ++i) {
    VIGIL_RETURN_IF_ERROR(CheckKnownRelease(Indexed(field, i), list[i], releases, product));
  }
  return OkStatus();
}

// Known releases, statuses that do not contradict (6.1.6), justifications where CSAF has flags.
Status CheckStatuses(const std::string& field, const std::vector<ReleaseStatus>& statuses,
                     const Releases& releases, const Product& product) {
  if (statuses.empty()) return Bad(field, "at least one release's status");
  std::map<std::string, StatusGroup, std::less<>> group_of;
  for (size_t i = 0; i < statuses.size(); ++i) {
    const ReleaseStatus& s = statuses[i];
    const std::string entry = Indexed(field, i);
    VIGIL_RETURN_IF_ERROR(CheckKnownRelease(entry + ".release", s.release, releases, product));
    if (s.justification && s.status != ProductStatus::kKnownNotAffected) {
      return Bad(entry + ".justification", "only a known_not_affected release has one");
    }
    StatusGroup group = GroupOf(s.status);
    if (group == StatusGroup::kRecommended) continue;
    auto [it, added] = group_of.emplace(s.release, group);
    if (!added) {
      return Bad(entry + ".status",
                 "release " + Quoted(s.release) + " already has a status" +
                     (it->second == group ? " of the same kind" : " that contradicts this one"));
    }
  }
  return OkStatus();
}

// 'v2', 'v3' or 'v4': CSAF scores one vector of each per product (test 6.1.7).
char CvssSlot(risk::cvss::Version v) {
  switch (v) {
    case risk::cvss::Version::kV2_0:
      return '2';
    case risk::cvss::Version::kV3_0:
    case risk::cvss::Version::kV3_1:
      return '3';
    case risk::cvss::Version::kV4_0:
      break;
  }
  return '4';
}

Status CheckVectors(const std::string& field, const std::vector<std::string>& vectors) {
  std::set<char> slots;
  for (size_t i = 0; i < vectors.size(); ++i) {
    auto scores = risk::cvss::Evaluate(vectors[i]);
    if (!scores) return Bad(Indexed(field, i), scores.error().message());
    if (!slots.insert(CvssSlot(scores->version)).second) {
      return Bad(Indexed(field, i),
                 std::string("a second CVSS v") + CvssSlot(scores->version) + " vector");
    }
  }
  return OkStatus();
}

Status CheckIds(const std::string& field, const Vulnerability& v) {
  if (!v.cve.empty() && !vuln::internal::IsCveId(v.cve)) {
    return Bad(field + ".cve", "expected CVE-YYYY-NNNN…, got " + Quoted(v.cve));
  }
  for (size_t i = 0; i < v.ids.size(); ++i) {
    const std::string id = Indexed(field + ".ids", i);
    VIGIL_RETURN_IF_ERROR(CheckText(id + ".system_name", v.ids[i].system_name));
    VIGIL_RETURN_IF_ERROR(CheckText(id + ".text", v.ids[i].text));
    if (vuln::internal::IsCveId(v.ids[i].text)) {
      return Bad(id + ".text", "a CVE id belongs in cve, not ids");
    }
  }
  if (!v.cwe) return OkStatus();
  if (!IsCweId(v.cwe->id)) {
    return Bad(field + ".cwe.id", "expected CWE-N, got " + Quoted(v.cwe->id));
  }
  return CheckText(field + ".cwe.name", v.cwe->name);
}

// CSAF requires url and summary of a reference, and something in an acknowledgment.
Status CheckCredits(const std::string& prefix, const std::vector<Reference>& references,
                    const std::vector<Acknowledgment>& acknowledgments) {
  for (size_t i = 0; i < references.size(); ++i) {
    const std::string entry = Indexed(prefix + "references", i);
    VIGIL_RETURN_IF_ERROR(CheckUrl(entry + ".url", references[i].url));
    VIGIL_RETURN_IF_ERROR(CheckText(entry + ".summary", references[i].summary));
  }
  for (size_t i = 0; i < acknowledgments.size(); ++i) {
    const Acknowledgment& a = acknowledgments[i];
    if (a.names.empty() && a.organization.empty() && a.summary.empty() && a.urls.empty()) {
      return Bad(Indexed(prefix + "acknowledgments", i), "names, organization, summary or urls");
    }
  }
  return OkStatus();
}

Status CheckKev(const std::string& field, const KevListing& kev) {
  if (!IsDay(kev.date_added)) {
    return Bad(field + ".date_added", "expected YYYY-MM-DD, got " + Quoted(kev.date_added));
  }
  if (!kev.due_date.empty() && !IsDay(kev.due_date)) {
    return Bad(field + ".due_date", "expected YYYY-MM-DD, got " + Quoted(kev.due_date));
  }
  return OkStatus();
}

Status CheckActions(const std::string& field, const Vulnerability& v, const Releases& releases,
                    const Product& product) {
  for (size_t i = 0; i < v.remediations.size(); ++i) {
    const Remediation& r = v.remediations[i];
    const std::string entry = Indexed(field + ".remediations", i);
    VIGIL_RETURN_IF_ERROR(CheckText(entry + ".details", r.details));
    VIGIL_RETURN_IF_ERROR(CheckDate(entry + ".date", r.date, false));
    if (!r.url.empty()) VIGIL_RETURN_IF_ERROR(CheckUrl(entry + ".url", r.url));
    VIGIL_RETURN_IF_ERROR(
        CheckReleaseList(entry + ".releases", r.releases, true, releases, product));
  }
  for (size_t i = 0; i < v.threats.size(); ++i) {
    const Threat& t = v.threats[i];
    const std::string entry = Indexed(field + ".threats", i);
    VIGIL_RETURN_IF_ERROR(CheckText(entry + ".details", t.details));
    VIGIL_RETURN_IF_ERROR(CheckDate(entry + ".date", t.date, false));
    VIGIL_RETURN_IF_ERROR(
        CheckReleaseList(entry + ".releases", t.releases, false, releases, product));
  }
  if (v.kev) VIGIL_RETURN_IF_ERROR(CheckKev(field + ".kev", *v.kev));
  return OkStatus();
}

Status CheckVulnerability(const std::string& field, const Vulnerability& v,
                          const Releases& releases, const Product& product) {
  VIGIL_RETURN_IF_ERROR(CheckIds(field, v));
  VIGIL_RETURN_IF_ERROR(CheckText(field + ".description", v.description));
  VIGIL_RETURN_IF_ERROR(CheckDate(field + ".discovery_date", v.discovery_date, false));
  VIGIL_RETURN_IF_ERROR(CheckDate(field + ".release_date", v.release_date, false));
  VIGIL_RETURN_IF_ERROR(CheckVectors(field + ".cvss_vectors", v.cvss_vectors));
  VIGIL_RETURN_IF_ERROR(
      CheckStatuses(field + ".product_status", v.product_status, releases, product));
  VIGIL_RETURN_IF_ERROR(CheckCredits(field + ".", v.references, v.acknowledgments));
  return CheckActions(field, v, releases, product);
}

Status CheckVulnerabilities(const Advisory& a) {
  if (a.vulnerabilities.empty()) return Bad("vulnerabilities", "at least one vulnerability");
  Releases releases;
  for (const Release& r : a.product.releases) releases.insert(r.version);
  std::set<std::string> cves;  // test 6.1.23: one vulnerability per CVE
  for (size_t i = 0; i < a.vulnerabilities.size(); ++i) {
    const Vulnerability& v = a.vulnerabilities[i];
    const std::string field = Indexed("vulnerabilities", i);
    VIGIL_RETURN_IF_ERROR(CheckVulnerability(field, v, releases, a.product));
    if (!v.cve.empty() && !cves.insert(v.cve).second) {
      return Bad(field + ".cve", v.cve + " is already an earlier vulnerability");
    }
  }
  return OkStatus();
}

Status CheckCanonicalUrl(const Advisory& a) {
  if (a.canonical_url.empty()) return OkStatus();
  const std::string file = CsafFileName(a.tracking.id);
  if (a.canonical_url.starts_with("https://") && a.canonical_url.ends_with("/" + file)) {
    return OkStatus();
  }
  return Bad("canonical_url",
             "expected an https URL ending in /" + file + ", got " + Quoted(a.canonical_url));
}

}  // namespace

StatusGroup GroupOf(ProductStatus s) {
  switch (s) {
    case ProductStatus::kFirstAffected:
    case ProductStatus::kKnownAffected:
    case ProductStatus::kLastAffected:
      return StatusGroup::kAffected;
    case ProductStatus::kKnownNotAffected:
      return StatusGroup::kNotAffected;
    case ProductStatus::kFirstFixed:
    case ProductStatus::kFixed:
      return StatusGroup::kFixed;
    case ProductStatus::kRecommended:
      return StatusGroup::kRecommended;
    case ProductStatus::kUnderInvestigation:
      break;
  }
  return StatusGroup::kUnderInvestigation;
}

std::string ReleaseProductId(const Product& product, std::string_view version) {
  return Squash(product.name, IsIdChar) + "-" + Squash(version, IsIdChar);
}

Status CheckAdvisory(const Advisory& a) {
  VIGIL_RETURN_IF_ERROR(CheckPublisher(a.publisher));
  VIGIL_RETURN_IF_ERROR(CheckTracking(a.tracking));
  VIGIL_RETURN_IF_ERROR(CheckText("title", a.title));
  VIGIL_RETURN_IF_ERROR(CheckLanguage(a.lang));
  VIGIL_RETURN_IF_ERROR(CheckCanonicalUrl(a));
  VIGIL_RETURN_IF_ERROR(CheckCredits("", a.references, a.acknowledgments));
  VIGIL_RETURN_IF_ERROR(CheckProduct(a.product));
  return CheckVulnerabilities(a);
}

}  // namespace vigil::vuln::csaf::internal

namespace vigil::vuln::csaf {

std::string_view JustificationLabel(Justification j) {
  switch (j) {
    case Justification::kComponentNotPresent:
      return "component_not_present";
    case Justification::kVulnerableCodeNotPresent:
      return "vulnerable_code_not_present";
    case Justification::kVulnerableCodeCannotBeControlledByAdversary:
      return "vulnerable_code_cannot_be_controlled_by_adversary";
    case Justification::kVulnerableCodeNotInExecutePath:
      return "vulnerable_code_not_in_execute_path";
    case Justification::kInlineMitigationsAlreadyExist:
      break;
  }
  return "inline_mitigations_already_exist";
}

void AddRevision(Tracking& tracking, std::string date, std::string summary) {
  tracking.version += 1;
  tracking.current_release_date = date;
  tracking.revision_history.push_back({tracking.version, std::move(date), std::move(summary)});
}

std::string CsafFileName(std::string_view tracking_id) {
  return internal::Squash(tracking_id, internal::IsFileNameChar) + ".json";
}

}  // namespace vigil::vuln::csaf
