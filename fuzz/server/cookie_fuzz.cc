// server::CookieValue, the dashboard's reader of the Cookie header (the session id), on arbitrary
// bytes: never crashes; a value found is a part of the header holding no ';', not starting or
// ending with blanks, and reading it again from "name=<value>" gives it back unchanged.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "internal/html.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view header(reinterpret_cast<const char*>(data), size);
  for (std::string_view name : {"vigil_session", "a", ""}) {
    const std::string v = vigil::server::CookieValue(header, name);
    if (v.empty()) continue;
    if (v.find(';') != std::string::npos || header.find(v) == std::string_view::npos) {
      __builtin_trap();
    }
    if (v.front() == ' ' || v.front() == '\t' || v.back() == ' ' || v.back() == '\t') {
      __builtin_trap();
    }
    if (vigil::server::CookieValue(std::string(name) + "=" + v, name) != v) __builtin_trap();
  }
  return 0;
}
