// ReadSbom over text it is given (Bytes): the text is freed once parsed, and the model and the
// errors are exactly those of reading a view of the same text, for every format.
#include "vigil/sbom/sbom_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "vigil/core/encoding.h"
#include "vigil/core/env.h"
#include "vigil/sbom/cyclonedx.h"

namespace vigil::sbom {
namespace {

Bytes ReadData(const std::string& rel) {
  auto data = Env::Default()->ReadFile((std::filesystem::path(VIGIL_DATA_DIR) / rel).string());
  EXPECT_TRUE(data.has_value()) << rel;
  return data.value_or(Bytes{});
}

// The model as the CycloneDX writer renders it, plus what the writer leaves out.
std::string Render(const Sbom& s) {
  std::string out = WriteCycloneDxJson(s) + "\n" + std::string(SourceFormatName(s.format)) + " " +
                    s.spec_version + " " + s.serial_number + " " + s.timestamp;
  for (const Diagnostic& d : s.diagnostics) out += "\n" + d.path + ": " + d.message;
  return out;
}

TEST(ReadSbomOwned, SameModelAsReadingAViewForEveryFormat) {
  for (const char* rel : {"sbom/medical-device/extended.sbom.json", "sbom/spdx/ACME-v2.3.spdx.json",
                          "sbom/spdx/examplemaven-0.0.1-enriched.spdx3.json"}) {
    Bytes text = ReadData(rel);
    ASSERT_FALSE(text.empty()) << rel;
    auto viewed = ReadSbom(AsStringView(text), rel);
    ASSERT_TRUE(viewed.has_value()) << viewed.error().message();
    auto owned = ReadSbom(std::move(text), rel);
    ASSERT_TRUE(owned.has_value()) << owned.error().message();
    EXPECT_FALSE(owned->components.empty()) << rel;
    EXPECT_EQ(Render(*owned), Render(*viewed)) << rel;
  }
}

TEST(ReadSbomOwned, SameErrorsAsReadingAView) {
  for (std::string_view text :
       {R"({"bomFormat":"CycloneDX","specVersion":"1.2"})", R"({"bomFormat": "CycloneDX", )",
        R"({"spdxVersion":"SPDX-2.3","packages":[})", R"({"@context":"https://spdx.org/x"})",
        R"({"x":1})", "\x01garbage"}) {
    auto viewed = ReadSbom(text, "t.json");
    auto owned = ReadSbom(Bytes(text.begin(), text.end()), "t.json");
    ASSERT_FALSE(viewed.has_value()) << text;
    ASSERT_FALSE(owned.has_value()) << text;
    EXPECT_EQ(owned.error().message(), viewed.error().message());
    EXPECT_EQ(owned.error().code(), viewed.error().code());
  }
}

}  // namespace
}  // namespace vigil::sbom
