#include "vigil/audit/syslog_message.h"

#include <charconv>
#include <set>

#include "vigil/audit/syslog_time.h"
#include "vigil/core/utf8.h"

namespace vigil::audit {
namespace {

bool IsPrintUsAscii(char c) { return c >= 33 && c <= 126; }

bool IsSdNameChar(char c) { return IsPrintUsAscii(c) && c != '=' && c != ']' && c != '"'; }

bool IsHeaderField(std::string_view s, size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s) {
    if (!IsPrintUsAscii(c)) return false;
  }
  return true;
}

bool IsSdName(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s) {
    if (!IsSdNameChar(c)) return false;
  }
  return true;
}

std::string EscapeParamValue(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '"' || c == '\\' || c == ']') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// Recursive-descent reader over one line; every failure names the offset.
class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}

  Error Fail(std::string_view expected) const {
    return InvalidArgumentError("syslog message: at offset " + std::to_string(pos_) +
                                ": expected " + std::string(expected));
  }
  bool AtEnd() const { return pos_ == s_.size(); }
  bool Peek(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
  bool Take(char c) {
    if (!Peek(c)) return false;
    ++pos_;
    return true;
  }
  Status Expect(char c, std::string_view what) { return Take(c) ? OkStatus() : Fail(what); }

  Result<int> Pri() {
    VIGIL_RETURN_IF_ERROR(Expect('<', "'<' starting PRI"));
    const size_t start = pos_;
    while (pos_ < s_.size() && pos_ - start < 4 && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    const std::string_view digits = s_.substr(start, pos_ - start);
    int v = 0;
    if (digits.empty() || digits.size() > 3 || (digits.size() > 1 && digits[0] == '0')) {
      return Fail("PRIVAL of 1-3 digits without leading zeros");
    }
    std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (v > 191) return Fail("PRIVAL 0-191");
    VIGIL_RETURN_IF_ERROR(Expect('>', "'>' ending PRI"));
    return v;
  }

  // A header field up to the next SP: 1..max PRINTUSASCII.
  Result<std::string> Field(size_t max, std::string_view name) {
    const size_t start = pos_;
    while (pos_ < s_.size() && IsPrintUsAscii(s_[pos_])) ++pos_;
    const size_t n = pos_ - start;
    if (n == 0 || n > max) {
      pos_ = start;
      return Fail(std::string(name) + " of 1-" + std::to_string(max) + " printable characters");
    }
    return std::string(s_.substr(start, n));
  }

  Result<std::string> SdName(std::string_view name) {
    const size_t start = pos_;
    while (pos_ < s_.size() && IsSdNameChar(s_[pos_]) && pos_ - start <= 32) ++pos_;
    const size_t n = pos_ - start;
    if (n == 0 || n > 32) return Fail(std::string(name) + " of 1-32 characters");
    return std::string(s_.substr(start, n));
  }

  Result<std::string> ParamValue() {
    VIGIL_RETURN_IF_ERROR(Expect('"', "'\"' opening PARAM-VALUE"));
    std::string v;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      char c = s_[pos_];
      if (c == ']') return Fail("']' escaped as '\\]' inside PARAM-VALUE");
      if (c == '\\') {
        ++pos_;
        if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\\' && s_[pos_] != ']')) {
          return Fail("'\"', '\\' or ']' after a backslash");
        }
        c = s_[pos_];
      }
      v.push_back(c);
      ++pos_;
    }
    VIGIL_RETURN_IF_ERROR(Expect('"', "'\"' closing PARAM-VALUE"));
    if (!IsValidUtf8(v)) return Fail("PARAM-VALUE in UTF-8");
    return v;
  }

  Result<SyslogSdElement> SdElement() {
    VIGIL_RETURN_IF_ERROR(Expect('[', "'[' starting an SD-ELEMENT"));
    SyslogSdElement el;
    VIGIL_ASSIGN_OR_RETURN(el.id, SdName("SD-ID"));
    while (Take(' ')) {
      VIGIL_ASSIGN_OR_RETURN(std::string name, SdName("PARAM-NAME"));
      VIGIL_RETURN_IF_ERROR(Expect('=', "'=' after PARAM-NAME"));
      VIGIL_ASSIGN_OR_RETURN(std::string value, ParamValue());
      el.params.emplace_back(std::move(name), std::move(value));
    }
    VIGIL_RETURN_IF_ERROR(Expect(']', "']' ending the SD-ELEMENT or ' ' before a parameter"));
    return el;
  }

  Result<std::vector<SyslogSdElement>> StructuredData() {
    std::vector<SyslogSdElement> out;
    if (Take('-')) return out;
    std::set<std::string> ids;
    do {
      const size_t at = pos_;
      VIGIL_ASSIGN_OR_RETURN(SyslogSdElement el, SdElement());
      if (!ids.insert(el.id).second) {
        pos_ = at;
        return Fail("a distinct SD-ID (\"" + el.id + "\" appears twice)");
      }
      out.push_back(std::move(el));
    } while (Peek('['));
    return out;
  }

  std::string Rest() {
    std::string r(s_.substr(pos_));
    pos_ = s_.size();
    return r;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

Result<std::string> CheckedTimestamp(Reader& r, std::string field) {
  if (field != "-" && !ParseRfc3339Micros(field).has_value()) {
    return r.Fail("TIMESTAMP in RFC 3339 form or '-', found \"" + field.substr(0, 40) + "\"");
  }
  return field;
}

std::string Summary(const Event& e) {
  std::string s = std::string(ActionCode(e.action)) + " " + std::string(OutcomeCode(e.outcome));
  s += e.actor_id.empty() ? " by unauthenticated actor" : " by " + e.actor_id;
  s += " (" + std::string(RoleCode(e.actor_role)) + ") via " +
       std::string(InterfaceCode(e.interface));
  if (e.purpose != Purpose::kNone) s += " for " + std::string(PurposeCode(e.purpose));
  return s;
}

SyslogSdElement EventElement(const Event& e) {
  SyslogSdElement el{std::string(kSyslogSdId), {}};
  auto add = [&](std::string_view k, std::string_view v) { el.params.emplace_back(k, v); };
  add("seq", std::to_string(e.sequence));
  if (!e.actor_id.empty()) add("actor", e.actor_id);
  add("role", RoleCode(e.actor_role));
  add("outcome", OutcomeCode(e.outcome));
  add("purpose", PurposeCode(e.purpose));
  if (!e.reason.empty()) add("reason", e.reason);
  add("iface", InterfaceCode(e.interface));
  if (!e.source.empty()) add("src", e.source);
  for (const std::string& id : e.object_ids) add("obj", id);
  return el;
}

Result<uint64_t> ParseSeq(std::string_view v) {
  uint64_t seq = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seq);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() ||
      (v.size() > 1 && v[0] == '0')) {
    return InvalidArgumentError("syslog event: seq must be a decimal uint64, found \"" +
                                std::string(v.substr(0, 24)) + "\"");
  }
  return seq;
}

// Fills the event fields carried by our SD-ELEMENT; InvalidArgument on an unknown parameter.
Status ReadEventParams(const SyslogSdElement& el, Event& e) {
  bool have_seq = false;
  for (const auto& [k, v] : el.params) {
    if (k == "seq") {
      VIGIL_ASSIGN_OR_RETURN(e.sequence, ParseSeq(v));
      have_seq = true;
    } else if (k == "actor") {
      e.actor_id = v;
    } else if (k == "role") {
      VIGIL_ASSIGN_OR_RETURN(e.actor_role, ParseRoleCode(v));
    } else if (k == "outcome") {
      VIGIL_ASSIGN_OR_RETURN(e.outcome, ParseOutcomeCode(v));
    } else if (k == "purpose") {
      VIGIL_ASSIGN_OR_RETURN(e.purpose, ParsePurposeCode(v));
    } else if (k == "reason") {
      e.reason = v;
    } else if (k == "iface") {
      VIGIL_ASSIGN_OR_RETURN(e.interface, ParseInterfaceCode(v));
    } else if (k == "src") {
      e.source = v;
    } else if (k == "obj") {
      e.object_ids.push_back(v);
    } else {
      return InvalidArgumentError("syslog event: unknown parameter \"" + k + "\" in [" + el.id +
                                  "]");
    }
  }
  if (!have_seq) return InvalidArgumentError("syslog event: [" + el.id + "] has no seq");
  return OkStatus();
}

}  // namespace

int SyslogSeverityOf(Outcome o) {
  switch (o) {
    case Outcome::kSuccess:
      return 6;
    case Outcome::kMinorFailure:
      return 4;
    case Outcome::kSeriousFailure:
      return 3;
    case Outcome::kMajorFailure:
      return 2;
  }
  return 2;
}

Result<std::string> FormatSyslog5424(const SyslogMessage& m) {
  if (m.pri < 0 || m.pri > 191) return InvalidArgumentError("syslog message: PRI out of 0-191");
  if (m.timestamp != "-" && !ParseRfc3339Micros(m.timestamp).has_value()) {
    return InvalidArgumentError("syslog message: TIMESTAMP is not RFC 3339");
  }
  const std::pair<std::string_view, std::pair<const std::string*, size_t>> fields[] = {
      {"HOSTNAME", {&m.hostname, 255}},
      {"APP-NAME", {&m.app_name, 48}},
      {"PROCID", {&m.proc_id, 128}},
      {"MSGID", {&m.msg_id, 32}}};
  std::string out = "<" + std::to_string(m.pri) + ">1 " + m.timestamp;
  for (const auto& [name, f] : fields) {
    if (!IsHeaderField(*f.first, f.second)) {
      return InvalidArgumentError("syslog message: " + std::string(name) + " must be 1-" +
                                  std::to_string(f.second) + " printable US-ASCII characters");
    }
    out += " " + *f.first;
  }
  out += " ";
  if (m.structured_data.empty()) out += "-";
  for (const SyslogSdElement& el : m.structured_data) {
    if (!IsSdName(el.id))
      return InvalidArgumentError("syslog message: bad SD-ID \"" + el.id + "\"");
    out += "[" + el.id;
    for (const auto& [k, v] : el.params) {
      if (!IsSdName(k) || !IsValidUtf8(v)) {
        return InvalidArgumentError("syslog message: bad parameter \"" + k + "\" in [" + el.id +
                                    "]");
      }
      out += " " + k + "=\"" + EscapeParamValue(v) + "\"";
    }
    out += "]";
  }
  if (!m.msg.empty()) out += " " + m.msg;
  return out;
}

Result<std::string> ToSyslog5424(const Event& e, const SyslogOptions& options) {
  VIGIL_RETURN_IF_ERROR(ValidateEvent(e));
  if (!IsHeaderField(options.proc_id, 128)) {
    return InvalidArgumentError(
        "syslog options: proc_id must be 1-128 printable US-ASCII "
        "characters");
  }
  SyslogMessage m;
  m.pri = kSyslogFacility * 8 + SyslogSeverityOf(e.outcome);
  VIGIL_ASSIGN_OR_RETURN(m.timestamp, FormatRfc3339Micros(e.time_unix_micros));
  m.hostname = e.device_id;
  m.app_name = std::string(kSyslogAppName);
  m.proc_id = options.proc_id;
  m.msg_id = std::string(ActionCode(e.action));
  m.structured_data.push_back(EventElement(e));
  m.msg = Summary(e);
  return FormatSyslog5424(m);
}

Result<SyslogMessage> ParseSyslog5424(std::string_view line) {
  Reader r(line);
  SyslogMessage m;
  VIGIL_ASSIGN_OR_RETURN(m.pri, r.Pri());
  VIGIL_RETURN_IF_ERROR(r.Expect('1', "VERSION 1"));
  VIGIL_RETURN_IF_ERROR(r.Expect(' ', "' ' after VERSION"));
  VIGIL_ASSIGN_OR_RETURN(std::string ts, r.Field(64, "TIMESTAMP"));
  VIGIL_ASSIGN_OR_RETURN(m.timestamp, CheckedTimestamp(r, std::move(ts)));
  std::pair<std::string*, std::pair<size_t, std::string_view>> fields[] = {
      {&m.hostname, {255, "HOSTNAME"}},
      {&m.app_name, {48, "APP-NAME"}},
      {&m.proc_id, {128, "PROCID"}},
      {&m.msg_id, {32, "MSGID"}}};
  for (auto& [dst, spec] : fields) {
    VIGIL_RETURN_IF_ERROR(r.Expect(' ', std::string("' ' before ") + std::string(spec.second)));
    VIGIL_ASSIGN_OR_RETURN(*dst, r.Field(spec.first, spec.second));
  }
  VIGIL_RETURN_IF_ERROR(r.Expect(' ', "' ' before STRUCTURED-DATA"));
  VIGIL_ASSIGN_OR_RETURN(m.structured_data, r.StructuredData());
  if (r.AtEnd()) return m;
  VIGIL_RETURN_IF_ERROR(r.Expect(' ', "' ' before MSG or end of message"));
  m.msg = r.Rest();
  // "SD SP" with an empty MSG would not survive a round trip (we write no SP then).
  if (m.msg.empty()) return r.Fail("a non-empty MSG after ' '");
  return m;
}

Result<Event> EventFromSyslog5424(std::string_view line) {
  VIGIL_ASSIGN_OR_RETURN(SyslogMessage m, ParseSyslog5424(line));
  Event e;
  if (m.structured_data.size() != 1 || m.structured_data[0].id != kSyslogSdId) {
    return InvalidArgumentError("syslog event: expected exactly one [" + std::string(kSyslogSdId) +
                                "] element");
  }
  VIGIL_RETURN_IF_ERROR(ReadEventParams(m.structured_data[0], e));
  VIGIL_ASSIGN_OR_RETURN(e.action, ParseActionCode(m.msg_id));
  if (m.timestamp == "-") return InvalidArgumentError("syslog event: TIMESTAMP is missing");
  VIGIL_ASSIGN_OR_RETURN(e.time_unix_micros, ParseRfc3339Micros(m.timestamp));
  e.device_id = m.hostname;
  VIGIL_ASSIGN_OR_RETURN(std::string again, ToSyslog5424(e, SyslogOptions{m.proc_id}));
  if (again != line) {
    return InvalidArgumentError(
        "syslog event: the line is not what Vigil writes for the event it carries (PRI, "
        "APP-NAME, parameter order or summary differ)");
  }
  return e;
}

}  // namespace vigil::audit
