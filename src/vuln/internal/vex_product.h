// Shared by the VEX readers and ApplyVex (private to the vuln module): turning identifier text
// into a VexProductId, and deciding whether a product id covers a component.
#ifndef VIGIL_VULN_INTERNAL_VEX_PRODUCT_H_
#define VIGIL_VULN_INTERNAL_VEX_PRODUCT_H_

#include <optional>
#include <string>
#include <string_view>

#include "vigil/core/json.h"
#include "vigil/core/result.h"
#include "vigil/sbom/cpe.h"
#include "vigil/sbom/purl.h"
#include "vigil/vuln/vex.h"

namespace vigil::vuln::internal {

// A component as ApplyVex sees it: a scanned SBOM component or the SBOM's product.
struct Subject {
  std::string ref;
  std::string name;
  std::string version;
  Boxed<sbom::PackageUrl> purl;
  Boxed<sbom::Cpe> cpe;
};
Subject SubjectOf(const Finding& f);
Subject SubjectOf(const sbom::Component& c);

// Sets id.purl when `text` starts with "pkg:", id.cpe when it starts with "cpe:2.3:", fails
// (naming `at`, where the text was read) when that identifier does not parse. Other text is left
// alone.
Status SetIdentifier(const json::Node& at, std::string_view text, VexProductId& id);
// Checks that every entry of id.ranges is a vers range Vigil can evaluate (errors name `at`).
Status CheckRanges(const json::Node& at, const VexProductId& id);

// True when `id` covers `s` (see VexProductId).
bool Covers(const VexProductId& id, const Subject& s);

}  // namespace vigil::vuln::internal

#endif  // VIGIL_VULN_INTERNAL_VEX_PRODUCT_H_
