#include "vigil/core/json_fields.h"

#include <gtest/gtest.h>

#include <string_view>

namespace vigil::json {
namespace {

// An empty view without a buffer is malformed JSON, not a null pointer handed to simdjson's
// memcpy (undefined behaviour, which UBSan reports) by either ParseRoot.
TEST(JsonFieldsTest, AnEmptyViewWithoutABufferIsMalformedJson) {
  JsonFields fields("empty.json");
  simdjson::dom::parser parser;
  auto into_parser = fields.ParseRoot(parser, std::string_view());
  ASSERT_FALSE(into_parser);
  EXPECT_NE(into_parser.error().message().find("empty.json"), std::string::npos);
  EXPECT_NE(into_parser.error().message().find("malformed JSON"), std::string::npos);
  simdjson::dom::document doc;
  auto into_doc = fields.ParseRoot(doc, std::string_view());
  ASSERT_FALSE(into_doc);
  EXPECT_EQ(into_doc.error().message(), into_parser.error().message());
}

}  // namespace
}  // namespace vigil::json
