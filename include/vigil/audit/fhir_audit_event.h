// FHIR R4 (4.0.1) AuditEvent export of audit events, for hospital SIEM/EHR audit repositories
// (IHE BALP / ATNA consumers read AuditEvent).
//
// Mapping (every output has the elements R4 requires: type, recorded, agent with requestor,
// source with observer; only identifiers leave the device, never patient data):
//  - type: DICOM audit-event-type (system http://dicom.nema.org/resources/ontology/DCM) by
//    category: 110114 User Authentication (auth.*), 110137 User Security Attributes Changed
//    (account.*), 110136 Security Roles Changed (role change), 110101 Audit Log Used (audit.*),
//    110113 Security Alert (access decisions, emergency access, keys, policy, integrity,
//    time change, update rollback refused), 110100 Application Activity (everything else).
//  - subtype: the stable Vigil action code (ActionCode, e.g. "auth.login") in kFhirActionSystem;
//    login/logout additionally carry DCM 110122 Login / 110123 Logout.
//  - action: C/R/U/D/E per action (FhirActionOf).
//  - recorded: the event's wall time, UTC with microseconds ("2026-11-22T21:00:00.000000Z").
//  - outcome: "0" success, "4" minor, "8" serious, "12" major failure.
//  - purposeOfEvent: v3-ActReason BTG for break-glass, TREAT for treatment; maintenance and
//    security in kFhirPurposeSystem; the reason text (if any) as CodeableConcept.text.
//  - agent[0]: the actor — requestor true, who.identifier {kFhirActorSystem, actor id} (absent
//    for an unauthenticated actor), role in kFhirRoleSystem, network.address from the event's
//    source (type 2 = IP address when it parses as one, else 1 = machine name), and the
//    interface as the extension kFhirInterfaceExtension (valueCode).
//  - source.observer.identifier {kFhirDeviceSystem, device id}; source.type 1 "User Device".
//  - entity: one for the log record (what.identifier {kFhirLogSystem + device id, sequence},
//    type 2 System Object) and one per object id (what.identifier {kFhirObjectSystem, id}).
//
// The Vigil URIs below are under example.org: replace them by the manufacturer's own namespace
// in a product (they are constants so a deployment can do that in one place).
//
// Thread-safety: pure functions.
#ifndef VIGIL_AUDIT_FHIR_AUDIT_EVENT_H_
#define VIGIL_AUDIT_FHIR_AUDIT_EVENT_H_

#include <span>
#include <string>
#include <string_view>

#include "vigil/audit/event.h"
#include "vigil/core/result.h"

namespace vigil::audit {

inline constexpr std::string_view kFhirDicomSystem = "http://dicom.nema.org/resources/ontology/DCM";
inline constexpr std::string_view kFhirActReasonSystem =
    "http://terminology.hl7.org/CodeSystem/v3-ActReason";
inline constexpr std::string_view kFhirActionSystem =
    "http://vigil.example.org/fhir/CodeSystem/audit-action";
inline constexpr std::string_view kFhirRoleSystem =
    "http://vigil.example.org/fhir/CodeSystem/actor-role";
inline constexpr std::string_view kFhirPurposeSystem =
    "http://vigil.example.org/fhir/CodeSystem/purpose";
inline constexpr std::string_view kFhirInterfaceExtension =
    "http://vigil.example.org/fhir/StructureDefinition/audit-interface";
inline constexpr std::string_view kFhirActorSystem = "http://vigil.example.org/fhir/id/actor";
inline constexpr std::string_view kFhirDeviceSystem = "http://vigil.example.org/fhir/id/device";
inline constexpr std::string_view kFhirObjectSystem = "http://vigil.example.org/fhir/id/object";
inline constexpr std::string_view kFhirLogSystem = "http://vigil.example.org/fhir/id/audit-log/";

// AuditEvent.action code for an action: "C", "R", "U", "D" or "E".
std::string_view FhirActionOf(Action a);

// One AuditEvent resource as compact JSON (UTF-8). InvalidArgument (from ValidateEvent, naming
// the field) when the event is not valid; InvalidArgument when its time cannot be expressed.
Result<std::string> ToFhirAuditEvent(const Event& e);

// A Bundle of type "collection" holding one AuditEvent per event, in order. Fails like
// ToFhirAuditEvent, prefixed with "events[i]" for the first bad event.
Result<std::string> ToFhirAuditEventBundle(std::span<const Event> events);

}  // namespace vigil::audit

#endif  // VIGIL_AUDIT_FHIR_AUDIT_EVENT_H_
