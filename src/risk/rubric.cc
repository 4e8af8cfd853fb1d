#include "vigil/risk/rubric.h"

#include <algorithm>
#include <string>

#include "internal/rubric_flow.h"
#include "vigil/core/json.h"
#include "vigil/core/yaml_document.h"
#include "vigil/core/yaml_to_json.h"

namespace vigil::risk {
namespace {

using internal::AnswerPath;
using internal::Flow;
using internal::FlowRoot;
using internal::MetricFlow;
using internal::Walked;

// The questions. Codes in `rubric` are MITRE's (as the rubric's published calculators list
// them); the wording is ours, written to the rubric's decision logic because the rubric's own
// text was not available. "Vigil" marks questions the rubric does not have as such: the
// patient-harm follow-ups, which let integrity and availability be Low for diagnosis and
// therapy when harm is ruled out (the rubric's clinical guidance, made a question).
// The rubric's AV Q5.1 (XAVPA, "accessed through a human-user interface?") is left out: both of
// its answers give Physical, so it cannot change the vector.
constexpr RubricQuestion kQuestions[] = {
    {"av.network_protocol", "AV", "AV Q1 (XAVN)",
     "Can the attacker use a network or other communication protocol of the device to exploit "
     "the vulnerability?"},
    {"av.network_routable", "AV", "AV Q2 (XAVT)",
     "Is that interface reachable over a routed network, i.e. an OSI layer 3 or 4 protocol such "
     "as IP, TCP or UDP?"},
    {"av.wireless", "AV", "AV Q3 (XAVW)",
     "Is the communication over a wireless channel (Bluetooth, Wi-Fi without IP, proprietary "
     "RF, telemetry)?"},
    {"av.short_range", "AV", "AV Q4 (XAVR)",
     "Is the wireless range about 10 feet (3 m) or less, e.g. NFC, inductive telemetry?"},
    {"av.physical_contact", "AV", "AV Q5 (XAVP)",
     "Without any communication protocol: must the attacker physically touch the device (ports, "
     "buttons, opening the case)?"},
    {"ac.at_will", "AC", "AC Q1 (XACL)",
     "Can the attacker attempt the exploit at will, without special circumstances, a particular "
     "configuration or device state, or another attack first?"},
    {"pr.authorization_model", "PR", "PR Q1 (XPRL)",
     "Does the device or component have an authorization model: logins for users or roles with "
     "different privileges?"},
    {"pr.authorized_first", "PR", "PR Q2 (XPRZ)",
     "Must the attacker be authorized to the vulnerable component before attempting the "
     "exploit?"},
    {"pr.system_level", "PR", "PR Q3 (XPRS)",
     "Must that authorization be administrator, service/maintainer or other system-level "
     "privilege (not a clinician or patient account)?"},
    {"ui.other_user_action", "UI", "UI Q1 (XUI)",
     "Does the exploit depend on another user (clinician, patient, technician) performing an "
     "action, such as confirming a prompt or loading a file?"},
    {"s.other_authority", "S", "S Q1 (XS)",
     "Can the attacker affect a component under a different authority than the vulnerable "
     "component (e.g. from a communication module into the therapy controller)?"},
    {"c.phi", "C", "C Q1 (XCP)", "Can PHI/PII be read by the attacker?"},
    {"c.phi_many_patients", "C", "C Q1.1 (XCPM)",
     "Can the exposure cover many patients (e.g. 500 or more), enough to require breach "
     "notification?"},
    {"c.diagnosis", "C", "C Q2 (XCD)",
     "Can diagnosis or monitoring data or functionality be read?"},
    {"c.therapy", "C", "C Q3 (XCT)", "Can therapy delivery data or functionality be read?"},
    {"c.workflow", "C", "C Q4 (XCW)", "Can clinical workflow data or functionality be read?"},
    {"c.system_secrets", "C", "C Q5 (XCS)",
     "Can private system or user data (passwords, private keys) be read?"},
    {"c.other", "C", "C Q6 (XCO)", "Can any other critical or sensitive data be read?"},
    {"i.phi", "I", "I Q1 (XIP)", "Can PHI/PII be modified or deleted?"},
    {"i.diagnosis", "I", "I Q2 (XID)",
     "Can diagnosis or monitoring data or functionality be modified (including alarms)?"},
    {"i.diagnosis_patient_harm", "I", "Vigil",
     "Could that modification lead to a wrong clinical decision or a missed alarm before a "
     "clinician would notice?"},
    {"i.therapy", "I", "I Q3 (XIT)",
     "Can therapy delivery data or functionality be modified (doses, rates, limits, drug "
     "library)?"},
    {"i.therapy_patient_harm", "I", "Vigil",
     "Could that modification deliver wrong therapy to the patient (e.g. a dose outside safe "
     "limits) before a clinician would notice?"},
    {"i.workflow", "I", "I Q4 (XIW)", "Can clinical workflow data or functionality be modified?"},
    {"i.system_secrets", "I", "I Q5 (XIS)",
     "Can private system or user data (passwords, keys) be modified?"},
    {"i.other", "I", "I Q6 (XIO)", "Can any other critical or sensitive data be modified?"},
    {"a.phi", "A", "A Q1 (XAP)", "Can PHI/PII be made inaccessible?"},
    {"a.diagnosis", "A", "A Q2 (XAD)",
     "Can diagnosis or monitoring data or functionality be made unavailable?"},
    {"a.diagnosis_patient_harm", "A", "Vigil",
     "Could that loss harm the patient, with no other monitoring taking over in time?"},
    {"a.therapy", "A", "A Q3 (XAT)",
     "Can therapy delivery be stopped, delayed or made unavailable?"},
    {"a.therapy_patient_harm", "A", "Vigil",
     "Could that interruption harm the patient, with no fallback (manual mode, another device) "
     "in time?"},
    {"a.workflow", "A", "A Q4 (XAW)",
     "Can clinical workflow data or functionality be made unavailable?"},
    {"a.system_secrets", "A", "A Q5 (XAS)",
     "Can private system or user data (passwords, keys) be made unavailable?"},
    {"a.other", "A", "A Q6 (XAO)",
     "Can any other critical or sensitive data or function be made unavailable?"},
};

constexpr Flow kN{"", "N"}, kA{"", "A"}, kL{"", "L"}, kP{"", "P"}, kH{"", "H"}, kU{"", "U"},
    kC{"", "C"}, kR{"", "R"};

constexpr Flow kAvShortRange{"av.short_range", "", &kL, &kA};
constexpr Flow kAvWireless{"av.wireless", "", &kAvShortRange, &kA};
constexpr Flow kAvRoutable{"av.network_routable", "", &kN, &kAvWireless};
constexpr Flow kAvPhysical{"av.physical_contact", "", &kP, &kL};
constexpr Flow kAv{"av.network_protocol", "", &kAvRoutable, &kAvPhysical};
constexpr Flow kAc{"ac.at_will", "", &kL, &kH};
constexpr Flow kPrSystem{"pr.system_level", "", &kH, &kL};
constexpr Flow kPrFirst{"pr.authorized_first", "", &kPrSystem, &kN};
constexpr Flow kPr{"pr.authorization_model", "", &kPrFirst, &kN};
constexpr Flow kUi{"ui.other_user_action", "", &kR, &kN};
constexpr Flow kS{"s.other_authority", "", &kC, &kU};

// Confidentiality, integrity and availability: one flowchart per kind of data or function.
constexpr Flow kCPhiMany{"c.phi_many_patients", "", &kH, &kL};
constexpr Flow kCPhi{"c.phi", "", &kCPhiMany, &kN};
constexpr Flow kCDiagnosis{"c.diagnosis", "", &kH, &kN};
constexpr Flow kCTherapy{"c.therapy", "", &kH, &kN};
constexpr Flow kCWorkflow{"c.workflow", "", &kH, &kN};
constexpr Flow kCSecrets{"c.system_secrets", "", &kH, &kN};
constexpr Flow kCOther{"c.other", "", &kH, &kN};
constexpr Flow kIPhi{"i.phi", "", &kH, &kN};
constexpr Flow kIDiagnosisHarm{"i.diagnosis_patient_harm", "", &kH, &kL};
constexpr Flow kIDiagnosis{"i.diagnosis", "", &kIDiagnosisHarm, &kN};
constexpr Flow kITherapyHarm{"i.therapy_patient_harm", "", &kH, &kL};
constexpr Flow kITherapy{"i.therapy", "", &kITherapyHarm, &kN};
constexpr Flow kIWorkflow{"i.workflow", "", &kH, &kN};
constexpr Flow kISecrets{"i.system_secrets", "", &kH, &kN};
constexpr Flow kIOther{"i.other", "", &kH, &kN};
constexpr Flow kAPhi{"a.phi", "", &kH, &kN};
constexpr Flow kADiagnosisHarm{"a.diagnosis_patient_harm", "", &kH, &kL};
constexpr Flow kADiagnosis{"a.diagnosis", "", &kADiagnosisHarm, &kN};
constexpr Flow kATherapyHarm{"a.therapy_patient_harm", "", &kH, &kL};
constexpr Flow kATherapy{"a.therapy", "", &kATherapyHarm, &kN};
constexpr Flow kAWorkflow{"a.workflow", "", &kH, &kN};
constexpr Flow kASecrets{"a.system_secrets", "", &kH, &kN};
constexpr Flow kAOther{"a.other", "", &kH, &kN};

constexpr FlowRoot kAvRoots[] = {{"", &kAv}};
constexpr FlowRoot kAcRoots[] = {{"", &kAc}};
constexpr FlowRoot kPrRoots[] = {{"", &kPr}};
constexpr FlowRoot kUiRoots[] = {{"", &kUi}};
constexpr FlowRoot kSRoots[] = {{"", &kS}};
constexpr FlowRoot kCRoots[] = {
    {"PHI/PII", &kCPhi},       {"diagnosis", &kCDiagnosis},    {"therapy", &kCTherapy},
    {"workflow", &kCWorkflow}, {"system secrets", &kCSecrets}, {"other", &kCOther}};
constexpr FlowRoot kIRoots[] = {
    {"PHI/PII", &kIPhi},       {"diagnosis", &kIDiagnosis},    {"therapy", &kITherapy},
    {"workflow", &kIWorkflow}, {"system secrets", &kISecrets}, {"other", &kIOther}};
constexpr FlowRoot kARoots[] = {
    {"PHI/PII", &kAPhi},       {"diagnosis", &kADiagnosis},    {"therapy", &kATherapy},
    {"workflow", &kAWorkflow}, {"system secrets", &kASecrets}, {"other", &kAOther}};

constexpr MetricFlow kMetrics[] = {
    {"AV", "PLAN", kAvRoots}, {"AC", "HL", kAcRoots}, {"PR", "HLN", kPrRoots},
    {"UI", "RN", kUiRoots},   {"S", "UC", kSRoots},   {"C", "NLH", kCRoots},
    {"I", "NLH", kIRoots},    {"A", "NLH", kARoots},
};

const RubricQuestion* FindQuestion(std::string_view id) {
  for (const RubricQuestion& q : kQuestions) {
    if (q.id == id) return &q;
  }
  return nullptr;
}

std::string QuestionIds() {
  std::string out;
  for (const RubricQuestion& q : kQuestions) out += (out.empty() ? "" : ", ") + std::string(q.id);
  return out;
}

Result<RubricAnswer> ReadAnswer(const json::Node& n) {
  if (n.present() && n.type() == json::Type::kString) {
    const std::string& s = n.value().as_string();
    if (s == "yes") return RubricAnswer::kYes;
    if (s == "no") return RubricAnswer::kNo;
    if (s == "unknown") return RubricAnswer::kUnknown;
    return n.Invalid("expected yes, no or unknown, found \"" + s.substr(0, 40) + "\"");
  }
  return n.Mismatch("yes, no or unknown");
}

}  // namespace

std::string_view RubricAnswerName(RubricAnswer a) {
  switch (a) {
    case RubricAnswer::kNo:
      return "no";
    case RubricAnswer::kYes:
      return "yes";
    case RubricAnswer::kUnknown:
      return "unknown";
  }
  return "?";
}

std::span<const RubricQuestion> RubricQuestions() { return kQuestions; }

Result<RubricAnswers> RubricAnswers::Create(
    std::string_view source, std::vector<std::pair<std::string, RubricAnswer>> answers,
    std::string vulnerability) {
  RubricAnswers out;
  out.source_ = std::string(source);
  out.vulnerability_ = std::move(vulnerability);
  for (auto& [id, answer] : answers) {
    if (FindQuestion(id) == nullptr) {
      return InvalidArgumentError(out.source_ + ": " + AnswerPath(id) +
                                  ": unknown question (expected one of " + QuestionIds() + ")");
    }
    if (!out.answers_.emplace(id, answer).second) {
      return InvalidArgumentError(out.source_ + ": " + AnswerPath(id) + ": appears twice");
    }
  }
  // Every question the flowcharts reach must be answered: walking them is the check.
  for (const MetricFlow& m : kMetrics) {
    VIGIL_RETURN_IF_ERROR(internal::WalkMetric(m, out.answers_, out.source_));
  }
  return out;
}

std::optional<RubricAnswer> RubricAnswers::Find(std::string_view id) const {
  auto it = answers_.find(id);
  if (it == answers_.end()) return std::nullopt;
  return it->second;
}

namespace {

// The answers file's fields, read from its JSON form.
Result<RubricAnswers> ReadRubricAnswers(const json::Node& root, std::string_view source) {
  VIGIL_RETURN_IF_ERROR(root.ExpectObject());
  VIGIL_RETURN_IF_ERROR(root.RefuseUnknown({"vulnerability", "answers"}));
  std::string vulnerability;
  if (json::Node v = root.Get("vulnerability"); v.present()) {
    VIGIL_ASSIGN_OR_RETURN(vulnerability, v.String());
    // It is printed as given: no line breaks or terminal escapes.
    if (std::ranges::any_of(vulnerability, [](unsigned char c) { return c < 0x20 || c == 0x7f; })) {
      return v.Invalid("expected one line of text without control characters");
    }
  }
  std::vector<std::pair<std::string, RubricAnswer>> answers;
  VIGIL_RETURN_IF_ERROR(
      root.Get("answers").ForEachMember([&](std::string_view id, const json::Node& n) -> Status {
        VIGIL_ASSIGN_OR_RETURN(RubricAnswer a, ReadAnswer(n));
        answers.emplace_back(std::string(id), a);
        return OkStatus();
      }));
  return RubricAnswers::Create(source, std::move(answers), std::move(vulnerability));
}

}  // namespace

Result<RubricAnswers> ParseRubricAnswers(std::string_view yaml_text, std::string_view source) {
  // Plain scalars stay strings, so `yes` and `no` are the words, not YAML 1.1 booleans.
  // Errors name the line: "FILE:LINE: FIELD: rule".
  VIGIL_ASSIGN_OR_RETURN(yaml::Document doc, yaml::Document::Parse(yaml_text, std::string(source),
                                                                   YamlScalars::kStrings,
                                                                   YamlLimits{}));
  auto answers = ReadRubricAnswers(doc.Root(), source);
  if (!answers) return doc.Locate(answers.error());
  return answers;
}

Result<RubricResult> ApplyRubric(const RubricAnswers& answers) {
  RubricResult out;
  out.vector = "CVSS:3.1";
  for (const MetricFlow& m : kMetrics) {
    VIGIL_ASSIGN_OR_RETURN(Walked w, internal::WalkMetric(m, answers.all(), answers.source()));
    RubricDecision d{.metric = m.metric,
                     .value = m.order.substr(w.rank, 1),
                     .value_name = "",
                     .reasoning = std::move(w.text),
                     .used = std::move(w.used),
                     .not_used = {}};
    for (const auto& [id, answer] : answers.all()) {
      // Parsing refused unknown ids, so every answer has its question.
      const RubricQuestion* q = FindQuestion(id);
      if (q != nullptr && q->metric == m.metric && std::ranges::find(d.used, q->id) == d.used.end()) {
        d.not_used.push_back(q->id);
      }
    }
    out.vector += "/" + std::string(m.metric) + ":" + std::string(d.value);
    out.metrics.push_back(std::move(d));
  }
  auto scores = cvss::Evaluate(out.vector);
  if (!scores) return InternalError("rubric: " + scores.error().message());
  out.scores = std::move(*scores);
  for (size_t i = 0; i < out.metrics.size(); ++i) {
    out.metrics[i].value_name = out.scores.metrics[i].value_name;
  }
  return out;
}

}  // namespace vigil::risk
