// `vigil rubric ANSWERS.yaml [--format text|json]`: MITRE's medical-device CVSS rubric applied
// to a file of yes/no/unknown answers (vigil::risk rubric.h): the CVSS v3.1 base vector, its
// score and severity, and per metric the value and the path through the flowchart that led
// there. `vigil rubric --questions` lists the questions and their ids. A bad answers file is one
// line on stderr naming the file and the field, exit 2.
#include <cstdio>
#include <memory>
#include <string>

#include "cli_io.h"
#include "command.h"
#include "vigil/core/bytes.h"
#include "vigil/core/json.h"
#include "vigil/risk/rubric.h"

namespace vigil::cli {
namespace {

namespace cvss = risk::cvss;

// The answers file is a page of text; YamlToJson's own limit is the same.
constexpr uint64_t kMaxAnswersBytes = 1u << 20;

struct Options {
  std::string file;
  std::string format = "text";
  bool questions = false;
};

std::string Joined(const std::vector<std::string_view>& ids) {
  std::string out;
  for (std::string_view id : ids) out += (out.empty() ? "" : ", ") + std::string(id);
  return out;
}

void PrintText(const risk::RubricAnswers& a, const risk::RubricResult& r) {
  if (!a.vulnerability().empty()) std::printf("%s\n", a.vulnerability().c_str());
  std::printf("%s\n", r.vector.c_str());
  std::printf("  CVSS 3.1 base score %.1f %s\n", r.scores.base,
              std::string(cvss::SeverityName(r.scores.severity)).c_str());
  for (size_t i = 0; i < r.metrics.size(); ++i) {
    const risk::RubricDecision& d = r.metrics[i];
    std::printf("  %-3s %-20s %s  %s\n", std::string(d.metric).c_str(),
                std::string(r.scores.metrics[i].metric_name).c_str(), std::string(d.value).c_str(),
                std::string(d.value_name).c_str());
    // C, I and A reason per kind of data: one line each reads better than one long line.
    std::string reasoning = d.reasoning;
    for (size_t at = 0; (at = reasoning.find("; ", at)) != std::string::npos;) {
      reasoning.replace(at, 2, "\n      ");
    }
    std::printf("      %s\n", reasoning.c_str());
    if (!d.not_used.empty()) std::printf("      not used: %s\n", Joined(d.not_used).c_str());
  }
}

json::Value IdArray(const std::vector<std::string_view>& ids) {
  json::Value out = json::Value::MakeArray();
  for (std::string_view id : ids) out.Push(id);
  return out;
}

json::Value ToJson(const risk::RubricAnswers& a, const risk::RubricResult& r) {
  json::Value metrics = json::Value::MakeArray();
  for (size_t i = 0; i < r.metrics.size(); ++i) {
    const risk::RubricDecision& d = r.metrics[i];
    metrics.Push(json::Value::MakeObject({{"metric", d.metric},
                                          {"name", r.scores.metrics[i].metric_name},
                                          {"value", d.value},
                                          {"value_name", d.value_name},
                                          {"reasoning", d.reasoning},
                                          {"used", IdArray(d.used)},
                                          {"not_used", IdArray(d.not_used)}}));
  }
  return json::Value::MakeObject({{"source", a.source()},
                                  {"vulnerability", a.vulnerability()},
                                  {"vector", r.vector},
                                  {"base", r.scores.base},
                                  {"severity", cvss::SeverityName(r.scores.severity)},
                                  {"metrics", std::move(metrics)}});
}

void PrintQuestions(const std::string& format) {
  json::Value all = json::Value::MakeArray();
  for (const risk::RubricQuestion& q : risk::RubricQuestions()) {
    if (format == "json") {
      all.Push(json::Value::MakeObject(
          {{"id", q.id}, {"metric", q.metric}, {"rubric", q.rubric}, {"text", q.text}}));
    } else {
      std::printf("%-26s %-14s %s\n", std::string(q.id).c_str(), std::string(q.rubric).c_str(),
                  std::string(q.text).c_str());
    }
  }
  if (format == "json") std::printf("%s\n", json::Write(all, 2).c_str());
}

Status Run(const Options& o) {
  VIGIL_ASSIGN_OR_RETURN(Bytes data,
                         ReadInputLimited(o.file, kMaxAnswersBytes, "a rubric answers file"));
  VIGIL_ASSIGN_OR_RETURN(risk::RubricAnswers answers,
                         risk::ParseRubricAnswers(AsStringView(data), o.file));
  VIGIL_ASSIGN_OR_RETURN(risk::RubricResult result, risk::ApplyRubric(answers));
  if (o.format == "json") {
    std::printf("%s\n", json::Write(ToJson(answers, result), 2).c_str());
  } else {
    PrintText(answers, result);
  }
  return OkStatus();
}

int Dispatch(const Options& o) {
  if (o.questions) {
    PrintQuestions(o.format);
    return kExitOk;
  }
  if (o.file.empty()) {
    return ReportError("rubric", InvalidArgumentError("expected ANSWERS.yaml or --questions"));
  }
  Status s = Run(o);
  return s ? kExitOk : ReportError("rubric", s.error());
}

void Setup(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "rubric", "Score a medical-device vulnerability with MITRE's CVSS rubric (yes/no answers)");
  cmd->add_option("answers", opts->file, "Answers file (YAML), - for standard input");
  cmd->add_option("--format", opts->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_flag("--questions", opts->questions, "List the rubric's questions and their ids");
  cmd->callback([opts] { SetExitCode(Dispatch(*opts)); });
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
