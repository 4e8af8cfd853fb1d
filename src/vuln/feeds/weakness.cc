#include "vigil/vuln/weakness.h"

namespace vigil::vuln {

bool IsCweId(std::string_view id) {
  if (id.size() < 5 || id.size() > 10 || id.substr(0, 4) != "CWE-" || id[4] == '0') return false;
  for (char c : id.substr(4)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool AddWeakness(std::vector<Weakness>& list, std::string_view id, std::string_view name) {
  if (!IsCweId(id)) return false;
  for (Weakness& w : list) {
    if (w.id != id) continue;
    if (w.name.empty()) w.name = name;
    return true;
  }
  list.push_back({std::string(id), std::string(name)});
  return true;
}

const Weakness* CsafWeakness(std::span<const Weakness> list) {
  for (const Weakness& w : list) {
    if (!w.name.empty()) return &w;
  }
  return nullptr;
}

}  // namespace vigil::vuln
