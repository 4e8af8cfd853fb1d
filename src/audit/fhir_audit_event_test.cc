#include "vigil/audit/fhir_audit_event.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

namespace vigil::audit {
namespace {

using nlohmann::json;

Event Sample() {
  Event e;
  e.sequence = 42;
  e.time_unix_micros = 1'795'000'000'123'456;  // 2026-11-18T...
  e.device_id = "pump-0042";
  e.actor_id = "nurse.ann";
  e.actor_role = Role::kClinician;
  e.action = Action::kLogin;
  e.outcome = Outcome::kMinorFailure;
  e.interface = Interface::kNetwork;
  e.source = "192.0.2.7";
  e.object_ids = {"account:nurse.ann"};
  return e;
}

const FhirNamespace& Acme() {
  static const FhirNamespace ns = FhirNamespace::Create("https://fhir.acme-medical.test/").value();
  return ns;
}
const std::string kAcme = "https://fhir.acme-medical.test";

json Export(const Event& e) {
  auto s = ToFhirAuditEvent(e, Acme());
  EXPECT_TRUE(s.has_value()) << s.error().ToString();
  return s ? json::parse(*s) : json();
}

TEST(FhirAuditEvent, MapsEveryField) {
  json r = Export(Sample());
  EXPECT_EQ(r["resourceType"], "AuditEvent");
  EXPECT_EQ(r["type"]["system"], kFhirDicomSystem);
  EXPECT_EQ(r["type"]["code"], "110114");
  EXPECT_EQ(r["subtype"][0]["system"], kAcme + "/fhir/CodeSystem/audit-action");
  EXPECT_EQ(r["subtype"][0]["code"], "auth.login");
  EXPECT_EQ(r["subtype"][1]["code"], "110122");
  EXPECT_EQ(r["action"], "E");
  EXPECT_EQ(r["recorded"], "2026-11-18T11:06:40.123456Z");
  EXPECT_EQ(r["outcome"], "4");
  EXPECT_FALSE(r.contains("purposeOfEvent"));
  const json& agent = r["agent"][0];
  EXPECT_EQ(agent["requestor"], true);
  EXPECT_EQ(agent["who"]["identifier"]["system"], kAcme + "/fhir/id/actor");
  EXPECT_EQ(agent["who"]["identifier"]["value"], "nurse.ann");
  EXPECT_EQ(agent["role"][0]["coding"][0]["code"], "clinician");
  EXPECT_EQ(agent["network"]["address"], "192.0.2.7");
  EXPECT_EQ(agent["network"]["type"], "2");
  EXPECT_EQ(agent["extension"][0]["url"], kAcme + "/fhir/StructureDefinition/audit-interface");
  EXPECT_EQ(agent["extension"][0]["valueCode"], "network");
  EXPECT_EQ(r["source"]["observer"]["identifier"]["value"], "pump-0042");
  EXPECT_EQ(r["source"]["observer"]["identifier"]["system"], kAcme + "/fhir/id/device");
  ASSERT_EQ(r["entity"].size(), 2u);
  EXPECT_EQ(r["entity"][0]["what"]["identifier"]["system"], kAcme + "/fhir/id/audit-log/pump-0042");
  EXPECT_EQ(r["entity"][0]["role"]["code"], "13");
  EXPECT_EQ(r["entity"][0]["lifecycle"]["code"], "originate");
  EXPECT_EQ(r["entity"][0]["what"]["identifier"]["value"], "42");
  EXPECT_EQ(r["entity"][1]["what"]["identifier"]["value"], "account:nurse.ann");
}

TEST(FhirAuditEvent, BreakGlassCarriesBtgAndReason) {
  Event e = Sample();
  e.action = Action::kBreakGlassOpen;
  e.outcome = Outcome::kSuccess;
  e.purpose = Purpose::kBreakGlass;
  e.reason = "code blue bed 4";
  json r = Export(e);
  EXPECT_EQ(r["outcome"], "0");
  EXPECT_EQ(r["type"]["code"], "110127");  // DICOM Emergency Override Started
  const json& p = r["purposeOfEvent"][0];
  EXPECT_EQ(p["coding"][0]["system"], "http://terminology.hl7.org/CodeSystem/v3-ActReason");
  EXPECT_EQ(p["coding"][0]["code"], "BTG");
  EXPECT_EQ(p["text"], "code blue bed 4");
}

TEST(FhirAuditEvent, OtherPurposesAndReasonWithoutPurpose) {
  Event e = Sample();
  e.purpose = Purpose::kTreatment;
  EXPECT_EQ(Export(e)["purposeOfEvent"][0]["coding"][0]["code"], "TREAT");
  e.purpose = Purpose::kMaintenance;
  json m = Export(e)["purposeOfEvent"][0]["coding"][0];
  EXPECT_EQ(m["system"], kFhirActReasonSystem);
  EXPECT_EQ(m["code"], "HSYSADMIN");
  e.purpose = Purpose::kSecurity;
  m = Export(e)["purposeOfEvent"][0]["coding"][0];
  EXPECT_EQ(m["system"], kAcme + "/fhir/CodeSystem/purpose");
  EXPECT_EQ(m["code"], "security");
  e.purpose = Purpose::kNone;
  e.reason = "scheduled";
  json p = Export(e)["purposeOfEvent"][0];
  EXPECT_FALSE(p.contains("coding"));
  EXPECT_EQ(p["text"], "scheduled");
}

TEST(FhirAuditEvent, OutcomeCodes) {
  Event e = Sample();
  const std::pair<Outcome, const char*> cases[] = {{Outcome::kSuccess, "0"},
                                                   {Outcome::kMinorFailure, "4"},
                                                   {Outcome::kSeriousFailure, "8"},
                                                   {Outcome::kMajorFailure, "12"}};
  for (auto [o, code] : cases) {
    e.outcome = o;
    EXPECT_EQ(Export(e)["outcome"], code);
  }
}

TEST(FhirAuditEvent, EveryActionHasATypeAndAnActionCode) {
  Event e = Sample();
  std::set<std::string> seen_actions;
  for (int a = 0; a < kActionCount; ++a) {
    e.action = static_cast<Action>(a);
    e.purpose = e.action == Action::kBreakGlassOpen ? Purpose::kBreakGlass : Purpose::kNone;
    e.reason = e.action == Action::kBreakGlassOpen ? "emergency" : "";
    json r = Export(e);
    EXPECT_EQ(r["subtype"][0]["code"], ActionCode(e.action));
    std::string act = r["action"];
    EXPECT_TRUE(act == "C" || act == "R" || act == "U" || act == "D" || act == "E") << act;
    seen_actions.insert(act);
    EXPECT_EQ(r["type"]["code"].get<std::string>().substr(0, 4), "1101");
  }
  EXPECT_EQ(seen_actions.size(), 5u);  // the table uses all five codes
  EXPECT_EQ(FhirActionOf(Action::kCryptoErase), "D");
  EXPECT_EQ(FhirActionOf(Action::kAuditExport), "R");
  EXPECT_EQ(FhirActionOf(Action::kAccountCreate), "C");
  EXPECT_EQ(FhirActionOf(Action::kRoleChange), "U");
}

TEST(FhirAuditEvent, UnauthenticatedActorAndMachineNameSource) {
  Event e = Sample();
  e.actor_id = "";
  e.actor_role = Role::kNone;
  e.source = "service-port-1";
  json agent = Export(e)["agent"][0];
  EXPECT_FALSE(agent.contains("who"));
  EXPECT_EQ(agent["name"], "unauthenticated");
  EXPECT_EQ(agent["requestor"], true);
  EXPECT_EQ(agent["network"]["type"], "1");
  e.source = "2001:db8::1";
  EXPECT_EQ(Export(e)["agent"][0]["network"]["type"], "2");
  e.source = "";
  EXPECT_FALSE(Export(e)["agent"][0].contains("network"));
}

TEST(FhirAuditEvent, RefusesInvalidEvents) {
  Event e = Sample();
  e.device_id = "bad device";
  auto r = ToFhirAuditEvent(e, Acme());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message().find("device_id"), std::string::npos) << r.error().message();
}

TEST(FhirAuditEvent, BundleIsACollectionInOrder) {
  std::vector<Event> events(3, Sample());
  for (size_t i = 0; i < events.size(); ++i) events[i].sequence = i;
  auto s = ToFhirAuditEventBundle(events, Acme());
  ASSERT_TRUE(s.has_value()) << s.error().ToString();
  json b = json::parse(*s);
  EXPECT_EQ(b["resourceType"], "Bundle");
  EXPECT_EQ(b["type"], "collection");
  ASSERT_EQ(b["entry"].size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(b["entry"][i]["resource"]["entity"][0]["what"]["identifier"]["value"],
              std::to_string(i));
  }
  auto empty = ToFhirAuditEventBundle({}, Acme());
  ASSERT_TRUE(empty.has_value());
  EXPECT_FALSE(json::parse(*empty).contains("entry"));
  events[2].actor_id = "has space";
  auto bad = ToFhirAuditEventBundle(events, Acme());
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("events[2]"), std::string::npos) << bad.error().message();
}

// Issue 19 item 5: no placeholder namespace; the manufacturer's must be a real http(s) URL, and
// every system of an export is HL7's, DICOM's or under it.
TEST(FhirAuditEvent, NamespaceIsTheManufacturersAndChecked) {
  for (const char* bad :
       {"", "acme-medical.test", "ftp://acme-medical.test", "https://", "https:///path",
        "https://acme medical.test", "https://a.test/?q=1", "https://a.test/#x"}) {
    auto ns = FhirNamespace::Create(bad);
    ASSERT_FALSE(ns.has_value()) << bad;
    EXPECT_NE(ns.error().message().find("FHIR namespace: expected an http(s) URL"),
              std::string::npos)
        << ns.error().message();
  }
  EXPECT_EQ(FhirNamespace::Create("http://acme.test/audit//").value().base(),
            "http://acme.test/audit");
  Event e = Sample();
  e.purpose = Purpose::kSecurity;
  const std::string text = ToFhirAuditEvent(e, Acme()).value();
  EXPECT_EQ(text.find("vigil.example"), std::string::npos) << text;
  json r = json::parse(text);
  std::vector<std::string> systems;
  auto collect = [&](const json& j, auto&& self) -> void {
    if (j.is_object()) {
      for (const char* k : {"system", "url"}) {
        if (j.contains(k) && j[k].is_string()) systems.push_back(j[k]);
      }
      for (const auto& [k, v] : j.items()) self(v, self);
    } else if (j.is_array()) {
      for (const auto& v : j) self(v, self);
    }
  };
  collect(r, collect);
  ASSERT_GT(systems.size(), 8u);
  for (const std::string& s : systems) {
    EXPECT_TRUE(s.starts_with(kAcme + "/") || s.starts_with("http://terminology.hl7.org/") ||
                s.starts_with("http://dicom.nema.org/"))
        << s;
  }
}

}  // namespace
}  // namespace vigil::audit
