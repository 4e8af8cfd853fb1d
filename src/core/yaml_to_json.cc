// YAML is read as a stream of events (yaml-cpp's Parser with an EventHandler), never as a node
// tree: YAML::Load would build the document first and only then let us look at it, and with
// aliases the tree (or anything copied out of it) is where a small file becomes gigabytes. Here
// each event is checked and written straight to JSON, so an anchor or alias is refused at the
// first event that carries it and nothing is ever expanded.
#include "vigil/core/yaml_to_json.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <istream>
#include <streambuf>
#include <unordered_set>
#include <vector>

#include "vigil/core/encoding.h"
#include "vigil/core/env.h"
#include "vigil/core/json_writer.h"

namespace vigil {
namespace {

// Thrown from inside the event handler to stop yaml-cpp at the offending event; caught in
// YamlToJson, so it never leaves this file.
struct Refusal {
  YAML::Mark mark;
  std::string what;
};

// Lets yaml-cpp read the caller's text in place instead of from a copy in a stringstream.
class ViewStreamBuf final : public std::streambuf {
 public:
  explicit ViewStreamBuf(std::string_view text) {
    // The get area is only read: yaml-cpp never puts characters back.
    char* begin = const_cast<char*>(text.data());
    setg(begin, begin, begin + text.size());
  }
};

bool IsOneOf(const std::string& s, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words) {
    if (s == w) return true;
  }
  return false;
}

// yaml-cpp's tag for a plain (unquoted) scalar without an explicit tag is "?".
bool IsPlain(const std::string& tag) { return tag == "?"; }

class JsonBuilder final : public YAML::EventHandler {
 public:
  JsonBuilder(YamlScalars scalars, int max_depth)
      : writer_(json_, /*indent=*/0), scalars_(scalars), max_depth_(max_depth) {}

  std::string TakeJson() { return std::move(json_); }
  int documents() const { return documents_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    Note(mark, YAML::NullAnchor);
    if (++documents_ > 1) Refuse(mark, "expected one YAML document, found a second (---)");
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Note(mark, anchor);
    if (InKeyPosition()) Refuse(mark, "expected a string as mapping key, found null");
    writer_.Null();
    ValueDone();
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t /*anchor*/) override {
    Refuse(mark, kNoAliases);
  }

  void OnAnchor(const YAML::Mark& mark, const std::string& /*name*/) override {
    Refuse(mark, kNoAliases);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Note(mark, anchor);
    if (InKeyPosition()) return OnKey(mark, tag, value);
    WriteScalar(tag, value);
    ValueDone();
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    Open(mark, anchor, /*is_map=*/false);
    writer_.BeginArray();
  }
  void OnSequenceEnd() override { Close()->EndArray(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    Open(mark, anchor, /*is_map=*/true);
    writer_.BeginObject();
  }
  void OnMapEnd() override { Close()->EndObject(); }

 private:
  static constexpr char kNoAliases[] =
      "YAML aliases and anchors are not accepted (they let a 1 KB file expand to gigabytes)";

  struct Frame {
    bool is_map = false;
    bool expect_key = false;
    std::unordered_set<std::string> keys;  // of a mapping, to refuse duplicates
  };

  [[noreturn]] static void Refuse(const YAML::Mark& mark, std::string what) {
    throw Refusal{mark, std::move(what)};
  }

  // Every node event passes here: an anchor is refused whether or not yaml-cpp also reported
  // it through OnAnchor.
  void Note(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) Refuse(mark, kNoAliases);
  }

  bool InKeyPosition() const { return !stack_.empty() && stack_.back().expect_key; }

  void OnKey(const YAML::Mark& mark, const std::string& tag, const std::string& key) {
    if (IsPlain(tag) && key == "<<") {
      Refuse(mark, "YAML merge keys (<<) are not accepted (they copy an aliased mapping)");
    }
    Frame& map = stack_.back();
    if (!map.keys.insert(key).second) {
      Refuse(mark, "mapping key \"" + OneLine(key) + "\" appears twice (expected unique keys)");
    }
    writer_.Key(key);
    map.expect_key = false;
  }

  void WriteScalar(const std::string& tag, const std::string& value) {
    if (!IsPlain(tag)) {
      writer_.String(value);
    } else if (IsOneOf(value, {"true", "True", "TRUE"})) {
      writer_.Bool(true);
    } else if (IsOneOf(value, {"false", "False", "FALSE"})) {
      writer_.Bool(false);
    } else if (IsOneOf(value, {"~", "null", "Null", "NULL"})) {
      writer_.Null();
    } else if (scalars_ == YamlScalars::kIntegersAsNumbers && IsSmallDecimal(value)) {
      writer_.Integer(std::stoll(value));
    } else {
      writer_.String(value);
    }
  }

  static bool IsSmallDecimal(const std::string& s) {
    if (s.empty() || s.size() > 18) return false;  // 18 digits always fit in an int64
    for (char c : s) {
      if (c < '0' || c > '9') return false;
    }
    return true;
  }

  void Open(const YAML::Mark& mark, YAML::anchor_t anchor, bool is_map) {
    Note(mark, anchor);
    if (InKeyPosition()) {
      Refuse(mark, std::string("expected a string as mapping key, found a ") +
                       (is_map ? "mapping" : "sequence"));
    }
    if (static_cast<int>(stack_.size()) >= max_depth_) {
      Refuse(mark, "nesting deeper than " + std::to_string(max_depth_) +
                       " levels (expected at most that many nested sequences and mappings)");
    }
    stack_.push_back(Frame{is_map, is_map, {}});
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
  std::vector<Frame> stack_;
  int documents_ = 0;
};

std::string At(std::string_view source, const YAML::Mark& mark) {
  std::string out(source);
  if (mark.line >= 0) {
    out += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  }
  return out + ": ";
}

}  // namespace

Result<std::string> YamlToJson(std::string_view yaml, std::string_view source, YamlScalars scalars,
                               const YamlLimits& limits) {
  if (yaml.size() > limits.max_bytes) {
    return ResourceExhaustedError(std::string(source) + ": " + std::to_string(yaml.size()) +
                                  " bytes, over the " + HumanBytes(limits.max_bytes) +
                                  " limit for a YAML document");
  }
  ViewStreamBuf buf(yaml);
  std::istream in(&buf);
  JsonBuilder builder(scalars, limits.max_depth);
  try {
    YAML::Parser parser(in);
    // The second call only looks for another document: OnDocumentStart refuses it.
    if (parser.HandleNextDocument(builder)) parser.HandleNextDocument(builder);
  } catch (const Refusal& r) {
    return InvalidArgumentError(At(source, r.mark) + r.what);
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(At(source, e.mark) + "malformed YAML: " + OneLine(e.msg));
  }
  if (builder.documents() == 0) return std::string("null");
  return builder.TakeJson();
}

}  // namespace vigil
