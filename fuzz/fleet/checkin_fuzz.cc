// fleet::ParseCheckin on arbitrary bytes: never crashes; a refusal is one line starting with the
// source name, InvalidArgument or (over a limit) ResourceExhausted; an accepted body has a slot,
// a slot status and a release, a counter within int64 and at most 64 proof hashes, and parses the
// same when written back with EncodeProof.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/fleet/checkin.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = vigil::fleet::ParseCheckin(text, "checkin.json");
  if (!r) {
    const std::string& m = r.error().message();
    const auto code = r.error().code();
    if (code != vigil::ErrorCode::kInvalidArgument &&
        code != vigil::ErrorCode::kResourceExhausted) {
      __builtin_trap();
    }
    if (m.find('\n') != std::string::npos || m.rfind("checkin.json: ", 0) != 0) __builtin_trap();
    return 0;
  }
  if (r->release.empty() || (r->slot != "a" && r->slot != "b")) __builtin_trap();
  if (r->slot_status.empty() || r->consistency.size() > 64) __builtin_trap();
  if (r->security_counter > static_cast<uint64_t>(INT64_MAX)) __builtin_trap();
  if (vigil::fleet::EncodeProof(r->consistency).size() != r->consistency.size()) __builtin_trap();
  return 0;
}
