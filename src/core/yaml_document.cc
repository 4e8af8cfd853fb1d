#include "vigil/core/yaml_document.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "vigil/core/encoding.h"

namespace vigil::yaml {
namespace {

// "$.assets[3].kind" → "assets[3].kind"; the root is "(document)".
std::string FieldName(std::string_view path) {
  if (path == "$") return "(document)";
  if (path.starts_with("$.")) return std::string(path.substr(2));
  if (path.starts_with("$")) return std::string(path.substr(1));
  return std::string(path);
}

// The parent of a JSON path: "$.a.b" → "$.a", "$.a[3]" → "$.a", "$[\"x\"]" → "$".
std::string_view ParentPath(std::string_view path) {
  if (path.ends_with("]")) {
    size_t open = path.rfind('[');
    // A quoted key may hold '[': search for the bracket that opens a quoted or numeric step.
    if (path.ends_with("\"]")) open = path.rfind("[\"");
    return open == std::string_view::npos ? "$" : path.substr(0, open);
  }
  size_t dot = path.rfind('.');
  return dot == std::string_view::npos ? "$" : path.substr(0, dot);
}

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

}  // namespace

Result<Document> Document::Parse(std::string_view text, const std::string& file,
                                 YamlScalars scalars, const YamlLimits& limits) {
  Document doc;
  doc.file_ = file;
  VIGIL_ASSIGN_OR_RETURN(std::string json, YamlToJson(text, file, scalars, limits, &doc.lines_));
  VIGIL_ASSIGN_OR_RETURN(json::Value value, json::Parse(json, file));
  doc.value_ = std::make_unique<json::Value>(std::move(value));
  return doc;
}

int Document::LineOf(std::string_view path) const {
  for (;;) {
    auto it = lines_.find(std::string(path));
    if (it != lines_.end()) return it->second;
    if (path == "$" || path.empty()) return 1;
    path = ParentPath(path);
  }
}

std::string Document::Line(const json::Node& node) const {
  return file_ + ":" + std::to_string(LineOf(node.path()));
}

std::string Document::Where(const json::Node& node) const {
  return Line(node) + ": " + FieldName(node.path());
}

Error Document::At(const json::Node& node, std::string_view problem) const {
  return InvalidArgumentError(Where(node) + ": " + OneLine(problem));
}

Error Document::Locate(const Error& node_error) const {
  // json::Node writes "<file>: <path>: <problem>"; the path holds no ": " unless a quoted key
  // does, and then the nearest ancestor's line is still the right neighbourhood.
  const std::string& m = node_error.message();
  const std::string prefix = OneLine(file_) + ": ";
  if (!m.starts_with(prefix)) return node_error;
  size_t end = m.find(": ", prefix.size());
  if (end == std::string::npos) return node_error;
  std::string_view path = std::string_view(m).substr(prefix.size(), end - prefix.size());
  return InvalidArgumentError(file_ + ":" + std::to_string(LineOf(path)) + ": " + FieldName(path) +
                              m.substr(end));
}

Status Fields::Expect(std::initializer_list<std::string_view> allowed) const {
  auto object = node_.AsObject();
  if (!object) return doc_.Locate(object.error());
  for (const json::Member& m : **object) {
    if (std::find(allowed.begin(), allowed.end(), m.key) != allowed.end()) continue;
    std::string names;
    for (std::string_view a : allowed) names += (names.empty() ? "" : ", ") + std::string(a);
    return doc_.At(node_.Get(m.key), "unknown field (expected one of " + names + ")");
  }
  return OkStatus();
}

Result<std::string> Fields::String(std::string_view key) const {
  auto s = node_.Get(key).String();
  if (!s) return doc_.Locate(s.error());
  if (s->empty()) return Invalid(key, "expected a non-empty string");
  return s;
}

Result<std::string> Fields::OptionalString(std::string_view key) const {
  if (!node_.Has(key)) return std::string();
  return String(key);
}

Result<std::string> Fields::Id(std::string_view key) const {
  VIGIL_ASSIGN_OR_RETURN(std::string id, String(key));
  if (!std::all_of(id.begin(), id.end(), IsIdChar)) {
    return Invalid(key, "expected an id of letters, digits, '.', '_' and '-'; found \"" +
                            Shown(id) + "\"");
  }
  return id;
}

Result<bool> Fields::Bool(std::string_view key, bool absent) const {
  json::Node n = node_.Get(key);
  if (!n.present()) return absent;
  auto b = n.Bool();
  if (!b) return doc_.Locate(b.error());
  return b;
}

Result<std::vector<std::string>> Fields::Strings(std::string_view key) const {
  std::vector<std::string> out;
  json::Node list = node_.Get(key);
  if (!list.present()) return out;
  auto elements = list.Elements();
  if (!elements) return doc_.Locate(elements.error());
  for (const json::Node& e : *elements) {
    auto s = e.String();
    if (!s) return doc_.Locate(s.error());
    if (s->empty()) return doc_.At(e, "expected a non-empty string");
    out.push_back(std::move(*s));
  }
  return out;
}

Result<std::vector<json::Node>> Fields::NonEmptyList(std::string_view key) const {
  json::Node n = node_.Get(key);
  auto items = n.Elements();
  if (!items) return doc_.Locate(items.error());
  if (items->empty()) return doc_.At(n, "expected at least one entry");
  return items;
}

Result<double> Fields::Number(std::string_view key, double min, double max) const {
  json::Node n = node_.Get(key);
  std::optional<double> v;
  if (n.present() && n.value().is_number()) {
    v = n.value().as_double();
  } else if (n.present() && n.value().is_string()) {
    // YAML decimals reach JSON as strings ("8.1"): read them strictly, all of the text.
    const std::string& s = n.value().as_string();
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (!s.empty() && end == s.c_str() + s.size() && std::isfinite(d)) v = d;
  }
  if (v && *v >= min && *v <= max) return *v;
  if (!n.present()) return doc_.At(n, "required field missing");
  char range[64];
  std::snprintf(range, sizeof range, "expected a number from %g to %g, found ", min, max);
  const std::string found = n.value().is_string()   ? "\"" + Shown(n.value().as_string()) + "\""
                            : n.value().is_number() ? json::Write(n.value())
                                                    : json::Describe(n.type());
  return doc_.At(n, range + found);
}

std::string Fields::Shown(std::string_view word) {
  constexpr size_t kMax = 60;
  return word.size() <= kMax ? OneLine(word) : OneLine(word.substr(0, kMax)) + "...";
}

}  // namespace vigil::yaml
