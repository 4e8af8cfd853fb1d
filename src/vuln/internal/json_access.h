// simdjson access for the feed readers: core's JsonFields (errors "<source>: <JSON
// path>: <problem>") plus the few helpers the vulnerability feeds need on top of it.
#ifndef VIGIL_VULN_INTERNAL_JSON_ACCESS_H_
#define VIGIL_VULN_INTERNAL_JSON_ACCESS_H_

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/json_fields.h"
#include "vigil/core/result.h"

namespace vigil::vuln::internal {

using json::IndexPath;
using json::JoinPath;
using json::JsonFields;

// `text` in single quotes for an error message: control characters escaped (an error is one
// line), cut at 80 bytes.
std::string Quote(std::string_view text);

// A per-thread parser: the readers run once per advisory, so keeping its buffers saves an
// allocation per document.
simdjson::dom::parser& ThreadParser();

// Array member as a vector of strings; empty when absent.
Result<std::vector<std::string>> OptStringArray(const JsonFields& f, simdjson::dom::object obj,
                                                std::string_view key, const std::string& path);

// Optional boolean member.
Result<std::optional<bool>> OptBool(const JsonFields& f, simdjson::dom::object obj,
                                    std::string_view key, const std::string& path);

// Optional number member.
Result<std::optional<double>> OptNumber(const JsonFields& f, simdjson::dom::object obj,
                                        std::string_view key, const std::string& path);

// Optional object member.
Result<std::optional<simdjson::dom::object>> OptObject(const JsonFields& f,
                                                       simdjson::dom::object obj,
                                                       std::string_view key,
                                                       const std::string& path);

// The English text of a CVE "descriptions" array ([{"lang": "en", "value": …}, …], the same
// shape in NVD's API and in CVE JSON 5): the first entry whose lang is "en", "en-…" or "en_…";
// "" when absent. Each entry must be an object with a string lang.
Result<std::string> EnglishDescription(const JsonFields& f, simdjson::dom::object obj,
                                       const std::string& path);

}  // namespace vigil::vuln::internal

#endif  // VIGIL_VULN_INTERNAL_JSON_ACCESS_H_
