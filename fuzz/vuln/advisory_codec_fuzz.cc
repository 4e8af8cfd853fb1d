// The compiled-advisory decoder on arbitrary bytes (a damaged database): it never crashes or
// over-allocates; a refusal is InvalidArgument on one line naming the source; what it accepts
// encodes and decodes back to itself, and decodes the same into an advisory that held the last
// input's (as a scan reuses one); the scan's split decoding agrees with it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "internal/advisory_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static vigil::vuln::Advisory reused;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto adv = vigil::vuln::internal::DecodeAdvisory(bytes, "db: advisory X");
  vigil::Status into = vigil::vuln::internal::DecodeAdvisoryInto(bytes, "db: advisory X", reused);
  if (into.has_value() != adv.has_value() || (adv && !(reused == *adv))) __builtin_trap();
  // The scan's split decoding accepts exactly the same bytes, with the same message, and views
  // what the full decoding copies.
  static vigil::vuln::Advisory rest;
  static vigil::vuln::internal::OsvView view;
  vigil::Status split =
      vigil::vuln::internal::DecodeAdvisorySplit(bytes, "db: advisory X", rest, view);
  if (split.has_value() != adv.has_value()) __builtin_trap();
  if (!adv && split.error().message() != adv.error().message()) __builtin_trap();
  if (adv) {
    vigil::vuln::internal::OsvView expected;
    vigil::vuln::internal::ViewOf(*adv, expected);
    if (!(view == expected) || !rest.affected.empty()) __builtin_trap();
  }
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
