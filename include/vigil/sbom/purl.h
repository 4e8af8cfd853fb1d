// Package URL (purl) per the package-url specification (ECMA-427 draft, purl-spec tests/):
// pkg:type/namespace/name@version?qualifiers#subpath.
//
// PackageUrl::Parse reads a purl string, decodes its percent-encoded parts and applies the
// type-specific rules (case folding of namespace/name for types whose registry is
// case-insensitive, PyPI's "_" → "-", required or prohibited namespaces, required qualifiers,
// name and version syntax of a few types); PackageUrl::Create does the same from components.
// ToString() gives the canonical form (lower-case type, sorted lower-case qualifier keys, empty
// qualifier values dropped, minimal percent-encoding), so two purls naming the same package
// compare equal as strings.
//
// Qualifier keys are case-insensitive (the spec's canonical form is lower case) and are folded
// on parse. Unknown types are accepted with the generic rules only.
//
// Failure: InvalidArgument with a message naming the component and the problem, e.g.
// "purl 'pkg:swift/Alamofire@5.4.3': type swift requires a namespace".
//
// Thread-safety: immutable value type.
#ifndef VIGIL_SBOM_PURL_H_
#define VIGIL_SBOM_PURL_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "vigil/core/result.h"

namespace vigil::sbom {

class PackageUrl {
 public:
  using Qualifiers = std::map<std::string, std::string>;  // key → decoded value, sorted

  // Parses and normalises a purl string. Fails on a missing "pkg:" scheme, missing or invalid
  // type, missing name, invalid qualifier key, bad percent-encoding or a type rule violation.
  static Result<PackageUrl> Parse(std::string_view text);

  // Builds a purl from decoded components (as a CycloneDX/SPDX tool would); same validation
  // and normalisation as Parse. Empty optional strings are treated as absent.
  static Result<PackageUrl> Create(std::string_view type, std::optional<std::string> ns,
                                   std::string_view name, std::optional<std::string> version,
                                   Qualifiers qualifiers, std::optional<std::string> subpath);

  const std::string& type() const { return type_; }
  const std::optional<std::string>& ns() const { return namespace_; }  // segments joined by '/'
  const std::string& name() const { return name_; }
  const std::optional<std::string>& version() const { return version_; }
  const Qualifiers& qualifiers() const { return qualifiers_; }
  const std::optional<std::string>& subpath() const { return subpath_; }

  // The canonical string form.
  std::string ToString() const;

  // Same package ignoring version, qualifiers and subpath (type, namespace and name equal).
  bool SamePackage(const PackageUrl& other) const {
    return type_ == other.type_ && namespace_ == other.namespace_ && name_ == other.name_;
  }

  friend bool operator==(const PackageUrl&, const PackageUrl&) = default;

 private:
  PackageUrl() = default;
  // Parse's work on this empty purl; the error without the purl's text.
  Status ParseParts(std::string_view text);
  // Applies type rules in place; returns the first violation.
  Status Normalise();

  std::string type_;
  std::optional<std::string> namespace_;
  std::string name_;
  std::optional<std::string> version_;
  Qualifiers qualifiers_;
  std::optional<std::string> subpath_;
};

}  // namespace vigil::sbom

#endif  // VIGIL_SBOM_PURL_H_
