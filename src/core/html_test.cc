// HTML escaping: everything that could open markup or end an attribute, and control characters.
#include "vigil/core/html.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(HtmlEscapeTest, EscapesEverythingThatCouldOpenMarkup) {
  EXPECT_EQ(HtmlEscape("<script>alert('x')</script>\"><img src=x onerror=1>&"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x "
            "onerror=1&gt;&amp;");
  EXPECT_EQ(HtmlEscape(std::string("a\0b\x1b\x7f", 5)),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(HtmlEscape("Ward 3\tICU\r\n é"), "Ward 3\tICU\r\n é");
  EXPECT_EQ(HtmlEscape(""), "");
}

}  // namespace
}  // namespace vigil
