// RFC 5424 syslog messages for audit events, and a strict RFC 5424 parser.
//
// Line layout written by ToSyslog5424 (one event, no trailing newline):
//   <PRI>1 TIMESTAMP HOSTNAME vigil PROCID MSGID [vigil@32473 seq=".." ...] SUMMARY
//  - PRI = facility 10 (authpriv: "security/authorization messages", private — the facility
//    hosts route away from world-readable logs; facility 13 "log audit" is non-standard on many
//    collectors) × 8 + severity from the outcome: success 6 informational, minor failure
//    4 warning, serious failure 3 error, major failure 2 critical.
//  - TIMESTAMP: the event's wall time, UTC, six fraction digits (RFC 3339, syslog_time.h).
//  - HOSTNAME: the device id (the observer); APP-NAME "vigil"; PROCID from the options ("-" when
//    unset); MSGID: the stable action code ("auth.login").
//  - STRUCTURED-DATA: one SD-ELEMENT with SD-ID "vigil@32473". 32473 is the private enterprise
//    number RFC 5612 reserves for documentation examples: a manufacturer replaces it by its
//    own IANA PEN (kSyslogSdId). Parameters, in this order: seq, actor (absent when empty), role,
//    outcome, purpose, reason (absent when empty), iface, src (absent when empty), and one obj
//    per object id. Values escape '"', '\' and ']' with a backslash (RFC 5424 §6.3.3).
//  - MSG: a short English summary ("auth.login minor-failure by nurse.ann (clinician) via
//    network"), ASCII, no BOM.
//
// The parser accepts exactly the RFC 5424 grammar (§6), stricter where the RFC allows choices
// that would give one message two spellings: PRI without leading zeros, VERSION 1 only, a
// backslash in a PARAM-VALUE only before '"', '\' or ']', PARAM-VALUE valid UTF-8, no duplicate
// SD-ID. So FormatSyslog5424(ParseSyslog5424(x)) == x for every accepted x.
//
// Thread-safety: pure functions.
#ifndef VIGIL_AUDIT_SYSLOG_MESSAGE_H_
#define VIGIL_AUDIT_SYSLOG_MESSAGE_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vigil/audit/event.h"
#include "vigil/core/result.h"

namespace vigil::audit {

inline constexpr int kSyslogFacility = 10;  // authpriv
inline constexpr std::string_view kSyslogSdId = "vigil@32473";
inline constexpr std::string_view kSyslogAppName = "vigil";

struct SyslogSdElement {
  std::string id;
  std::vector<std::pair<std::string, std::string>> params;  // unescaped values, in order
  friend bool operator==(const SyslogSdElement&, const SyslogSdElement&) = default;
};

// One RFC 5424 message. "-" (NILVALUE) is kept as "-" in the header fields.
struct SyslogMessage {
  int pri = 0;                                   // facility * 8 + severity, 0..191
  std::string timestamp;                         // RFC 3339 or "-"
  std::string hostname;                          // 1-255 PRINTUSASCII or "-"
  std::string app_name;                          // 1-48
  std::string proc_id;                           // 1-128
  std::string msg_id;                            // 1-32
  std::vector<SyslogSdElement> structured_data;  // empty = NILVALUE
  std::string msg;                               // may be empty (then no SP before it)
  friend bool operator==(const SyslogMessage&, const SyslogMessage&) = default;
};

struct SyslogOptions {
  std::string proc_id = "-";  // PROCID, e.g. the process id; 1-128 PRINTUSASCII
};

// Syslog severity (RFC 5424 Table 2) written for an outcome.
int SyslogSeverityOf(Outcome o);

// The RFC 5424 line for an event. InvalidArgument when the event is invalid (ValidateEvent) or
// options.proc_id is not 1-128 printable US-ASCII characters.
Result<std::string> ToSyslog5424(const Event& e, const SyslogOptions& options = {});

// Serialises a message. The caller must pass a valid one (as ParseSyslog5424 returns);
// InvalidArgument naming the field otherwise.
Result<std::string> FormatSyslog5424(const SyslogMessage& m);

// Strict RFC 5424 parser (see above). InvalidArgument with the byte offset and what was expected.
Result<SyslogMessage> ParseSyslog5424(std::string_view line);

// The event carried by a line that ToSyslog5424 wrote (any PROCID): parses it, reads the
// vigil@32473 element and checks the line is exactly what ToSyslog5424 writes for that event.
// InvalidArgument naming the field otherwise (unknown parameter, missing seq, PRI that does not
// match the outcome, …).
Result<Event> EventFromSyslog5424(std::string_view line);

}  // namespace vigil::audit

#endif  // VIGIL_AUDIT_SYSLOG_MESSAGE_H_
