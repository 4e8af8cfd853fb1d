// Test support: Botan's ".vec" vector files (../shared/data/crypto/botan-vec): "[Section]"
// headers, "Key = value" lines, '#' comments, records separated by blank lines.
#ifndef VIGIL_CRYPTO_TESTING_VEC_FILE_H_
#define VIGIL_CRYPTO_TESTING_VEC_FILE_H_

#include <map>
#include <string>
#include <vector>

#include "vigil/core/bytes.h"

namespace vigil::crypto::testing {

struct VecRecord {
  std::string section;
  std::map<std::string, std::string> fields;
  int line = 0;  // where the record starts, for failure messages
  Bytes Hex(const std::string& key) const;  // decoded field (test failure if absent/malformed)
  bool Has(const std::string& key) const { return fields.count(key) != 0; }
};

// All records of ../shared/data/crypto/botan-vec/<file>; a test failure if unreadable or empty.
std::vector<VecRecord> ReadVecFile(const std::string& file);

}  // namespace vigil::crypto::testing

#endif  // VIGIL_CRYPTO_TESTING_VEC_FILE_H_
