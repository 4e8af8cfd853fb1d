#include "testing/wycheproof.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "vigil/core/encoding.h"

namespace vigil::crypto::testing {

bool WycheproofCase::HasFlag(std::string_view flag) const {
  if (!test.contains("flags")) return false;
  for (const auto& f : test.at("flags")) {
    if (f.get<std::string>() == flag) return true;
  }
  return false;
}

namespace {
Bytes DecodeField(const nlohmann::json& obj, const char* field, const std::string& where) {
  auto decoded = HexDecode(obj.at(field).get<std::string>());
  EXPECT_TRUE(decoded.has_value()) << where << ": field " << field << " is not hex";
  return decoded ? *decoded : Bytes{};
}
}  // namespace

Bytes WycheproofCase::Hex(const char* field) const { return DecodeField(test, field, Describe()); }
Bytes WycheproofCase::GroupHex(const char* field) const {
  return DecodeField(group, field, Describe());
}

std::string WycheproofCase::Describe() const {
  std::string s = "tcId " + std::to_string(id()) + " (" + test.value("comment", "") + ")";
  if (test.contains("flags")) s += " flags " + test.at("flags").dump();
  return s + " expected " + result();
}

std::string WycheproofPath(const std::string& file) {
  return std::string(VIGIL_DATA_DIR) + "/crypto/wycheproof/" + file;
}

CaseCounts ForEachWycheproofCase(const std::string& file,
                                 const std::function<void(const WycheproofCase&)>& fn) {
  CaseCounts counts;
  std::ifstream in(WycheproofPath(file));
  if (!in) {
    ADD_FAILURE() << file << ": cannot open " << WycheproofPath(file);
    return counts;
  }
  nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  if (doc.is_discarded() || !doc.contains("testGroups")) {
    ADD_FAILURE() << file << ": not a Wycheproof file";
    return counts;
  }
  for (const auto& group : doc.at("testGroups")) {
    for (const auto& test : group.at("tests")) {
      WycheproofCase c{group, test};
      if (c.valid()) ++counts.valid;
      else if (c.invalid()) ++counts.invalid;
      else ++counts.acceptable;
      fn(c);
    }
  }
  std::printf("%s: %d cases (valid %d, invalid %d, acceptable %d)\n", file.c_str(), counts.total(),
              counts.valid, counts.invalid, counts.acceptable);
  EXPECT_GT(counts.total(), 0) << file << ": no cases ran";
  if (doc.contains("numberOfTests")) {
    EXPECT_EQ(counts.total(), doc.at("numberOfTests").get<int>()) << file << ": case count";
  }
  return counts;
}

}  // namespace vigil::crypto::testing
