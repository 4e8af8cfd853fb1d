// json::Value, the writers and the reading cursor (see vigil/core/json.h; the parser is in
// json_parse.cc).
#include "vigil/core/json.h"

#include <algorithm>

#include "vigil/core/encoding.h"
#include "vigil/core/json_writer.h"

namespace vigil::json {

const char* Describe(Type type) {
  switch (type) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return "a boolean";
    case Type::kNumber:
      return "a number";
    case Type::kString:
      return "a string";
    case Type::kArray:
      return "an array";
    case Type::kObject:
      return "an object";
  }
  return "a value";
}

// ---- Value ----

double Value::as_double() const {
  const Number& n = std::get<Number>(data_);
  return n.integer ? static_cast<double>(n.i) : n.d;
}

size_t Value::size() const {
  if (is_array()) return as_array().size();
  if (is_object()) return as_object().size();
  return 0;
}

const Value* Value::Find(std::string_view key) const {
  if (!is_object()) return nullptr;
  for (const Member& m : as_object()) {
    if (m.key == key) return &m.value;
  }
  return nullptr;
}

Value* Value::Find(std::string_view key) {
  return const_cast<Value*>(static_cast<const Value*>(this)->Find(key));
}

Value& Value::Set(std::string_view key, Value value) {
  if (Value* existing = Find(key)) return *existing = std::move(value);
  Object& members = as_object();
  members.push_back(Member{std::string(key), std::move(value)});
  return members.back().value;
}

Value Value::MakeObject(std::initializer_list<std::pair<std::string_view, Value>> members) {
  Object object;
  object.reserve(members.size());
  for (const auto& [key, value] : members) object.push_back(Member{std::string(key), value});
  return Value(std::move(object));
}

Value& Value::operator[](std::string_view key) {
  if (is_null()) *this = MakeObject();
  if (Value* existing = Find(key)) return *existing;
  return Set(key, Value());
}

const Value& Value::operator[](std::string_view key) const {
  static const Value kNull;
  const Value* member = Find(key);
  return member != nullptr ? *member : kNull;
}

bool Value::Erase(std::string_view key) {
  Object& members = as_object();
  auto it =
      std::find_if(members.begin(), members.end(), [&](const Member& m) { return m.key == key; });
  if (it == members.end()) return false;
  members.erase(it);
  return true;
}

Value& Value::Push(Value value) { return as_array().emplace_back(std::move(value)); }

bool operator==(const Value& a, const Value& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Type::kNull:
      return true;
    case Type::kBool:
      return a.as_bool() == b.as_bool();
    case Type::kNumber:
      if (a.is_integer() && b.is_integer()) return a.as_int() == b.as_int();
      return a.as_double() == b.as_double();
    case Type::kString:
      return a.as_string() == b.as_string();
    case Type::kArray:
      return a.as_array() == b.as_array();
    case Type::kObject:
      if (a.size() != b.size()) return false;
      for (const Member& m : a.as_object()) {
        const Value* other = b.Find(m.key);
        if (other == nullptr || !(*other == m.value)) return false;
      }
      return true;
  }
  return false;
}

// ---- Writers ----

namespace {

void WriteTo(JsonWriter& w, const Value& v) {
  switch (v.type()) {
    case Type::kNull:
      w.Null();
      return;
    case Type::kBool:
      w.Bool(v.as_bool());
      return;
    case Type::kNumber:
      if (v.is_integer()) {
        w.Integer(v.as_int());
      } else {
        w.Number(v.as_double());
      }
      return;
    case Type::kString:
      w.String(v.as_string());
      return;
    case Type::kArray:
      w.BeginArray();
      for (const Value& e : v.as_array()) WriteTo(w, e);
      w.EndArray();
      return;
    case Type::kObject:
      w.BeginObject();
      for (const Member& m : v.as_object()) {
        w.Key(m.key);
        WriteTo(w, m.value);
      }
      w.EndObject();
      return;
  }
}

// The path to the value being written, kept as links on the stack: built into text only for the
// error (signing metadata with 10,000 targets writes every one of them).
struct PathLink {
  const PathLink* parent;
  std::string_view key;
  size_t index;
  bool is_index;
};

std::string PathText(const PathLink* link) {
  if (link == nullptr) return "$";
  std::string parent = PathText(link->parent);
  if (link->is_index) return parent + "[" + std::to_string(link->index) + "]";
  return MemberPath(parent, link->key);
}

std::optional<std::string> AppendCanonical(std::string& out, const Value& v, const PathLink* at);

// Whether the members are in canonical order already (std::string compares as unsigned bytes:
// UTF-8 byte order, as the OLPC rules ask). Names are unique, so sorted means strictly rising.
bool MembersSorted(const Object& members) {
  for (size_t i = 1; i < members.size(); ++i) {
    if (!(members[i - 1].key < members[i].key)) return false;
  }
  return true;
}

std::optional<std::string> AppendCanonicalMember(std::string& out, const Member& m, bool first,
                                                 const PathLink* at) {
  if (!first) out.push_back(',');
  AppendCanonicalString(out, m.key);
  out.push_back(':');
  PathLink link{at, m.key, 0, false};
  return AppendCanonical(out, m.value, &link);
}

// Members in byte order of their names; documents written in that order (as Vigil writes its
// own) are copied through without sorting.
std::optional<std::string> AppendCanonicalObject(std::string& out, const Object& members,
                                                 const PathLink* at) {
  out.push_back('{');
  if (MembersSorted(members)) {
    for (size_t i = 0; i < members.size(); ++i) {
      if (auto bad = AppendCanonicalMember(out, members[i], i == 0, at)) return bad;
    }
  } else {
    std::vector<const Member*> sorted;
    sorted.reserve(members.size());
    for (const Member& m : members) sorted.push_back(&m);
    std::sort(sorted.begin(), sorted.end(),
              [](const Member* a, const Member* b) { return a->key < b->key; });
    for (size_t i = 0; i < sorted.size(); ++i) {
      if (auto bad = AppendCanonicalMember(out, *sorted[i], i == 0, at)) return bad;
    }
  }
  out.push_back('}');
  return std::nullopt;
}

// Appends the canonical form of `v`; on the first non-integer number, returns its path.
std::optional<std::string> AppendCanonical(std::string& out, const Value& v, const PathLink* at) {
  switch (v.type()) {
    case Type::kNull:
      out += "null";
      return std::nullopt;
    case Type::kBool:
      out += v.as_bool() ? "true" : "false";
      return std::nullopt;
    case Type::kNumber:
      if (!v.is_integer()) return PathText(at);
      out += std::to_string(v.as_int());
      return std::nullopt;
    case Type::kString:
      AppendCanonicalString(out, v.as_string());
      return std::nullopt;
    case Type::kArray: {
      out.push_back('[');
      const Array& a = v.as_array();
      for (size_t i = 0; i < a.size(); ++i) {
        if (i) out.push_back(',');
        PathLink link{at, {}, i, true};
        if (auto bad = AppendCanonical(out, a[i], &link)) return bad;
      }
      out.push_back(']');
      return std::nullopt;
    }
    case Type::kObject:
      return AppendCanonicalObject(out, v.as_object(), at);
  }
  return PathText(at);
}

bool IsPlainName(std::string_view key) {
  if (key.empty()) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

}  // namespace

std::string Write(const Value& value, int indent) {
  std::string out;
  JsonWriter w(out, indent);
  WriteTo(w, value);
  return out;
}

void AppendCanonicalString(std::string& out, std::string_view s) {
  out.push_back('"');
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '"' || s[i] == '\\') {
      out.append(s.substr(run, i - run));
      out.push_back('\\');
      run = i;
    }
  }
  out.append(s.substr(run));
  out.push_back('"');
}

Result<std::string> Canonical(const Value& value) {
  std::string out;
  auto bad = AppendCanonical(out, value, nullptr);
  if (!bad) return out;
  return InvalidArgumentError("canonical JSON: " + *bad +
                              ": expected an integer, string, boolean, null, array or object; "
                              "found a number (canonical JSON has no floating-point numbers)");
}

std::string MemberPath(std::string_view path, std::string_view key) {
  std::string out(path);
  if (IsPlainName(key)) {
    out.push_back('.');
    out.append(key);
  } else {
    out.push_back('[');
    AppendJsonString(out, key);  // escapes control characters: the path stays one line
    out.push_back(']');
  }
  return out;
}

// ---- Node ----

Node::Node(const Value& root, std::string_view name, std::string_view root_path)
    : value_(&root),
      name_(std::make_shared<const std::string>(name)),
      parent_path_(std::make_shared<const std::string>(root_path)),
      step_(Step::kRoot) {}

const std::shared_ptr<const std::string>& Node::SharedPath() const {
  if (step_ == Step::kRoot) return parent_path_;
  if (!path_) {
    std::string_view key = owned_key_.empty() ? key_ : owned_key_;
    path_ = std::make_shared<const std::string>(
        step_ == Step::kMember ? MemberPath(*parent_path_, key)
                               : *parent_path_ + "[" + std::to_string(index_) + "]");
  }
  return path_;
}

const std::string& Node::path() const { return *SharedPath(); }

Node Node::MemberNode(const Value* value, std::string_view key) const {
  Node child(value, name_, SharedPath(), Step::kMember);
  if (value != nullptr) {
    child.key_ = key;  // the member's own name, which lives as long as the document
  } else {
    child.owned_key_ = key;  // the caller's text may not outlive the node
  }
  return child;
}

Node Node::ElementNode(const Value* value, size_t index) const {
  Node child(value, name_, SharedPath(), Step::kIndex);
  child.index_ = index;
  return child;
}

Error Node::Invalid(std::string_view problem) const {
  return InvalidArgumentError(OneLine(*name_) + ": " + path() + ": " + OneLine(problem));
}

Error Node::Mismatch(std::string_view expected) const {
  if (!present()) return Missing();
  return Invalid(std::string("expected ") + std::string(expected) + ", found " + Describe(type()));
}

bool Node::Has(std::string_view key) const { return present() && value_->Find(key) != nullptr; }

Node Node::Get(std::string_view key) const {
  if (present() && value_->is_object()) {
    for (const json::Member& m : value_->as_object()) {
      if (m.key == key) return MemberNode(&m.value, m.key);
    }
  }
  return MemberNode(nullptr, key);
}

Node Node::At(size_t i) const {
  const Value* element = present() && value_->is_array() && i < value_->size()
                             ? &value_->as_array()[i]
                             : nullptr;
  return ElementNode(element, i);
}

Status Node::ExpectObject() const {
  if (!present() || !value_->is_object()) return Mismatch("an object");
  return OkStatus();
}

Status Node::ExpectArray() const {
  if (!present() || !value_->is_array()) return Mismatch("an array");
  return OkStatus();
}

Result<Node> Node::Required(std::string_view key) const {
  VIGIL_ASSIGN_OR_RETURN(std::optional<Node> member, Optional(key));
  if (member) return *std::move(member);
  return MemberNode(nullptr, key).Missing();
}

Result<std::optional<Node>> Node::Optional(std::string_view key) const {
  VIGIL_RETURN_IF_ERROR(ExpectObject());
  Node member = Get(key);
  if (!member.present()) return std::optional<Node>();
  return std::optional<Node>(std::move(member));
}

Result<std::string> Node::String() const {
  if (!present() || !value_->is_string()) return Mismatch("a string");
  return value_->as_string();
}

Result<std::string_view> Node::StringView() const {
  if (!present() || !value_->is_string()) return Mismatch("a string");
  return std::string_view(value_->as_string());
}

Result<bool> Node::Bool() const {
  if (!present() || !value_->is_bool()) return Mismatch("a boolean");
  return value_->as_bool();
}

Result<int64_t> Node::Int() const {
  if (!present()) return Missing();
  if (!value_->is_integer()) {
    if (value_->is_number()) {
      return Invalid(
          "expected an integer, found a number with a fraction or exponent, or out "
          "of range");
    }
    return Mismatch("an integer");
  }
  return value_->as_int();
}

Result<uint64_t> Node::UInt(uint64_t min) const {
  if (!present() || !value_->is_integer()) return Mismatch("an integer >= " + std::to_string(min));
  int64_t n = value_->as_int();
  if (n < 0 || static_cast<uint64_t>(n) < min) {
    return Invalid("expected an integer >= " + std::to_string(min) + ", found " +
                   std::to_string(n));
  }
  return static_cast<uint64_t>(n);
}

Result<double> Node::Double() const {
  if (!present() || !value_->is_number()) return Mismatch("a number");
  return value_->as_double();
}

Result<const Object*> Node::AsObject() const {
  if (!present() || !value_->is_object()) return Mismatch("an object");
  return &value_->as_object();
}

Result<const Array*> Node::AsArray() const {
  if (!present() || !value_->is_array()) return Mismatch("an array");
  return &value_->as_array();
}

Result<std::vector<Node>> Node::Elements() const {
  VIGIL_ASSIGN_OR_RETURN(const json::Array* array, AsArray());
  std::vector<Node> out;
  out.reserve(array->size());
  for (size_t i = 0; i < array->size(); ++i) {
    out.push_back(ElementNode(&(*array)[i], i));
  }
  return out;
}

Status Node::ForEachElement(const std::function<Status(const Node&)>& fn) const {
  VIGIL_ASSIGN_OR_RETURN(const json::Array* array, AsArray());
  for (size_t i = 0; i < array->size(); ++i) {
    VIGIL_RETURN_IF_ERROR(fn(ElementNode(&(*array)[i], i)));
  }
  return OkStatus();
}

Status Node::ForEachMember(const std::function<Status(std::string_view, const Node&)>& fn) const {
  VIGIL_ASSIGN_OR_RETURN(const json::Object* object, AsObject());
  for (const Member& m : *object) {
    VIGIL_RETURN_IF_ERROR(fn(m.key, MemberNode(&m.value, m.key)));
  }
  return OkStatus();
}

Status Node::RefuseUnknown(std::initializer_list<std::string_view> allowed) const {
  VIGIL_ASSIGN_OR_RETURN(const json::Object* object, AsObject());
  for (const Member& m : *object) {
    if (std::find(allowed.begin(), allowed.end(), m.key) != allowed.end()) continue;
    std::string list;
    for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    return Invalid("unknown member \"" + m.key + "\" (allowed: " + list + ")");
  }
  return OkStatus();
}

}  // namespace vigil::json
