#include "vigil/update/repo_state.h"

#include <ctime>
#include <set>

#include "vigil/core/json.h"
#include "vigil/update/canonical_json.h"

namespace vigil::update {
namespace {

using Field = json::Node;

constexpr int64_t kDay = 86400;
constexpr int64_t kMaxDuration = 100 * 365 * kDay;

Result<std::vector<std::string>> ReadNames(const Field& f, bool role_names) {
  VIGIL_RETURN_IF_ERROR(f.ExpectArray());
  std::vector<std::string> out;
  std::set<std::string> seen;
  Status each = f.ForEachElement([&](const Field& e) -> Status {
    VIGIL_ASSIGN_OR_RETURN(std::string s, e.String());
    if (role_names && !IsValidRoleName(s)) return e.Invalid("not a valid role name");
    if (s.empty()) return e.Invalid("expected a non-empty string");
    if (!seen.insert(s).second) return e.Invalid("duplicate entry \"" + s + "\"");
    out.push_back(std::move(s));
    return OkStatus();
  });
  VIGIL_RETURN_IF_ERROR(each);
  return out;
}

// Every member name of `f` must be a valid role name; `read` converts each value.
template <typename T, typename ReadFn>
Result<std::map<std::string, T>> ReadRoleMap(const Field& f, ReadFn read) {
  std::map<std::string, T> out;
  Status each = f.ForEachMember([&](std::string_view role, const Field& child) -> Status {
    if (!IsValidRoleName(role)) return child.Invalid("not a valid role name");
    VIGIL_ASSIGN_OR_RETURN(T v, read(child));
    out.emplace(role, std::move(v));
    return OkStatus();
  });
  VIGIL_RETURN_IF_ERROR(each);
  return out;
}

// {"<key ID>": "<private key file>"}
Result<std::map<std::string, std::string>> ReadKeyPaths(const Field& f) {
  std::map<std::string, std::string> out;
  Status each = f.ForEachMember([&](std::string_view keyid, const Field& key) -> Status {
    if (keyid.empty()) return f.Invalid("key IDs must be non-empty");
    VIGIL_ASSIGN_OR_RETURN(std::string path, key.String());
    if (path.empty()) return key.Invalid("expected a key file path");
    out.emplace(keyid, std::move(path));
    return OkStatus();
  });
  VIGIL_RETURN_IF_ERROR(each);
  return out;
}

Result<int64_t> ReadSeconds(const Field& f, uint64_t max) {
  VIGIL_ASSIGN_OR_RETURN(uint64_t v, f.UInt(1));
  if (v > max) return f.Invalid("expected at most " + std::to_string(max));
  return static_cast<int64_t>(v);
}

Status CheckKnownFields(const Field& top) {
  return top.RefuseUnknown({"vigil_repository", "consistent_snapshot", "roles", "published",
                            "online_keys", "expiry_seconds", "next_expires", "staged_targets"});
}

Status ReadMaps(const Field& top, RepoState& s) {
  auto positive = [](const Field& f) { return f.UInt(1); };
  VIGIL_ASSIGN_OR_RETURN(s.published, ReadRoleMap<uint64_t>(top.Get("published"), positive));
  using KeyPaths = std::map<std::string, std::string>;
  VIGIL_ASSIGN_OR_RETURN(s.online_keys,
                         ReadRoleMap<KeyPaths>(top.Get("online_keys"), ReadKeyPaths));
  if (s.online_keys.contains("root")) {
    return top.Get("online_keys")
        .Get("root")
        .Invalid("root keys are offline: their paths are never stored in the repository");
  }
  auto duration = [](const Field& f) { return ReadSeconds(f, kMaxDuration); };
  auto time = [](const Field& f) { return ReadSeconds(f, uint64_t{1} << 40); };
  VIGIL_ASSIGN_OR_RETURN(s.expiry_seconds,
                         ReadRoleMap<int64_t>(top.Get("expiry_seconds"), duration));
  VIGIL_ASSIGN_OR_RETURN(s.next_expires, ReadRoleMap<int64_t>(top.Get("next_expires"), time));
  for (const auto& [role, at] : s.next_expires) {
    if (role != "snapshot" && role != "timestamp") {
      return top.Get("next_expires").Get(role).Invalid("only snapshot and timestamp");
    }
  }
  return OkStatus();
}

// A list of strings as an array; a map as an object (members in name order).
template <typename List>
json::Value ToJson(const List& list) {
  json::Value out = json::Value::MakeArray();
  for (const auto& item : list) out.Push(item);
  return out;
}
template <typename T>
json::Value ToJson(const std::map<std::string, T>& map) {
  json::Value out = json::Value::MakeObject();
  for (const auto& [name, value] : map) out.Set(name, value);
  return out;
}

}  // namespace

std::string FormatTufTime(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool IsValidRoleName(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '.') return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<int64_t> ParseDuration(std::string_view text) {
  auto invalid = [&] {
    return InvalidArgumentError(
        "duration: expected a positive number followed by s, m, h, d, w "
        "or y (e.g. 30d, 12h), at most 100 years; found \"" +
        std::string(text.substr(0, 32)) + "\"");
  };
  if (text.size() < 2 || text.size() > 12) return invalid();
  int64_t n = 0;
  for (char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9') return invalid();
    n = n * 10 + (c - '0');
  }
  int64_t unit = 0;
  switch (text.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = kDay;
      break;
    case 'w':
      unit = 7 * kDay;
      break;
    case 'y':
      unit = 365 * kDay;
      break;
    default:
      return invalid();
  }
  if (n == 0 || n > kMaxDuration / unit) return invalid();
  return n * unit;
}

Result<RepoState> RepoState::Parse(ByteView bytes, std::string_view where) {
  VIGIL_ASSIGN_OR_RETURN(json::Value doc, ParseStrictJson(AsStringView(bytes), where));
  Field top(doc, where);
  VIGIL_RETURN_IF_ERROR(top.ExpectObject());
  VIGIL_RETURN_IF_ERROR(CheckKnownFields(top));
  VIGIL_ASSIGN_OR_RETURN(uint64_t format, top.Get("vigil_repository").UInt());
  if (format != 1) return top.Get("vigil_repository").Invalid("expected format 1");
  RepoState s;
  VIGIL_ASSIGN_OR_RETURN(s.consistent_snapshot, top.Get("consistent_snapshot").Bool());
  VIGIL_ASSIGN_OR_RETURN(s.roles, ReadNames(top.Get("roles"), true));
  if (s.roles.size() < 2 || s.roles[0] != "root" || s.roles[1] != "targets") {
    return top.Get("roles").Invalid("expected \"root\" and \"targets\" first");
  }
  VIGIL_RETURN_IF_ERROR(ReadMaps(top, s));
  VIGIL_ASSIGN_OR_RETURN(auto staged, ReadNames(top.Get("staged_targets"), false));
  s.staged_targets.insert(staged.begin(), staged.end());
  return s;
}

std::string RepoState::Serialize() const {
  json::Value j = json::Value::MakeObject();
  j.Set("vigil_repository", 1);
  j.Set("consistent_snapshot", consistent_snapshot);
  j.Set("roles", ToJson(roles));
  j.Set("published", ToJson(published));
  json::Value& keys = j.Set("online_keys", json::Value::MakeObject());
  for (const auto& [role, paths] : online_keys) keys.Set(role, ToJson(paths));
  j.Set("expiry_seconds", ToJson(expiry_seconds));
  j.Set("next_expires", ToJson(next_expires));
  j.Set("staged_targets", ToJson(staged_targets));
  return json::Write(j, 2) + "\n";
}

uint64_t RepoState::PublishedVersion(const std::string& role) const {
  auto it = published.find(role);
  return it == published.end() ? 0 : it->second;
}

int64_t RepoState::ExpirySeconds(const std::string& role) const {
  if (auto it = expiry_seconds.find(role); it != expiry_seconds.end()) return it->second;
  if (role == "root") return 365 * kDay;
  if (role == "snapshot") return 7 * kDay;
  if (role == "timestamp") return kDay;
  return 90 * kDay;
}

}  // namespace vigil::update
