// risk::cvss::Evaluate on arbitrary bytes: never crashes; a refusal is one InvalidArgument line
// naming the vector's version; an accepted vector scores on the one-decimal grid within
// [0, 10], rates with the severity of that score, spells out as many metrics as it has parts,
// and scores the same when evaluated again.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/risk/cvss.h"

namespace {

bool OnGrid(double x) { return x >= 0 && x <= 10 && std::fabs(x * 10 - std::round(x * 10)) < 1e-9; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace cvss = vigil::risk::cvss;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto s = cvss::Evaluate(text);
  if (!s) {
    const std::string& m = s.error().message();
    if (s.error().code() != vigil::ErrorCode::kInvalidArgument) __builtin_trap();
    if (m.find('\n') != std::string::npos || m.rfind("CVSS", 0) != 0) __builtin_trap();
    return 0;
  }
  if (!OnGrid(s->base) || !OnGrid(s->score)) __builtin_trap();
  if (s->temporal && !OnGrid(*s->temporal)) __builtin_trap();
  if (s->environmental && !OnGrid(*s->environmental)) __builtin_trap();
  if (s->severity != cvss::SeverityOf(s->version, s->score)) __builtin_trap();
  size_t parts = 1;
  for (char c : text) parts += c == '/';
  if (s->version != cvss::Version::kV2_0) --parts;  // the "CVSS:x.y" prefix
  if (s->metrics.size() != parts) __builtin_trap();
  auto again = cvss::Evaluate(text);
  if (!again || again->score != s->score || again->base != s->base) __builtin_trap();
  return 0;
}
