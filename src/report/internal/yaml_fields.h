// The report module's YAML files (framework files) read through core's YAML → JSON layer with
// the line of every value kept, and their fields read with errors "FILE:LINE: FIELD: problem".
#ifndef VIGIL_REPORT_INTERNAL_YAML_FIELDS_H_
#define VIGIL_REPORT_INTERNAL_YAML_FIELDS_H_

#include <array>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vigil/core/json.h"
#include "vigil/core/result.h"
#include "vigil/core/yaml_to_json.h"

namespace vigil::report::internal {

class YamlFields;

class YamlFile {
 public:
  static Result<YamlFile> Parse(std::string_view text, const std::string& file, uint64_t max_bytes);
  json::Node Root() const { return json::Node(*value_, file_); }
  YamlFields Fields(const json::Node& node) const;
  // "FILE:LINE" of a node (a missing member: the line of the nearest present ancestor).
  std::string Where(const json::Node& node) const;
  // InvalidArgument "FILE:LINE: FIELD: problem".
  Error At(const json::Node& node, std::string_view problem) const;
  // A json::Node error ("FILE: $.path: problem") in this file's format.
  Error Locate(const json::Node& node, const Error& e) const;

 private:
  std::string file_;
  YamlLines lines_;
  std::unique_ptr<json::Value> value_;  // Nodes point into it
};

class YamlFields {
 public:
  YamlFields(const YamlFile& file, json::Node node) : file_(file), node_(std::move(node)) {}

  Status Expect(std::initializer_list<std::string_view> allowed) const;
  bool Has(std::string_view key) const { return node_.Get(key).present(); }
  std::string Where() const { return file_.Where(node_); }
  Error Invalid(std::string_view key, std::string_view problem) const {
    return file_.At(node_.Get(key), problem);
  }
  Result<std::string> String(std::string_view key) const;          // required, non-empty
  Result<std::string> OptionalString(std::string_view key) const;  // "" when absent
  Result<std::string> Id(std::string_view key) const;              // letters, digits, '.', '_', '-'
  Result<std::vector<json::Node>> NonEmptyList(std::string_view key) const;

  template <typename E, size_t N>
  Result<E> Enum(std::string_view key, const std::array<std::pair<std::string_view, E>, N>& names,
                 std::optional<E> absent) const {
    json::Node n = node_.Get(key);
    if (!n.present() && absent) return *absent;
    auto word = n.StringView();
    if (!word) return file_.Locate(n, word.error());
    std::string all;
    for (const auto& [name, value] : names) {
      if (name == *word) return value;
      all += (all.empty() ? "" : ", ") + std::string(name);
    }
    return file_.At(n, "expected one of " + all + "; found \"" + Shown(*word) + "\"");
  }

  static std::string Shown(std::string_view word);  // at most 60 bytes, on one line

 private:
  const YamlFile& file_;
  json::Node node_;
};

}  // namespace vigil::report::internal

#endif  // VIGIL_REPORT_INTERNAL_YAML_FIELDS_H_
