// Invariant checks shared by the VEX reader fuzz targets.
#ifndef VIGIL_FUZZ_VULN_VEX_FUZZ_SUPPORT_H_
#define VIGIL_FUZZ_VULN_VEX_FUZZ_SUPPORT_H_

#include <string>
#include <vector>

#include "vigil/vuln/vex.h"

namespace vigil::vuln::fuzz {

inline void CheckRead(const Result<VexDocument>& doc) {
  if (!doc) {
    const std::string& m = doc.error().message();
    if (m.rfind("fuzz.json: ", 0) != 0 || m.find('\n') != std::string::npos) __builtin_trap();
    return;
  }
  Finding f;
  f.component_purl = "pkg:npm/a@1.0.0";
  f.component_version = "1.0.0";
  f.component_cpe = "cpe:2.3:a:a:a:1.0.0:*:*:*:*:*:*:*";
  f.component_ref = "a";
  for (const VexStatement& s : doc->statements) {
    if (s.trace.rfind("fuzz.json: ", 0) != 0) __builtin_trap();
    f.advisory_id = s.vulnerability;
    std::vector<Finding> findings = {f};
    sbom::Component product;
    product.name = "a";
    (void)ApplyVex({&*doc, 1}, &product, findings);
    // A not_affected decision always carries its justification.
    if (findings[0].vex_status == VexStatus::kNotAffected && findings[0].vex_justification.empty())
      __builtin_trap();
  }
}

}  // namespace vigil::vuln::fuzz

#endif  // VIGIL_FUZZ_VULN_VEX_FUZZ_SUPPORT_H_
