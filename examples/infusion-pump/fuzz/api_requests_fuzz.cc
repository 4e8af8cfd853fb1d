// Fuzz target: every management-API body reader (api_requests.h), each fed every input (the
// bodies arrive from the network before any authentication).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api_requests.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)pump::ParseLoginRequest(body);
  (void)pump::ParseAccountRequest(body);
  (void)pump::ParseConfirmRequest(body);
  (void)pump::ParseBreakGlassRequest(body);
  (void)pump::ParseReviewClose(body);
  (void)pump::ParseProgramCommand(body);
  (void)pump::ParseLibraryCommand(body);
  (void)pump::ParseDecommissionCommand(body);
  (void)pump::ParseUpdateCommand(body);
  (void)pump::ParseTagOnlyCommand(body);
  return 0;
}
