// threat::ReadModel on arbitrary bytes, as the root file and as every file it includes
// ("inc.yaml" and "sub/inc.yaml" hold the same bytes, so includes, repeated includes and cycles
// are all reachable): never crashes or hangs; a refusal is one line naming one of the files; an
// accepted model has a device, and every reference in it resolves.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "vigil/threat/model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace threat = vigil::threat;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::map<std::string, std::string> files = {
      {"model.yaml", text}, {"inc.yaml", text}, {"sub/inc.yaml", text}};
  auto m = threat::ReadModel("model.yaml", [&](const std::string& p) -> vigil::Result<std::string> {
    auto it = files.find(p);
    if (it == files.end()) return vigil::NotFoundError(p + ": no such file");
    return it->second;
  });
  if (!m) {
    const std::string& msg = m.error().message();
    if (msg.find('\n') != std::string::npos) __builtin_trap();
    if (msg.rfind("model.yaml", 0) != 0 && msg.rfind("inc.yaml", 0) != 0 &&
        msg.rfind("sub/inc.yaml", 0) != 0) {
      __builtin_trap();
    }
    return 0;
  }
  if (m->device.name.empty() || m->files.empty()) __builtin_trap();
  for (const threat::Link& l : m->links) {
    if (!m->FindAsset(l.from) || !m->FindAsset(l.to)) __builtin_trap();
  }
  for (const threat::Asset& a : m->assets) {
    if (!m->FindBoundary(a.boundary)) __builtin_trap();
    for (const std::string& f : a.supports) {
      if (!m->FindFunction(f)) __builtin_trap();
    }
  }
  return 0;
}
