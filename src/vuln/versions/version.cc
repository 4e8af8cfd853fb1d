// Version: scheme dispatch and the ecosystem → scheme table.
#include "vigil/vuln/version.h"

#include <algorithm>
#include <cctype>

#include "version_schemes.h"

namespace vigil::vuln {
namespace {

using namespace internal;  // NOLINT: the per-scheme functions

struct SchemeOps {
  Status (*validate)(std::string_view);
  int (*compare)(std::string_view, std::string_view);
};

SchemeOps Ops(VersionScheme s) {
  switch (s) {
    case VersionScheme::kSemver:
      return {ValidateSemver, CompareSemver};
    case VersionScheme::kPep440:
      return {ValidatePep440, ComparePep440};
    case VersionScheme::kMaven:
      return {ValidateMaven, CompareMaven};
    case VersionScheme::kNuget:
      return {ValidateNuget, CompareNuget};
    case VersionScheme::kRubyGems:
      return {ValidateRubyGems, CompareRubyGems};
    case VersionScheme::kDebian:
      return {ValidateDebian, CompareDebian};
    case VersionScheme::kRpm:
      return {ValidateRpm, CompareRpm};
    case VersionScheme::kAlpine:
      return {ValidateAlpine, CompareAlpine};
    case VersionScheme::kConan:
      return {ValidateConan, CompareConan};
    case VersionScheme::kGeneric:
      break;
  }
  return {ValidateGeneric, CompareGeneric};
}

std::weak_ordering Ordering(int c) {
  return c < 0   ? std::weak_ordering::less
         : c > 0 ? std::weak_ordering::greater
                 : std::weak_ordering::equivalent;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

namespace internal {

int CompareDigitRuns(std::string_view a, std::string_view b) {
  while (a.size() > 1 && a[0] == '0') a.remove_prefix(1);
  while (b.size() > 1 && b[0] == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return Sign(a.compare(b));
}

}  // namespace internal

std::string_view VersionSchemeName(VersionScheme scheme) {
  switch (scheme) {
    case VersionScheme::kSemver:
      return "semver";
    case VersionScheme::kPep440:
      return "pep440";
    case VersionScheme::kMaven:
      return "maven";
    case VersionScheme::kNuget:
      return "nuget";
    case VersionScheme::kRubyGems:
      return "rubygems";
    case VersionScheme::kDebian:
      return "debian";
    case VersionScheme::kRpm:
      return "rpm";
    case VersionScheme::kAlpine:
      return "alpine";
    case VersionScheme::kConan:
      return "conan";
    case VersionScheme::kGeneric:
      break;
  }
  return "generic";
}

Result<VersionScheme> SchemeForEcosystem(std::string_view ecosystem) {
  std::string e = Lower(ecosystem.substr(0, ecosystem.find(':')));
  static const std::pair<std::string_view, VersionScheme> kTable[] = {
      {"npm", VersionScheme::kSemver},        {"go", VersionScheme::kSemver},
      {"golang", VersionScheme::kSemver},     {"crates.io", VersionScheme::kSemver},
      {"cargo", VersionScheme::kSemver},      {"pypi", VersionScheme::kPep440},
      {"maven", VersionScheme::kMaven},       {"nuget", VersionScheme::kNuget},
      {"rubygems", VersionScheme::kRubyGems}, {"gem", VersionScheme::kRubyGems},
      {"debian", VersionScheme::kDebian},     {"ubuntu", VersionScheme::kDebian},
      {"deb", VersionScheme::kDebian},        {"alpine", VersionScheme::kAlpine},
      {"apk", VersionScheme::kAlpine},        {"red hat", VersionScheme::kRpm},
      {"rocky linux", VersionScheme::kRpm},   {"almalinux", VersionScheme::kRpm},
      {"opensuse", VersionScheme::kRpm},      {"suse", VersionScheme::kRpm},
      {"mageia", VersionScheme::kRpm},        {"rpm", VersionScheme::kRpm},
      {"generic", VersionScheme::kGeneric},   {"conan", VersionScheme::kConan},
  };
  for (const auto& [name, scheme] : kTable) {
    if (e == name) return scheme;
  }
  return NotFoundError("ecosystem '" + std::string(ecosystem) + "': no known version scheme");
}

Status Version::Validate(VersionScheme scheme, std::string_view text) {
  if (text.empty()) {
    return InvalidArgumentError("version '': not a valid " +
                                std::string(VersionSchemeName(scheme)) + " version (empty)");
  }
  if (Status s = Ops(scheme).validate(text); !s) {
    return InvalidArgumentError("version '" + std::string(text) + "': not a valid " +
                                std::string(VersionSchemeName(scheme)) + " version (" +
                                s.error().message() + ")");
  }
  return OkStatus();
}

Result<Version> Version::Parse(VersionScheme scheme, std::string_view text) {
  VIGIL_RETURN_IF_ERROR(Validate(scheme, text));
  return Version(scheme, std::string(text));
}

std::weak_ordering Version::CompareValid(VersionScheme scheme, std::string_view a,
                                         std::string_view b) {
  return Ordering(Ops(scheme).compare(a, b));
}

std::weak_ordering Version::Compare(const Version& other) const {
  if (scheme_ == other.scheme_) return CompareValid(scheme_, text_, other.text_);
  return Ordering(Sign(text_.compare(other.text_)));
}

Result<std::weak_ordering> CompareVersions(VersionScheme scheme, std::string_view a,
                                           std::string_view b) {
  VIGIL_ASSIGN_OR_RETURN(Version va, Version::Parse(scheme, a));
  VIGIL_ASSIGN_OR_RETURN(Version vb, Version::Parse(scheme, b));
  return va.Compare(vb);
}

}  // namespace vigil::vuln
