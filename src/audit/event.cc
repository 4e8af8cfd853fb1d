#include "vigil/audit/event.h"

#include <array>
#include <string>

#include "vigil/core/json.h"

namespace vigil::audit {
namespace {

constexpr std::array<std::string_view, kActionCount> kActionCodes = {
    "auth.login",         "auth.logout",         "auth.session-expired", "auth.mfa-enrol",
    "account.create",     "account.modify",      "account.disable",      "account.role-change",
    "device.provision",   "access.decision",     "emergency.open",       "emergency.close",
    "emergency.review",   "access.policy-load",  "key.generate",         "key.rotate",
    "key.crypto-erase",   "update.check",        "update.install",       "update.rollback-refused",
    "update.commit",      "update.fallback",     "config.change",        "therapy.start",
    "therapy.stop",       "audit.export",        "audit.checkpoint",     "integrity.violation",
    "device.time-change", "device.decommission",
};
constexpr std::array<std::string_view, 4> kOutcomeCodes = {"success", "minor-failure",
                                                           "serious-failure", "major-failure"};
constexpr std::array<std::string_view, 9> kRoleCodes = {"none",          "patient",
                                                        "clinician",     "service-technician",
                                                        "administrator", "manufacturer-service",
                                                        "system",        "read-only",
                                                        "analyst"};
constexpr std::array<std::string_view, 5> kPurposeCodes = {"none", "treatment", "break-glass",
                                                           "maintenance", "security"};
constexpr std::array<std::string_view, 5> kInterfaceCodes = {"local-ui", "network", "service-port",
                                                             "wireless", "internal"};

template <typename E, size_t N>
Result<E> ParseCode(const std::array<std::string_view, N>& codes, std::string_view code,
                    std::string_view what) {
  for (size_t i = 0; i < N; ++i) {
    if (codes[i] == code) return static_cast<E>(i);
  }
  return InvalidArgumentError("audit event: unknown " + std::string(what) + " code \"" +
                              std::string(code) + "\"");
}

template <typename E, size_t N>
std::string_view CodeOf(const std::array<std::string_view, N>& codes, E v) {
  auto i = static_cast<size_t>(v);
  return i < N ? codes[i] : std::string_view("invalid");
}

bool IsIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '@' || c == '/' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status CheckIdentifier(std::string_view field, std::string_view v) {
  if (IsIdentifier(v)) return OkStatus();
  return InvalidArgumentError("audit event: " + std::string(field) +
                              " must be an identifier of 1-128 characters [A-Za-z0-9._:@/-], "
                              "found \"" +
                              std::string(v.substr(0, 40)) + (v.size() > 40 ? "...\"" : "\""));
}

template <typename E>
bool InRange(E v, int n) {
  return static_cast<int>(v) >= 0 && static_cast<int>(v) < n;
}

}  // namespace

std::string_view ActionCode(Action a) { return CodeOf(kActionCodes, a); }
std::string_view OutcomeCode(Outcome o) { return CodeOf(kOutcomeCodes, o); }
std::string_view RoleCode(Role r) { return CodeOf(kRoleCodes, r); }
std::string_view PurposeCode(Purpose p) { return CodeOf(kPurposeCodes, p); }
std::string_view InterfaceCode(Interface i) { return CodeOf(kInterfaceCodes, i); }
Result<Action> ParseActionCode(std::string_view c) {
  return ParseCode<Action>(kActionCodes, c, "action");
}
Result<Outcome> ParseOutcomeCode(std::string_view c) {
  return ParseCode<Outcome>(kOutcomeCodes, c, "outcome");
}
Result<Role> ParseRoleCode(std::string_view c) { return ParseCode<Role>(kRoleCodes, c, "role"); }
Result<Purpose> ParsePurposeCode(std::string_view c) {
  return ParseCode<Purpose>(kPurposeCodes, c, "purpose");
}
Result<Interface> ParseInterfaceCode(std::string_view c) {
  return ParseCode<Interface>(kInterfaceCodes, c, "interface");
}

Status ValidateEvent(const Event& e) {
  if (!InRange(e.action, kActionCount))
    return InvalidArgumentError("audit event: action out of range");
  if (!InRange(e.outcome, int{kOutcomeCodes.size()}) ||
      !InRange(e.actor_role, int{kRoleCodes.size()}) ||
      !InRange(e.purpose, int{kPurposeCodes.size()}) ||
      !InRange(e.interface, int{kInterfaceCodes.size()})) {
    return InvalidArgumentError("audit event: outcome, role, purpose or interface out of range");
  }
  if (e.time_unix_micros < 0) {
    return InvalidArgumentError("audit event: time must not be before 1970, found " +
                                std::to_string(e.time_unix_micros) + " us");
  }
  VIGIL_RETURN_IF_ERROR(CheckIdentifier("device_id", e.device_id));
  if (!(e.actor_id.empty() && e.actor_role == Role::kNone)) {
    VIGIL_RETURN_IF_ERROR(CheckIdentifier("actor_id", e.actor_id));
  }
  if (!e.source.empty()) VIGIL_RETURN_IF_ERROR(CheckIdentifier("source", e.source));
  if (e.object_ids.size() > 16) {
    return InvalidArgumentError("audit event: at most 16 object ids, found " +
                                std::to_string(e.object_ids.size()));
  }
  for (const auto& id : e.object_ids) VIGIL_RETURN_IF_ERROR(CheckIdentifier("object_id", id));
  if (e.reason.size() > 256) {
    return InvalidArgumentError("audit event: reason is limited to 256 bytes, found " +
                                std::to_string(e.reason.size()));
  }
  for (unsigned char c : e.reason) {
    if (c < 0x20 || c > 0x7e) {
      return InvalidArgumentError(
          "audit event: reason must be printable ASCII (no control characters or line breaks)");
    }
  }
  if (e.purpose == Purpose::kBreakGlass && e.reason.empty()) {
    return InvalidArgumentError("audit event: a break-glass event needs a reason");
  }
  if (e.action == Action::kBreakGlassOpen && e.purpose != Purpose::kBreakGlass) {
    return InvalidArgumentError("audit event: emergency.open must have purpose break-glass");
  }
  return OkStatus();
}

Result<Bytes> EncodeEvent(const Event& e) {
  VIGIL_RETURN_IF_ERROR(ValidateEvent(e));
  // The canonical JSON of the event (members in byte order of their names, no whitespace): the
  // bytes the log hashes, so one event has exactly one encoding. Every string is printable
  // ASCII (ValidateEvent), so canonical JSON is also plain JSON here.
  json::Value objects = json::Value::MakeArray();
  for (const std::string& id : e.object_ids) objects.Push(id);
  json::Value j = json::Value::MakeObject({{"action", ActionCode(e.action)},
                                           {"actor", e.actor_id},
                                           {"device", e.device_id},
                                           {"interface", InterfaceCode(e.interface)},
                                           {"objects", std::move(objects)},
                                           {"outcome", OutcomeCode(e.outcome)},
                                           {"purpose", PurposeCode(e.purpose)},
                                           {"reason", e.reason},
                                           {"role", RoleCode(e.actor_role)},
                                           {"seq", e.sequence},
                                           {"source", e.source},
                                           {"time", e.time_unix_micros}});
  VIGIL_ASSIGN_OR_RETURN(std::string text, json::Canonical(j));
  return ToBytes(text);
}

Result<Event> DecodeEvent(ByteView entry) {
  std::string_view text(reinterpret_cast<const char*>(entry.data()), entry.size());
  auto bad = [](std::string what) { return DataLossError("audit entry: " + what); };
  auto parsed = json::Parse(text, "audit entry");
  if (!parsed) return bad("not JSON (" + parsed.error().message() + ")");
  json::Node j(*parsed, "audit entry");
  if (!parsed->is_object()) return bad("not a JSON object");
  static constexpr std::array<std::string_view, 12> kKeys = {
      "action",  "actor",  "device", "interface", "objects", "outcome",
      "purpose", "reason", "role",   "seq",       "source",  "time"};
  if (parsed->size() != kKeys.size()) {
    return bad("expected exactly 12 fields, found " + std::to_string(parsed->size()));
  }
  for (auto k : kKeys) {
    if (!j.Has(k)) return bad("missing field \"" + std::string(k) + "\"");
  }
  auto str = [&](const char* k) -> Result<std::string> {
    auto s = j.Get(k).String();
    if (!s) return bad("field \"" + std::string(k) + "\" must be a string");
    return s;
  };
  Event e;
  auto seq = j.Get("seq").UInt();
  if (!seq) return bad("field \"seq\" must be an unsigned integer");
  e.sequence = *seq;
  auto time = j.Get("time").Int();
  if (!time) return bad("field \"time\" must be an integer");
  e.time_unix_micros = *time;
  VIGIL_ASSIGN_OR_RETURN(e.device_id, str("device"));
  VIGIL_ASSIGN_OR_RETURN(e.actor_id, str("actor"));
  VIGIL_ASSIGN_OR_RETURN(e.reason, str("reason"));
  VIGIL_ASSIGN_OR_RETURN(e.source, str("source"));
  auto code = [&](const char* k, auto parse, auto& out) -> Status {
    VIGIL_ASSIGN_OR_RETURN(std::string s, str(k));
    auto v = parse(s);
    if (!v) return bad(v.error().message());
    out = *v;
    return OkStatus();
  };
  VIGIL_RETURN_IF_ERROR(code("role", ParseRoleCode, e.actor_role));
  VIGIL_RETURN_IF_ERROR(code("action", ParseActionCode, e.action));
  VIGIL_RETURN_IF_ERROR(code("outcome", ParseOutcomeCode, e.outcome));
  VIGIL_RETURN_IF_ERROR(code("purpose", ParsePurposeCode, e.purpose));
  VIGIL_RETURN_IF_ERROR(code("interface", ParseInterfaceCode, e.interface));
  const json::Value& objects = (*parsed)["objects"];
  if (!objects.is_array()) return bad("field \"objects\" must be an array");
  for (const json::Value& o : objects.as_array()) {
    if (!o.is_string()) return bad("field \"objects\" must hold strings");
    e.object_ids.push_back(o.as_string());
  }
  if (Status s = ValidateEvent(e); !s) return bad(s.error().message());
  // Canonical form only: re-encoding must give back the same bytes.
  VIGIL_ASSIGN_OR_RETURN(Bytes again, EncodeEvent(e));
  if (!std::equal(again.begin(), again.end(), entry.begin(), entry.end())) {
    return bad("not in canonical form (sorted keys, no whitespace, minimal escapes)");
  }
  return e;
}

}  // namespace vigil::audit
