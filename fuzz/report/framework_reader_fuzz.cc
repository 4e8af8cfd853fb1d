// report::ParseFramework on arbitrary bytes: never crashes or hangs; a refusal is one line
// starting with the file's name; an accepted framework has an id and requirements with unique,
// non-empty ids.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "vigil/report/framework.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace report = vigil::report;
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto f = report::ParseFramework(text, "fw.yaml");
  if (!f) {
    const std::string& msg = f.error().message();
    if (msg.find('\n') != std::string::npos || msg.rfind("fw.yaml", 0) != 0) __builtin_trap();
    return 0;
  }
  if (f->id.empty() || f->requirements.empty()) __builtin_trap();
  std::set<std::string> ids;
  for (const report::Requirement& r : f->requirements) {
    if (r.id.empty() || !ids.insert(r.id).second) __builtin_trap();
  }
  return 0;
}
