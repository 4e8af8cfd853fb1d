// The installer's persisted files on arbitrary bytes — BootState (boot_state.json),
// InstallerConfig (slots.json), the anti-rollback counter and a target's custom.vigil: never
// crash; whatever is accepted serialises to bytes that parse back to the same serialisation
// (the installer rewrites these files at every step, so a round trip must be exact).
#include <cstdlib>

#include "vigil/core/json.h"
#include "vigil/update/boot_state.h"
#include "vigil/update/installer.h"
#include "vigil/update/release_policy.h"
#include "vigil/update/rollback_counter.h"

namespace {

template <typename T>
void RoundTrip(vigil::ByteView bytes) {
  auto parsed = T::Parse(bytes, "fuzz");
  if (!parsed) return;
  vigil::Bytes out = parsed->Serialize();
  auto again = T::Parse(out, "fuzz");
  if (!again || again->Serialize() != out) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vigil::ByteView bytes(data, size);
  RoundTrip<vigil::update::BootState>(bytes);
  RoundTrip<vigil::update::InstallerConfig>(bytes);
  if (auto counter = vigil::update::RollbackCounter::Parse(bytes, "fuzz")) {
    auto again = vigil::update::RollbackCounter::Parse(
        vigil::update::RollbackCounter::Serialize(*counter), "fuzz");
    if (!again || *again != *counter) std::abort();
  }
  auto custom = vigil::json::Parse(vigil::AsStringView(bytes), "fuzz");
  if (custom) {
    auto r = vigil::update::TargetRelease::FromCustom(*custom, "fuzz");
    if (r && r->security_version < UINT64_MAX) {
      // Accepted releases obey the policy's own laws: the counter is a floor.
      if (vigil::update::CheckInstallAllowed(*r, "fuzz", r->security_version + 1, std::nullopt)) {
        std::abort();
      }
    }
  }
  return 0;
}
