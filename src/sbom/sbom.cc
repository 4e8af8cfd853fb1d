// SBOM model helpers: support-level vocabulary and the FDA field checks.
#include "vigil/sbom/sbom.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace vigil::sbom {
namespace {

// Lower-case ASCII letters and digits only: "End-of-Support" → "endofsupport". Inline ASCII
// tests, not <cctype>'s locale-aware calls, and a buffer on the stack for the short texts
// property names and support levels are: every component's properties pass through here.
class Squashed {
 public:
  // A character's squashed form: lower case for an ASCII letter, itself for a digit, else 0.
  static constexpr std::array<char, 256> kFold = [] {
    std::array<char, 256> fold{};
    for (int c = 0; c < 256; ++c) {
      if (c >= 'A' && c <= 'Z') fold[c] = static_cast<char>(c - 'A' + 'a');
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) fold[c] = static_cast<char>(c);
    }
    return fold;
  }();

  explicit Squashed(std::string_view s) {
    char* out = inline_.data();
    if (s.size() > inline_.size()) {
      heap_.resize(s.size());
      out = heap_.data();
    }
    size_t n = 0;
    for (char c : s) {
      const char kept = kFold[static_cast<unsigned char>(c)];
      out[n] = kept;
      n += kept != 0 ? 1 : 0;
    }
    view_ = std::string_view(out, n);
  }
  Squashed(const Squashed&) = delete;  // view_ points into this object
  Squashed& operator=(const Squashed&) = delete;

  std::string_view view() const { return view_; }

 private:
  std::array<char, 64> inline_;
  std::string heap_;
  std::string_view view_;
};

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

bool IsIsoDate(std::string_view s) {
  if (s.size() < 10) return false;
  for (size_t i = 0; i < 10; ++i) {
    bool digit = std::isdigit(static_cast<unsigned char>(s[i])) != 0;
    if ((i == 4 || i == 7) ? s[i] != '-' : !digit) return false;
  }
  int month = (s[5] - '0') * 10 + (s[6] - '0');
  int day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && (s.size() == 10 || s[10] == 'T');
}

// Which FDA field a property names, if any.
enum class SupportField { kNone, kLevel, kEnd };

SupportField SupportFieldOf(std::string_view name) {
  // The names Vigil's writer gives, compared whole before any squashing.
  if (name == "fda:level-of-support") return SupportField::kLevel;
  if (name == "fda:end-of-support") return SupportField::kEnd;
  const Squashed squashed(name);
  const std::string_view key = squashed.view();
  if (Contains(key, "levelofsupport") || Contains(key, "supportlevel")) return SupportField::kLevel;
  if (Contains(key, "endofsupport") || Contains(key, "endoflife") ||
      Contains(key, "supportenddate")) {
    return SupportField::kEnd;
  }
  return SupportField::kNone;
}

}  // namespace

std::string_view SourceFormatName(SourceFormat f) {
  switch (f) {
    case SourceFormat::kCycloneDx:
      return "CycloneDX";
    case SourceFormat::kSpdx2:
      return "SPDX 2";
    case SourceFormat::kSpdx3:
      return "SPDX 3";
  }
  return "?";
}

std::string_view SupportLevelName(SupportLevel level) {
  switch (level) {
    case SupportLevel::kMaintained:
      return "maintained";
    case SupportLevel::kUnmaintained:
      return "unmaintained";
    case SupportLevel::kAbandoned:
      return "abandoned";
    case SupportLevel::kUnknown:
      break;
  }
  return "unknown";
}

SupportLevel ParseSupportLevel(std::string_view text) {
  // The names SupportLevelName gives, as Vigil's writer and FDA-minded tools spell them: every
  // component of a large SBOM has one.
  if (text == "unknown") return SupportLevel::kUnknown;
  if (text == "maintained") return SupportLevel::kMaintained;
  if (text == "unmaintained") return SupportLevel::kUnmaintained;
  if (text == "abandoned") return SupportLevel::kAbandoned;
  const Squashed squashed(text);
  const std::string_view s = squashed.view();
  // Order matters: "unmaintained" contains "maintained", "inactive" contains "active".
  if (Contains(s, "abandon") || Contains(s, "endoflife") || s == "eol" ||
      Contains(s, "discontinued") || Contains(s, "nolonger")) {
    return SupportLevel::kAbandoned;
  }
  if (Contains(s, "unmaintained") || Contains(s, "notmaintained") || Contains(s, "inactive") ||
      Contains(s, "deprecated")) {
    return SupportLevel::kUnmaintained;
  }
  if (Contains(s, "maintained") || Contains(s, "active") || Contains(s, "supported")) {
    return SupportLevel::kMaintained;
  }
  return SupportLevel::kUnknown;
}

void ApplySupportProperties(Component& component) {
  for (const Property& p : component.properties) {
    switch (SupportFieldOf(p.name)) {
      case SupportField::kLevel:
        component.support_text = p.value;
        component.support = ParseSupportLevel(p.value);
        break;
      case SupportField::kEnd:
        component.end_of_support_text = p.value;
        if (IsIsoDate(p.value)) component.end_of_support = p.value.substr(0, 10);
        break;
      case SupportField::kNone:
        break;
    }
  }
}

std::vector<Diagnostic> MissingSupportFields(const Sbom& sbom) {
  std::vector<Diagnostic> out;
  for (size_t i = 0; i < sbom.components.size(); ++i) {
    const Component& c = sbom.components[i];
    std::string where = "components[" + std::to_string(i) + "] (" + c.name + ")";
    if (c.support == SupportLevel::kUnknown) {
      out.push_back({where, c.support_text.empty()
                                ? "no level of support"
                                : "level of support '" + c.support_text + "' is not recognised"});
    }
    if (!c.end_of_support) {
      out.push_back({where, c.end_of_support_text.empty()
                                ? "no end-of-support date"
                                : "end of support '" + c.end_of_support_text + "' is not a date"});
    }
  }
  return out;
}

bool IsLicenseIdSyntax(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '+';
  });
}

std::optional<size_t> Sbom::FindByRef(std::string_view ref) const {
  for (size_t i = 0; i < components.size(); ++i) {
    if (components[i].ref == ref) return i;
  }
  return std::nullopt;
}

}  // namespace vigil::sbom
