// The compiled-advisory decoder on arbitrary bytes (a damaged database): it never crashes or
// over-allocates; a refusal is InvalidArgument on one line naming the source; what it accepts
// encodes and decodes back to itself.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "internal/advisory_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto adv = vigil::vuln::internal::DecodeAdvisory(bytes, "db: advisory X");
  if (!adv) {
    const std::string& m = adv.error().message();
    if (adv.error().code() != vigil::ErrorCode::kInvalidArgument ||
        m.rfind("db: advisory X: compiled advisory, field ", 0) != 0 ||
        m.find('\n') != std::string::npos) {
      __builtin_trap();
    }
    return 0;
  }
  auto again =
      vigil::vuln::internal::DecodeAdvisory(vigil::vuln::internal::EncodeAdvisory(*adv), "again");
  if (!again || !(*again == *adv)) __builtin_trap();
  return 0;
}
