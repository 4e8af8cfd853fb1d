#include "vigil/report/evidence.h"

#include <gtest/gtest.h>

#include <string>

namespace vigil::report {
namespace {

// The shape `ctest --output-junit` writes.
constexpr char kCtest[] = R"(<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="host"
	tests="5"
	failures="1"
	disabled="1"
	skipped="1"
	hostname=""
	time="3"
	timestamp="2026-12-05T22:00:00"
	>
	<testcase name="a_passes" classname="a_passes"
		time="0.25" status="run">
		<system-out>[  PASSED  ] 3 tests.</system-out>
	</testcase>
	<testcase name="b_fails" classname="b_fails"
		time="1.5" status="fail">
		<failure message="Failed"/>
		<system-out>Expected equality</system-out>
	</testcase>
	<testcase name="c_skips" classname="c_skips"
		time="0" status="run">
		<skipped message="SKIP_REGULAR_EXPRESSION_MATCHED"/>
	</testcase>
	<testcase name="d_notrun" classname="d_notrun"
		time="0" status="notrun">
		<skipped message="Unable to find executable"/>
	</testcase>
	<testcase name="e_disabled" classname="e_disabled"
		time="0" status="disabled">
		<skipped message="Disabled"/>
	</testcase>
</testsuite>
)";

std::string Refusal(const std::string& xml) {
  Evidence e;
  Status s = ReadJunit(xml, "ctest.xml", e);
  if (s) return "accepted";
  EXPECT_EQ(s.error().message().find('\n'), std::string::npos) << s.error().message();
  EXPECT_TRUE(e.tests.empty());
  return s.error().message();
}

TEST(Junit, ReadsEachOutcomeOfACtestFile) {
  Evidence e;
  ASSERT_TRUE(ReadJunit(kCtest, "ctest.xml", e));
  EXPECT_EQ(e.Outcome("a_passes"), TestOutcome::kPassed);
  EXPECT_EQ(e.Outcome("b_fails"), TestOutcome::kFailed);
  EXPECT_EQ(e.Outcome("c_skips"), TestOutcome::kSkipped);
  EXPECT_EQ(e.Outcome("d_notrun"), TestOutcome::kNotRun);
  EXPECT_EQ(e.Outcome("e_disabled"), TestOutcome::kSkipped);
  EXPECT_EQ(e.Outcome("never_ran"), TestOutcome::kMissing);
  EXPECT_DOUBLE_EQ(e.tests.at("b_fails").seconds, 1.5);
  EXPECT_EQ(e.tests.at("b_fails").message, "Failed");
  EXPECT_EQ(e.tests.at("b_fails").at, "ctest.xml:15");
  EXPECT_EQ(e.files, std::vector<std::string>{"ctest.xml"});
}

TEST(Junit, TheWorstOutcomeOfSeveralFilesWins) {
  Evidence e;
  ASSERT_TRUE(
      ReadJunit(R"(<testsuite><testcase name="t" status="fail"/></testsuite>)", "1.xml", e));
  ASSERT_TRUE(ReadJunit(R"(<testsuite><testcase name="t" status="run"/></testsuite>)", "2.xml", e));
  EXPECT_EQ(e.Outcome("t"), TestOutcome::kFailed);
  ASSERT_TRUE(ReadJunit(R"(<testsuites><testsuite><testcase name="u"/></testsuite></testsuites>)",
                        "3.xml", e));
  EXPECT_EQ(e.Outcome("u"), TestOutcome::kPassed);
  // A <failure> child fails a test whatever its status attribute says.
  ASSERT_TRUE(ReadJunit(
      R"(<testsuite><testcase name="v" status="run"><error message="x"/></testcase></testsuite>)",
      "4.xml", e));
  EXPECT_EQ(e.Outcome("v"), TestOutcome::kFailed);
}

TEST(Junit, EachInvalidFileGivesOneLineWithFileAndLine) {
  EXPECT_EQ(Refusal("<testsuite>\n<testcase classname=\"x\"/>\n</testsuite>"),
            "ctest.xml:2: <testcase> without a name attribute");
  EXPECT_EQ(Refusal("<testcase name=\"x\"/>"),
            "ctest.xml:1: unexpected element <testcase> at the top (expected <testsuite> or "
            "<testsuites>)");
  EXPECT_EQ(Refusal("<testsuite>\n\n<testcase name=\"x\" time=\"fast\"/></testsuite>"),
            "ctest.xml:3: <testcase name=\"x\"> time \"fast\" is not a number of seconds");
  EXPECT_EQ(Refusal("<testsuite><testcase name=\"x\" status=\"passed\"/></testsuite>"),
            "ctest.xml:1: <testcase name=\"x\"> status \"passed\" (expected run, fail, notrun or "
            "disabled)");
  EXPECT_EQ(Refusal("<testsuite><testcase name=\"x\"><result/></testcase></testsuite>"),
            "ctest.xml:1: unexpected element <result> inside <testcase>");
  EXPECT_EQ(Refusal("<testsuite><testcase name=\"x\"/>\n<testcase name=\"x\"/></testsuite>"),
            "ctest.xml:2: test \"x\" appears twice (first at ctest.xml:1)");
  EXPECT_EQ(Refusal("<?xml version=\"1.0\"?>\n<!DOCTYPE t [<!ENTITY a \"b\">]><testsuite/>"),
            "ctest.xml:2: a DTD is not expected in a JUnit file");
  EXPECT_EQ(Refusal("<testsuite>\n<testcase name=\"x\">\n</testsuite>"),
            "ctest.xml:3: malformed XML: mismatched tag");
  EXPECT_EQ(Refusal(""), "ctest.xml:1: malformed XML: no element found");
}

}  // namespace
}  // namespace vigil::report
