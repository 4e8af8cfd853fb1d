// One YAML file of the threat module (a model file or a rule file) read through core's YAML and
// JSON layers with the line of every value kept, and the reading of its fields with errors in
// the module's one format: "FILE:LINE: FIELD: what was expected" (FIELD is the JSON path without
// its leading "$.").
#ifndef VIGIL_THREAT_INTERNAL_YAML_DOC_H_
#define VIGIL_THREAT_INTERNAL_YAML_DOC_H_

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
#include "vigil/threat/model.h"

namespace vigil::threat::internal {

// A word of a model or rule file and the enum value it stands for.
template <typename E>
struct EnumName {
  std::string_view name;
  E value;
};

class YamlDoc {
 public:
  // Parses `text`; the YAML layer's own errors ("FILE:LINE:COLUMN: ...") pass through.
  static Result<YamlDoc> Parse(std::string_view text, const std::string& file, uint64_t max_bytes);

  json::Node Root() const { return json::Node(*value_, file_); }
  const std::string& file() const { return file_; }
  // The line of `path`, or of its nearest ancestor that has one (a missing member is reported
  // at the line of the object that lacks it).
  int LineOf(std::string_view path) const;
  Location LocationOf(const json::Node& node) const { return {file_, LineOf(node.path())}; }
  // "FILE:LINE: FIELD" of a node.
  std::string Where(const json::Node& node) const;
  // "FILE:LINE: FIELD: problem" as InvalidArgument.
  Error At(const json::Node& node, std::string_view problem) const;
  // A json::Node error ("FILE: $.path: problem") in this file's format.
  Error Locate(const Error& node_error) const;

 private:
  std::string file_;
  YamlLines lines_;
  std::unique_ptr<json::Value> value_;  // Nodes point into it: its address must not move
};

// The fields of one object of a YamlDoc, each read with the file's error format.
class Fields {
 public:
  Fields(const YamlDoc& doc, json::Node node) : doc_(doc), node_(std::move(node)) {}

  // Fails unless the node is an object whose members are all in `allowed`.
  Status Expect(std::initializer_list<std::string_view> allowed) const;
  const json::Node& node() const { return node_; }
  json::Node Get(std::string_view key) const { return node_.Get(key); }
  Location At() const { return doc_.LocationOf(node_); }
  Error Invalid(std::string_view key, std::string_view problem) const {
    return doc_.At(node_.Get(key), problem);
  }

  Result<std::string> String(std::string_view key) const;          // required, non-empty
  Result<std::string> OptionalString(std::string_view key) const;  // "" when absent
  // An id: required, letters, digits, '.', '_', '-' (no '@': finding ids are rule@element).
  Result<std::string> Id(std::string_view key) const;
  Result<bool> Bool(std::string_view key, bool absent) const;
  // A list of strings (each non-empty); empty when absent.
  Result<std::vector<std::string>> Strings(std::string_view key) const;
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
    return doc_.At(n, "expected one of " + Words(names) + "; found \"" + OneLineWord(*word) + "\"");
  }

  template <typename E>
  static std::string Words(std::span<const EnumName<E>> names) {
    std::string out;
    for (const EnumName<E>& e : names) out += (out.empty() ? "" : ", ") + std::string(e.name);
    return out;
  }

 private:
  static std::string OneLineWord(std::string_view w);
  const YamlDoc& doc_;
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

}  // namespace vigil::threat::internal

#endif  // VIGIL_THREAT_INTERNAL_YAML_DOC_H_
