// Format detection and SBOM comparison.
#include "vigil/sbom/sbom_reader.h"

#include <map>

#include "format_readers.h"
#include "vigil/core/encoding.h"
#include "vigil/core/json.h"

namespace vigil::sbom {
namespace {

// Looks for a top-level key without parsing the whole document twice: the readers parse it.
bool Mentions(std::string_view json, std::string_view needle) {
  return json.find(needle) != std::string_view::npos;
}

std::string IdentityKey(const Component& c) {
  if (c.purl) {
    return "purl:" + c.purl->type() + "/" + c.purl->ns().value_or("") + "/" + c.purl->name();
  }
  return "name:" + c.group + "/" + c.name;
}

// `release`: the caller's text that `json` views, or null (see format_readers.h).
Result<Sbom> ReadAnySbom(std::string_view json, std::string_view source,
                         const CycloneDxReadOptions& options, Bytes* release) {
  if (Mentions(json, "\"bomFormat\"")) {
    return internal::ReadCycloneDxJson(json, source, options, release);
  }
  if (Mentions(json, "\"spdxVersion\"")) return internal::ReadSpdx2Json(json, source, release);
  if (Mentions(json, "\"@context\"") && Mentions(json, "spdx.org")) {
    return internal::ReadSpdx3JsonLd(json, source, release);
  }
  // None of the keys: a truncated or garbage file is that, before it is the wrong document
  // ("malformed JSON at byte N"); only well-formed JSON is told it is not an SBOM. The parse
  // happens only on this error path.
  json::Limits limits;
  limits.max_bytes = json.size();
  if (auto parsed = json::Parse(json, source, limits); !parsed) return parsed.error();
  return InvalidArgumentError(std::string(source) +
                              ": $: not a CycloneDX or SPDX JSON document (expected a "
                              "\"bomFormat\", \"spdxVersion\" or SPDX \"@context\" key)");
}

}  // namespace

Result<Sbom> ReadSbom(std::string_view json, std::string_view source,
                      const CycloneDxReadOptions& options) {
  return ReadAnySbom(json, source, options, nullptr);
}

Result<Sbom> ReadSbom(Bytes json, std::string_view source, const CycloneDxReadOptions& options) {
  return ReadAnySbom(AsStringView(json), source, options, &json);
}

SbomDiff DiffSboms(const Sbom& before, const Sbom& after) {
  std::multimap<std::string, const Component*> old_by_key;
  for (const Component& c : before.components) old_by_key.emplace(IdentityKey(c), &c);
  SbomDiff diff;
  for (const Component& c : after.components) {
    auto it = old_by_key.find(IdentityKey(c));
    if (it == old_by_key.end()) {
      diff.added.push_back(&c);
      continue;
    }
    // Prefer an exact version match among same-identity components (several versions of one
    // package can coexist).
    auto range = old_by_key.equal_range(it->first);
    for (auto r = range.first; r != range.second; ++r) {
      if (r->second->version == c.version) it = r;
    }
    const Component* old = it->second;
    if (old->version != c.version || old->purl != c.purl || old->cpe_text != c.cpe_text ||
        old->hashes != c.hashes) {
      diff.changed.emplace_back(old, &c);
    }
    old_by_key.erase(it);
  }
  for (const auto& [key, c] : old_by_key) diff.removed.push_back(c);
  return diff;
}

}  // namespace vigil::sbom
