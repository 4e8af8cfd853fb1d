// Strict JSON reading and OLPC canonical JSON writing, the byte form TUF signs.
//
// TUF signatures cover the canonical JSON (http://wiki.laptop.org/go/Canonical_JSON, as used by
// python-tuf/securesystemslib) of a metadata file's "signed" object: object keys sorted by their
// UTF-8 bytes, no insignificant whitespace, integers only (no fractions, no exponents), strings
// with only '"' and '\' escaped and every other byte written as is.
//
// Both are the core JSON layer (vigil/core/json.h) with the update module's limits: it rejects
// what a permissive parser would quietly resolve and what an attacker could use to make two
// readers disagree about signed content: duplicate object keys, nesting deeper than
// kMaxJsonDepth, invalid UTF-8, unpaired surrogates, a byte order mark, trailing bytes. Every
// JSON document the module reads (TUF metadata, the repository's staged files, the installer's
// state files) goes through ParseStrictJson and is read with json::Node.
//
// Thread-safety: pure functions.
#ifndef VIGIL_UPDATE_CANONICAL_JSON_H_
#define VIGIL_UPDATE_CANONICAL_JSON_H_

#include <string>
#include <string_view>

#include "vigil/core/json.h"
#include "vigil/core/result.h"

namespace vigil::update {

// Deepest nesting of arrays/objects accepted (TUF metadata needs 6).
inline constexpr int kMaxJsonDepth = 32;

// Parses one JSON document. InvalidArgument "<where>: malformed JSON at byte N: ... (in <JSON
// path>)" (e.g. where = "timestamp.json") for syntax errors, invalid UTF-8, nesting beyond
// kMaxJsonDepth, trailing data; "<where>: <path>: duplicate key \"k\"". Never throws.
// `canonical_text`, when given, is set as json::Parse sets it (whether `text` is its value's
// canonical form).
Result<json::Value> ParseStrictJson(std::string_view text, std::string_view where,
                                    bool* canonical_text = nullptr);

// The OLPC canonical form of `value` (json::Canonical). InvalidArgument naming the JSON path if
// the value holds a number that is not an integer within int64, which canonical JSON cannot
// represent.
Result<std::string> CanonicalJson(const json::Value& value);

}  // namespace vigil::update

#endif  // VIGIL_UPDATE_CANONICAL_JSON_H_
