// The one JSON layer: a strict parser of our own into an owning value tree, a path-aware reading
// cursor whose every error names the document and the JSON path, and writers (compact, pretty,
// OLPC canonical).
//
//   VIGIL_ASSIGN_OR_RETURN(json::Value doc, json::Parse(text, "root.json"));
//   json::Node root(doc, "root.json");
//   VIGIL_ASSIGN_OR_RETURN(json::Node version, root.Required("version"));
//   VIGIL_ASSIGN_OR_RETURN(int64_t v, version.Int());
//   // fails with "root.json: $.version: expected an integer, found a string"
//
// Why our own parser: the documents that matter most (TUF metadata, policies, state files) are
// untrusted and signed, and two readers must never disagree about what they say. nlohmann keeps
// the last of two duplicated keys, accepts unbounded nesting and reports errors as exceptions;
// simdjson's DOM is read-only and cannot build documents. Parse refuses everything a permissive
// parser would quietly resolve:
//   - duplicate object keys, nesting deeper than Limits::max_depth, input longer than
//     Limits::max_bytes;
//   - invalid UTF-8 (overlong forms, encoded surrogates, > U+10FFFF) and \u escapes of a
//     surrogate that does not pair;
//   - a leading byte order mark, trailing bytes after the value, NaN and Infinity, leading zeros,
//     numbers out of double range, raw control characters in strings.
//
// Errors are one line, InvalidArgument:
//   "<name>: malformed JSON at byte N: <what was expected, what was found>"  (syntax)
//   "<name>: <path>: <problem>"  (shape: duplicate keys, and every Node accessor)
// where <path> is "$" for the root, ".key" for a member whose name is an identifier,
// "[\"odd key\"]" otherwise, and "[i]" for an array element: $.signed.roles.root.keyids[2].
// Text from the document that appears in a message goes through OneLine (encoding.h).
//
// Thread-safety: Value is a plain value type (const access from many threads is safe); the free
// functions are pure.
#ifndef VIGIL_CORE_JSON_H_
#define VIGIL_CORE_JSON_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "vigil/core/json_allocator.h"
#include "vigil/core/result.h"

namespace vigil::json {

// How far Parse goes before refusing. The defaults fit every document Vigil reads; readers of
// untrusted data with a tighter bound (TUF roles) pass their own.
struct Limits {
  size_t max_bytes = size_t{256} << 20;  // 256 MiB
  int max_depth = 64;                    // nested arrays/objects; TUF metadata needs 6
};

enum class Type : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };

// "null", "a boolean", "a number", "a string", "an array", "an object" (for messages).
const char* Describe(Type type);

class Value;
struct Member;
// Vectors whose blocks a thread reuses from one document to the next (json_allocator.h); used as
// any std::vector.
using Array = std::vector<Value, TreeAllocator<Value>>;
// Members in document (or insertion) order; names are unique.
using Object = std::vector<Member, TreeAllocator<Member>>;

// One JSON value, owning its children. Numbers remember whether they were written as an
// integer: an integer in int64 range is held exactly (canonical JSON and every counter and
// length field need that); anything else (a fraction, an exponent, a larger integer) as a double.
//
// Building: Value v = Value::MakeObject(); v.Set("version", 1); v.Set("keys", Value::MakeArray());
class Value {
 public:
  // The constructors are defined below Member: the variant needs every alternative complete.
  Value();  // null
  Value(std::nullptr_t);
  Value(bool b);
  // Any integer type; unsigned values above INT64_MAX become doubles.
  template <typename T,
            std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  Value(T n);
  Value(double d);
  Value(std::string s);
  Value(std::string_view s);
  Value(const char* s);
  Value(Array a);
  Value(Object o);
  static Value MakeArray();
  static Value MakeObject();
  // An object with these members, in this order: MakeObject({{"keyid", id}, {"sig", hex}}).
  // Precondition: the names are distinct.
  static Value MakeObject(std::initializer_list<std::pair<std::string_view, Value>> members);

  Type type() const { return static_cast<Type>(data_.index()); }
  bool is_null() const { return type() == Type::kNull; }
  bool is_bool() const { return type() == Type::kBool; }
  bool is_number() const { return type() == Type::kNumber; }
  // A number written (or built) as an integer within int64.
  bool is_integer() const { return is_number() && std::get<Number>(data_).integer; }
  bool is_string() const { return type() == Type::kString; }
  bool is_array() const { return type() == Type::kArray; }
  bool is_object() const { return type() == Type::kObject; }

  // Unchecked accessors. Precondition: the value is of that type (std::bad_variant_access
  // otherwise, a programming error). as_int: is_integer(). as_double: any number.
  bool as_bool() const { return std::get<bool>(data_); }
  int64_t as_int() const { return std::get<Number>(data_).i; }
  double as_double() const;
  const std::string& as_string() const { return std::get<std::string>(data_); }
  std::string& as_string() { return std::get<std::string>(data_); }
  const Array& as_array() const { return std::get<Array>(data_); }
  Array& as_array() { return std::get<Array>(data_); }
  const Object& as_object() const { return std::get<Object>(data_); }
  Object& as_object() { return std::get<Object>(data_); }

  // Elements of an array or members of an object; 0 for anything else.
  size_t size() const;
  // The member `key` of an object, or null if absent or this is not an object. Linear in the
  // number of members (objects are small, or walked rather than searched).
  const Value* Find(std::string_view key) const;
  Value* Find(std::string_view key);
  // Member `key` of an object, appended as null if absent, so documents can be edited in place:
  // doc["signed"]["version"] = 2. A null value becomes an empty object first. Precondition:
  // is_object() or is_null().
  Value& operator[](std::string_view key);
  // Member `key`, or a null value if absent or this is not an object.
  const Value& operator[](std::string_view key) const;
  // Sets member `key` (replacing its value in place if present, appending otherwise) and
  // returns it. Precondition: is_object().
  Value& Set(std::string_view key, Value value);
  // Removes member `key`; false if there was none. Precondition: is_object().
  bool Erase(std::string_view key);
  // Appends to an array and returns the element. Precondition: is_array().
  Value& Push(Value value);

  // Deep equality. Objects compare as sets of members (order does not matter); numbers by value
  // (1 == 1.0).
  friend bool operator==(const Value& a, const Value& b);

 private:
  struct Number {
    int64_t i = 0;
    double d = 0;
    bool integer = true;
    friend bool operator==(const Number&, const Number&) = default;
  };
  template <typename T>
  static Number MakeInteger(T n) {
    if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(int64_t)) {
      if (n > static_cast<uint64_t>(INT64_MAX)) return Number{0, static_cast<double>(n), false};
    }
    return Number{static_cast<int64_t>(n), 0, true};
  }
  friend class Parser;

  // Alternatives in Type order.
  std::variant<std::monostate, bool, Number, std::string, Array, Object> data_;
};

struct Member {
  std::string key;
  Value value;
};

inline Value::Value() = default;
inline Value::Value(std::nullptr_t) {}
inline Value::Value(bool b) : data_(b) {}
template <typename T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int>>
Value::Value(T n) : data_(MakeInteger(n)) {}
inline Value::Value(double d) : data_(Number{0, d, false}) {}
inline Value::Value(std::string s) : data_(std::move(s)) {}
inline Value::Value(std::string_view s) : data_(std::string(s)) {}
inline Value::Value(const char* s) : data_(std::string(s)) {}
inline Value::Value(Array a) : data_(std::move(a)) {}
inline Value::Value(Object o) : data_(std::move(o)) {}
inline Value Value::MakeArray() { return Value(Array{}); }
inline Value Value::MakeObject() { return Value(Object{}); }

// Parses one JSON document (RFC 8259, strictly; see the top of this file). `name` names the
// document in errors ("root.json"). InvalidArgument as described above.
// When `canonical_text` is given, it is set to whether `text` is byte for byte
// Canonical(value): no whitespace, members in canonical order, integers only (no -0), no escape
// but \" and \\ (false when parsing fails). The parser notes it in the same pass, so a reader of
// signed documents written canonically (as Vigil's repository writes them) can use slices of
// the text as the signed bytes instead of writing them again, at no extra cost.
Result<Value> Parse(std::string_view text, std::string_view name, const Limits& limits = {},
                    bool* canonical_text = nullptr);

// RFC 8259 text: indent 0 is compact, 2 is the two-space layout of `jq .` and nlohmann's
// dump(2). Members in the value's order; written through JsonWriter (json_writer.h), so numbers
// and string escapes are as it writes them; integers exactly.
std::string Write(const Value& value, int indent = 0);

// The OLPC canonical form (http://wiki.laptop.org/go/Canonical_JSON, what TUF signs): members
// sorted by the UTF-8 bytes of their names, no whitespace, integers only, strings with only '"'
// and '\' escaped and every other byte as is. InvalidArgument "canonical JSON: <path>: expected
// an integer, ...; found a number (...)" for a non-integer number.
Result<std::string> Canonical(const Value& value);
// Appends `s` as a canonical JSON string literal.
void AppendCanonicalString(std::string& out, std::string_view s);

// `path` extended by a member name: ".key" when the name is a plain identifier ([A-Za-z0-9_-],
// not empty), else "[\"...\"]" with the name escaped and on one line.
std::string MemberPath(std::string_view path, std::string_view key);

// A reading cursor: a value in a document, with the document's name and the value's JSON path,
// so every accessor's error says where it was and what was expected. A Node does not own the
// value: the Value it was made from must outlive it (and every Node derived from it).
//
// Thread-safety: a view over a value; a Node object is used by one thread at a time (it caches
// its path), copies may go to other threads. Copyable and cheap to pass.
class Node {
 public:
  // The root of document `name`, at path `root_path`: "$" for a whole document; a reader of a
  // value embedded elsewhere names where it came from (e.g. "custom" for a TUF target's custom
  // object, so errors read "<name>: custom.vigil.release: ...").
  Node(const Value& root, std::string_view name, std::string_view root_path = "$");

  // Whether the node stands for a value. Get and At give an absent node for a member or element
  // that is not there; every typed read of an absent node fails with "<path>: required field
  // missing", so a reader can state each field's rule where it reads it:
  //   VIGIL_ASSIGN_OR_RETURN(uint64_t v, signed_.Get("version").UInt(1));
  bool present() const { return value_ != nullptr; }
  // Precondition: present().
  const Value& value() const { return *value_; }
  const std::string& name() const { return *name_; }
  // The JSON path, built on first use and kept (see the members below).
  const std::string& path() const;
  // Precondition: present().
  Type type() const { return value_->type(); }
  // Members of an object or elements of an array; 0 for anything else and when absent.
  size_t size() const { return present() ? value_->size() : 0; }

  // InvalidArgument "<name>: <path>: <problem>" (the problem made one line).
  Error Invalid(std::string_view problem) const;
  // "<name>: <path>: expected <expected>, found <what this value is>".
  Error Mismatch(std::string_view expected) const;

  // Whether this is an object with member `key`.
  bool Has(std::string_view key) const;
  // Member `key`, or an absent node (when there is no such member, this is not an object, or
  // this is absent itself). The path names the member either way.
  Node Get(std::string_view key) const;
  // Element `i` of an array, or an absent node.
  Node At(size_t i) const;
  // Fail with "required field missing" when absent and "expected an object/array, found ..."
  // when of another type.
  Status ExpectObject() const;
  Status ExpectArray() const;
  // Member `key`. Fails if this is not an object ("expected an object, found ...") or, for
  // Required, if the member is missing ("<path>.key: required field missing").
  Result<Node> Required(std::string_view key) const;
  Result<std::optional<Node>> Optional(std::string_view key) const;

  // Typed reads; each fails with "expected <type>, found <type>" (and "required field missing"
  // when absent).
  Result<std::string> String() const;
  // Without a copy; valid while the value is.
  Result<std::string_view> StringView() const;
  Result<bool> Bool() const;
  // An integer (written without fraction or exponent) within int64.
  Result<int64_t> Int() const;
  // The same, at least `min` ("expected an integer >= 1, found 0").
  Result<uint64_t> UInt(uint64_t min = 0) const;
  // Any number.
  Result<double> Double() const;
  Result<const json::Object*> AsObject() const;
  Result<const json::Array*> AsArray() const;

  // The elements of an array, each with its path ("...[i]").
  Result<std::vector<Node>> Elements() const;
  // Calls fn for each element / member (in document order) until one fails; fails first if this
  // is not an array / object.
  Status ForEachElement(const std::function<Status(const Node&)>& fn) const;
  Status ForEachMember(const std::function<Status(std::string_view, const Node&)>& fn) const;
  // Fails on the first member of this object whose name is not in `allowed`:
  // "<path>: unknown member \"x\" (allowed: a, b, c)". For formats that forbid extensions.
  Status RefuseUnknown(std::initializer_list<std::string_view> allowed) const;

 private:
  // How this node's path continues its parent's.
  enum class Step : uint8_t { kRoot, kMember, kIndex };
  Node(const Value* value, std::shared_ptr<const std::string> name,
       std::shared_ptr<const std::string> parent_path, Step step)
      : value_(value), name_(std::move(name)), parent_path_(std::move(parent_path)), step_(step) {}
  Node MemberNode(const Value* value, std::string_view key) const;
  Node ElementNode(const Value* value, size_t index) const;
  const std::shared_ptr<const std::string>& SharedPath() const;
  Error Missing() const { return Invalid("required field missing"); }

  const Value* value_;  // null for an absent node
  std::shared_ptr<const std::string> name_;
  // Paths are built lazily and shared: a node holds its parent's path and its own last step, and
  // writes its own path only when asked for it or when it makes a child. Walking the 10,000
  // members of a TUF targets object then costs no string building per member.
  std::shared_ptr<const std::string> parent_path_;  // kRoot: the root path itself
  Step step_;
  std::string_view key_;  // kMember: a name owned by the document (a present member) ...
  std::string owned_key_;  // ... or by this node (an absent one, named by the caller)
  size_t index_ = 0;       // kIndex
  // The path once built. A Node is not to be used by two threads at once (it is a cursor).
  mutable std::shared_ptr<const std::string> path_;
};

}  // namespace vigil::json

#endif  // VIGIL_CORE_JSON_H_
