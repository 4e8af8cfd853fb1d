// A streaming JSON writer for reports: appends RFC 8259 JSON to a string, pretty-printed with
// two-space indentation (the layout `jq .` and nlohmann's dump(2) use) or compact, without
// building a document tree first. Writing findings through a tree cost a 10k-component scan a
// quarter of its time.
//
//   JsonWriter w(out, /*indent=*/2);
//   w.BeginObject();
//   w.Key("id"); w.String("GO-2023-1234");
//   w.Key("score"); w.Number(7.5);
//   w.EndObject();
//
// Strings: '"', '\\' and the C0 controls are escaped (\b \f \n \r \t, else \u00XX); other
// UTF-8 passes through; an invalid UTF-8 sequence is written as U+FFFD, so the output is always
// valid JSON whatever the input. Numbers: the shortest digits that read back as the same
// double, in plain decimals while the decimal exponent is in [-4, 14] and exponent notation
// outside (nlohmann's and JavaScript's choice; an integral value keeps a ".0"); NaN and
// infinities, which JSON cannot express, are written as null.
//
// `base_depth` indents everything as if the value were nested that deep (a streamed array
// element). The caller keeps the calls balanced (a debug assertion checks Key is followed by a
// value inside an object).
//
// Thread-safety: one writer per thread.
#ifndef VIGIL_CORE_JSON_WRITER_H_
#define VIGIL_CORE_JSON_WRITER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

class JsonWriter {
 public:
  // indent 0: compact (no whitespace at all).
  explicit JsonWriter(std::string& out, int indent = 2, int base_depth = 0);

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view s);
  JsonWriter& Number(double v);
  JsonWriter& Integer(int64_t v);
  JsonWriter& Bool(bool b);
  JsonWriter& Null();

  // The next object or array, and all it holds, is written on one line without whitespace,
  // however the writer indents: a long list of small records stays one record per line.
  JsonWriter& Compact();

  // The next value as JSON text already written (compact, valid: the caller's), e.g. a fragment
  // serialised once and repeated.
  JsonWriter& Raw(std::string_view json);

  // Key(k) then String(v) / an array of strings.
  JsonWriter& Member(std::string_view key, std::string_view value);
  JsonWriter& StringArray(std::string_view key, const std::vector<std::string>& values);

  // Takes over an object the caller opened in `out` and gave members as this writer would have
  // at its base depth (a specialised writer's fixed layout): the next Key is preceded by a comma
  // and a line at base depth + 1, and EndObject closes the object at the base depth. Only on a
  // writer nothing was written through yet.
  JsonWriter& ResumeObject();

 private:
  void BeforeValue();
  void NewLine(size_t depth);
  JsonWriter& Open(char c);
  JsonWriter& Close(char c);

  std::string& out_;
  int indent_;
  int base_depth_;
  // One entry per open container: whether it has members yet.
  std::vector<bool> has_members_;
  bool after_key_ = false;
  bool compact_next_ = false;
  // has_members_.size() inside the outermost compact container; SIZE_MAX when there is none.
  size_t compact_depth_ = SIZE_MAX;
};

// Appends `s` as a JSON string literal (quotes included), escaped as JsonWriter does.
void AppendJsonString(std::string& out, std::string_view s);
// The same without the quotes: the literal's characters, for a writer whose fixed text holds
// the quotes (`"id": "` … `",`).
void AppendJsonStringBody(std::string& out, std::string_view s);
// Appends `v` as JsonWriter::Number writes it.
void AppendJsonNumber(std::string& out, double v);

}  // namespace vigil

#endif  // VIGIL_CORE_JSON_WRITER_H_
