// simdjson DOM field access with errors that name the document and the JSON path: the fast
// backend of the JSON reading layer, used by the readers of large documents (CycloneDX and
// SPDX SBOMs, NVD, OSV, CVE 5 and KEV feeds).
//
// Every error is InvalidArgument "<source>: <path>: <problem>".
//
// simdjson is used with exceptions off (SIMDJSON_EXCEPTIONS=0, set by vigil::core for every
// user): every access returns an error code, so nothing throws across the module edge.
#ifndef VIGIL_CORE_JSON_FIELDS_H_
#define VIGIL_CORE_JSON_FIELDS_H_

#include <simdjson.h>

#if SIMDJSON_EXCEPTIONS
#error "vigil/core/json_fields.h needs simdjson without exceptions (SIMDJSON_EXCEPTIONS=0)"
#endif

#include <optional>
#include <string>
#include <string_view>

#include "vigil/core/bytes.h"
#include "vigil/core/encoding.h"
#include "vigil/core/result.h"

namespace vigil::json {

class JsonFields {
 public:
  explicit JsonFields(std::string_view source) : source_(source) {}

  // The problem often quotes the document's own text; OneLine keeps a line break in it from
  // splitting the one-line error (found by fuzz_cyclonedx).
  Error Fail(const std::string& path, const std::string& problem) const {
    return InvalidArgumentError(source_ + ": " + OneLine(path) + ": " + OneLine(problem));
  }
  // Optional string member; "" when absent; fails when present but not a string.
  Result<std::string> OptString(simdjson::dom::object obj, std::string_view key,
                                const std::string& path) const;
  // Required string member.
  Result<std::string> ReqString(simdjson::dom::object obj, std::string_view key,
                                const std::string& path) const;
  Result<simdjson::dom::object> AsObject(simdjson::dom::element e, const std::string& path) const;
  // Optional array member; nullopt when absent.
  Result<std::optional<simdjson::dom::array>> OptArray(simdjson::dom::object obj,
                                                       std::string_view key,
                                                       const std::string& path) const;

  // The same three for a member the caller already looked up (nullopt when absent), e.g. in
  // one pass over an object's members where looking each key up would scan the object again;
  // errors name `key` under `path` exactly as above.
  using Member = std::optional<simdjson::dom::element>;
  Result<std::string> OptString(const Member& value, std::string_view key,
                                const std::string& path) const;
  Result<std::string> ReqString(const Member& value, std::string_view key,
                                const std::string& path) const;
  Result<std::optional<simdjson::dom::array>> OptArray(const Member& value, std::string_view key,
                                                       const std::string& path) const;
  // obj[key], nullopt when absent.
  static Member Get(simdjson::dom::object obj, std::string_view key);
  // Parses `json` into `parser` and returns its root object.
  Result<simdjson::dom::object> ParseRoot(simdjson::dom::parser& parser,
                                          std::string_view json) const;
  // Parses `json` into `doc`, which alone keeps the parse (tape and strings), and returns its
  // root object: the padded copy of the text and the parser's structural index are freed before
  // this returns. `release`, when given, is the caller's text (`json` may view it): it is freed
  // as soon as it has been copied, so a large document's text is not held beside its parse and
  // the model built from it (the 300,000-component SBOM: 88 MiB of text, 42 MiB of index).
  Result<simdjson::dom::object> ParseRoot(simdjson::dom::document& doc, std::string_view json,
                                          Bytes* release = nullptr) const;

  // "array", "object", "string", "number", "boolean" or "null".
  static std::string Describe(simdjson::dom::element e);
  // An empty array that can be iterated (a default-constructed dom::array cannot).
  static simdjson::dom::array EmptyArray();

 private:
  std::string source_;
};

// "a.b" / "b" when `parent` is empty.
inline std::string JoinPath(const std::string& parent, std::string_view child) {
  return parent.empty() ? std::string(child) : parent + "." + std::string(child);
}
inline std::string IndexPath(const std::string& parent, std::string_view key, size_t i) {
  return JoinPath(parent, key) + "[" + std::to_string(i) + "]";
}

}  // namespace vigil::json

#endif  // VIGIL_CORE_JSON_FIELDS_H_
