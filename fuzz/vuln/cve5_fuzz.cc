// CVE JSON 5 reader and the CVE 5 matching rules on arbitrary bytes: a refusal is one line
// naming the source; an accepted record survives the compiled form's round trip unchanged and
// can be decided for a component without crashing (every version entry, whatever its strings,
// goes through the release ordering, the "x.y.*" bounds and the changes).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/vuln/feeds.h"
#include "internal/advisory_codec.h"
#include "internal/match_rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil::vuln;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto adv = ParseCve5Record(text, "fuzz.json");
  if (!adv) {
    const std::string& m = adv.error().message();
    if (m.rfind("fuzz.json: ", 0) != 0 || m.find('\n') != std::string::npos) __builtin_trap();
    return 0;
  }
  auto back = internal::DecodeAdvisory(internal::EncodeAdvisory(*adv), "again");
  if (!back || !(*back == *adv)) __builtin_trap();
  for (const Cve5Product& p : adv->products) {
    vigil::sbom::Component c;
    c.name = p.product;
    for (const char* version : {"1.0", "6.6.84", "1.1.1w", "v4.0.0"}) {
      c.version = version;
      internal::CveComponent component{std::nullopt, internal::NamesOf(c), version};
      (void)internal::MatchCve(nullptr, &*adv, component, {});
    }
    (void)internal::ProductKeys(p.product, p.vendor);
  }
  (void)internal::GivesVersions(*adv);
  return 0;
}
