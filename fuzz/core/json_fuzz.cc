// json::Parse on arbitrary bytes: never crashes; an error is one line naming the document; what
// we accept nlohmann accepts too (we are the stricter reader: what only nlohmann accepts must be
// a duplicate key, nesting past our limit, a number out of range or a leading byte order mark,
// which nlohmann skips; nlohmann also stops reading at a NUL byte, so it accepts "{}\0junk"
// and inputs with a NUL are compared only one way), and what we accept
// survives compact, pretty and canonical writing and reading back unchanged. Parse says the text
// is canonical exactly when it is its value's canonical form.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "vigil/core/json.h"

namespace {

bool Contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

void CheckRoundTrip(const vigil::json::Value& v, const std::string& text) {
  auto back = vigil::json::Parse(text, "written.json");
  if (!back || !(*back == v)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  vigil::json::Limits limits;
  limits.max_depth = 16;
  bool canonical_text = false;
  auto ours = vigil::json::Parse(text, "fuzz.json", limits, &canonical_text);
  bool theirs = nlohmann::json::accept(text);
  if (!ours) {
    if (canonical_text) __builtin_trap();
    const std::string& m = ours.error().message();
    if (m.rfind("fuzz.json: ", 0) != 0 || Contains(m, "\n")) __builtin_trap();
    bool has_nul = text.find('\0') != std::string_view::npos;
    if (theirs && !has_nul && !Contains(m, "duplicate object key") &&
        !Contains(m, "nesting deeper") && !Contains(m, "out of range") &&
        !Contains(m, "byte order mark")) {
      __builtin_trap();
    }
    return 0;
  }
  if (!theirs) __builtin_trap();
  CheckRoundTrip(*ours, vigil::json::Write(*ours));
  CheckRoundTrip(*ours, vigil::json::Write(*ours, 2));
  // Canonical JSON writes control characters raw (OLPC), which strict JSON refuses: such a form
  // is only checked to be the same as that of the value read back from the compact form.
  auto canonical = vigil::json::Canonical(*ours);
  if (canonical_text != (canonical && *canonical == text)) {
    __builtin_trap();
  }
  if (!canonical) return 0;
  auto again = vigil::json::Canonical(*vigil::json::Parse(vigil::json::Write(*ours), "w.json"));
  if (!again || *again != *canonical) __builtin_trap();
  bool raw_control = std::any_of(canonical->begin(), canonical->end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x20; });
  if (!raw_control) CheckRoundTrip(*ours, *canonical);
  return 0;
}
