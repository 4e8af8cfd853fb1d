// The register's views: the scan's "triage" member, written once per distinct tail and repeated.
#include "vigil/triage/views.h"

#include <gtest/gtest.h>

#include "vigil/core/json.h"

namespace vigil::triage {
namespace {

Record MakeRecord(std::string vulnerability, std::string component) {
  Record r;
  r.key = {"pump", std::move(vulnerability), std::move(component)};
  r.discovered = "2026-01-01";
  r.current.origin = "opened";
  r.current.release = "1.0";
  r.risk.exploitability = "high";
  r.risk.cell = "matrix.high.serious = uncontrolled";
  r.risk.reason = "a \"quoted\" reason";
  r.ssvc.vector = "SSVC/DP:1.0.0/E:N/";
  r.deadlines = {{"notify customers", "2026-01-31", false, false},
                 {"field a fix", "2026-03-02", false, true}};
  return r;
}

std::string Written(TriageMemberWriter& writer, const Record& r) {
  std::string out;
  JsonWriter w(out, 2);
  w.BeginObject();
  writer.Write(r, w);
  w.EndObject();
  return out;
}

TEST(TriageMemberWriterTest, RepeatsATailOnlyWhereItIsTheSame) {
  TriageMemberWriter writer;
  const Record a = MakeRecord("CVE-2024-0001", "pkg:generic/wolfssl");
  const Record b = MakeRecord("CVE-2024-0002", "pkg:generic/zl\"ib");
  Record c = MakeRecord("CVE-2024-0003", "pkg:generic/curl");
  c.current.decision.status = TriageStatus::kNotAffected;
  c.current.decision.justification = "component_not_present";
  c.deadlines.clear();
  const std::string first = Written(writer, a);
  EXPECT_EQ(first,
            "{\n  \"triage\": {\"vulnerability\":\"CVE-2024-0001\",\"component\":"
            "\"pkg:generic/wolfssl\",\"status\":\"in_triage\",\"origin\":\"opened\",\"release\":"
            "\"1.0\",\"discovered\":\"2026-01-01\",\"risk\":{\"controlled\":false,"
            "\"exploitability\":\"high\",\"harm\":\"catastrophic\",\"cell\":\"matrix.high.serious ="
            " uncontrolled\",\"reason\":\"a \\\"quoted\\\" reason\"},\"ssvc\":{\"priority\":"
            "\"immediate\",\"vector\":\"SSVC/DP:1.0.0/E:N/\"},\"deadlines\":[{\"what\":\"notify"
            " customers\",\"due\":\"2026-01-31\",\"met\":false,\"overdue\":false},{\"what\":"
            "\"field a fix\",\"due\":\"2026-03-02\",\"met\":false,\"overdue\":true}],\"overdue\":"
            "true}\n}");
  auto second = json::Parse(Written(writer, b), "b");
  ASSERT_TRUE(second) << second.error().ToString();
  const json::Value* t = second->Find("triage");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->Find("component")->as_string(), "pkg:generic/zl\"ib");
  EXPECT_EQ(t->Find("deadlines")->as_array().size(), 2u);
  auto third = json::Parse(Written(writer, c), "c");
  ASSERT_TRUE(third) << third.error().ToString();
  t = third->Find("triage");
  EXPECT_EQ(t->Find("status")->as_string(), "not_affected");
  EXPECT_EQ(t->Find("justification")->as_string(), "component_not_present");
  EXPECT_TRUE(t->Find("deadlines")->as_array().empty());
  EXPECT_FALSE(t->Find("overdue")->as_bool());
  EXPECT_EQ(Written(writer, a), first);
}

}  // namespace
}  // namespace vigil::triage
