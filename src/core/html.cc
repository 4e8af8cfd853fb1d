// HTML escaping (vigil/core/html.h).
#include "vigil/core/html.h"

namespace vigil {

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default: {
        const auto b = static_cast<unsigned char>(c);
        const bool control = (b < 0x20 && c != '\t' && c != '\n' && c != '\r') || b == 0x7f;
        out += control ? std::string_view("\xEF\xBF\xBD") : std::string_view(&c, 1);  // U+FFFD
      }
    }
  }
  return out;
}

}  // namespace vigil
