// The update module's strict JSON reader (the core layer with TUF's limits) and canonical
// encoder, differentially against nlohmann::json:
//  - never crash; a rejection names the document it was given and is one line;
//  - what nlohmann rejects, we reject; what we reject and nlohmann accepts is one of our stricter
//    rules (duplicate keys, nesting depth, a byte order mark);
//  - what both accept is the same value (our value written out and read by nlohmann);
//  - the canonical form depends only on the value: writing the value out and reading it again
//    gives the same canonical bytes.
// (Canonical JSON itself is not re-parsed: OLPC writes control characters raw, which strict JSON
// forbids.)
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "vigil/core/bytes.h"
#include "vigil/update/canonical_json.h"

namespace {

bool StricterRule(const std::string& message) {
  return message.find("duplicate object key") != std::string::npos ||
         message.find("nesting deeper than") != std::string::npos ||
         message.find("byte order mark") != std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = vigil::AsStringView(vigil::ByteView(data, size));
  nlohmann::json theirs =
      nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  // nlohmann's lexer takes a NUL byte for the end of the input, so "2\0\x04\n" reads as the
  // number 2. RFC 8259 allows a raw NUL nowhere (not between tokens, not inside a string), so
  // for any input holding one the right verdict is "invalid", whatever nlohmann says.
  if (text.find('\0') != std::string_view::npos)
    theirs = nlohmann::json(nlohmann::json::value_t::discarded);
  auto parsed = vigil::update::ParseStrictJson(text, "fuzz");
  if (!parsed) {
    // Rejections name the document they were given.
    if (!parsed.error().message().starts_with("fuzz: ")) std::abort();
    if (parsed.error().message().find('\n') != std::string::npos) std::abort();
    if (!theirs.is_discarded() && !StricterRule(parsed.error().message())) std::abort();
    return 0;
  }
  std::string ours = vigil::json::Write(*parsed);
  if (theirs.is_discarded() ||
      theirs != nlohmann::json::parse(ours, nullptr, /*allow_exceptions=*/false)) {
    std::abort();
  }
  auto canonical = vigil::update::CanonicalJson(*parsed);
  auto again = vigil::update::ParseStrictJson(ours, "fuzz dump");
  if (!again) std::abort();
  auto canonical2 = vigil::update::CanonicalJson(*again);
  if (canonical.has_value() != canonical2.has_value()) std::abort();
  if (canonical && *canonical != *canonical2) std::abort();
  return 0;
}
