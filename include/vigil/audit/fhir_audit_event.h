// FHIR R4 (4.0.1) AuditEvent export of audit events, for hospital SIEM/EHR audit repositories
// (IHE BALP / ATNA consumers read AuditEvent).
//
// Codes come from HL7's and DICOM's code systems wherever one has the concept; Vigil's own
// codes and identifier systems live under a namespace the manufacturer owns (FhirNamespace,
// required: no placeholder stands in for it). Mapping (every output has the elements R4
// requires: type, recorded, agent with requestor, source with observer; only identifiers leave
// the device, never patient data):
//  - type: DICOM audit event id (system http://dicom.nema.org/resources/ontology/DCM, displays
//    as DICOM's PS3.16 spells them) by category: 110114 User Authentication (auth.*), 110137
//    User security Attributes Changed (account.*), 110136 Security Roles Changed (role change),
//    110101 Audit Log Used (audit.*), 110127 / 110138 Emergency Override Started / Stopped
//    (break-glass open / close), 110113 Security Alert (access decisions, break-glass review,
//    keys, policy, integrity, time change, update rollback refused), 110100 Application
//    Activity (everything else).
//  - subtype: the stable Vigil action code (ActionCode, e.g. "auth.login") in the namespace's
//    CodeSystem `audit-action`; login/logout also carry DCM 110122 Login / 110123 Logout.
//  - action: C/R/U/D/E per action (FhirActionOf), http://hl7.org/fhir/audit-event-action.
//  - recorded: the event's wall time, UTC with microseconds ("2026-11-22T21:00:00.000000Z").
//  - outcome: "0" success, "4" minor, "8" serious, "12" major failure.
//  - purposeOfEvent: HL7 v3-ActReason BTG for break-glass, TREAT for treatment, HSYSADMIN
//    (health system administration) for maintenance; security in the namespace's `purpose`;
//    the reason text (if any) as CodeableConcept.text.
//  - agent[0]: the actor — requestor true, who.identifier {namespace's id/actor, actor id}
//    (absent for an unauthenticated actor), role in the namespace's `actor-role`,
//    network.address from the event's source (type 2 = IP address when it parses as one, else
//    1 = machine name), and the interface as the extension `audit-interface` (valueCode).
//  - source.observer.identifier {namespace's id/device, device id}; source.type
//    security-source-type 1 "User Device".
//  - entity: the log record (what.identifier {namespace's id/audit-log/<device>, sequence};
//    type audit-entity-type 2 System Object, role object-role 13 Security Resource, lifecycle
//    iso-21089-lifecycle "originate") and one per object id (what.identifier {namespace's
//    id/object, id}, type 2; lifecycle "originate" when the action creates it, "destroy" when
//    it erases it, "amend" when it changes it).
//
// Thread-safety: pure functions; FhirNamespace is an immutable value.
#ifndef VIGIL_AUDIT_FHIR_AUDIT_EVENT_H_
#define VIGIL_AUDIT_FHIR_AUDIT_EVENT_H_

#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "vigil/audit/event.h"
#include "vigil/core/result.h"

namespace vigil::audit {

inline constexpr std::string_view kFhirDicomSystem = "http://dicom.nema.org/resources/ontology/DCM";
inline constexpr std::string_view kFhirActReasonSystem =
    "http://terminology.hl7.org/CodeSystem/v3-ActReason";

// The manufacturer's namespace for Vigil's own codes and identifiers: an http(s) URL the
// manufacturer controls ("https://fhir.acme-medical.com"), like CSAF's publisher namespace.
// The systems are that base followed by the paths below.
class FhirNamespace {
 public:
  // InvalidArgument ("FHIR namespace: expected an http(s) URL …, got '…'") unless `base` is
  // an http or https URL with a host, without spaces, query or fragment. A trailing '/' is
  // dropped.
  static Result<FhirNamespace> Create(std::string_view base);
  const std::string& base() const { return base_; }
  std::string ActionSystem() const { return base_ + "/fhir/CodeSystem/audit-action"; }
  std::string RoleSystem() const { return base_ + "/fhir/CodeSystem/actor-role"; }
  std::string PurposeSystem() const { return base_ + "/fhir/CodeSystem/purpose"; }
  std::string InterfaceExtension() const {
    return base_ + "/fhir/StructureDefinition/audit-interface";
  }
  std::string ActorSystem() const { return base_ + "/fhir/id/actor"; }
  std::string DeviceSystem() const { return base_ + "/fhir/id/device"; }
  std::string ObjectSystem() const { return base_ + "/fhir/id/object"; }
  // The log of one device: base + "/fhir/id/audit-log/" + device id.
  std::string LogSystem(std::string_view device_id) const {
    return base_ + "/fhir/id/audit-log/" + std::string(device_id);
  }

 private:
  explicit FhirNamespace(std::string base) : base_(std::move(base)) {}
  std::string base_;
};

// AuditEvent.action code for an action: "C", "R", "U", "D" or "E".
std::string_view FhirActionOf(Action a);

// One AuditEvent resource as compact JSON (UTF-8). InvalidArgument (from ValidateEvent, naming
// the field) when the event is not valid; InvalidArgument when its time cannot be expressed.
Result<std::string> ToFhirAuditEvent(const Event& e, const FhirNamespace& ns);

// A Bundle of type "collection" holding one AuditEvent per event, in order. Fails like
// ToFhirAuditEvent, prefixed with "events[i]" for the first bad event.
Result<std::string> ToFhirAuditEventBundle(std::span<const Event> events, const FhirNamespace& ns);

}  // namespace vigil::audit

#endif  // VIGIL_AUDIT_FHIR_AUDIT_EVENT_H_
