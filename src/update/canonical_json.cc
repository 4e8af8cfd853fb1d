#include "vigil/update/canonical_json.h"

#include <vector>

namespace vigil::update {
namespace {

using nlohmann::json;

// Builds the document tree in the same pass that checks it. nlohmann's own DOM parser keeps the
// last of duplicated keys silently, so a signer and a verifier could read different values from
// the same bytes; here a key that is already in its object stops the parse. (One pass instead of
// a checking SAX pass plus a DOM parse: metadata with 10,000 targets is parsed on every refresh.)
class StrictDomBuilder : public nlohmann::json_sax<json> {
 public:
  bool null() override { return Put(json(nullptr)); }
  bool boolean(bool v) override { return Put(json(v)); }
  bool number_integer(number_integer_t v) override { return Put(json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return Put(json(v)); }
  bool number_float(number_float_t v, const string_t&) override { return Put(json(v)); }
  bool string(string_t& v) override { return Put(json(std::move(v))); }
  bool binary(binary_t& v) override { return Put(json::binary(std::move(v))); }
  bool start_object(std::size_t) override { return Open(json::object()); }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open(json::array()); }
  bool end_array() override { return Close(); }
  bool key(string_t& k) override {
    auto& members = open_.back()->get_ref<json::object_t&>();
    auto [it, inserted] = members.try_emplace(k);
    if (!inserted) {
      problem_ = "duplicate object key \"" + k + "\"";
      return false;
    }
    member_ = &it->second;
    return true;
  }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    problem_ = "syntax error at byte " + std::to_string(position) + " (" + ex.what() + ")";
    return false;
  }
  const std::string& problem() const { return problem_; }
  json& root() { return root_; }

 private:
  // Stores `v` where the parse is: the root, the next array element or the member whose key was
  // just read. Returns where it went. Pointers into an open container stay valid because nothing
  // is added to a container while one of its children is still open.
  json* Place(json v) {
    if (open_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    json& parent = *open_.back();
    if (parent.is_array()) {
      auto& elements = parent.get_ref<json::array_t&>();
      elements.push_back(std::move(v));
      return &elements.back();
    }
    *member_ = std::move(v);
    return member_;
  }
  bool Put(json v) {
    Place(std::move(v));
    return true;
  }
  bool Open(json container) {
    if (open_.size() >= static_cast<size_t>(kMaxJsonDepth)) {
      problem_ = "nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels";
      return false;
    }
    open_.push_back(Place(std::move(container)));
    return true;
  }
  bool Close() {
    open_.pop_back();
    return true;
  }

  json root_;
  std::vector<json*> open_;  // the arrays and objects not yet closed, outermost first
  json* member_ = nullptr;   // the value slot of the last key read
  std::string problem_;
};

// Appends `s` with only '"' and '\' escaped, copying the runs between them whole.
void AppendCanonicalString(std::string& out, const std::string& s) {
  out.push_back('"');
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '"' && s[i] != '\\') continue;
    out.append(s, start, i - start);
    out.push_back('\\');
    out.push_back(s[i]);
    start = i + 1;
  }
  out.append(s, start, std::string::npos);
  out.push_back('"');
}

// Appends the canonical form of `v`; false at the first value canonical JSON cannot hold (the
// hot path builds no JSON paths; PathOfNonCanonical names the culprit afterwards).
bool AppendCanonical(std::string& out, const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      out += "null";
      return true;
    case json::value_t::boolean:
      out += v.get<bool>() ? "true" : "false";
      return true;
    case json::value_t::number_integer:
      out += std::to_string(v.get<int64_t>());
      return true;
    case json::value_t::number_unsigned:
      out += std::to_string(v.get<uint64_t>());
      return true;
    case json::value_t::string:
      AppendCanonicalString(out, v.get_ref<const std::string&>());
      return true;
    case json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const json& element : v.get_ref<const json::array_t&>()) {
        if (!first) out.push_back(',');
        first = false;
        if (!AppendCanonical(out, element)) return false;
      }
      out.push_back(']');
      return true;
    }
    case json::value_t::object: {
      // nlohmann's object is a std::map<std::string, ...>: iteration is in byte order already.
      out.push_back('{');
      bool first = true;
      for (const auto& [key, child] : v.get_ref<const json::object_t&>()) {
        if (!first) out.push_back(',');
        first = false;
        AppendCanonicalString(out, key);
        out.push_back(':');
        if (!AppendCanonical(out, child)) return false;
      }
      out.push_back('}');
      return true;
    }
    default:
      return false;
  }
}

// The JSON path ("$.a[0]") and type of the first value in `v` canonical JSON cannot hold, in the
// order AppendCanonical visits them; nullopt if there is none.
std::optional<std::pair<std::string, std::string>> PathOfNonCanonical(const json& v,
                                                                      const std::string& path) {
  if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i) {
      auto found = PathOfNonCanonical(v[i], path + "[" + std::to_string(i) + "]");
      if (found) return found;
    }
    return std::nullopt;
  }
  if (v.is_object()) {
    for (const auto& [key, child] : v.get_ref<const json::object_t&>()) {
      auto found = PathOfNonCanonical(child, path + "." + key);
      if (found) return found;
    }
    return std::nullopt;
  }
  if (v.is_number_float() || v.is_binary() || v.is_discarded()) {
    return std::make_pair(path, std::string(v.type_name()));
  }
  return std::nullopt;
}

}  // namespace

Result<json> ParseStrictJson(std::string_view text, std::string_view where) {
  StrictDomBuilder builder;
  bool ok = false;
  try {
    ok = json::sax_parse(text.begin(), text.end(), &builder, json::input_format_t::json, true);
  } catch (const std::exception& e) {
    return InvalidArgumentError(std::string(where) + ": not valid JSON: " + e.what());
  }
  if (!ok) {
    return InvalidArgumentError(std::string(where) + ": not valid JSON: " + builder.problem());
  }
  return std::move(builder.root());
}

Result<std::string> CanonicalJson(const json& value) {
  std::string out;
  if (AppendCanonical(out, value)) return out;
  auto [path, type] = PathOfNonCanonical(value, "$").value_or(std::make_pair("$", "value"));
  return InvalidArgumentError("canonical JSON: " + path +
                              ": expected an integer, string, boolean, null, array or object; "
                              "found a " +
                              type + " (canonical JSON has no floating-point numbers)");
}

}  // namespace vigil::update
