// A strict JSON reader (RFC 8259) into a flat, read-only document, and the OLPC canonical form of
// any value in it. This is the one parser for untrusted bytes in the update module: the TUF
// metadata readers walk a JsonDoc directly, and ParseStrictJson (vigil/update/canonical_json.h)
// converts one to nlohmann::json for the rest of the module.
//
// Why not nlohmann's own DOM: a refresh parses ~1.5 MB of metadata (10,000 targets) and every
// signature covers the canonical bytes of "signed". nlohmann builds a std::map and a heap string
// per member (and keeps the last of duplicated keys silently); here the values live in one
// vector in document order, strings are views into the input unless they hold escapes, and each
// object's members are sorted once, which serves the duplicate-key check, the lookups and the
// canonical writer alike.
//
// Rejected, with "at byte N (JSON path): what was expected, what was found": syntax errors,
// duplicate object keys, invalid UTF-8 (overlong forms, surrogates, > U+10FFFF), unpaired
// \u surrogates, control characters in strings, a byte order mark, trailing data, nesting deeper
// than kMaxJsonDepth and input larger than kMaxJsonBytes.
//
// Thread-safety: a parsed JsonDoc is immutable; concurrent readers are safe.
#ifndef VIGIL_SRC_UPDATE_INTERNAL_JSON_DOC_H_
#define VIGIL_SRC_UPDATE_INTERNAL_JSON_DOC_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/json.h"
#include "vigil/core/result.h"
#include "vigil/update/canonical_json.h"

namespace vigil::update::internal {

// Largest document accepted (node indices are 32-bit; TUF metadata limits are far below).
inline constexpr size_t kMaxJsonBytes = size_t{1} << 30;

enum class JsonKind : uint8_t {
  kNull,
  kFalse,
  kTrue,
  kUnsigned,  // an integer 0 .. 2^64-1
  kNegative,  // an integer -2^63 .. -0
  kFloat,     // a fraction, an exponent, or an integer outside the two ranges above
  kString,
  kArray,
  kObject,
};

class JsonDoc {
 public:
  // Index of a value in the document; the root is 0.
  using Id = uint32_t;

  // Parses `text`, which must outlive the document (strings without escapes are views into it).
  // InvalidArgument "<where>: not valid JSON: ..." naming the byte offset and JSON path.
  static Result<JsonDoc> Parse(std::string_view text, std::string_view where);

  JsonKind kind(Id id) const { return nodes_[id].kind; }
  // "null", "boolean", "number", "string", "array" or "object" (as nlohmann names them).
  static const char* KindName(JsonKind kind);
  // Members of an object or elements of an array.
  size_t size(Id id) const { return nodes_[id].count; }
  // kString: the decoded value. kUnsigned/kNegative/kFloat: the number as written.
  std::string_view text(Id id) const { return nodes_[id].text; }
  uint64_t unsigned_value(Id id) const { return nodes_[id].number; }
  int64_t negative_value(Id id) const { return static_cast<int64_t>(nodes_[id].number); }
  // The member name of `id` within its object (empty for array elements and the root).
  std::string_view key(Id id) const { return nodes_[id].key; }

  // The member `key` of object `id`, or kNone.
  static constexpr Id kNone = UINT32_MAX;
  Id Find(Id id, std::string_view key) const;
  // The first child of a container and the next sibling of a child (kNone past the last).
  // Object members come in document order.
  Id FirstChild(Id id) const { return nodes_[id].end > id + 1 ? id + 1 : kNone; }
  Id NextSibling(Id parent, Id child) const {
    Id next = nodes_[child].end;
    return next < nodes_[parent].end ? next : kNone;
  }
  // Object `id`'s members in the byte order of their names (canonical order).
  const Id* SortedBegin(Id id) const { return sorted_.data() + nodes_[id].sorted; }
  const Id* SortedEnd(Id id) const { return SortedBegin(id) + nodes_[id].count; }

  // The OLPC canonical form of value `id`. InvalidArgument "canonical JSON: $.a[0]: ..." for a
  // floating-point number, which canonical JSON cannot represent. Metadata that was written in
  // canonical form (as Vigil's repository tooling writes it) is copied, not re-written.
  Result<std::string> Canonical(Id id) const;
  // The same, always written from the parsed values (what Canonical must equal; for tests).
  Result<std::string> CanonicalWritten(Id id) const;
  // The value as nlohmann::json (for the module's users of that type).
  nlohmann::json ToNlohmann(Id id) const;
  // The value as a json::Value, members in document order.
  json::Value ToValue(Id id) const;

 private:
  friend class JsonReader;
  struct Node {
    JsonKind kind;
    uint32_t count = 0;   // containers: members or elements
    uint32_t end = 0;     // one past the last node of this value's subtree
    uint32_t sorted = 0;  // objects: offset of the member order in sorted_
    // True if `raw` is already the value's canonical form (no whitespace, members in name
    // order, only \" and \\ escapes, no "-0"); Canonical() then copies it instead of writing.
    bool canonical_as_written = false;
    uint64_t number = 0;  // kUnsigned, kNegative (two's complement)
    std::string_view key;
    std::string_view text;
    std::string_view raw;  // the value's bytes in the input
  };
  bool AppendCanonical(std::string& out, Id id) const;
  void AppendPath(std::string& out, Id target) const;

  std::vector<Node> nodes_;
  std::vector<Id> sorted_;
  // Strings with escapes, decoded. Reserved once to the input's size (a decoded string is never
  // longer than its escaped form), so it never reallocates and views into it stay valid, also
  // when the document is moved.
  std::vector<char> decoded_;
};

// Appends `s` as an OLPC canonical string: quoted, with only '"' and '\' escaped.
void AppendCanonicalString(std::string& out, std::string_view s);

}  // namespace vigil::update::internal

#endif  // VIGIL_SRC_UPDATE_INTERNAL_JSON_DOC_H_
