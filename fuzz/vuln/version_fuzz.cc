// Version parsing and ordering for every scheme on arbitrary text. The input is split at the
// first newline into two versions; ordering must be antisymmetric and reflexive.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vigil/vuln/version.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using vigil::vuln::Version;
  using vigil::vuln::VersionScheme;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t nl = text.find('\n');
  std::string_view a = text.substr(0, nl);
  std::string_view b = nl == std::string_view::npos ? text : text.substr(nl + 1);
  for (int s = 0; s <= static_cast<int>(VersionScheme::kGeneric); ++s) {
    auto scheme = static_cast<VersionScheme>(s);
    auto va = Version::Parse(scheme, a);
    auto vb = Version::Parse(scheme, b);
    if (va && va->Compare(*va) != 0) __builtin_trap();
    if (!va || !vb) continue;
    auto ab = va->Compare(*vb), ba = vb->Compare(*va);
    if ((ab < 0) != (ba > 0) || (ab == 0) != (ba == 0)) __builtin_trap();
  }
  (void)vigil::vuln::IsGoPseudoVersion(a);
  return 0;
}
