#include "vigil/audit/fhir_audit_event.h"

#include <arpa/inet.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "vigil/audit/syslog_time.h"
#include "vigil/core/encoding.h"

namespace vigil::audit {
namespace {

using Json = nlohmann::ordered_json;

struct DicomCode {
  std::string_view code;
  std::string_view display;
};

constexpr DicomCode kUserAuthentication{"110114", "User Authentication"};
// DICOM PS3.16 spells this display with a lower-case "security".
constexpr DicomCode kUserSecurityAttributesChanged{"110137", "User security Attributes Changed"};
constexpr DicomCode kSecurityRolesChanged{"110136", "Security Roles Changed"};
constexpr DicomCode kAuditLogUsed{"110101", "Audit Log Used"};
constexpr DicomCode kSecurityAlert{"110113", "Security Alert"};
constexpr DicomCode kApplicationActivity{"110100", "Application Activity"};
constexpr DicomCode kEmergencyOverrideStarted{"110127", "Emergency Override Started"};
constexpr DicomCode kEmergencyOverrideStopped{"110138", "Emergency Override Stopped"};

constexpr std::string_view kEntityTypeSystem =
    "http://terminology.hl7.org/CodeSystem/audit-entity-type";
constexpr std::string_view kObjectRoleSystem = "http://terminology.hl7.org/CodeSystem/object-role";
constexpr std::string_view kLifecycleSystem =
    "http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle";
constexpr std::string_view kSourceTypeSystem =
    "http://terminology.hl7.org/CodeSystem/security-source-type";

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
    case Action::kBreakGlassOpen:
      return kEmergencyOverrideStarted;
    case Action::kBreakGlassClose:
      return kEmergencyOverrideStopped;
    case Action::kAccessDecision:
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

Json Subtypes(Action a, const FhirNamespace& ns) {
  Json out = Json::array({Coding(ns.ActionSystem(), ActionCode(a))});
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
Json PurposeOfEvent(const Event& e, const FhirNamespace& ns) {
  Json reason_concept = Json::object();
  if (e.purpose == Purpose::kBreakGlass) {
    reason_concept["coding"] =
        Json::array({Coding(kFhirActReasonSystem, "BTG", "break the glass")});
  } else if (e.purpose == Purpose::kTreatment) {
    reason_concept["coding"] = Json::array({Coding(kFhirActReasonSystem, "TREAT", "treatment")});
  } else if (e.purpose == Purpose::kMaintenance) {
    reason_concept["coding"] =
        Json::array({Coding(kFhirActReasonSystem, "HSYSADMIN", "health system administration")});
  } else if (e.purpose != Purpose::kNone) {
    // HL7's PurposeOfUse has no code for security work: the manufacturer's.
    reason_concept["coding"] = Json::array({Coding(ns.PurposeSystem(), PurposeCode(e.purpose))});
  }
  if (!e.reason.empty()) reason_concept["text"] = e.reason;
  if (reason_concept.empty()) return nullptr;
  return Json::array({reason_concept});
}

bool IsIpAddress(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

Json Agent(const Event& e, const FhirNamespace& ns) {
  Json agent = Json::object();
  agent["extension"] =
      Json::array({{{"url", ns.InterfaceExtension()}, {"valueCode", InterfaceCode(e.interface)}}});
  agent["role"] =
      Json::array({{{"coding", Json::array({Coding(ns.RoleSystem(), RoleCode(e.actor_role))})}}});
  if (!e.actor_id.empty()) {
    agent["who"] = {{"identifier", Identifier(ns.ActorSystem(), e.actor_id)}};
  } else {
    agent["name"] = "unauthenticated";
  }
  agent["requestor"] = true;
  if (!e.source.empty()) {
    agent["network"] = {{"address", e.source}, {"type", IsIpAddress(e.source) ? "2" : "1"}};
  }
  return agent;
}

// What the action does to the objects it names, as ISO 21089 lifecycle events; "" when it
// neither creates, changes nor destroys them (a read, a decision, a login).
std::string_view ObjectLifecycle(Action a) {
  switch (a) {
    case Action::kAccountCreate:
    case Action::kKeyGenerate:
      return "originate";
    case Action::kAccountModify:
    case Action::kAccountDisable:
    case Action::kRoleChange:
    case Action::kKeyRotate:
    case Action::kConfigChange:
      return "amend";
    case Action::kCryptoErase:
    case Action::kDecommission:
      return "destroy";
    default:
      return "";
  }
}

Json Lifecycle(std::string_view code) {
  static constexpr std::pair<std::string_view, std::string_view> kDisplays[] = {
      {"originate", "Originate/Retain Record Lifecycle Event"},
      {"amend", "Amend (Update) Record Lifecycle Event"},
      {"destroy", "Destroy/Delete Record Lifecycle Event"}};
  for (const auto& [c, display] : kDisplays) {
    if (c == code) return Coding(kLifecycleSystem, c, display);
  }
  return Coding(kLifecycleSystem, code);
}

Json Entities(const Event& e, const FhirNamespace& ns) {
  Json entities = Json::array();
  Json log_record = {
      {"what", {{"identifier", Identifier(ns.LogSystem(e.device_id), std::to_string(e.sequence))}}},
      {"type", Coding(kEntityTypeSystem, "2", "System Object")},
      {"role", Coding(kObjectRoleSystem, "13", "Security Resource")},
      {"lifecycle", Lifecycle("originate")},
      {"description", "audit log entry"}};
  entities.push_back(std::move(log_record));
  const std::string_view lifecycle = ObjectLifecycle(e.action);
  for (const std::string& id : e.object_ids) {
    Json object = {{"what", {{"identifier", Identifier(ns.ObjectSystem(), id)}}},
                   {"type", Coding(kEntityTypeSystem, "2", "System Object")}};
    if (!lifecycle.empty()) object["lifecycle"] = Lifecycle(lifecycle);
    entities.push_back(std::move(object));
  }
  return entities;
}

Result<Json> AuditEventJson(const Event& e, const FhirNamespace& ns) {
  VIGIL_RETURN_IF_ERROR(ValidateEvent(e));
  VIGIL_ASSIGN_OR_RETURN(std::string recorded, FormatRfc3339Micros(e.time_unix_micros));
  const DicomCode type = TypeOf(e.action);
  Json r = Json::object();
  r["resourceType"] = "AuditEvent";
  r["type"] = Coding(kFhirDicomSystem, type.code, type.display);
  r["subtype"] = Subtypes(e.action, ns);
  r["action"] = FhirActionOf(e.action);
  r["recorded"] = recorded;
  r["outcome"] = OutcomeNumber(e.outcome);
  if (Json purpose = PurposeOfEvent(e, ns); !purpose.is_null()) r["purposeOfEvent"] = purpose;
  r["agent"] = Json::array({Agent(e, ns)});
  r["source"] = {{"observer", {{"identifier", Identifier(ns.DeviceSystem(), e.device_id)}}},
                 {"type", Json::array({Coding(kSourceTypeSystem, "1", "User Device")})}};
  r["entity"] = Entities(e, ns);
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

Result<FhirNamespace> FhirNamespace::Create(std::string_view base) {
  std::string b(base);
  while (b.ends_with('/')) b.pop_back();
  const size_t scheme = b.find("://");
  const bool http = b.starts_with("https://") || b.starts_with("http://");
  if (!http || scheme + 3 >= b.size() || b[scheme + 3] == '/' ||
      b.find_first_of(" \t\r\n?#") != std::string::npos) {
    return InvalidArgumentError(
        "FHIR namespace: expected an http(s) URL the manufacturer controls, such as "
        "https://fhir.example-medical.com, got '" +
        OneLine(base) + "'");
  }
  return FhirNamespace(std::move(b));
}

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

Result<std::string> ToFhirAuditEvent(const Event& e, const FhirNamespace& ns) {
  VIGIL_ASSIGN_OR_RETURN(Json j, AuditEventJson(e, ns));
  return Dump(j);
}

Result<std::string> ToFhirAuditEventBundle(std::span<const Event> events, const FhirNamespace& ns) {
  Json entries = Json::array();
  for (size_t i = 0; i < events.size(); ++i) {
    auto j = AuditEventJson(events[i], ns);
    if (!j) return j.error().WithContext("events[" + std::to_string(i) + "]");
    entries.push_back({{"resource", std::move(*j)}});
  }
  Json bundle = {{"resourceType", "Bundle"}, {"type", "collection"}};
  if (!entries.empty()) bundle["entry"] = std::move(entries);
  return Dump(bundle);
}

}  // namespace vigil::audit
