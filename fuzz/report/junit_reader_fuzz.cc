// report::ReadJunit on arbitrary bytes: never crashes or hangs; a refusal is one line starting
// with the file's name and adds nothing to the evidence; an accepted file adds tests that all
// have a name and an outcome other than missing.
#include <cstddef>
#include <cstdint>
#include <string>

#include "vigil/report/evidence.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace report = vigil::report;
  const std::string text(reinterpret_cast<const char*>(data), size);
  report::Evidence e;
  vigil::Status s = report::ReadJunit(text, "ctest.xml", e);
  if (!s) {
    const std::string& msg = s.error().message();
    if (msg.find('\n') != std::string::npos || msg.rfind("ctest.xml:", 0) != 0) __builtin_trap();
    if (!e.tests.empty() || !e.files.empty()) __builtin_trap();
    return 0;
  }
  for (const auto& [name, t] : e.tests) {
    if (name.empty() || t.name != name || t.outcome == report::TestOutcome::kMissing)
      __builtin_trap();
  }
  return 0;
}
