// Strict JSON reader + canonical encoders, differentially against nlohmann::json:
//  - never crash; a rejection names the document it was given;
//  - what nlohmann rejects, we reject; what we reject and nlohmann accepts is one of our stricter
//    rules (duplicate keys, nesting depth, a byte order mark);
//  - what both accept is the same value;
//  - the canonical form depends only on the value: our reader's canonical bytes (copied when the
//    input was written canonically, written otherwise) equal the nlohmann-based writer's, and
//    re-serialising with nlohmann's writer and reading that again gives the same bytes.
// (Canonical JSON itself is not re-parsed: OLPC writes control characters raw, which strict JSON
// forbids.)
#include <cstdlib>

#include "internal/json_doc.h"
#include "internal/nlohmann_bridge.h"
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
  using vigil::update::internal::JsonDoc;
  std::string_view text = vigil::AsStringView(vigil::ByteView(data, size));
  nlohmann::json theirs =
      nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  // nlohmann's lexer takes a NUL byte for the end of the input, so "2\0\x04\n" reads as the
  // number 2. RFC 8259 allows a raw NUL nowhere (not between tokens, not inside a string), so
  // for any input holding one the right verdict is "invalid", whatever nlohmann says.
  if (text.find('\0') != std::string_view::npos)
    theirs = nlohmann::json(nlohmann::json::value_t::discarded);
  auto doc = JsonDoc::Parse(text, "fuzz");
  auto parsed = vigil::update::ParseStrictJson(text, "fuzz");
  if (doc.has_value() != parsed.has_value()) std::abort();
  if (!parsed) {
    // Rejections name the document they were given.
    if (!parsed.error().message().starts_with("fuzz: ")) std::abort();
    if (parsed.error().message().find('\n') != std::string::npos) std::abort();
    if (!theirs.is_discarded() && !StricterRule(parsed.error().message())) std::abort();
    return 0;
  }
  if (theirs.is_discarded() || theirs != vigil::update::internal::ToNlohmann(*parsed)) {
    std::abort();
  }
  auto canonical = vigil::update::CanonicalJson(*parsed);
  auto ours = doc->Canonical(0);
  auto written = doc->CanonicalWritten(0);
  if (ours.has_value() != written.has_value()) std::abort();
  // json::Value holds an integer above INT64_MAX as a double, so CanonicalJson refuses what
  // JsonDoc (integers up to UINT64_MAX) still writes: the one accepted difference.
  if (!canonical && ours &&
      canonical.error().message().find("found a number") != std::string::npos) {
    return 0;
  }
  if (canonical.has_value() != ours.has_value()) std::abort();
  if (canonical && (*canonical != *ours || *ours != *written)) std::abort();
  auto again = vigil::update::ParseStrictJson(vigil::json::Write(*parsed), "fuzz dump");
  if (!again) std::abort();
  auto canonical2 = vigil::update::CanonicalJson(*again);
  if (canonical.has_value() != canonical2.has_value()) std::abort();
  if (canonical && *canonical != *canonical2) std::abort();
  return 0;
}
