#include "testing/vec_file.h"

#include <gtest/gtest.h>

#include <fstream>

#include "vigil/core/encoding.h"

namespace vigil::crypto::testing {

Bytes VecRecord::Hex(const std::string& key) const {
  auto it = fields.find(key);
  if (it == fields.end()) {
    ADD_FAILURE() << "record at line " << line << ": no field " << key;
    return {};
  }
  auto b = HexDecode(it->second);
  EXPECT_TRUE(b.has_value()) << "record at line " << line << ": field " << key << " is not hex";
  return b ? *b : Bytes{};
}

std::vector<VecRecord> ReadVecFile(const std::string& file) {
  const std::string path = std::string(VIGIL_DATA_DIR) + "/crypto/botan-vec/" + file;
  std::ifstream in(path);
  std::vector<VecRecord> out;
  if (!in) {
    ADD_FAILURE() << "cannot open " << path;
    return out;
  }
  std::string line, section;
  VecRecord cur;
  int n = 0;
  auto flush = [&] {
    if (!cur.fields.empty()) out.push_back(cur);
    cur = VecRecord{};
  };
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) { flush(); continue; }
    if (line[0] == '#') continue;
    if (line[0] == '[') {
      flush();
      section = line.substr(1, line.find(']') - 1);
      continue;
    }
    size_t eq = line.find(" = ");
    std::string value;
    if (eq != std::string::npos) {
      value = line.substr(eq + 3);
    } else if (line.size() > 2 && line.compare(line.size() - 2, 2, " =") == 0) {
      eq = line.size() - 2;  // "Key =" : an empty value
    } else {
      ADD_FAILURE() << path << ":" << n << ": expected 'Key = value'";
      continue;
    }
    if (cur.fields.empty()) {
      cur.section = section;
      cur.line = n;
    }
    cur.fields[line.substr(0, eq)] = value;
  }
  flush();
  EXPECT_FALSE(out.empty()) << path << ": no records";
  return out;
}

}  // namespace vigil::crypto::testing
