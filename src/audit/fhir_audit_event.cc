#include "vigil/audit/fhir_audit_event.h"

#include <arpa/inet.h>

#include <nlohmann/json.hpp>
#include <string>

#include "vigil/audit/syslog_time.h"

namespace vigil::audit {
namespace {

using Json = nlohmann::ordered_json;

struct DicomCode {
  std::string_view code;
  std::string_view display;
};

constexpr DicomCode kUserAuthentication{"110114", "User Authentication"};
constexpr DicomCode kUserSecurityAttributesChanged{"110137", "User Security Attributes Changed"};
constexpr DicomCode kSecurityRolesChanged{"110136", "Security Roles Changed"};
constexpr DicomCode kAuditLogUsed{"110101", "Audit Log Used"};
constexpr DicomCode kSecurityAlert{"110113", "Security Alert"};
constexpr DicomCode kApplicationActivity{"110100", "Application Activity"};

DicomCode TypeOf(Action a) {
  switch (a) {
    case Action::kLogin:
    case Action::kLogout:
    case Action::kSessionExpired:
    case Action::kSecondFactorEnrol:
      return kUserAuthentication;
    case Action::kAccountCreate:
    case Action::kAccountModify:
    case Action::kAccountDisable:
      return kUserSecurityAttributesChanged;
    case Action::kRoleChange:
      return kSecurityRolesChanged;
    case Action::kAuditExport:
    case Action::kLogCheckpoint:
      return kAuditLogUsed;
    case Action::kAccessDecision:
    case Action::kBreakGlassOpen:
    case Action::kBreakGlassClose:
    case Action::kBreakGlassReview:
    case Action::kPolicyLoad:
    case Action::kKeyGenerate:
    case Action::kKeyRotate:
    case Action::kCryptoErase:
    case Action::kUpdateRollbackRefused:
    case Action::kIntegrityViolation:
    case Action::kTimeChange:
      return kSecurityAlert;
    default:
      return kApplicationActivity;
  }
}

Json Coding(std::string_view system, std::string_view code, std::string_view display = {}) {
  Json c = {{"system", system}, {"code", code}};
  if (!display.empty()) c["display"] = display;
  return c;
}

Json Identifier(std::string_view system, std::string_view value) {
  return {{"system", system}, {"value", value}};
}

Json Subtypes(Action a) {
  Json out = Json::array({Coding(kFhirActionSystem, ActionCode(a))});
  if (a == Action::kLogin) out.push_back(Coding(kFhirDicomSystem, "110122", "Login"));
  if (a == Action::kLogout) out.push_back(Coding(kFhirDicomSystem, "110123", "Logout"));
  return out;
}

std::string_view OutcomeNumber(Outcome o) {
  switch (o) {
    case Outcome::kSuccess:
      return "0";
    case Outcome::kMinorFailure:
      return "4";
    case Outcome::kSeriousFailure:
      return "8";
    case Outcome::kMajorFailure:
      return "12";
  }
  return "12";
}

// purposeOfEvent, or null when there is neither a purpose nor a reason.
Json PurposeOfEvent(const Event& e) {
  Json reason_concept = Json::object();
  if (e.purpose == Purpose::kBreakGlass) {
    reason_concept["coding"] =
        Json::array({Coding(kFhirActReasonSystem, "BTG", "break the glass")});
  } else if (e.purpose == Purpose::kTreatment) {
    reason_concept["coding"] = Json::array({Coding(kFhirActReasonSystem, "TREAT", "treatment")});
  } else if (e.purpose != Purpose::kNone) {
    reason_concept["coding"] = Json::array({Coding(kFhirPurposeSystem, PurposeCode(e.purpose))});
  }
  if (!e.reason.empty()) reason_concept["text"] = e.reason;
  if (reason_concept.empty()) return nullptr;
  return Json::array({reason_concept});
}

bool IsIpAddress(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

Json Agent(const Event& e) {
  Json agent = Json::object();
  agent["extension"] =
      Json::array({{{"url", kFhirInterfaceExtension}, {"valueCode", InterfaceCode(e.interface)}}});
  agent["role"] =
      Json::array({{{"coding", Json::array({Coding(kFhirRoleSystem, RoleCode(e.actor_role))})}}});
  if (!e.actor_id.empty()) {
    agent["who"] = {{"identifier", Identifier(kFhirActorSystem, e.actor_id)}};
  } else {
    agent["name"] = "unauthenticated";
  }
  agent["requestor"] = true;
  if (!e.source.empty()) {
    agent["network"] = {{"address", e.source}, {"type", IsIpAddress(e.source) ? "2" : "1"}};
  }
  return agent;
}

Json Entities(const Event& e) {
  Json entities = Json::array();
  Json log_record = {{"what",
                      {{"identifier", Identifier(std::string(kFhirLogSystem) + e.device_id,
                                                 std::to_string(e.sequence))}}},
                     {"type", Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2",
                                     "System Object")},
                     {"description", "audit log entry"}};
  entities.push_back(std::move(log_record));
  for (const std::string& id : e.object_ids) {
    entities.push_back({{"what", {{"identifier", Identifier(kFhirObjectSystem, id)}}},
                        {"type", Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type",
                                        "2", "System Object")}});
  }
  return entities;
}

Result<Json> AuditEventJson(const Event& e) {
  VIGIL_RETURN_IF_ERROR(ValidateEvent(e));
  VIGIL_ASSIGN_OR_RETURN(std::string recorded, FormatRfc3339Micros(e.time_unix_micros));
  const DicomCode type = TypeOf(e.action);
  Json r = Json::object();
  r["resourceType"] = "AuditEvent";
  r["type"] = Coding(kFhirDicomSystem, type.code, type.display);
  r["subtype"] = Subtypes(e.action);
  r["action"] = FhirActionOf(e.action);
  r["recorded"] = recorded;
  r["outcome"] = OutcomeNumber(e.outcome);
  if (Json purpose = PurposeOfEvent(e); !purpose.is_null()) r["purposeOfEvent"] = purpose;
  r["agent"] = Json::array({Agent(e)});
  r["source"] = {
      {"observer", {{"identifier", Identifier(kFhirDeviceSystem, e.device_id)}}},
      {"type", Json::array({Coding("http://terminology.hl7.org/CodeSystem/security-source-type",
                                   "1", "User Device")})}};
  r["entity"] = Entities(e);
  return r;
}

// nlohmann::json::dump throws on invalid UTF-8; validated events are ASCII, but the exception
// must still not cross the module boundary.
Result<std::string> Dump(const Json& j) {
  try {
    return j.dump();
  } catch (const std::exception& ex) {
    return InternalError(std::string("FHIR export: JSON serialisation failed: ") + ex.what());
  }
}

}  // namespace

std::string_view FhirActionOf(Action a) {
  switch (a) {
    case Action::kAccountCreate:
    case Action::kSecondFactorEnrol:
    case Action::kProvision:
    case Action::kKeyGenerate:
    case Action::kLogCheckpoint:
      return "C";
    case Action::kAuditExport:
    case Action::kUpdateCheck:
      return "R";
    case Action::kAccountModify:
    case Action::kAccountDisable:
    case Action::kRoleChange:
    case Action::kPolicyLoad:
    case Action::kKeyRotate:
    case Action::kUpdateInstall:
    case Action::kUpdateCommit:
    case Action::kUpdateFallback:
    case Action::kConfigChange:
    case Action::kTimeChange:
      return "U";
    case Action::kCryptoErase:
    case Action::kDecommission:
      return "D";
    default:
      return "E";
  }
}

Result<std::string> ToFhirAuditEvent(const Event& e) {
  VIGIL_ASSIGN_OR_RETURN(Json j, AuditEventJson(e));
  return Dump(j);
}

Result<std::string> ToFhirAuditEventBundle(std::span<const Event> events) {
  Json entries = Json::array();
  for (size_t i = 0; i < events.size(); ++i) {
    auto j = AuditEventJson(events[i]);
    if (!j) return j.error().WithContext("events[" + std::to_string(i) + "]");
    entries.push_back({{"resource", std::move(*j)}});
  }
  Json bundle = {{"resourceType", "Bundle"}, {"type", "collection"}};
  if (!entries.empty()) bundle["entry"] = std::move(entries);
  return Dump(bundle);
}

}  // namespace vigil::audit
