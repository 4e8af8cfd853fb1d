// End of support, in the IMDRF N70 total-product-life-cycle stages (Principles and Practices
// for the Cybersecurity of Legacy Medical Devices): after Development and Support comes Limited
// Support, from the End of Guaranteed Support (EoGS: the manufacturer no longer guarantees
// updates, patches may still come) to the End of Support (EoS: nothing more comes; the
// healthcare provider carries the risk with compensating controls).
//
// Items: each device (its support end is its EoS), and each component of each release's SBOM,
// its dates taken from the SBOM (CycloneDX's end-of-support, sbom::Component::end_of_support)
// and from a component support file (ParseComponentSupport), which may add an EoGS. Fleet::
// CheckSupport lists every item whose next stage is reached within the warning window (or is
// already reached), and enqueues one "support.warning" webhook event per (item, stage) the first
// time it is listed, in the transaction that remembers it was warned.
//
// Component support file (JSON or YAML; unknown members refused):
//   components:
//     - name: openssl                          # component name, or purl without version
//       version: 1.1.1w                        # optional: only this version
//       end_of_guaranteed_support: 2025-09-11  # at least one of the two dates, YYYY-MM-DD
//       end_of_support: 2026-09-11
//
// Thread-safety: ParseComponentSupport is pure.
#ifndef VIGIL_FLEET_SUPPORT_H_
#define VIGIL_FLEET_SUPPORT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/result.h"

namespace vigil::fleet {

inline constexpr std::string_view kStageLimitedSupport = "limited_support";
inline constexpr std::string_view kStageEndOfSupport = "end_of_support";
inline constexpr size_t kMaxSupportFileBytes = 1 << 20;

struct ComponentSupport {
  std::string name, version;                              // version empty: any
  std::string end_of_guaranteed_support, end_of_support;  // YYYY-MM-DD or empty
};

// Reads a component support file (`source` names it in errors). InvalidArgument "<source>:
// <path>: <problem>" for malformed JSON/YAML, a missing name, a bad date, no date at all, an
// EoGS after the EoS; ResourceExhausted over kMaxSupportFileBytes.
Result<std::vector<ComponentSupport>> ParseComponentSupport(std::string_view text,
                                                            std::string_view source);

struct SupportOptions {
  int64_t warn_days = 180;                   // the window ahead of as_of
  std::string as_of;                         // YYYY-MM-DD; empty: today (the fleet's clock)
  std::vector<ComponentSupport> components;  // from the support file, beside the SBOMs
};

struct SupportWarning {
  std::string kind;              // "device" or "component"
  std::string item;              // the serial, or "name@version"
  std::string product, release;  // the device's, or the release shipping the component
  std::string stage;             // kStageLimitedSupport or kStageEndOfSupport
  std::string date;              // when the stage is reached
  int64_t days = 0;              // date - as_of (negative: reached that many days ago)
  bool first = false;            // first listed: a support.warning event was enqueued
};

}  // namespace vigil::fleet

#endif  // VIGIL_FLEET_SUPPORT_H_
