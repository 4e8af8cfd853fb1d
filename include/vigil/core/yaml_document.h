// yaml::Document: a YAML file read through YamlToJson and the JSON layer with the line of every
// value kept, and yaml::Fields: the fields of one of its objects, each read with the one error
// format of Vigil's hand-written YAML files (threat models and rules, report frameworks):
//
//   InvalidArgument "FILE:LINE: FIELD: what was expected"
//
// where FIELD is the value's JSON path without its leading "$." ("assets[3].kind"; the root is
// "(document)") and LINE the line of the value, or of its nearest ancestor that has one (a
// missing member is reported at the line of the object that lacks it). The YAML layer's own
// errors ("FILE:LINE:COLUMN: ...") pass through unchanged.
//
// Readers of formats that are JSON first (access policies, risk policies, rubric answers) read
// the same json::Node tree from JSON and from YAML; for YAML they parse with Document and pass
// their errors through Locate, so a YAML file's errors name its line too.
//
// Thread-safety: a Document is immutable once parsed; Fields borrow it and must not outlive it.
#ifndef VIGIL_CORE_YAML_DOCUMENT_H_
#define VIGIL_CORE_YAML_DOCUMENT_H_

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/json.h"
#include "vigil/core/result.h"
#include "vigil/core/yaml_to_json.h"

namespace vigil::yaml {

// A word of a YAML file and the enum value it stands for.
template <typename E>
struct EnumName {
  std::string_view name;
  E value;
};

class Document {
 public:
  // Parses `text` (named `file` in messages) with YamlToJson's `scalars` and `limits`.
  static Result<Document> Parse(std::string_view text, const std::string& file,
                                YamlScalars scalars, const YamlLimits& limits);

  json::Node Root() const { return json::Node(*value_, file_); }
  const std::string& file() const { return file_; }
  // The line of `path`, or of its nearest ancestor that has one.
  int LineOf(std::string_view path) const;
  // "FILE:LINE" of a node.
  std::string Line(const json::Node& node) const;
  // "FILE:LINE: FIELD" of a node.
  std::string Where(const json::Node& node) const;
  // InvalidArgument "FILE:LINE: FIELD: problem" (the problem kept on one line).
  Error At(const json::Node& node, std::string_view problem) const;
  // A json::Node error ("FILE: $.path: problem") in this file's format; other errors unchanged.
  Error Locate(const Error& node_error) const;

 private:
  std::string file_;
  YamlLines lines_;
  std::unique_ptr<json::Value> value_;  // Nodes point into it: its address must not move
};

// The fields of one object of a Document, each read with the Document's error format.
class Fields {
 public:
  Fields(const Document& doc, json::Node node) : doc_(doc), node_(std::move(node)) {}

  // Fails unless the node is an object whose members are all in `allowed`.
  Status Expect(std::initializer_list<std::string_view> allowed) const;
  const Document& doc() const { return doc_; }
  const json::Node& node() const { return node_; }
  json::Node Get(std::string_view key) const { return node_.Get(key); }
  bool Has(std::string_view key) const { return node_.Has(key); }
  // "FILE:LINE" of this object.
  std::string Line() const { return doc_.Line(node_); }
  int LineNumber() const { return doc_.LineOf(node_.path()); }
  Error Invalid(std::string_view key, std::string_view problem) const {
    return doc_.At(node_.Get(key), problem);
  }

  Result<std::string> String(std::string_view key) const;          // required, non-empty
  Result<std::string> OptionalString(std::string_view key) const;  // "" when absent
  // An id: required, letters, digits, '.', '_', '-' (no '@' or spaces).
  Result<std::string> Id(std::string_view key) const;
  Result<bool> Bool(std::string_view key, bool absent) const;
  // A list of strings (each non-empty); empty when absent.
  Result<std::vector<std::string>> Strings(std::string_view key) const;
  // A required list with at least one element.
  Result<std::vector<json::Node>> NonEmptyList(std::string_view key) const;
  // A number (written as an integer or a decimal) within [min, max]; required.
  Result<double> Number(std::string_view key, double min, double max) const;

  // One of the words of `names`; `absent` when the member is missing (required if nullopt).
  template <typename E>
  Result<E> Enum(std::string_view key, std::span<const EnumName<E>> names,
                 std::optional<E> absent) const {
    json::Node n = node_.Get(key);
    if (!n.present() && absent) return *absent;
    auto word = n.StringView();
    if (!word) return doc_.Locate(word.error());
    for (const EnumName<E>& e : names) {
      if (e.name == *word) return e.value;
    }
    return doc_.At(n, "expected one of " + Words(names) + "; found \"" + Shown(*word) + "\"");
  }

  template <typename E>
  static std::string Words(std::span<const EnumName<E>> names) {
    std::string out;
    for (const EnumName<E>& e : names) out += (out.empty() ? "" : ", ") + std::string(e.name);
    return out;
  }

  // A word quoted in a message: at most 60 bytes, on one line.
  static std::string Shown(std::string_view word);

 private:
  const Document& doc_;
  json::Node node_;
};

// The name of `value` in `names` ("?" when it has none, which the tables rule out).
template <typename E>
std::string_view NameOf(std::span<const EnumName<E>> names, E value) {
  for (const EnumName<E>& e : names) {
    if (e.value == value) return e.name;
  }
  return "?";
}

}  // namespace vigil::yaml

#endif  // VIGIL_CORE_YAML_DOCUMENT_H_
