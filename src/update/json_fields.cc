#include "update/json_fields.h"

#include "vigil/core/encoding.h"

namespace vigil::update::internal {

using nlohmann::json;

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

void Field::AppendPath(std::string& out) const {
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
    out += key_;
    out += "\"]";
  } else {
    // "file.json:" + "signed" → "file.json: signed"; then ".version".
    out += out.ends_with(':') ? " " : ".";
    out += key_;
  }
}

std::string Field::path() const {
  std::string out;
  AppendPath(out);
  return out;
}

Error Field::Invalid(const std::string& rule) const {
  return InvalidArgumentError(path() + ": " + rule);
}

Status Field::ExpectPresent() const {
  if (value_ == nullptr) return Invalid("required field missing");
  return OkStatus();
}

Status Field::ExpectObject() const {
  VIGIL_RETURN_IF_ERROR(ExpectPresent());
  if (!value_->is_object())
    return Invalid(std::string("expected an object, found ") + value_->type_name());
  return OkStatus();
}

Status Field::ExpectArray() const {
  VIGIL_RETURN_IF_ERROR(ExpectPresent());
  if (!value_->is_array())
    return Invalid(std::string("expected an array, found ") + value_->type_name());
  return OkStatus();
}

Result<std::string> Field::String() const {
  VIGIL_RETURN_IF_ERROR(ExpectPresent());
  if (!value_->is_string())
    return Invalid(std::string("expected a string, found ") + value_->type_name());
  return value_->get<std::string>();
}

Result<bool> Field::Bool() const {
  VIGIL_RETURN_IF_ERROR(ExpectPresent());
  if (!value_->is_boolean()) {
    return Invalid(std::string("expected a boolean, found ") + value_->type_name());
  }
  return value_->get<bool>();
}

Result<uint64_t> Field::Integer() const {
  VIGIL_RETURN_IF_ERROR(ExpectPresent());
  if (value_->is_number_unsigned()) return value_->get<uint64_t>();
  if (value_->is_number_integer()) {
    return Invalid("expected an integer >= 0, found " + std::to_string(value_->get<int64_t>()));
  }
  return Invalid(std::string("expected an integer >= 0, found ") + value_->type_name());
}

Result<uint64_t> Field::PositiveInteger() const {
  VIGIL_ASSIGN_OR_RETURN(uint64_t v, Integer());
  if (v == 0) return Invalid("expected an integer >= 1, found 0");
  return v;
}

Result<std::map<std::string, Bytes>> ReadHashes(const Field& f) {
  VIGIL_RETURN_IF_ERROR(f.ExpectObject());
  std::map<std::string, Bytes> out;
  for (const auto& [name, value] : f.value().items()) {
    Field h = f.Child(name);
    VIGIL_ASSIGN_OR_RETURN(std::string hex, h.String());
    auto digest = HexDecode(hex);
    if (!digest || digest->empty()) return h.Invalid("expected a non-empty hex digest");
    out.emplace(name, std::move(*digest));
  }
  return out;
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
