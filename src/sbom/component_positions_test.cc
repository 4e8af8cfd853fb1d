#include "vigil/sbom/component_positions.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "vigil/sbom/sbom_reader.h"

namespace vigil::sbom {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ComponentRefPositions, FindsEachMemberWithLineAndCodePointColumns) {
  const std::string text =
      "{\"components\": [\n"
      "  {\"name\": \"a\", \"bom-ref\": \"pkg:npm/a@1\"},\n"
      "  {\"description\": \"é \\\"bom-ref\\\": \\\"fake\\\"\", \"bom-ref\" : \"b\\u0040x\"},\n"
      "  [\"bom-ref\", \"not a member\"],\n"
      "  {\"SPDXID\": \"SPDXRef-c\", \"x\": {\"spdxId\": \"urn:d\"}}]}";
  auto got = ComponentRefPositions(text);
  ASSERT_EQ(got.size(), 4u) << testing::PrintToString(got.size());
  EXPECT_EQ(got.at("pkg:npm/a@1"), (TextSpan{2, 17, 41}));
  // The escaped "bom-ref" inside the description is text, not a member; 'é' is one column.
  EXPECT_EQ(got.at("b@x"), (TextSpan{3, 46, 68}));
  EXPECT_FALSE(got.contains("fake"));
  EXPECT_EQ(got.at("SPDXRef-c").line, 5u);
  EXPECT_EQ(got.at("urn:d").line, 5u);
}

TEST(ComponentRefPositions, EveryComponentOfTheMedicalDeviceSbomIsPlaced) {
  const std::string path = VIGIL_DATA_DIR "/sbom/medical-device/narrow.sbom.json";
  const std::string text = ReadFile(path);
  auto doc = ReadSbom(text, path);
  ASSERT_TRUE(doc.has_value()) << doc.error().message();
  auto positions = ComponentRefPositions(text);
  std::istringstream lines(text);
  std::vector<std::string> by_line;
  for (std::string l; std::getline(lines, l);) by_line.push_back(l);
  ASSERT_FALSE(doc->components.empty());
  for (const Component& c : doc->components) {
    auto it = positions.find(c.ref);
    ASSERT_NE(it, positions.end()) << c.ref;
    const std::string& line = by_line.at(it->second.line - 1);
    // ASCII file: columns are byte offsets + 1.
    EXPECT_EQ(
        line.substr(it->second.start_column - 1, it->second.end_column - it->second.start_column),
        "\"bom-ref\": \"" + c.ref + "\"")
        << c.ref;
  }
}

TEST(ComponentRefPositions, TruncatedOrGarbageTextGivesWhatItFound) {
  EXPECT_TRUE(ComponentRefPositions("").empty());
  EXPECT_TRUE(ComponentRefPositions("{\"bom-ref\": \"unterminated").empty());
  EXPECT_TRUE(ComponentRefPositions("\"\"\"\\").empty());
  EXPECT_EQ(ComponentRefPositions("{\"bom-ref\": \"a\", \"bom-ref\": \"b").size(), 1u);
}

}  // namespace
}  // namespace vigil::sbom
