#include "vigil/report/evidence.h"

#include <expat.h>

#include <charconv>
#include <cstring>
#include <memory>

namespace vigil::report {
namespace {

constexpr size_t kMaxJunitBytes = 64u << 20;
constexpr size_t kMaxDepth = 16;
constexpr size_t kMaxMessage = 500;

// Rank for "the worst outcome wins".
int Severity(TestOutcome o) {
  switch (o) {
    case TestOutcome::kPassed:
      return 1;
    case TestOutcome::kSkipped:
      return 2;
    case TestOutcome::kNotRun:
      return 3;
    case TestOutcome::kFailed:
      return 4;
    case TestOutcome::kMissing:
      return 0;
  }
  return 0;
}

class JunitReader {
 public:
  JunitReader(const std::string& file, Evidence& into) : file_(file), into_(into) {}

  Status Read(std::string_view xml) {
    if (xml.size() > kMaxJunitBytes) {
      return ResourceExhaustedError(file_ + ": " + std::to_string(xml.size()) +
                                    " bytes, over the " + std::to_string(kMaxJunitBytes) +
                                    " limit for a JUnit file");
    }
    std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(XML_ParserCreate("UTF-8"),
                                                                        &XML_ParserFree);
    if (!parser) return InternalError(file_ + ": cannot create an XML parser");
    p_ = parser.get();
    XML_SetUserData(p_, this);
    XML_SetElementHandler(p_, &JunitReader::OnStart, &JunitReader::OnEnd);
    XML_SetStartDoctypeDeclHandler(p_, &JunitReader::OnDoctype);
    XML_SetEntityDeclHandler(p_, &JunitReader::OnEntity);
    if (XML_Parse(p_, xml.data(), static_cast<int>(xml.size()), XML_TRUE) == XML_STATUS_ERROR) {
      if (error_) return *error_;
      return Fail(std::string("malformed XML: ") + XML_ErrorString(XML_GetErrorCode(p_)));
    }
    if (error_) return *error_;
    if (!saw_root_) return Fail("no <testsuite> element");
    for (TestResult& t : batch_) Merge(std::move(t));
    into_.files.push_back(file_);
    return OkStatus();
  }

 private:
  static void OnStart(void* self, const XML_Char* name, const XML_Char** attrs) {
    auto* r = static_cast<JunitReader*>(self);
    if (!r->error_) r->Start(name, attrs);
    if (r->error_) XML_StopParser(r->p_, XML_FALSE);
  }
  static void OnEnd(void* self, const XML_Char* name) {
    auto* r = static_cast<JunitReader*>(self);
    if (!r->error_) r->End(name);
  }
  static void OnDoctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    auto* r = static_cast<JunitReader*>(self);
    r->error_ = r->Fail("a DTD is not expected in a JUnit file");
    XML_StopParser(r->p_, XML_FALSE);
  }
  static void OnEntity(void* self, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                       const XML_Char*, const XML_Char*, const XML_Char*) {
    auto* r = static_cast<JunitReader*>(self);
    r->error_ = r->Fail("an entity declaration is not expected in a JUnit file");
    XML_StopParser(r->p_, XML_FALSE);
  }

  Error Fail(std::string_view what) const {
    const long line = p_ ? static_cast<long>(XML_GetCurrentLineNumber(p_)) : 0;
    return InvalidArgumentError(file_ + ":" + std::to_string(line) + ": " + std::string(what));
  }

  static const char* Attr(const XML_Char** attrs, const char* key) {
    for (size_t i = 0; attrs[i]; i += 2) {
      if (std::strcmp(attrs[i], key) == 0) return attrs[i + 1];
    }
    return nullptr;
  }

  static std::string Short(const char* s) {
    std::string out;
    for (const char* c = s; *c && out.size() < kMaxMessage; ++c) {
      out += (*c == '\n' || *c == '\r' || *c == '\t') ? ' ' : *c;
    }
    return out;
  }

  void Start(std::string_view name, const XML_Char** attrs) {
    const std::string_view parent = stack_.empty() ? std::string_view() : stack_.back();
    if (stack_.size() >= kMaxDepth) {
      error_ = Fail("elements nested deeper than " + std::to_string(kMaxDepth));
      return;
    }
    if (parent.empty()) {
      if (name != "testsuite" && name != "testsuites") {
        error_ = Fail("unexpected element <" + std::string(name) +
                      "> at the top (expected <testsuite> or <testsuites>)");
        return;
      }
      saw_root_ = true;
    } else if (parent == "testsuites") {
      if (name != "testsuite") return Unexpected(name, parent);
    } else if (parent == "testsuite") {
      if (name == "testcase") {
        if (!StartCase(attrs)) return;
      } else if (name != "properties" && name != "system-out" && name != "system-err") {
        return Unexpected(name, parent);
      }
    } else if (parent == "properties") {
      if (name != "property") return Unexpected(name, parent);
    } else if (parent == "testcase") {
      if (name == "failure" || name == "error") {
        Worsen(TestOutcome::kFailed, attrs);
      } else if (name == "skipped") {
        Worsen(TestOutcome::kSkipped, attrs);
      } else if (name != "system-out" && name != "system-err" && name != "properties") {
        return Unexpected(name, parent);
      }
    } else if (parent == "system-out" || parent == "system-err" || parent == "failure" ||
               parent == "error" || parent == "skipped" || parent == "property") {
      return Unexpected(name, parent);
    }
    stack_.emplace_back(name);
  }

  void Unexpected(std::string_view name, std::string_view parent) {
    error_ =
        Fail("unexpected element <" + std::string(name) + "> inside <" + std::string(parent) + ">");
  }

  bool StartCase(const XML_Char** attrs) {
    const char* name = Attr(attrs, "name");
    if (!name || !*name) {
      error_ = Fail("<testcase> without a name attribute");
      return false;
    }
    TestResult t;
    t.name = name;
    t.at = file_ + ":" + std::to_string(XML_GetCurrentLineNumber(p_));
    t.outcome = TestOutcome::kPassed;
    if (const char* time = Attr(attrs, "time")) {
      const char* end = time + std::strlen(time);
      auto [ptr, ec] = std::from_chars(time, end, t.seconds);
      if (ec != std::errc() || ptr != end || t.seconds < 0) {
        error_ = Fail("<testcase name=\"" + Short(name) + "\"> time \"" + Short(time) +
                      "\" is not a number of seconds");
        return false;
      }
    }
    if (const char* status = Attr(attrs, "status")) {
      const std::string_view s = status;
      if (s == "fail") {
        t.outcome = TestOutcome::kFailed;
      } else if (s == "notrun") {
        t.outcome = TestOutcome::kNotRun;
      } else if (s == "disabled") {
        t.outcome = TestOutcome::kSkipped;
      } else if (s != "run") {
        error_ = Fail("<testcase name=\"" + Short(name) + "\"> status \"" + Short(status) +
                      "\" (expected run, fail, notrun or disabled)");
        return false;
      }
    }
    for (const TestResult& seen : batch_) {
      if (seen.name == t.name) {
        error_ = Fail("test \"" + Short(name) + "\" appears twice (first at " + seen.at + ")");
        return false;
      }
    }
    batch_.push_back(std::move(t));
    return true;
  }

  void Worsen(TestOutcome o, const XML_Char** attrs) {
    TestResult& t = batch_.back();
    if (Severity(o) > Severity(t.outcome)) t.outcome = o;
    if (const char* m = Attr(attrs, "message"); m && t.message.empty()) t.message = Short(m);
  }

  void End(std::string_view) {
    if (!stack_.empty()) stack_.pop_back();
  }

  void Merge(TestResult t) {
    auto [it, fresh] = into_.tests.emplace(t.name, t);
    if (!fresh && Severity(t.outcome) > Severity(it->second.outcome)) it->second = std::move(t);
  }

  const std::string& file_;
  Evidence& into_;
  XML_Parser p_ = nullptr;
  std::vector<std::string> stack_;
  std::vector<TestResult> batch_;
  std::optional<Error> error_;
  bool saw_root_ = false;
};

}  // namespace

std::string_view TestOutcomeName(TestOutcome o) {
  switch (o) {
    case TestOutcome::kPassed:
      return "passed";
    case TestOutcome::kSkipped:
      return "skipped";
    case TestOutcome::kNotRun:
      return "not run";
    case TestOutcome::kFailed:
      return "failed";
    case TestOutcome::kMissing:
      return "missing";
  }
  return "?";
}

TestOutcome Evidence::Outcome(std::string_view test) const {
  auto it = tests.find(std::string(test));
  return it == tests.end() ? TestOutcome::kMissing : it->second.outcome;
}

Status ReadJunit(std::string_view xml, const std::string& file, Evidence& into) {
  JunitReader reader(file, into);
  return reader.Read(xml);
}

}  // namespace vigil::report
