// Test evidence: the results of ctest runs read from the JUnit XML ctest writes with
// `ctest --output-junit FILE`. Only what a run shows is believed: a test is passed when a
// <testcase> of that name ran without <failure> or <error>; failed when it has one (or
// status="fail"); skipped for <skipped> or status="disabled"; not run for status="notrun".
// A name that appears in no file is simply absent (Outcome() says kMissing).
//
// The reader is strict (an evidence file that cannot be read must not turn into "no failures"):
// the root is <testsuite> or <testsuites> of <testsuite>s, a <testcase> needs a name, a time
// (when present) is a number, an unknown element or status is an error, DTDs and entities are
// refused. Errors are one line InvalidArgument "FILE:LINE: what was expected":
//   "ctest.xml:12: <testcase> without a name attribute"
//   "ctest.xml:3: unexpected element <testcase> at the top (expected <testsuite> or <testsuites>)"
//
// When several files name the same test the worst outcome wins (failed > not run > skipped >
// passed): a test is never shown passing because another run of it passed.
//
// Thread-safety: plain values; ReadJunit is reentrant.
#ifndef VIGIL_REPORT_EVIDENCE_H_
#define VIGIL_REPORT_EVIDENCE_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/result.h"

namespace vigil::report {

enum class TestOutcome { kPassed, kSkipped, kNotRun, kFailed, kMissing };
std::string_view TestOutcomeName(TestOutcome o);  // "passed", "skipped", "not run", ...

struct TestResult {
  std::string name;
  TestOutcome outcome = TestOutcome::kMissing;
  double seconds = 0;
  std::string message;  // the <failure>/<skipped> message, when any
  std::string at;       // "FILE:LINE" of its <testcase>
};

struct Evidence {
  std::map<std::string, TestResult> tests;
  std::vector<std::string> files;  // every file read, in order
  TestOutcome Outcome(std::string_view test) const;
};

// Reads one JUnit file into `into`. `file` names it in errors.
Status ReadJunit(std::string_view xml, const std::string& file, Evidence& into);

}  // namespace vigil::report

#endif  // VIGIL_REPORT_EVIDENCE_H_
