// server::ParseProductRequest on arbitrary bytes: never crashes; a refusal is InvalidArgument in
// one line starting with the source name; an accepted body has a name.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/server/api_requests.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = vigil::server::ParseProductRequest(text, "POST /api/v1/x");
  if (!r) {
    const std::string& m = r.error().message();
    if (r.error().code() != vigil::ErrorCode::kInvalidArgument) __builtin_trap();
    if (m.find('\n') != std::string::npos || m.rfind("POST /api/v1/x: ", 0) != 0) __builtin_trap();
    return 0;
  }
  if (r->name.empty()) __builtin_trap();
  return 0;
}
