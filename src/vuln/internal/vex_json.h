// What the VEX readers (CycloneDX, OpenVEX, CSAF) read on top of the core JSON layer
// (vigil/core/json.h), private to the vuln module. VEX documents are small, so they are parsed
// whole with json::Parse (strict: duplicate keys, depth, UTF-8) and walked with json::Node, whose
// errors name the document and the JSON path: "<source>: $.statements[0].status: <problem>".
#ifndef VIGIL_VULN_INTERNAL_VEX_JSON_H_
#define VIGIL_VULN_INTERNAL_VEX_JSON_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/json.h"
#include "vigil/core/result.h"

namespace vigil::vuln::internal {

// Parses a VEX document named `source`; the root must be an object.
Result<json::Value> ParseVexRoot(std::string_view text, std::string_view source);

// Member `key` of object `obj` as a string: "" when absent (Opt), an error when absent or empty
// (Req); an error when present with another type.
Result<std::string> OptString(const json::Node& obj, std::string_view key);
Result<std::string> ReqString(const json::Node& obj, std::string_view key);
// Optional array of strings; empty when absent.
Result<std::vector<std::string>> OptStrings(const json::Node& obj, std::string_view key);
// Member `key` that must be an array / object when present; an absent node when it is not there.
Result<json::Node> OptArray(const json::Node& obj, std::string_view key);
Result<json::Node> OptObject(const json::Node& obj, std::string_view key);

// An optional RFC 3339 date-time member; {"", 0} when absent.
struct Time {
  std::string text;
  int64_t seconds = 0;
};
Result<Time> OptTime(const json::Node& obj, std::string_view key);

// Seconds since the epoch of an RFC 3339 date-time ("2023-01-08T18:02:03.647Z", offsets
// "+hh:mm"/"-hh:mm"; a fraction is accepted and dropped). nullopt when not RFC 3339.
std::optional<int64_t> ParseRfc3339Seconds(std::string_view text);

// ASCII case-insensitive equality (vulnerability ids are compared this way: "cve-2021-1" and
// "CVE-2021-1" name one vulnerability).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace vigil::vuln::internal

#endif  // VIGIL_VULN_INTERNAL_VEX_JSON_H_
