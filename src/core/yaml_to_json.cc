// YAML is read as a stream of events from libyaml (the reference C parser), never as a node
// tree, and each event is checked and written straight to JSON: an anchor or alias is refused at
// the first event that carries it and nothing is ever expanded.
//
// Why libyaml and not yaml-cpp's event parser: yaml-cpp's scanner holds every token of a flow
// collection until the collection ends (any of them might still turn out to be an implicit key),
// so 1 MiB of "[a,a,a,…]" cost 137 MiB and 1 MiB of "[[[[…" 237 MiB before the first event.
// libyaml drops a candidate key after a line or 1024 characters, as the YAML spec allows, and
// read the same documents in under 0.5 MiB.
#include "vigil/core/yaml_to_json.h"

#include <yaml.h>

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "vigil/core/encoding.h"
#include "vigil/core/env.h"
#include "vigil/core/json.h"
#include "vigil/core/json_writer.h"

namespace vigil {
namespace {

constexpr char kNoAliases[] =
    "YAML aliases and anchors are not accepted (they let a 1 KB file expand to gigabytes)";

// A refusal at a position in the text (libyaml's marks count from 0).
struct Refusal {
  yaml_mark_t mark;
  std::string what;
};

bool IsOneOf(std::string_view s, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words) {
    if (s == w) return true;
  }
  return false;
}

// Decimal digits only, few enough that they always fit in an int64.
bool IsSmallDecimal(std::string_view s) {
  if (s.empty() || s.size() > 18) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

class JsonBuilder {
 public:
  JsonBuilder(YamlScalars scalars, int max_depth, YamlLines* lines)
      : writer_(json_, /*indent=*/0), scalars_(scalars), max_depth_(max_depth), lines_(lines) {}

  std::string TakeJson() { return documents_ == 0 ? std::string("null") : std::move(json_); }

  // Handles one event; a Refusal when it breaks a rule of yaml_to_json.h.
  std::optional<Refusal> Handle(const yaml_event_t& e) {
    switch (e.type) {
      case YAML_DOCUMENT_START_EVENT:
        if (++documents_ > 1) return Refuse(e, "expected one YAML document, found a second (---)");
        return std::nullopt;
      case YAML_ALIAS_EVENT:
        return Refuse(e, kNoAliases);
      case YAML_SCALAR_EVENT:
        if (e.data.scalar.anchor != nullptr) return Refuse(e, kNoAliases);
        return OnScalar(e);
      case YAML_SEQUENCE_START_EVENT:
        if (e.data.sequence_start.anchor != nullptr) return Refuse(e, kNoAliases);
        return Open(e, /*is_map=*/false);
      case YAML_MAPPING_START_EVENT:
        if (e.data.mapping_start.anchor != nullptr) return Refuse(e, kNoAliases);
        return Open(e, /*is_map=*/true);
      case YAML_SEQUENCE_END_EVENT:
        Close()->EndArray();
        return std::nullopt;
      case YAML_MAPPING_END_EVENT:
        Close()->EndObject();
        return std::nullopt;
      default:  // stream start and end, document end
        return std::nullopt;
    }
  }

 private:
  struct Frame {
    bool is_map = false;
    bool expect_key = false;
    std::unordered_set<std::string> keys;  // of a mapping, to refuse duplicates
    // Only when lines are kept: the collection's JSON path, and the path of the value that comes
    // next (a mapping: set by its key; a sequence: built from the element count).
    std::string path;
    std::string next_path;
    size_t elements = 0;
  };

  // The JSON path of the value starting now, and its line kept; "" when lines are not kept.
  std::string StartValue(const yaml_event_t& e) {
    if (lines_ == nullptr) return {};
    std::string path;
    if (stack_.empty()) {
      path = "$";
    } else if (stack_.back().is_map) {
      path = std::move(stack_.back().next_path);
    } else {
      path = stack_.back().path + "[" + std::to_string(stack_.back().elements++) + "]";
    }
    lines_->emplace(path, static_cast<int>(e.start_mark.line) + 1);  // a key's line stays
    return path;
  }

  static Refusal Refuse(const yaml_event_t& e, std::string what) {
    return Refusal{e.start_mark, std::move(what)};
  }

  // A scalar without tag or quotes: the only kind that can be null, a boolean or a number.
  static bool IsPlain(const yaml_event_t& e) {
    return e.data.scalar.tag == nullptr && e.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
  }
  static bool IsNull(const yaml_event_t& e, std::string_view value) {
    return IsPlain(e) && IsOneOf(value, {"", "~", "null", "Null", "NULL"});
  }

  bool InKeyPosition() const { return !stack_.empty() && stack_.back().expect_key; }

  std::optional<Refusal> OnScalar(const yaml_event_t& e) {
    std::string_view value(reinterpret_cast<const char*>(e.data.scalar.value),
                           e.data.scalar.length);
    if (InKeyPosition()) return OnKey(e, value);
    StartValue(e);
    if (IsNull(e, value)) {
      writer_.Null();
    } else if (IsPlain(e) && IsOneOf(value, {"true", "True", "TRUE"})) {
      writer_.Bool(true);
    } else if (IsPlain(e) && IsOneOf(value, {"false", "False", "FALSE"})) {
      writer_.Bool(false);
    } else if (IsPlain(e) && scalars_ == YamlScalars::kIntegersAsNumbers && IsSmallDecimal(value)) {
      writer_.Integer(std::stoll(std::string(value)));
    } else {
      writer_.String(value);
    }
    ValueDone();
    return std::nullopt;
  }

  std::optional<Refusal> OnKey(const yaml_event_t& e, std::string_view key) {
    if (IsNull(e, key)) return Refuse(e, "expected a string as mapping key, found null");
    if (IsPlain(e) && key == "<<") {
      return Refuse(e, "YAML merge keys (<<) are not accepted (they copy an aliased mapping)");
    }
    Frame& map = stack_.back();
    if (!map.keys.emplace(key).second) {
      return Refuse(e, "mapping key \"" + OneLine(key) + "\" appears twice (expected unique keys)");
    }
    writer_.Key(key);
    map.expect_key = false;
    if (lines_ != nullptr) {
      map.next_path = json::MemberPath(map.path, key);
      lines_->emplace(map.next_path, static_cast<int>(e.start_mark.line) + 1);
    }
    return std::nullopt;
  }

  std::optional<Refusal> Open(const yaml_event_t& e, bool is_map) {
    if (InKeyPosition()) {
      return Refuse(e, std::string("expected a string as mapping key, found a ") +
                           (is_map ? "mapping" : "sequence"));
    }
    if (static_cast<int>(stack_.size()) >= max_depth_) {
      return Refuse(e, "nesting deeper than " + std::to_string(max_depth_) +
                           " levels (expected at most that many nested sequences and mappings)");
    }
    std::string path = StartValue(e);
    stack_.push_back(Frame{is_map, is_map, {}, std::move(path), {}, 0});
    if (is_map) {
      writer_.BeginObject();
    } else {
      writer_.BeginArray();
    }
    return std::nullopt;
  }

  JsonWriter* Close() {
    stack_.pop_back();
    ValueDone();
    return &writer_;
  }

  // After a value inside a mapping, the next scalar is a key again.
  void ValueDone() {
    if (!stack_.empty() && stack_.back().is_map) stack_.back().expect_key = true;
  }

  std::string json_;
  JsonWriter writer_;
  YamlScalars scalars_;
  int max_depth_;
  YamlLines* lines_;
  std::vector<Frame> stack_;
  int documents_ = 0;
};

std::string At(std::string_view source, const yaml_mark_t& mark) {
  return std::string(source) + ":" + std::to_string(mark.line + 1) + ":" +
         std::to_string(mark.column + 1) + ": ";
}

// libyaml's own complaint as one line: "did not find expected ',' or ']' (while parsing a flow
// sequence)". A reader error (bad UTF-8, a control character) has an offset, not a mark.
std::string ParserError(std::string_view source, const yaml_parser_t& p) {
  std::string problem = OneLine(p.problem != nullptr ? p.problem : "unknown error");
  if (p.error == YAML_READER_ERROR) {
    return std::string(source) + ": byte " + std::to_string(p.problem_offset) +
           ": malformed YAML: " + problem + " (expected UTF-8 text without control characters)";
  }
  std::string out = At(source, p.problem_mark) + "malformed YAML: " + problem;
  if (p.context != nullptr) out += " (" + OneLine(p.context) + ")";
  return out;
}

struct ParserDeleter {
  void operator()(yaml_parser_t* p) const {
    yaml_parser_delete(p);
    delete p;
  }
};

}  // namespace

Result<std::string> YamlToJson(std::string_view yaml, std::string_view source, YamlScalars scalars,
                               const YamlLimits& limits, YamlLines* lines) {
  if (lines != nullptr) lines->clear();
  if (yaml.size() > limits.max_bytes) {
    return ResourceExhaustedError(std::string(source) + ": " + std::to_string(yaml.size()) +
                                  " bytes, over the " + HumanBytes(limits.max_bytes) +
                                  " limit for a YAML document");
  }
  std::unique_ptr<yaml_parser_t, ParserDeleter> parser(new yaml_parser_t);
  if (yaml_parser_initialize(parser.get()) == 0) {
    return ResourceExhaustedError(std::string(source) + ": cannot start the YAML parser");
  }
  // libyaml asserts (aborts the process) on a null input even of zero bytes, which an empty
  // std::string_view may hold.
  const char* text = yaml.data() != nullptr ? yaml.data() : "";
  yaml_parser_set_input_string(parser.get(), reinterpret_cast<const unsigned char*>(text),
                               yaml.size());
  JsonBuilder builder(scalars, limits.max_depth, lines);
  for (;;) {
    yaml_event_t event;
    if (yaml_parser_parse(parser.get(), &event) == 0) {
      return InvalidArgumentError(ParserError(source, *parser));
    }
    std::optional<Refusal> refused = builder.Handle(event);
    const bool end = event.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&event);
    if (refused) return InvalidArgumentError(At(source, refused->mark) + refused->what);
    if (end) break;
  }
  return builder.TakeJson();
}

}  // namespace vigil
