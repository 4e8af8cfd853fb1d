// The SBOM model every reader fills and every writer reads: one document with its components,
// their identifiers (purl, CPE 2.3, hashes), supplier, licences and the dependency graph, plus
// the two per-component fields FDA's premarket cybersecurity guidance asks for beyond the NTIA
// minimum elements: the level of support and the end-of-support date.
//
// Readers keep going past identifiers they cannot parse (a malformed purl or CPE in a real SBOM
// should not hide the rest of it): the raw text stays in the component and a Diagnostic names
// the JSON path and the problem. Structural errors (wrong types, missing required fields,
// values outside the format's enumerations) fail the read instead.
//
// Thread-safety: plain values.
#ifndef VIGIL_SBOM_SBOM_H_
#define VIGIL_SBOM_SBOM_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vigil/core/boxed.h"
#include "vigil/sbom/cpe.h"
#include "vigil/sbom/purl.h"

namespace vigil::sbom {

enum class SourceFormat { kCycloneDx, kSpdx2, kSpdx3 };
std::string_view SourceFormatName(SourceFormat f);

// FDA "level of support" for a component.
enum class SupportLevel { kUnknown, kMaintained, kUnmaintained, kAbandoned };
std::string_view SupportLevelName(SupportLevel level);  // "maintained", …, "unknown"
// Maps free text as SBOM tools write it ("Actively maintained", "Inactive", "Deprecated",
// "abandoned", "end-of-life") to a level; kUnknown when the text says nothing recognisable.
SupportLevel ParseSupportLevel(std::string_view text);

struct Hash {
  std::string algorithm;  // CycloneDX spelling: "SHA-256", "SHA-1", "MD5", "SHA3-256", …
  std::string value;      // lower-case hex
  friend bool operator==(const Hash&, const Hash&) = default;
};

// One licence entry: an SPDX id, a free-text name, or an SPDX expression (exactly one is set).
struct License {
  std::string id;
  std::string name;
  std::string expression;
  friend bool operator==(const License&, const License&) = default;
};

// True when `id` has SPDX licence-id syntax (letters, digits, '-', '.', '+'); says nothing about
// whether the id is on the SPDX list.
bool IsLicenseIdSyntax(std::string_view id);

struct Property {
  std::string name;
  std::string value;
  friend bool operator==(const Property&, const Property&) = default;
};

struct Component {
  std::string ref;   // bom-ref / SPDXID; unique within the document (empty if none given)
  std::string type;  // CycloneDX component type ("library", "firmware", …)
  std::string group;
  std::string name;
  std::string version;
  std::string supplier;   // organisation that supplies the component
  std::string publisher;  // or author, when no supplier is named
  std::string description;
  std::string purl_text;   // as written
  Boxed<PackageUrl> purl;  // parsed, when purl_text is a valid purl (boxed: see core/boxed.h)
  std::string cpe_text;
  Boxed<Cpe> cpe;  // parsed, when cpe_text is a valid CPE
  std::vector<Hash> hashes;
  std::vector<License> licenses;
  std::vector<Property> properties;
  // FDA fields. support_text / end_of_support_text hold what the SBOM says; the parsed forms
  // are set only when recognisable. end_of_support is an ISO 8601 date (YYYY-MM-DD).
  SupportLevel support = SupportLevel::kUnknown;
  std::string support_text;
  std::optional<std::string> end_of_support;
  std::string end_of_support_text;
};

struct Dependency {
  std::string ref;
  std::vector<std::string> depends_on;
  friend bool operator==(const Dependency&, const Dependency&) = default;
};

// A non-fatal problem found while reading, e.g. {"components[3].purl", "invalid purl: …"}.
struct Diagnostic {
  std::string path;
  std::string message;
};

struct Sbom {
  SourceFormat format = SourceFormat::kCycloneDx;
  std::string spec_version;  // "1.6", "SPDX-2.3", "3.0"
  std::string serial_number;
  std::string name;                   // document / primary component name
  std::string timestamp;              // creation time as written
  std::optional<Component> primary;   // metadata.component / the described package
  std::vector<Component> components;  // nested components flattened, in document order
  std::vector<Dependency> dependencies;
  std::vector<Diagnostic> diagnostics;

  // Index of the component with this ref, or nullopt.
  std::optional<size_t> FindByRef(std::string_view ref) const;
};

// Reads the level of support and end-of-support date out of a component's properties
// (names compared case- and punctuation-insensitively: "Level of Support", "levelOfSupport",
// "fda:level-of-support", "End-of-Support", "endOfSupport", …) into the FDA fields.
void ApplySupportProperties(Component& component);

// One entry per component lacking an FDA field: {"components[i]", "no level of support"}.
std::vector<Diagnostic> MissingSupportFields(const Sbom& sbom);

}  // namespace vigil::sbom

#endif  // VIGIL_SBOM_SBOM_H_
