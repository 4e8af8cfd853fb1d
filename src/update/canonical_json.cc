#include "vigil/update/canonical_json.h"

#include <set>
#include <vector>

namespace vigil::update {
namespace {

using nlohmann::json;

// SAX pass run before building the tree: nlohmann's DOM parser keeps the last of duplicated
// keys silently, so a signer and a verifier could read different values from the same bytes.
class DuplicateKeyChecker : public nlohmann::json_sax<json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return Push(true); }
  bool end_object() override { return Pop(); }
  bool start_array(std::size_t) override { return Push(false); }
  bool end_array() override { return Pop(); }
  bool key(string_t& k) override {
    if (keys_.back().insert(k).second) return true;
    problem_ = "duplicate object key \"" + k + "\"";
    return false;
  }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    problem_ = "syntax error at byte " + std::to_string(position) + " (" + ex.what() + ")";
    return false;
  }
  const std::string& problem() const { return problem_; }

 private:
  bool Push(bool is_object) {
    if (keys_.size() >= static_cast<size_t>(kMaxJsonDepth)) {
      problem_ = "nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels";
      return false;
    }
    keys_.emplace_back();
    (void)is_object;  // arrays get an (unused) key set too, so Pop() stays symmetric
    return true;
  }
  bool Pop() {
    keys_.pop_back();
    return true;
  }
  std::vector<std::set<std::string>> keys_;
  std::string problem_;
};

void AppendCanonicalString(std::string& out, const std::string& s) {
  out.push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

Status AppendCanonical(std::string& out, const json& v, const std::string& path) {
  switch (v.type()) {
    case json::value_t::null:
      out += "null";
      return OkStatus();
    case json::value_t::boolean:
      out += v.get<bool>() ? "true" : "false";
      return OkStatus();
    case json::value_t::number_integer:
      out += std::to_string(v.get<int64_t>());
      return OkStatus();
    case json::value_t::number_unsigned:
      out += std::to_string(v.get<uint64_t>());
      return OkStatus();
    case json::value_t::string:
      AppendCanonicalString(out, v.get_ref<const std::string&>());
      return OkStatus();
    case json::value_t::array: {
      out.push_back('[');
      for (size_t i = 0; i < v.size(); ++i) {
        if (i > 0) out.push_back(',');
        VIGIL_RETURN_IF_ERROR(AppendCanonical(out, v[i], path + "[" + std::to_string(i) + "]"));
      }
      out.push_back(']');
      return OkStatus();
    }
    case json::value_t::object: {
      // nlohmann's object is a std::map<std::string, ...>: iteration is in byte order already.
      out.push_back('{');
      bool first = true;
      for (const auto& [key, child] : v.items()) {
        if (!first) out.push_back(',');
        first = false;
        AppendCanonicalString(out, key);
        out.push_back(':');
        VIGIL_RETURN_IF_ERROR(AppendCanonical(out, child, path + "." + key));
      }
      out.push_back('}');
      return OkStatus();
    }
    default:
      return InvalidArgumentError("canonical JSON: " + path +
                                  ": expected an integer, string, boolean, null, array or object; "
                                  "found a " +
                                  std::string(v.type_name()) +
                                  " (canonical JSON has no floating-point numbers)");
  }
}

}  // namespace

Result<json> ParseStrictJson(std::string_view text, std::string_view where) {
  DuplicateKeyChecker checker;
  bool ok = false;
  try {
    ok = json::sax_parse(text.begin(), text.end(), &checker, json::input_format_t::json, true);
  } catch (const std::exception& e) {
    return InvalidArgumentError(std::string(where) + ": not valid JSON: " + e.what());
  }
  if (!ok) {
    return InvalidArgumentError(std::string(where) + ": not valid JSON: " + checker.problem());
  }
  try {
    return json::parse(text.begin(), text.end());
  } catch (const std::exception& e) {
    return InvalidArgumentError(std::string(where) + ": not valid JSON: " + e.what());
  }
}

Result<std::string> CanonicalJson(const json& value) {
  std::string out;
  VIGIL_RETURN_IF_ERROR(AppendCanonical(out, value, "$"));
  return out;
}

}  // namespace vigil::update
