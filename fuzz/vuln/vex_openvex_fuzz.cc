// OpenVEX 0.2.0 reader on arbitrary bytes. Invariants: a failure is one line naming the document
// ("fuzz.json: <JSON path>: <problem>"); a success yields statements whose traces name the
// document, and applying them to a finding never crashes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vex_fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  vigil::vuln::fuzz::CheckRead(vigil::vuln::ReadOpenVex(text, "fuzz.json"));
  return 0;
}
