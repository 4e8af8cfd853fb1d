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

  // The JSON path, e.g. "root.json: signed.keys[\"ab\"]". Built on demand: the readers visit
  // every member of metadata with 10,000 targets, and only an error needs the text.
  std::string path() const;
  // Precondition: present (checked by every typed accessor first).
  const nlohmann::json& value() const { return *value_; }
  bool Has(std::string_view key) const;

  // Member `key` of an object; a missing member yields a Field whose accessors fail with
  // "required field missing". The child refers to this Field (and, for a missing member, to
  // `key`) for its path: it must not outlive either. Use it within the reader that made it.
  Field Child(std::string_view key) const;
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
  Field(const nlohmann::json* value, const Field* parent, std::string_view key)
      : value_(value), parent_(parent), key_(key) {}
  Field(const nlohmann::json* value, const Field* parent, size_t index)
      : value_(value), parent_(parent), is_index_(true), index_(index) {}
  Status ExpectPresent() const;
  void AppendPath(std::string& out) const;

  const nlohmann::json* value_;
  const Field* parent_ = nullptr;  // null for the Field a reader starts from
  std::string_view key_;           // member name under parent_
  bool is_index_ = false;          // an array element of parent_ rather than a member
  size_t index_ = 0;               // its index
  std::string path_;               // the starting Field's path
};

// A "hashes" object: algorithm name → non-empty hex digest (may be empty as a whole).
Result<std::map<std::string, Bytes>> ReadHashes(const Field& f);

// One of the installer's own state files: `bytes` must be a JSON object whose "format" member
// is exactly `format`. InvalidArgument naming `where` otherwise.
Result<nlohmann::json> ParseStateDocument(ByteView bytes, const std::string& where,
                                          std::string_view format);

}  // namespace vigil::update::internal

#endif  // VIGIL_SRC_UPDATE_JSON_FIELDS_H_
