// Typed access to JSON values that know their own path, so every error can say which file, which
// field and which rule.
#ifndef VIGIL_SRC_UPDATE_JSON_FIELDS_H_
#define VIGIL_SRC_UPDATE_JSON_FIELDS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "internal/json_doc.h"
#include "vigil/core/bytes.h"
#include "vigil/core/encoding.h"
#include "vigil/core/result.h"

namespace vigil::update::internal {

// The path half of a field: where a value sits in its document, built into text only when an
// error needs it (the readers visit every member of metadata with 10,000 targets).
class FieldPath {
 public:
  // The JSON path, e.g. "root.json: signed.keys[\"a.b\"].keytype".
  std::string path() const;
  // InvalidArgument "<path>: <rule>".
  Error Invalid(const std::string& rule) const;

 protected:
  explicit FieldPath(std::string path) : path_(std::move(path)) {}
  // A member `key` / element `index` of `parent`, which must outlive this (and `key` too).
  FieldPath(const FieldPath* parent, std::string_view key) : parent_(parent), key_(key) {}
  FieldPath(const FieldPath* parent, size_t index)
      : parent_(parent), is_index_(true), index_(index) {}
  // "<path>: required field missing"; "<path>: expected <what>, found <found>".
  Error Missing() const { return Invalid("required field missing"); }
  Error Mismatch(std::string_view expected, std::string_view found) const;

 private:
  void AppendPath(std::string& out) const;

  const FieldPath* parent_ = nullptr;  // null for the field a reader starts from
  std::string_view key_;               // member name under parent_
  bool is_index_ = false;              // an array element of parent_ rather than a member
  size_t index_ = 0;                   // its index
  std::string path_;                   // the starting field's path
};

// Typed access to a nlohmann::json value that knows its own path, so every error can say which
// file, which field and which rule: Field(doc, "root.json").Child("signed").Child("version")
// reports "root.json.signed.version: expected an integer >= 1, found string". Used for the
// module's own state files; TUF metadata is read through DocField below.
//
// Thread-safety: a view over a json value; as thread-safe as that value.
class Field : public FieldPath {
 public:
  // `value` must outlive the Field. A missing child is represented by a null `value` pointer.
  Field(const nlohmann::json& value, std::string path)
      : FieldPath(std::move(path)), value_(&value) {}

  // Precondition: present (checked by every typed accessor first).
  const nlohmann::json& value() const { return *value_; }
  bool Has(std::string_view key) const;

  // Member `key` of an object; a missing member yields a Field whose accessors fail with
  // "required field missing". The child refers to this Field (and, for a missing member, to
  // `key`) for its path: it must not outlive either. Use it within the reader that made it.
  Field Child(std::string_view key) const;
  Field Index(size_t i) const;
  // Calls fn(name, child) for each member of an object, in name order, until one fails.
  Status ForEachMember(const std::function<Status(std::string_view, const Field&)>& fn) const;

  Status ExpectObject() const;
  Status ExpectArray() const;
  Result<std::string> String() const;
  // The same without a copy; valid while the json value is.
  Result<std::string_view> StringView() const;
  Result<bool> Bool() const;
  // Non-negative integer; floats, booleans and negatives are rejected.
  Result<uint64_t> Integer() const;
  Result<uint64_t> PositiveInteger() const;

 private:
  Field(const nlohmann::json* value, const Field* parent, std::string_view key)
      : FieldPath(parent, key), value_(value) {}
  Field(const nlohmann::json* value, const Field* parent, size_t index)
      : FieldPath(parent, index), value_(value) {}
  Status ExpectPresent() const;

  const nlohmann::json* value_;
};

// The same typed access over a value of a JsonDoc (src/update/internal/json_doc.h): what the TUF
// metadata readers walk, in place, without building a nlohmann tree.
//
// Thread-safety: a view over an immutable document.
class DocField : public FieldPath {
 public:
  // `doc` must outlive the field.
  DocField(const JsonDoc& doc, JsonDoc::Id id, std::string path)
      : FieldPath(std::move(path)), doc_(&doc), id_(id) {}

  bool present() const { return id_ != JsonDoc::kNone; }
  // Members of an object, elements of an array (0 if absent or neither).
  size_t size() const { return present() ? doc_->size(id_) : 0; }
  bool Has(std::string_view key) const;
  // As Field::Child/Index: a missing member or element yields an absent field.
  DocField Child(std::string_view key) const;
  DocField Index(size_t i) const;
  // Calls fn(name, child) for each member of an object, in name order, until one fails.
  // Precondition: ExpectObject() passed.
  Status ForEachMember(const std::function<Status(std::string_view, const DocField&)>& fn) const;
  // Calls fn(index, element) for each element of an array, until one fails.
  // Precondition: ExpectArray() passed.
  Status ForEachElement(const std::function<Status(size_t, const DocField&)>& fn) const;

  Status ExpectObject() const;
  Status ExpectArray() const;
  Result<std::string> String() const;
  // The same without a copy; valid while the document (and its input) is.
  Result<std::string_view> StringView() const;
  Result<bool> Bool() const;
  Result<uint64_t> Integer() const;
  Result<uint64_t> PositiveInteger() const;
  // Precondition: present.
  nlohmann::json ToNlohmann() const { return doc_->ToNlohmann(id_); }
  json::Value ToValue() const { return doc_->ToValue(id_); }
  // The canonical JSON of the value; errors name the field. Precondition: present.
  Result<std::string> Canonical() const;

 private:
  DocField(const JsonDoc* doc, JsonDoc::Id id, const DocField* parent, std::string_view key)
      : FieldPath(parent, key), doc_(doc), id_(id) {}
  DocField(const JsonDoc* doc, JsonDoc::Id id, const DocField* parent, size_t index)
      : FieldPath(parent, index), doc_(doc), id_(id) {}
  Status Expect(JsonKind kind, std::string_view what) const;

  const JsonDoc* doc_;
  JsonDoc::Id id_;
};

// A "hashes" object: algorithm name → non-empty hex digest (may be empty as a whole).
template <typename F>
Result<std::map<std::string, Bytes>> ReadHashes(const F& f) {
  VIGIL_RETURN_IF_ERROR(f.ExpectObject());
  std::map<std::string, Bytes> out;
  Status each = f.ForEachMember([&](std::string_view name, const F& h) -> Status {
    VIGIL_ASSIGN_OR_RETURN(std::string_view hex, h.StringView());
    auto digest = HexDecode(hex);
    if (!digest || digest->empty()) return h.Invalid("expected a non-empty hex digest");
    out.emplace_hint(out.end(), name, std::move(*digest));
    return OkStatus();
  });
  VIGIL_RETURN_IF_ERROR(each);
  return out;
}

// One of the installer's own state files: `bytes` must be a JSON object whose "format" member
// is exactly `format`. InvalidArgument naming `where` otherwise.
Result<nlohmann::json> ParseStateDocument(ByteView bytes, const std::string& where,
                                          std::string_view format);

}  // namespace vigil::update::internal

#endif  // VIGIL_SRC_UPDATE_JSON_FIELDS_H_
