// One CVE for one component, from whichever of its records the database holds: NVD's
// configurations, the CVE JSON 5 record's affected products (CNA and ADPs) and cpeApplicability,
// and, when none of them gives versions, the names the records mention (unassessed).
#include <algorithm>
#include <cctype>

#include "vigil/vuln/version.h"
#include "internal/match_rules.h"

namespace vigil::vuln::internal {
namespace {

// CVE JSON 5 writes "no lower bound" in several ways.
bool IsOpenLowerBound(const std::string& v) {
  return v.empty() || v == "0" || v == "*" || v == "unspecified";
}

// A git commit id (the kernel CNA writes 12 or 40 hex digits): an SBOM's release version cannot
// be placed in a commit range.
bool IsCommitId(const std::string& v) {
  return v.size() >= 7 &&
         std::all_of(v.begin(), v.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }) &&
         std::any_of(v.begin(), v.end(),
                     [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
}

// A release-like version the generic scheme can order ("4.0", "v1.14.0", "1.1.1zb"), not free
// text ("3.49.1 < 3.50", "Not-Known", "n/a", "-") and not a commit id.
std::optional<Version> ReleaseVersion(const std::string& v) {
  if (v.empty() || IsCommitId(v) || v.find_first_of(" \t<>=,;/") != std::string::npos ||
      std::none_of(v.begin(), v.end(),
                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
    return std::nullopt;
  }
  auto parsed = Version::Parse(VersionScheme::kGeneric, v);
  if (!parsed) return std::nullopt;
  return std::move(*parsed);
}

// The first `n` dot-separated parts of `v` ("6.6.84", 2 → "6.6").
std::string Prefix(const std::string& v, size_t n) {
  size_t pos = 0;
  for (size_t i = 0; i < n; ++i) {
    pos = v.find('.', pos);
    if (pos == std::string::npos) return v;
    if (i + 1 < n) ++pos;
  }
  return v.substr(0, pos);
}

// An upper bound: "*" (none), "6.6.*" (the whole 6.6 branch) or a release version.
struct UpperBound {
  bool none = false;
  size_t prefix_parts = 0;  // "6.6.*" → 2: compare the component's first two parts
  std::optional<Version> version;
};

std::optional<UpperBound> ReadUpper(const std::string& text) {
  UpperBound b;
  if (text == "*") {
    b.none = true;
    return b;
  }
  std::string v = text;
  if (v.size() > 2 && v.ends_with(".*")) {
    v.resize(v.size() - 2);
    b.prefix_parts = static_cast<size_t>(std::count(v.begin(), v.end(), '.')) + 1;
  }
  b.version = ReleaseVersion(v);
  if (!b.version) return std::nullopt;
  return b;
}

bool Below(const std::string& component, const Version& v, const UpperBound& b, bool inclusive) {
  if (b.none) return true;
  std::optional<Version> c = v;
  if (b.prefix_parts > 0) c = ReleaseVersion(Prefix(component, b.prefix_parts));
  if (!c) return false;
  auto order = *c <=> *b.version;
  return order < 0 || (inclusive && order == 0);
}

// What one versions[] entry says about the component version: nullopt when it does not cover
// it; `problem` set when it cannot be evaluated.
std::optional<std::string> EntryStatus(const Cve5Version& e, const std::string& component,
                                       const Version& v, std::string& problem) {
  const bool range = !e.less_than.empty() || !e.less_than_or_equal.empty();
  if (!range) {
    auto want = ReleaseVersion(e.version);
    if (!want) {
      problem = "version '" + e.version + "' is not a release version";
      return std::nullopt;
    }
    if (*want == v) return e.status;
    return std::nullopt;
  }
  if (!IsOpenLowerBound(e.version)) {
    auto low = ReleaseVersion(e.version);
    if (!low) {
      problem = (e.version_type == "git" ? "git commit range " : "version '") + e.version +
                (e.version_type == "git" ? "" : "'") +
                " cannot be placed against a release version";
      return std::nullopt;
    }
    if (v < *low) return std::nullopt;
  }
  const std::string& upper_text = e.less_than.empty() ? e.less_than_or_equal : e.less_than;
  auto upper = ReadUpper(upper_text);
  if (!upper) {
    problem = "upper bound '" + upper_text + "' is not a release version";
    return std::nullopt;
  }
  if (!Below(component, v, *upper, e.less_than.empty())) return std::nullopt;
  // changes[]: status switches at versions inside the range, in version order.
  std::string status = e.status;
  std::optional<Version> last;
  for (const Cve5Change& c : e.changes) {
    auto at = ReleaseVersion(c.at);
    if (at && *at <= v && (!last || *at >= *last)) {
      status = c.status;
      last = at;
    }
  }
  return status;
}

std::string DescribeEntry(const Cve5Version& e) {
  std::string out = e.path;
  if (!e.version_type.empty()) out += " " + e.version_type;
  out += " " + e.version;
  if (!e.less_than.empty()) out += " lessThan " + e.less_than;
  if (!e.less_than_or_equal.empty()) out += " lessThanOrEqual " + e.less_than_or_equal;
  return out + " " + e.status;
}

// The verdict of one affected[] product for a component version.
struct ProductVerdict {
  std::string status;  // "affected", "unaffected", or "" (no verdict)
  std::string detail;  // which entry (or defaultStatus) decided
  std::string fixed;   // lessThan of the deciding affected range
  std::vector<std::string> problems;
};

ProductVerdict EvaluateProduct(const Cve5Product& p, const std::string& component,
                               const Version& v) {
  ProductVerdict out;
  bool any_evaluable = false;
  const Cve5Version* affected = nullptr;
  const Cve5Version* unaffected = nullptr;
  for (const Cve5Version& e : p.versions) {
    std::string problem;
    auto status = EntryStatus(e, component, v, problem);
    if (!problem.empty()) {
      out.problems.push_back(e.path + ": " + problem + "; entry skipped");
      continue;
    }
    any_evaluable = true;
    if (status == "affected" && affected == nullptr) affected = &e;
    if (status == "unaffected" && unaffected == nullptr) unaffected = &e;
  }
  if (affected != nullptr) {
    out.status = "affected";
    out.detail = DescribeEntry(*affected) + "; contains " + component;
    out.fixed = affected->less_than != "*" ? affected->less_than : "";
  } else if (unaffected != nullptr) {
    out.status = "unaffected";
  } else if (any_evaluable &&
             (p.default_status == "affected" || p.default_status == "unaffected")) {
    out.status = p.default_status;
    out.detail =
        p.path + " defaultStatus " + p.default_status + ": no versions entry covers " + component;
  }
  return out;
}

bool IsNotApplicable(const std::string& s) {
  std::string n = NormalizeName(s);
  return n.empty() || n == "n a" || n == "unknown" || n == "unspecified";
}

// First word of a normalized name; vendors are compared by it ("zephyrproject rtos" and
// "zephyrproject", "apache software foundation" and "apache").
std::string FirstWord(const std::string& normalized) {
  return normalized.substr(0, normalized.find(' '));
}

// Does `p` name the component? Its product by any of the component's names; its vendor, when
// both sides know one, by the first word. `vendor_note` is set when the vendors differ.
bool NamesProduct(const Cve5Product& p, const ComponentNames& names, std::string& vendor_note) {
  if (IsNotApplicable(p.product)) return false;
  std::vector<std::string> keys = ProductKeys(p.product, p.vendor);
  bool named = std::any_of(keys.begin(), keys.end(), [&](const std::string& k) {
    return std::find(names.products.begin(), names.products.end(), k) != names.products.end();
  });
  if (!named) return false;
  if (!IsNotApplicable(p.vendor) && !names.vendors.empty()) {
    std::string vendor = FirstWord(NormalizeName(p.vendor));
    bool same = std::any_of(names.vendors.begin(), names.vendors.end(),
                            [&](const std::string& v) { return FirstWord(v) == vendor; });
    if (!same) {
      vendor_note = "vendor '" + p.vendor + "' in the record is not the SBOM's (" +
                    names.vendors.front() + "): product name only, lower confidence";
    }
  }
  return true;
}

// Does any vulnerable cpeMatch name the component's vendor and product?
bool NamesCpeProduct(const std::vector<CpeConfiguration>& configs, const sbom::Cpe& cpe) {
  for (const CpeConfiguration& c : configs) {
    for (const CpeNode& n : c.nodes) {
      for (const CpeMatch& m : n.matches) {
        auto crit = sbom::Cpe::Parse(m.criteria);
        if (m.vulnerable && crit && crit->vendor().bound() == cpe.vendor().bound() &&
            crit->product().bound() == cpe.product().bound()) {
          return true;
        }
      }
    }
  }
  return false;
}

// The CVE JSON 5 products naming the component, evaluated; unmatched when none decides.
RuleMatch MatchProducts(const Advisory& cve5, const ComponentNames& names,
                        const std::string& version, bool& decided) {
  RuleMatch out;
  auto v = ReleaseVersion(version);
  for (const Cve5Product& p : cve5.products) {
    std::string vendor_note;
    if (!NamesProduct(p, names, vendor_note)) continue;
    if (!v) {
      out.notes.push_back(cve5.id + " " + p.path + ": component version '" + version +
                          "' is not a release version; not evaluated");
      continue;
    }
    ProductVerdict pv = EvaluateProduct(p, version, *v);
    for (const std::string& problem : pv.problems) out.notes.push_back(cve5.id + " " + problem);
    if (pv.status.empty()) continue;
    decided = true;
    if (pv.status != "affected" || out.matched) continue;
    out.matched = true;
    out.confidence = vendor_note.empty() ? Confidence::kHigh : Confidence::kLow;
    out.reason = "CVE 5 " + cve5.id + " " + p.container + " " + pv.detail;
    if (!vendor_note.empty()) out.reason += " (" + vendor_note + ")";
    if (!pv.fixed.empty()) out.fixed_versions.push_back(pv.fixed);
  }
  return out;
}

bool DescriptionNames(const std::string& description, const ComponentNames& names,
                      std::string& which) {
  const std::string text = " " + NormalizeName(description) + " ";
  for (const std::string& k : names.products) {
    if (k.size() >= 2 && text.find(" " + k + " ") != std::string::npos) {
      which = k;
      return true;
    }
  }
  return false;
}

// Why the record is unassessed for the component; empty when it does not name it. The CNA
// block decides when it names any product; only an "n/a" block leaves it to the description.
std::string NamedBy(const Advisory* nvd, const Advisory* cve5, const ComponentNames& names) {
  if (cve5 != nullptr) {
    bool any_product = false;
    for (const Cve5Product& p : cve5->products) {
      std::string vendor_note;
      if (NamesProduct(p, names, vendor_note)) {
        return "the " + p.container + " names product '" + p.product + "' (" + p.path + ")";
      }
      any_product = any_product || !IsNotApplicable(p.product);
    }
    if (any_product) return "";
  }
  std::string which;
  for (const Advisory* a : {cve5, nvd}) {
    if (a != nullptr && DescriptionNames(a->summary, names, which)) {
      return "its description names '" + which + "'";
    }
  }
  return "";
}

std::string Holdings(const Advisory* nvd, const Advisory* cve5) {
  std::string out = nvd != nullptr
                        ? "NVD " + (nvd->status.empty() ? "record" : "'" + nvd->status + "'") +
                              " without configurations"
                        : "no NVD record";
  out += cve5 != nullptr ? ", CVE 5 record without usable versions" : ", no CVE 5 record";
  return out;
}

}  // namespace

std::string NormalizeName(std::string_view text) {
  std::string out;
  int depth = 0;  // "(incubating)" and the like are dropped
  for (char ch : text) {
    if (ch == '(') ++depth;
    if (ch == ')' && depth > 0) {
      --depth;
      continue;
    }
    if (depth > 0) continue;
    unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c >= 0x80) {
      out.push_back(static_cast<char>(std::tolower(c)));
    } else if (!out.empty() && out.back() != ' ') {
      out.push_back(' ');
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::string> ProductKeys(std::string_view product, std::string_view vendor) {
  std::vector<std::string> keys;
  std::string p = NormalizeName(product);
  if (p.empty()) return keys;
  keys.push_back(p);
  // "Apache NuttX" by "Apache Software Foundation": the product is also known as "nuttx".
  std::string first = FirstWord(p);
  if (first.size() < p.size() && first == FirstWord(NormalizeName(vendor))) {
    keys.push_back(p.substr(first.size() + 1));
  }
  return keys;
}

ComponentNames NamesOf(const sbom::Component& c) {
  ComponentNames out;
  auto add = [](std::vector<std::string>& to, std::string_view s) {
    std::string n = NormalizeName(s);
    if (!n.empty() && std::find(to.begin(), to.end(), n) == to.end()) to.push_back(std::move(n));
  };
  if (c.cpe) {
    if (c.cpe->vendor().kind() == sbom::CpeValue::Kind::kValue)
      add(out.vendors, c.cpe->vendor().unescaped());
    if (c.cpe->product().kind() == sbom::CpeValue::Kind::kValue)
      add(out.products, c.cpe->product().unescaped());
  }
  add(out.products, c.name);
  if (c.purl) {
    add(out.products, c.purl->name());
    if (c.purl->ns()) add(out.vendors, c.purl->ns()->substr(c.purl->ns()->rfind('/') + 1));
  }
  add(out.vendors, c.group);
  return out;
}

bool GivesVersions(const Advisory& adv) {
  if (!adv.configurations.empty()) return true;
  for (const Cve5Product& p : adv.products) {
    if (IsNotApplicable(p.product)) continue;
    for (const Cve5Version& e : p.versions) {
      const bool range = !e.less_than.empty() || !e.less_than_or_equal.empty();
      const bool low_ok = range ? IsOpenLowerBound(e.version) || ReleaseVersion(e.version)
                                : ReleaseVersion(e.version).has_value();
      const std::string& upper = e.less_than.empty() ? e.less_than_or_equal : e.less_than;
      if (low_ok && (!range || ReadUpper(upper))) return true;
    }
  }
  return false;
}

RuleMatch MatchCve(const Advisory* nvd, const Advisory* cve5, const CveComponent& component,
                   const std::vector<CpeComponent>& platform) {
  RuleMatch out;
  if ((nvd != nullptr && nvd->rejected()) || (cve5 != nullptr && cve5->rejected())) return out;
  const sbom::Cpe* cpe = component.cpe ? &component.cpe->cpe : nullptr;
  // NVD's analysis of this very product decides; the CNA's data is read when NVD has none.
  if (nvd != nullptr && cpe != nullptr && NamesCpeProduct(nvd->configurations, *cpe)) {
    return MatchNvd(*nvd, *component.cpe, platform);
  }
  if (cve5 != nullptr) {
    bool decided = false;
    out = MatchProducts(*cve5, component.names, component.version, decided);
    if (decided) return out;
    if (cpe != nullptr && NamesCpeProduct(cve5->configurations, *cpe)) {
      RuleMatch m = MatchNvd(*cve5, *component.cpe, platform);
      m.notes.insert(m.notes.begin(), out.notes.begin(), out.notes.end());
      return m;
    }
  }
  // NVD analysed the CVE for other products only: it does not concern this component.
  if (nvd != nullptr && !nvd->configurations.empty()) return out;
  std::string named = NamedBy(nvd, cve5, component.names);
  if (named.empty()) return out;
  out.unassessed = true;
  out.confidence = Confidence::kLow;
  out.reason = "unassessed: " + Holdings(nvd, cve5) + "; " + named +
               "; no version data decides it for " + component.version + ", triage by hand";
  return out;
}

}  // namespace vigil::vuln::internal
