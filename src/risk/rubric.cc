#include "vigil/risk/rubric.h"

#include <algorithm>
#include <array>
#include <string>

#include "vigil/core/json.h"
#include "vigil/core/yaml_to_json.h"

namespace vigil::risk {
namespace {

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

// A flowchart: a question with a branch per answer, or a leaf holding a metric value.
struct Flow {
  std::string_view question;  // empty for a leaf
  std::string_view value;     // a leaf's value
  const Flow* yes = nullptr;
  const Flow* no = nullptr;
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

struct Root {
  std::string_view label;  // the kind of data or function; empty when the metric has one root
  const Flow* flow;
};

constexpr Root kAvRoots[] = {{"", &kAv}};
constexpr Root kAcRoots[] = {{"", &kAc}};
constexpr Root kPrRoots[] = {{"", &kPr}};
constexpr Root kUiRoots[] = {{"", &kUi}};
constexpr Root kSRoots[] = {{"", &kS}};
constexpr Root kCRoots[] = {
    {"PHI/PII", &kCPhi},       {"diagnosis", &kCDiagnosis},    {"therapy", &kCTherapy},
    {"workflow", &kCWorkflow}, {"system secrets", &kCSecrets}, {"other", &kCOther}};
constexpr Root kIRoots[] = {
    {"PHI/PII", &kIPhi},       {"diagnosis", &kIDiagnosis},    {"therapy", &kITherapy},
    {"workflow", &kIWorkflow}, {"system secrets", &kISecrets}, {"other", &kIOther}};
constexpr Root kARoots[] = {
    {"PHI/PII", &kAPhi},       {"diagnosis", &kADiagnosis},    {"therapy", &kATherapy},
    {"workflow", &kAWorkflow}, {"system secrets", &kASecrets}, {"other", &kAOther}};

struct MetricFlow {
  std::string_view metric;
  // The metric's values from the lowest base score to the highest: "unknown" picks by this.
  std::string_view order;
  std::span<const Root> roots;  // the metric's value is the highest over its roots
};

constexpr MetricFlow kMetrics[] = {
    {"AV", "PLAN", kAvRoots}, {"AC", "HL", kAcRoots}, {"PR", "HLN", kPrRoots},
    {"UI", "RN", kUiRoots},   {"S", "UC", kSRoots},   {"C", "NLH", kCRoots},
    {"I", "NLH", kIRoots},    {"A", "NLH", kARoots},
};

using AnswerMap = std::map<std::string, RubricAnswer, std::less<>>;

std::string AnswerPath(std::string_view id) {
  return json::MemberPath(json::MemberPath("$", "answers"), id);
}

// The highest (lowest) value rank a flowchart can reach.
int Highest(const Flow& f, const MetricFlow& m) {
  if (f.question.empty()) return static_cast<int>(m.order.find(f.value));
  return std::max(Highest(*f.yes, m), Highest(*f.no, m));
}
int Lowest(const Flow& f, const MetricFlow& m) {
  if (f.question.empty()) return static_cast<int>(m.order.find(f.value));
  return std::min(Lowest(*f.yes, m), Lowest(*f.no, m));
}

struct Walked {
  int rank;
  std::string text;
};

// Walks one metric's flowcharts over the answers, recording the questions it consults.
class Walker {
 public:
  Walker(const AnswerMap& answers, std::string_view source, const MetricFlow& metric)
      : answers_(answers), source_(source), metric_(metric) {}

  Result<Walked> Metric();
  std::vector<std::string_view>& used() { return used_; }

 private:
  Result<Walked> Walk(const Flow& f);
  Result<Walked> WalkUnknown(const Flow& f);
  std::string_view Value(int rank) const { return metric_.order.substr(rank, 1); }

  const AnswerMap& answers_;
  std::string_view source_;
  const MetricFlow& metric_;
  std::vector<std::string_view> used_;
};

Result<Walked> Walker::Metric() {
  if (metric_.roots.size() == 1) return Walk(*metric_.roots[0].flow);
  Walked out{0, ""};
  for (const Root& root : metric_.roots) {
    VIGIL_ASSIGN_OR_RETURN(Walked w, Walk(*root.flow));
    out.rank = std::max(out.rank, w.rank);
    out.text += std::string(root.label) + ": " + w.text + "; ";
  }
  out.text += "highest: " + std::string(Value(out.rank));
  return out;
}

Result<Walked> Walker::Walk(const Flow& f) {
  if (f.question.empty())
    return Walked{static_cast<int>(metric_.order.find(f.value)), std::string(f.value)};
  auto it = answers_.find(f.question);
  if (it == answers_.end()) {
    return InvalidArgumentError(std::string(source_) + ": " + AnswerPath(f.question) +
                                ": required field missing (the flowchart of " +
                                std::string(metric_.metric) +
                                " reaches it; answer yes, no or "
                                "unknown)");
  }
  used_.push_back(f.question);
  if (it->second == RubricAnswer::kUnknown) return WalkUnknown(f);
  VIGIL_ASSIGN_OR_RETURN(Walked next, Walk(it->second == RubricAnswer::kYes ? *f.yes : *f.no));
  next.text = std::string(f.question) + " = " + std::string(RubricAnswerName(it->second)) + " -> " +
              next.text;
  return next;
}

// "unknown" takes the worse branch. The branch that can reach the higher value goes first (on a
// tie, the one that cannot fall as low); the other is followed only if it could still beat the
// first, so no question is required whose answer cannot change the value.
Result<Walked> Walker::WalkUnknown(const Flow& f) {
  auto key = [&](const Flow& b) { return std::pair(Highest(b, metric_), Lowest(b, metric_)); };
  bool yes_first = key(*f.yes) >= key(*f.no);
  const Flow& first = yes_first ? *f.yes : *f.no;
  const Flow& second = yes_first ? *f.no : *f.yes;
  std::string_view first_name = yes_first ? "yes" : "no";
  std::string_view second_name = yes_first ? "no" : "yes";
  VIGIL_ASSIGN_OR_RETURN(Walked a, Walk(first));
  std::string text = std::string(f.question) + " = unknown -> worse of (" +
                     std::string(first_name) + ": " + a.text + " | " + std::string(second_name);
  int best = a.rank;
  if (a.rank >= Highest(second, metric_)) {
    text += ": not followed, reaches at most " + std::string(Value(Highest(second, metric_)));
  } else {
    VIGIL_ASSIGN_OR_RETURN(Walked b, Walk(second));
    text += ": " + b.text;
    best = std::max(best, b.rank);
  }
  return Walked{best, text + ") = " + std::string(Value(best))};
}

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
    VIGIL_RETURN_IF_ERROR(Walker(out.answers_, out.source_, m).Metric());
  }
  return out;
}

std::optional<RubricAnswer> RubricAnswers::Find(std::string_view id) const {
  auto it = answers_.find(id);
  if (it == answers_.end()) return std::nullopt;
  return it->second;
}

Result<RubricAnswers> ParseRubricAnswers(std::string_view yaml_text, std::string_view source) {
  // Plain scalars stay strings, so `yes` and `no` are the words, not YAML 1.1 booleans.
  VIGIL_ASSIGN_OR_RETURN(std::string json_text,
                         YamlToJson(yaml_text, source, YamlScalars::kStrings, YamlLimits{}));
  VIGIL_ASSIGN_OR_RETURN(json::Value doc, json::Parse(json_text, source));
  json::Node root(doc, source);
  VIGIL_RETURN_IF_ERROR(root.ExpectObject());
  VIGIL_RETURN_IF_ERROR(root.RefuseUnknown({"vulnerability", "answers"}));
  std::string vulnerability;
  if (json::Node v = root.Get("vulnerability"); v.present()) {
    VIGIL_ASSIGN_OR_RETURN(vulnerability, v.String());
    if (vulnerability.find_first_of("\r\n") != std::string::npos) {
      return v.Invalid("expected one line");
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

Result<RubricResult> ApplyRubric(const RubricAnswers& answers) {
  RubricResult out;
  out.vector = "CVSS:3.1";
  for (const MetricFlow& m : kMetrics) {
    Walker walker(answers.all(), answers.source(), m);
    VIGIL_ASSIGN_OR_RETURN(Walked w, walker.Metric());
    RubricDecision d{m.metric,          m.order.substr(w.rank, 1), "",
                     std::move(w.text), std::move(walker.used()),  {}};
    for (const auto& [id, answer] : answers.all()) {
      const RubricQuestion* q = FindQuestion(id);
      if (q->metric == m.metric && std::ranges::find(d.used, q->id) == d.used.end()) {
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
