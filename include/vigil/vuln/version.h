// Version ordering per ecosystem. Advisory ranges ("introduced 1.2.0, fixed 1.2.7") are only as
// right as the comparison behind them, and each ecosystem orders versions its own way:
//
//   kSemver   SemVer 2.0.0 (npm, crates.io, Go modules; a leading "v" is accepted, build
//             metadata such as Go's "+incompatible" is ignored; Go pseudo-versions order as the
//             pre-releases they are)
//   kPep440   PyPI (PEP 440: epochs, pre/post/dev releases, local versions; as Python's
//             `packaging`)
//   kMaven    Maven ComparableVersion (qualifier order alpha < beta < milestone < rc <
//             snapshot < release < sp, "1.0" == "1.0.0" == "1-ga")
//   kNuget    NuGet (SemVer 2 with a 4th "revision" number, case-insensitive labels)
//   kRubyGems Gem::Version (segments, letters make a pre-release)
//   kDebian   dpkg (epoch:upstream-revision, '~' sorts before everything)
//   kRpm      rpmvercmp over [epoch:]version[-release] ('~' before, '^' after)
//   kAlpine   apk (letters, _alpha/_beta/_pre/_rc before and _cvs/_svn/_git/_hg/_p after the
//             release, -rN)
//   kConan    Conan 2 (pkg:conan): MAIN[-PRE][+BUILD], dot-separated numbers and words,
//             trailing zeros ignored ("1" == "1.0.0"), a pre-release before the release, a
//             build after it
//   kGeneric  C/C++ and firmware versions as NVD writes them: numbers compared numerically,
//             a letter suffix after a number is a later release (1.1.1 < 1.1.1a < 1.1.1k), a
//             pre-release word (alpha, beta, rc, pre, snapshot) is earlier, a leading
//             "v"/"r" is ignored (R0.13c), other words ("hotfix", "p1", OpenSSL's
//             "-dev") are later (2.0.9 < 2.0.9-hotfix.7)
//
// Version::Parse validates against the scheme's grammar (Debian, RPM, generic accept almost
// anything printable; SemVer, PEP 440, NuGet, RubyGems, Alpine are strict) and fails with
// InvalidArgument "version '<text>': not a valid <scheme> version (<why>)".
//
// Thread-safety: immutable value type; free functions without shared state.
#ifndef VIGIL_VULN_VERSION_H_
#define VIGIL_VULN_VERSION_H_

#include <compare>
#include <string>
#include <string_view>

#include "vigil/core/result.h"

namespace vigil::vuln {

enum class VersionScheme {
  kSemver,
  kPep440,
  kMaven,
  kNuget,
  kRubyGems,
  kDebian,
  kRpm,
  kAlpine,
  kConan,
  kGeneric,
};

std::string_view VersionSchemeName(VersionScheme scheme);

// The scheme an OSV ecosystem name uses ("npm", "Go", "crates.io", "PyPI", "Maven", "NuGet",
// "RubyGems", "Debian", "Ubuntu", "Alpine", "Red Hat", "Rocky Linux", "AlmaLinux", "openSUSE",
// "SUSE", "Mageia"), or a purl type ("npm", "golang", "cargo", "pypi", "maven", "nuget", "gem",
// "deb", "rpm", "apk", "generic", "conan"). "Debian:12"-style suffixes are ignored. NotFound for
// anything else (callers must not guess a scheme).
Result<VersionScheme> SchemeForEcosystem(std::string_view ecosystem);

class Version {
 public:
  static Result<Version> Parse(VersionScheme scheme, std::string_view text);
  // What Parse checks, without keeping the text: OK, or Parse's error. With CompareValid, a
  // matcher orders the versions of a record in place (no copy per version compared).
  static Status Validate(VersionScheme scheme, std::string_view text);
  // Orders two texts Validate accepted for `scheme`, as Compare orders their Versions.
  static std::weak_ordering CompareValid(VersionScheme scheme, std::string_view a,
                                         std::string_view b);

  VersionScheme scheme() const { return scheme_; }
  const std::string& text() const { return text_; }

  // Orders two versions of the same scheme (the caller guarantees it: comparing across
  // schemes is meaningless and treated as comparing the texts byte-wise).
  std::weak_ordering Compare(const Version& other) const;

  friend bool operator==(const Version& a, const Version& b) {
    return a.Compare(b) == std::weak_ordering::equivalent;
  }
  friend std::weak_ordering operator<=>(const Version& a, const Version& b) { return a.Compare(b); }

 private:
  Version(VersionScheme scheme, std::string text) : scheme_(scheme), text_(std::move(text)) {}
  VersionScheme scheme_;
  std::string text_;
};

// Convenience: parses both and compares; fails if either does not parse.
Result<std::weak_ordering> CompareVersions(VersionScheme scheme, std::string_view a,
                                           std::string_view b);

// True for a Go pseudo-version (vX.Y.Z-[pre.]yyyymmddhhmmss-abcdefabcdef, any of the three
// forms the go command writes).
bool IsGoPseudoVersion(std::string_view version);

}  // namespace vigil::vuln

#endif  // VIGIL_VULN_VERSION_H_
