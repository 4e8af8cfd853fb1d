// `vigil cvss [--format text|json] VECTOR...`: the scores of CVSS v2.0, v3.0, v3.1 and v4.0
// vectors, their severity and every metric spelled out (vigil::risk::cvss). A vector that does
// not parse is reported on stderr, one line naming the metric, and the others still print; the
// exit status is then 2.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "command.h"
#include "vigil/core/json.h"
#include "vigil/risk/cvss.h"

namespace vigil::cli {
namespace {

namespace cvss = risk::cvss;

struct Options {
  std::string format = "text";
  std::vector<std::string> vectors;
};

std::string OneDecimal(double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

void PrintText(const std::string& vector, const cvss::Scores& s) {
  std::printf("%s\n", vector.c_str());
  std::string line = "  CVSS " + std::string(cvss::VersionName(s.version));
  if (!s.nomenclature.empty()) line += " (" + std::string(s.nomenclature) + ")";
  line += ": " + OneDecimal(s.score) + " " + std::string(cvss::SeverityName(s.severity));
  if (s.version != cvss::Version::kV4_0) {
    line += "   base " + OneDecimal(s.base);
    if (s.temporal) line += ", temporal " + OneDecimal(*s.temporal);
    if (s.environmental) line += ", environmental " + OneDecimal(*s.environmental);
  }
  std::printf("%s\n", line.c_str());
  for (const cvss::MetricValue& m : s.metrics) {
    std::printf("  %-4.*s %-44.*s %-6.*s %.*s\n", static_cast<int>(m.metric.size()),
                m.metric.data(), static_cast<int>(m.metric_name.size()), m.metric_name.data(),
                static_cast<int>(m.value.size()), m.value.data(),
                static_cast<int>(m.value_name.size()), m.value_name.data());
  }
}

json::Value ToJson(const std::string& vector, const cvss::Scores& s) {
  json::Value out = json::Value::MakeObject({{"vector", vector},
                                             {"version", cvss::VersionName(s.version)},
                                             {"score", s.score},
                                             {"severity", cvss::SeverityName(s.severity)}});
  if (!s.nomenclature.empty()) out.Set("nomenclature", s.nomenclature);
  if (s.version != cvss::Version::kV4_0) {
    out.Set("base", s.base);
    if (s.temporal) out.Set("temporal", *s.temporal);
    if (s.environmental) out.Set("environmental", *s.environmental);
  }
  json::Value metrics = json::Value::MakeArray();
  for (const cvss::MetricValue& m : s.metrics) {
    metrics.Push(json::Value::MakeObject({{"metric", m.metric},
                                          {"name", m.metric_name},
                                          {"value", m.value},
                                          {"value_name", m.value_name}}));
  }
  out.Set("metrics", std::move(metrics));
  return out;
}

int Run(const Options& o) {
  int rc = kExitOk;
  json::Value all = json::Value::MakeArray();
  for (const std::string& vector : o.vectors) {
    auto s = cvss::Evaluate(vector);
    if (!s) {
      rc = ReportError("cvss", s.error());
      continue;
    }
    if (o.format == "json") {
      all.Push(ToJson(vector, *s));
    } else {
      PrintText(vector, *s);
    }
  }
  if (o.format == "json") std::printf("%s\n", json::Write(all, 2).c_str());
  return rc;
}

void Setup(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "cvss", "Score CVSS v2.0, v3.0, v3.1 and v4.0 vectors and spell out their metrics");
  cmd->add_option("--format", opts->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("vectors", opts->vectors,
                  "Vectors, e.g. CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
      ->required();
  cmd->callback([opts] { SetExitCode(Run(*opts)); });
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
