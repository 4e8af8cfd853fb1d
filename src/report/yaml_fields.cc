#include "internal/yaml_fields.h"

#include <algorithm>

namespace vigil::report::internal {
namespace {

std::string FieldOf(std::string_view path) {
  if (path == "$") return "(document)";
  if (path.starts_with("$.")) return std::string(path.substr(2));
  return std::string(path.substr(path.starts_with("$") ? 1 : 0));
}

std::string_view Parent(std::string_view path) {
  size_t cut = path.find_last_of(".[");
  return cut == std::string_view::npos || cut == 0 ? "$" : path.substr(0, cut);
}

}  // namespace

Result<YamlFile> YamlFile::Parse(std::string_view text, const std::string& file,
                                 uint64_t max_bytes) {
  YamlFile f;
  f.file_ = file;
  VIGIL_ASSIGN_OR_RETURN(std::string json,
                         YamlToJson(text, file, YamlScalars::kStrings,
                                    YamlLimits{.max_bytes = max_bytes, .max_depth = 8}, &f.lines_));
  VIGIL_ASSIGN_OR_RETURN(json::Value value, json::Parse(json, file));
  f.value_ = std::make_unique<json::Value>(std::move(value));
  return f;
}

YamlFields YamlFile::Fields(const json::Node& node) const { return YamlFields(*this, node); }

std::string YamlFile::Where(const json::Node& node) const {
  std::string_view path = node.path();
  for (;;) {
    auto it = lines_.find(std::string(path));
    if (it != lines_.end()) return file_ + ":" + std::to_string(it->second);
    if (path == "$" || path.empty()) return file_ + ":1";
    path = Parent(path);
  }
}

Error YamlFile::At(const json::Node& node, std::string_view problem) const {
  return InvalidArgumentError(Where(node) + ": " + FieldOf(node.path()) + ": " +
                              std::string(problem));
}

Error YamlFile::Locate(const json::Node& node, const Error& e) const {
  // json::Node messages are "NAME: $.path: problem"; keep the problem.
  std::string_view m = e.message();
  const std::string prefix = file_ + ": " + node.path() + ": ";
  if (m.starts_with(prefix)) m.remove_prefix(prefix.size());
  return At(node, m);
}

Status YamlFields::Expect(std::initializer_list<std::string_view> allowed) const {
  auto object = node_.AsObject();
  if (!object) return file_.Locate(node_, object.error());
  for (const auto& [key, value] : **object) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string all;
    for (std::string_view a : allowed) all += (all.empty() ? "" : ", ") + std::string(a);
    return file_.At(node_.Get(key), "unknown field (expected one of " + all + ")");
  }
  return OkStatus();
}

Result<std::string> YamlFields::String(std::string_view key) const {
  json::Node n = node_.Get(key);
  if (!n.present()) return file_.At(n, "required field missing");
  auto s = n.String();
  if (!s) return file_.Locate(n, s.error());
  if (s->empty()) return file_.At(n, "expected a non-empty string");
  return *s;
}

Result<std::string> YamlFields::OptionalString(std::string_view key) const {
  if (!Has(key)) return std::string();
  return String(key);
}

Result<std::string> YamlFields::Id(std::string_view key) const {
  VIGIL_ASSIGN_OR_RETURN(std::string id, String(key));
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) {
      return Invalid(
          key, "expected an id of letters, digits, '.', '_' and '-'; found \"" + Shown(id) + "\"");
    }
  }
  return id;
}

Result<std::vector<json::Node>> YamlFields::NonEmptyList(std::string_view key) const {
  json::Node n = node_.Get(key);
  if (!n.present()) return file_.At(n, "required field missing");
  auto items = n.Elements();
  if (!items) return file_.Locate(n, items.error());
  if (items->empty()) return file_.At(n, "expected at least one entry");
  return *items;
}

std::string YamlFields::Shown(std::string_view word) {
  std::string out;
  for (char c : word.substr(0, 60)) out += (c == '\n' || c == '\r') ? ' ' : c;
  return out;
}

}  // namespace vigil::report::internal
