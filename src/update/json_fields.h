// Typed access to one JSON value that knows its own path, so every metadata error can say which
// file, which field and which rule: Field(doc, "root.json").Child("signed").Child("version")
// reports "root.json.signed.version: expected an integer >= 1, found string".
//
// Thread-safety: a view over a json value; as thread-safe as that value.
#ifndef VIGIL_SRC_UPDATE_JSON_FIELDS_H_
#define VIGIL_SRC_UPDATE_JSON_FIELDS_H_

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"

namespace vigil::update::internal {

class Field {
 public:
  // `value` must outlive the Field. A missing child is represented by a null `value` pointer.
  Field(const nlohmann::json& value, std::string path) : value_(&value), path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  // Precondition: present (checked by every typed accessor first).
  const nlohmann::json& value() const { return *value_; }
  bool Has(const std::string& key) const;

  // Member `key` of an object; a missing member yields a Field whose accessors fail with
  // "required field missing".
  Field Child(const std::string& key) const;
  Field Index(size_t i) const;

  Status ExpectObject() const;
  Status ExpectArray() const;
  Result<std::string> String() const;
  Result<bool> Bool() const;
  // Non-negative integer; floats, booleans and negatives are rejected.
  Result<uint64_t> Integer() const;
  Result<uint64_t> PositiveInteger() const;

  // InvalidArgument "<path>: <rule>".
  Error Invalid(const std::string& rule) const;

 private:
  Field(const nlohmann::json* value, std::string path) : value_(value), path_(std::move(path)) {}
  Status ExpectPresent() const;
  const nlohmann::json* value_;
  std::string path_;
};

// A "hashes" object: algorithm name → non-empty hex digest (may be empty as a whole).
Result<std::map<std::string, Bytes>> ReadHashes(const Field& f);

// One of the installer's own state files: `bytes` must be a JSON object whose "format" member
// is exactly `format`. InvalidArgument naming `where` otherwise.
Result<nlohmann::json> ParseStateDocument(ByteView bytes, const std::string& where,
                                          std::string_view format);

}  // namespace vigil::update::internal

#endif  // VIGIL_SRC_UPDATE_JSON_FIELDS_H_
