#include "vigil/update/repo_state.h"

#include <ctime>
#include <set>

#include "internal/nlohmann_bridge.h"
#include "json_fields.h"
#include "vigil/update/canonical_json.h"

namespace vigil::update {
namespace {

using internal::Field;
using nlohmann::json;

constexpr int64_t kDay = 86400;
constexpr int64_t kMaxDuration = 100 * 365 * kDay;

Result<std::vector<std::string>> ReadNames(const Field& f, bool role_names) {
  VIGIL_RETURN_IF_ERROR(f.ExpectArray());
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (size_t i = 0; i < f.value().size(); ++i) {
    VIGIL_ASSIGN_OR_RETURN(std::string s, f.Index(i).String());
    if (role_names && !IsValidRoleName(s)) return f.Index(i).Invalid("not a valid role name");
    if (s.empty()) return f.Index(i).Invalid("expected a non-empty string");
    if (!seen.insert(s).second) return f.Index(i).Invalid("duplicate entry \"" + s + "\"");
    out.push_back(std::move(s));
  }
  return out;
}

// Every member name of `f` must be a valid role name; `read` converts each value.
template <typename T, typename ReadFn>
Result<std::map<std::string, T>> ReadRoleMap(const Field& f, ReadFn read) {
  std::map<std::string, T> out;
  VIGIL_RETURN_IF_ERROR(f.ExpectObject());
  for (const auto& [role, value] : f.value().items()) {
    Field child = f.Child(role);
    if (!IsValidRoleName(role)) return child.Invalid("not a valid role name");
    VIGIL_ASSIGN_OR_RETURN(T v, read(child));
    out.emplace(role, std::move(v));
  }
  return out;
}

// {"<key ID>": "<private key file>"}
Result<std::map<std::string, std::string>> ReadKeyPaths(const Field& f) {
  VIGIL_RETURN_IF_ERROR(f.ExpectObject());
  std::map<std::string, std::string> out;
  for (const auto& [keyid, value] : f.value().items()) {
    if (keyid.empty()) return f.Invalid("key IDs must be non-empty");
    VIGIL_ASSIGN_OR_RETURN(std::string path, f.Child(keyid).String());
    if (path.empty()) return f.Child(keyid).Invalid("expected a key file path");
    out.emplace(keyid, std::move(path));
  }
  return out;
}

Result<int64_t> ReadSeconds(const Field& f, uint64_t max) {
  VIGIL_ASSIGN_OR_RETURN(uint64_t v, f.PositiveInteger());
  if (v > max) return f.Invalid("expected at most " + std::to_string(max));
  return static_cast<int64_t>(v);
}

Status CheckKnownFields(const Field& top) {
  static const std::set<std::string> kKnown = {
      "vigil_repository", "consistent_snapshot", "roles",        "published",
      "online_keys",      "expiry_seconds",      "next_expires", "staged_targets"};
  for (const auto& [key, value] : top.value().items()) {
    if (!kKnown.contains(key)) return top.Child(key).Invalid("unknown field");
  }
  return OkStatus();
}

Status ReadMaps(const Field& top, RepoState& s) {
  auto positive = [](const Field& f) { return f.PositiveInteger(); };
  VIGIL_ASSIGN_OR_RETURN(s.published, ReadRoleMap<uint64_t>(top.Child("published"), positive));
  using KeyPaths = std::map<std::string, std::string>;
  VIGIL_ASSIGN_OR_RETURN(s.online_keys,
                         ReadRoleMap<KeyPaths>(top.Child("online_keys"), ReadKeyPaths));
  if (s.online_keys.contains("root")) {
    return top.Child("online_keys")
        .Child("root")
        .Invalid("root keys are offline: their paths are never stored in the repository");
  }
  auto duration = [](const Field& f) { return ReadSeconds(f, kMaxDuration); };
  auto time = [](const Field& f) { return ReadSeconds(f, uint64_t{1} << 40); };
  VIGIL_ASSIGN_OR_RETURN(s.expiry_seconds,
                         ReadRoleMap<int64_t>(top.Child("expiry_seconds"), duration));
  VIGIL_ASSIGN_OR_RETURN(s.next_expires, ReadRoleMap<int64_t>(top.Child("next_expires"), time));
  for (const auto& [role, at] : s.next_expires) {
    if (role != "snapshot" && role != "timestamp") {
      return top.Child("next_expires").Child(role).Invalid("only snapshot and timestamp");
    }
  }
  return OkStatus();
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
  VIGIL_ASSIGN_OR_RETURN(vigil::json::Value parsed, ParseStrictJson(AsStringView(bytes), where));
  json doc = internal::ToNlohmann(parsed);
  Field top(doc, std::string(where) + ":");
  VIGIL_RETURN_IF_ERROR(top.ExpectObject());
  VIGIL_RETURN_IF_ERROR(CheckKnownFields(top));
  VIGIL_ASSIGN_OR_RETURN(uint64_t format, top.Child("vigil_repository").Integer());
  if (format != 1) return top.Child("vigil_repository").Invalid("expected format 1");
  RepoState s;
  VIGIL_ASSIGN_OR_RETURN(s.consistent_snapshot, top.Child("consistent_snapshot").Bool());
  VIGIL_ASSIGN_OR_RETURN(s.roles, ReadNames(top.Child("roles"), true));
  if (s.roles.size() < 2 || s.roles[0] != "root" || s.roles[1] != "targets") {
    return top.Child("roles").Invalid("expected \"root\" and \"targets\" first");
  }
  VIGIL_RETURN_IF_ERROR(ReadMaps(top, s));
  VIGIL_ASSIGN_OR_RETURN(auto staged, ReadNames(top.Child("staged_targets"), false));
  s.staged_targets.insert(staged.begin(), staged.end());
  return s;
}

std::string RepoState::Serialize() const {
  json j = {{"vigil_repository", 1},
            {"consistent_snapshot", consistent_snapshot},
            {"roles", roles},
            {"published", published},
            {"online_keys", online_keys},
            {"expiry_seconds", expiry_seconds},
            {"next_expires", next_expires},
            {"staged_targets", staged_targets}};
  return j.dump(1) + "\n";
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
