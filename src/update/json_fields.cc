#include "json_fields.h"

#include "vigil/core/encoding.h"

namespace vigil::update::internal {

using nlohmann::json;

void FieldPath::AppendPath(std::string& out) const {
  if (parent_ == nullptr) {
    out += path_;
    return;
  }
  parent_->AppendPath(out);
  if (is_index_) {
    out += "[" + std::to_string(index_) + "]";
  } else if (key_.find_first_of(".[] \"") != std::string_view::npos) {
    // ["a.json"] for keys that hold separators.
    out += "[\"";
    out += OneLine(key_);
    out += "\"]";
  } else {
    // "file.json:" + "signed" → "file.json: signed"; then ".version".
    out += out.ends_with(':') ? " " : ".";
    out += OneLine(key_);
  }
}

std::string FieldPath::path() const {
  std::string out;
  AppendPath(out);
  return out;
}

Error FieldPath::Invalid(const std::string& rule) const {
  return InvalidArgumentError(path() + ": " + rule);
}

Error FieldPath::Mismatch(std::string_view expected, std::string_view found) const {
  return Invalid("expected " + std::string(expected) + ", found " + std::string(found));
}

bool Field::Has(std::string_view key) const {
  return value_ != nullptr && value_->is_object() && value_->contains(key);
}

Field Field::Child(std::string_view key) const {
  if (value_ == nullptr || !value_->is_object()) return Field(nullptr, this, key);
  auto it = value_->find(key);
  if (it == value_->end()) return Field(nullptr, this, key);
  // The document's own copy of the name lives as long as the value does.
  return Field(&it.value(), this, std::string_view(it.key()));
}

Field Field::Index(size_t i) const {
  if (value_ == nullptr || !value_->is_array() || i >= value_->size()) {
    return Field(nullptr, this, i);
  }
  return Field(&(*value_)[i], this, i);
}

Status Field::ForEachMember(const std::function<Status(std::string_view, const Field&)>& fn) const {
  for (const auto& [name, value] : value_->items()) {
    VIGIL_RETURN_IF_ERROR(fn(name, Field(&value, this, std::string_view(name))));
  }
  return OkStatus();
}

Status Field::ExpectPresent() const {
  if (value_ == nullptr) return Missing();
  return OkStatus();
}

Status Field::ExpectObject() const {
  VIGIL_RETURN_IF_ERROR(ExpectPresent());
  if (!value_->is_object()) return Mismatch("an object", value_->type_name());
  return OkStatus();
}

Status Field::ExpectArray() const {
  VIGIL_RETURN_IF_ERROR(ExpectPresent());
  if (!value_->is_array()) return Mismatch("an array", value_->type_name());
  return OkStatus();
}

Result<std::string> Field::String() const {
  VIGIL_ASSIGN_OR_RETURN(std::string_view s, StringView());
  return std::string(s);
}

Result<std::string_view> Field::StringView() const {
  VIGIL_RETURN_IF_ERROR(ExpectPresent());
  if (!value_->is_string()) return Mismatch("a string", value_->type_name());
  return std::string_view(value_->get_ref<const std::string&>());
}

Result<bool> Field::Bool() const {
  VIGIL_RETURN_IF_ERROR(ExpectPresent());
  if (!value_->is_boolean()) return Mismatch("a boolean", value_->type_name());
  return value_->get<bool>();
}

Result<uint64_t> Field::Integer() const {
  VIGIL_RETURN_IF_ERROR(ExpectPresent());
  if (value_->is_number_unsigned()) return value_->get<uint64_t>();
  if (value_->is_number_integer()) {
    return Mismatch("an integer >= 0", std::to_string(value_->get<int64_t>()));
  }
  return Mismatch("an integer >= 0", value_->type_name());
}

Result<uint64_t> Field::PositiveInteger() const {
  VIGIL_ASSIGN_OR_RETURN(uint64_t v, Integer());
  if (v == 0) return Invalid("expected an integer >= 1, found 0");
  return v;
}

bool DocField::Has(std::string_view key) const {
  return present() && doc_->Find(id_, key) != JsonDoc::kNone;
}

DocField DocField::Child(std::string_view key) const {
  JsonDoc::Id child = present() ? doc_->Find(id_, key) : JsonDoc::kNone;
  // The document's own copy of the name, when there is one, lives as long as the field does.
  return DocField(doc_, child, this, child == JsonDoc::kNone ? key : doc_->key(child));
}

DocField DocField::Index(size_t i) const {
  JsonDoc::Id child = JsonDoc::kNone;
  if (present() && doc_->kind(id_) == JsonKind::kArray) {
    child = doc_->FirstChild(id_);
    for (size_t k = 0; k < i && child != JsonDoc::kNone; ++k) child = doc_->NextSibling(id_, child);
  }
  return DocField(doc_, child, this, i);
}

Status DocField::ForEachMember(
    const std::function<Status(std::string_view, const DocField&)>& fn) const {
  for (const JsonDoc::Id* m = doc_->SortedBegin(id_); m != doc_->SortedEnd(id_); ++m) {
    VIGIL_RETURN_IF_ERROR(fn(doc_->key(*m), DocField(doc_, *m, this, doc_->key(*m))));
  }
  return OkStatus();
}

Status DocField::ForEachElement(const std::function<Status(size_t, const DocField&)>& fn) const {
  size_t i = 0;
  for (JsonDoc::Id e = doc_->FirstChild(id_); e != JsonDoc::kNone;
       e = doc_->NextSibling(id_, e), ++i) {
    VIGIL_RETURN_IF_ERROR(fn(i, DocField(doc_, e, this, i)));
  }
  return OkStatus();
}

Status DocField::Expect(JsonKind kind, std::string_view what) const {
  if (!present()) return Missing();
  if (doc_->kind(id_) != kind) return Mismatch(what, JsonDoc::KindName(doc_->kind(id_)));
  return OkStatus();
}

Status DocField::ExpectObject() const { return Expect(JsonKind::kObject, "an object"); }
Status DocField::ExpectArray() const { return Expect(JsonKind::kArray, "an array"); }

Result<std::string> DocField::String() const {
  VIGIL_ASSIGN_OR_RETURN(std::string_view s, StringView());
  return std::string(s);
}

Result<std::string_view> DocField::StringView() const {
  VIGIL_RETURN_IF_ERROR(Expect(JsonKind::kString, "a string"));
  return doc_->text(id_);
}

Result<bool> DocField::Bool() const {
  if (present() && doc_->kind(id_) == JsonKind::kFalse) return false;
  VIGIL_RETURN_IF_ERROR(Expect(JsonKind::kTrue, "a boolean"));
  return true;
}

Result<uint64_t> DocField::Integer() const {
  if (!present()) return Missing();
  switch (doc_->kind(id_)) {
    case JsonKind::kUnsigned:
      return doc_->unsigned_value(id_);
    case JsonKind::kNegative:
      return Mismatch("an integer >= 0", std::to_string(doc_->negative_value(id_)));
    default:
      return Mismatch("an integer >= 0", JsonDoc::KindName(doc_->kind(id_)));
  }
}

Result<uint64_t> DocField::PositiveInteger() const {
  VIGIL_ASSIGN_OR_RETURN(uint64_t v, Integer());
  if (v == 0) return Invalid("expected an integer >= 1, found 0");
  return v;
}

Result<std::string> DocField::Canonical() const {
  auto canonical = doc_->Canonical(id_);
  if (!canonical) return canonical.error().WithContext(path());
  return canonical;
}

Result<nlohmann::json> ParseStateDocument(ByteView bytes, const std::string& where,
                                          std::string_view format) {
  nlohmann::json doc = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, false);
  if (doc.is_discarded()) return InvalidArgumentError(where + ": expected JSON, found garbage");
  Field f(doc, where);
  VIGIL_RETURN_IF_ERROR(f.ExpectObject());
  VIGIL_ASSIGN_OR_RETURN(std::string found, f.Child("format").String());
  if (found != format) {
    return f.Child("format").Invalid("expected \"" + std::string(format) + "\", found \"" + found +
                                     "\"");
  }
  return doc;
}

}  // namespace vigil::update::internal
