// Reads an SBOM in any supported format, recognised from its content: CycloneDX JSON
// ("bomFormat"), SPDX 2.x JSON ("spdxVersion") or SPDX 3.0 JSON-LD ("@context" naming spdx.org).
//
// Failure: InvalidArgument "<source>: <JSON path>: <problem>" (one line), from the format's
// reader, or "<source>: $: not a CycloneDX or SPDX JSON document" when nothing matches.
//
// Thread-safety: free function without shared state.
#ifndef VIGIL_SBOM_SBOM_READER_H_
#define VIGIL_SBOM_SBOM_READER_H_

#include <string_view>

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"
#include "vigil/sbom/cyclonedx.h"
#include "vigil/sbom/sbom.h"

namespace vigil::sbom {

Result<Sbom> ReadSbom(std::string_view json, std::string_view source,
                      const CycloneDxReadOptions& options = {});

// The same, taking the text: it is freed as soon as the parser has copied it, before the model
// is built, so reading a large SBOM costs its parsed form and its model, not also its text
// (88 MiB for the 300,000-component benchmark SBOM).
Result<Sbom> ReadSbom(Bytes json, std::string_view source,
                      const CycloneDxReadOptions& options = {});

// Components of `before` and `after` matched by package identity (purl type/namespace/name, or
// group and name when there is no purl).
struct SbomDiff {
  std::vector<const Component*> added;
  std::vector<const Component*> removed;
  std::vector<std::pair<const Component*, const Component*>> changed;  // version or ids differ
  bool empty() const { return added.empty() && removed.empty() && changed.empty(); }
};
// The pointers refer into `before` and `after`, which must outlive the result.
SbomDiff DiffSboms(const Sbom& before, const Sbom& after);

}  // namespace vigil::sbom

#endif  // VIGIL_SBOM_SBOM_READER_H_
