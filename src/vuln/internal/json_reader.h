// Path-aware field access over nlohmann::json for the VEX readers (private to the vuln module).
// VEX documents are small, so they are parsed with nlohmann-json; every accessor names the
// document and the JSON path in its error: InvalidArgument "<source>: <path>: <problem>".
#ifndef VIGIL_VULN_INTERNAL_JSON_READER_H_
#define VIGIL_VULN_INTERNAL_JSON_READER_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/encoding.h"
#include "vigil/core/result.h"

namespace vigil::vuln::internal {

class JsonReader {
 public:
  explicit JsonReader(std::string_view source) : source_(source) {}

  const std::string& source() const { return source_; }
  // The problem often quotes the document's own text; OneLine keeps a line break in it from
  // splitting the one-line error.
  Error Fail(const std::string& path, const std::string& problem) const {
    return InvalidArgumentError(source_ + ": " + (path.empty() ? "$" : OneLine(path)) + ": " +
                                OneLine(problem));
  }
  // Parses `json`; the root must be an object.
  Result<nlohmann::json> ParseRoot(std::string_view json) const;

  // Member `key` of object `obj` as a string: "" when absent (Opt), an error when absent (Req);
  // an error when present with another type.
  Result<std::string> OptString(const nlohmann::json& obj, std::string_view key,
                                const std::string& path) const;
  Result<std::string> ReqString(const nlohmann::json& obj, std::string_view key,
                                const std::string& path) const;
  // Optional array of strings; empty when absent.
  Result<std::vector<std::string>> OptStrings(const nlohmann::json& obj, std::string_view key,
                                              const std::string& path) const;
  // Member that must be an array / object when present; null pointer when absent.
  Result<const nlohmann::json*> OptArray(const nlohmann::json& obj, std::string_view key,
                                         const std::string& path) const;
  Result<const nlohmann::json*> OptObject(const nlohmann::json& obj, std::string_view key,
                                          const std::string& path) const;
  // Optional RFC 3339 date-time member; {"" , 0} when absent.
  struct Time {
    std::string text;
    int64_t seconds = 0;
  };
  Result<Time> OptTime(const nlohmann::json& obj, std::string_view key,
                       const std::string& path) const;
  // Fails unless `e` is an object.
  Status ExpectObject(const nlohmann::json& e, const std::string& path) const;

  // "array", "object", "string", "number", "boolean" or "null".
  static std::string Describe(const nlohmann::json& e);

 private:
  std::string source_;
};

inline std::string Member(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}
inline std::string Index(const std::string& parent, std::string_view key, size_t i) {
  return Member(parent, key) + "[" + std::to_string(i) + "]";
}

// Seconds since the epoch of an RFC 3339 date-time ("2023-01-08T18:02:03.647Z", offsets
// "+hh:mm"/"-hh:mm"; a fraction is accepted and dropped). nullopt when not RFC 3339.
std::optional<int64_t> ParseRfc3339Seconds(std::string_view text);

// ASCII case-insensitive equality (vulnerability ids are compared this way: "cve-2021-1" and
// "CVE-2021-1" name one vulnerability).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace vigil::vuln::internal

#endif  // VIGIL_VULN_INTERNAL_JSON_READER_H_
