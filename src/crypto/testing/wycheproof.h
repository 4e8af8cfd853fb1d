// Test support: reading Wycheproof vector files (../shared/data/crypto/wycheproof) and counting
// verdicts, so every test prints "<file>: N cases (valid a, invalid b, acceptable c)" and fails
// when a file yields no cases.
#ifndef VIGIL_CRYPTO_TESTING_WYCHEPROOF_H_
#define VIGIL_CRYPTO_TESTING_WYCHEPROOF_H_

#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "vigil/core/bytes.h"

namespace vigil::crypto::testing {

struct WycheproofCase {
  const nlohmann::json& group;
  const nlohmann::json& test;
  int id() const { return test.at("tcId").get<int>(); }
  std::string result() const { return test.at("result").get<std::string>(); }
  bool valid() const { return result() == "valid"; }
  bool invalid() const { return result() == "invalid"; }
  bool acceptable() const { return result() == "acceptable"; }
  bool HasFlag(std::string_view flag) const;
  // A hex field of the test (or of the group when `from_group`), decoded.
  Bytes Hex(const char* field) const;
  Bytes GroupHex(const char* field) const;
  std::string Describe() const;  // "tcId 12 (comment) [flags]" for failure messages
};

struct CaseCounts {
  int valid = 0, invalid = 0, acceptable = 0;
  int total() const { return valid + invalid + acceptable; }
};

// Path of a Wycheproof file in the shared data folder.
std::string WycheproofPath(const std::string& file);

// Calls `fn` for every test of every group of `file`, prints the counts and returns them.
// Adds a test failure if the file is missing, unparsable or empty.
CaseCounts ForEachWycheproofCase(const std::string& file,
                                 const std::function<void(const WycheproofCase&)>& fn);

}  // namespace vigil::crypto::testing

#endif  // VIGIL_CRYPTO_TESTING_WYCHEPROOF_H_
