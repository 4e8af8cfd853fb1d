#include "drug_library.h"

#include <gtest/gtest.h>

#include "test_library.h"
#include "vigil/core/encoding.h"
#include "vigil/core/fault_env.h"
#include "vigil/crypto/mac.h"

namespace pump {
namespace {

using vigil::ErrorCode;
using vigil::crypto::SecretBytes;

SecretBytes Key(uint8_t fill) { return SecretBytes::CopyFrom(vigil::Bytes(32, fill)); }

// The example library with `from` replaced by `to` once (the test fails if `from` is absent).
std::string Edited(std::string_view from, std::string_view to) {
  std::string text = testing::ExampleLibraryText();
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

void ExpectParseError(const std::string& text, std::string_view message) {
  auto library = DrugLibrary::Parse(text, "lib.json");
  ASSERT_FALSE(library) << message;
  EXPECT_EQ(library.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(library.error().message().find(message), std::string::npos)
      << library.error().message();
}

TEST(DrugLibraryTest, ReadsTheExampleLibrary) {
  auto library = DrugLibrary::Parse(testing::ExampleLibraryText(), "drug-library.json");
  ASSERT_TRUE(library) << library.error().ToString();
  EXPECT_EQ(library->version(), 1u);
  EXPECT_EQ(library->drugs().size(), 5u);
  const Drug* heparin = library->Find("heparin-25000u-250ml");
  ASSERT_NE(heparin, nullptr);
  EXPECT_EQ(heparin->rate_ul_h.hard_min, 500);
  EXPECT_EQ(heparin->rate_ul_h.soft_min, 2000);
  EXPECT_EQ(heparin->rate_ul_h.soft_max, 40000);
  EXPECT_EQ(heparin->rate_ul_h.hard_max, 50000);
  EXPECT_EQ(heparin->max_volume_ul, 250000);
  EXPECT_EQ(library->Find("no-such-drug"), nullptr);
}

TEST(DrugLibraryTest, RefusesMalformedLibraries) {
  ExpectParseError("{", "lib.json: malformed JSON");
  ExpectParseError(Edited("vigil-pump-drug-library/1", "other/1"),
                   "$.format: expected \"vigil-pump-drug-library/1\"");
  ExpectParseError(Edited("\"version\": 1", "\"version\": 0"),
                   "$.version: expected an integer >= 1");
  ExpectParseError(Edited("\"soft_max\": 40000", "\"soft_max\": 60000"),
                   "$.drugs[0].rate_ul_h: expected hard_min <= soft_min <= soft_max <= hard_max, "
                   "found 500, 2000, 60000, 50000");
  ExpectParseError(Edited("\"hard_min\": 500", "\"hard_min\": 3000"),
                   "$.drugs[0].rate_ul_h: expected hard_min <= soft_min");
  ExpectParseError(Edited("\"hard_min\": 500", "\"hard_min\": 0"),
                   "$.drugs[0].rate_ul_h.hard_min: expected an integer >= 1, found 0");
  ExpectParseError(Edited("\"max_volume_ul\": 250000", "\"max_volume_ul\": 2000000000"),
                   "$.drugs[0].max_volume_ul: expected at most 1000000000");
  ExpectParseError(Edited("\"max_volume_ul\": 250000", "\"max_volume_ul\": 2.5"),
                   "$.drugs[0].max_volume_ul: expected an integer");
  ExpectParseError(Edited("insulin-100u-100ml", "heparin-25000u-250ml"),
                   "$.drugs[1].id: duplicate drug id \"heparin-25000u-250ml\"");
  ExpectParseError(Edited("insulin-100u-100ml", "Insulin 100"),
                   "$.drugs[1].id: expected 1 to 64 of [a-z0-9-]");
  ExpectParseError(Edited("\"name\": \"Morphine 1 mg/mL\"", "\"name\": \"\""),
                   "$.drugs[2].name: expected 1 to 128 bytes, found 0");
  ExpectParseError(Edited("\"max_volume_ul\": 250000", "\"max_volume_ul\": 250000, \"bolus\": 1"),
                   "$.drugs[0]: unknown member \"bolus\"");
  ExpectParseError(R"({"format": "vigil-pump-drug-library/1", "version": 1, "drugs": []})",
                   "$.drugs: expected 1 to 2000 drugs, found 0");
  ExpectParseError(R"({"format": "vigil-pump-drug-library/1", "version": 1})",
                   "$.drugs: required field missing");
}

class SealedLibraryTest : public ::testing::Test {
 protected:
  void Write(const std::string& path, std::string_view text) {
    ASSERT_TRUE(env_.WriteFileAtomic(path, vigil::AsBytes(text)));
  }
  void WriteSealed(const std::string& text, const SecretBytes& key) {
    Write(kPath, text);
    auto tag = DrugLibrary::Seal(key, vigil::AsBytes(text));
    ASSERT_TRUE(tag) << tag.error().ToString();
    Write(std::string(kPath) + ".mac", *tag + "\n");
  }
  static constexpr const char* kPath = "/pump/drug-library.json";
  vigil::FaultInjectingEnv env_;
};

TEST_F(SealedLibraryTest, LoadsWhatWasSealedUnderTheSameKey) {
  ASSERT_TRUE(env_.CreateDir("/pump"));
  WriteSealed(testing::ExampleLibraryText(), Key(7));
  auto library = DrugLibrary::Load(env_, kPath, Key(7));
  ASSERT_TRUE(library) << library.error().ToString();
  EXPECT_EQ(library->drugs().size(), 5u);
}

TEST_F(SealedLibraryTest, RefusesAChangedLibraryBeforeParsingIt) {
  ASSERT_TRUE(env_.CreateDir("/pump"));
  WriteSealed(testing::ExampleLibraryText(), Key(7));
  // A raised hard limit, and text that is not even JSON: both are refused for their tag.
  for (const std::string& changed :
       {Edited("\"hard_max\": 50000", "\"hard_max\": 90000"), std::string("{not json")}) {
    Write(kPath, changed);
    auto library = DrugLibrary::Load(env_, kPath, Key(7));
    ASSERT_FALSE(library);
    EXPECT_EQ(library.error().code(), ErrorCode::kUnauthenticated);
    EXPECT_EQ(library.error().message(),
              std::string(kPath) +
                  ": the drug library's integrity tag does not match (the library "
                  "was changed, or sealed under another pump's key): refused");
  }
}

TEST_F(SealedLibraryTest, RefusesAnotherKeyAndAnUnlabelledTag) {
  ASSERT_TRUE(env_.CreateDir("/pump"));
  const std::string text = testing::ExampleLibraryText();
  WriteSealed(text, Key(7));
  auto other_key = DrugLibrary::Load(env_, kPath, Key(8));
  ASSERT_FALSE(other_key);
  EXPECT_EQ(other_key.error().code(), ErrorCode::kUnauthenticated);
  // A plain HMAC of the bytes (no domain label) is not a library tag.
  Write(std::string(kPath) + ".mac",
        vigil::HexEncode(vigil::crypto::HmacSha256(Key(7).Reveal(), vigil::AsBytes(text))));
  auto unlabelled = DrugLibrary::Load(env_, kPath, Key(7));
  ASSERT_FALSE(unlabelled);
  EXPECT_EQ(unlabelled.error().code(), ErrorCode::kUnauthenticated);
}

TEST_F(SealedLibraryTest, ReportsMissingAndMalformedTagsAndKeys) {
  ASSERT_TRUE(env_.CreateDir("/pump"));
  EXPECT_EQ(DrugLibrary::Load(env_, kPath, Key(7)).error().code(), ErrorCode::kNotFound);
  Write(kPath, testing::ExampleLibraryText());
  EXPECT_EQ(DrugLibrary::Load(env_, kPath, Key(7)).error().code(), ErrorCode::kNotFound);
  Write(std::string(kPath) + ".mac", "abcd\n");
  auto short_tag = DrugLibrary::Load(env_, kPath, Key(7));
  ASSERT_FALSE(short_tag);
  EXPECT_EQ(short_tag.error().code(), ErrorCode::kDataLoss);
  EXPECT_EQ(short_tag.error().message(),
            std::string(kPath) + ".mac: expected 64 hex digits (HMAC-SHA-256), found \"abcd\"");
  auto short_key = DrugLibrary::Load(env_, kPath, SecretBytes::CopyFrom(vigil::Bytes(16, 1)));
  ASSERT_FALSE(short_key);
  EXPECT_EQ(short_key.error().message(), "drug library key: expected 32 bytes, found 16");
  EXPECT_FALSE(DrugLibrary::Seal(SecretBytes(), vigil::AsBytes("x")));
}

TEST_F(SealedLibraryTest, RefusesAnOversizedLibrary) {
  ASSERT_TRUE(env_.CreateDir("/pump"));
  Write(kPath, std::string(DrugLibrary::kMaxBytes + 1, ' '));
  auto library = DrugLibrary::Load(env_, kPath, Key(7));
  ASSERT_FALSE(library);
  EXPECT_EQ(library.error().code(), vigil::ErrorCode::kResourceExhausted);
}

}  // namespace
}  // namespace pump
