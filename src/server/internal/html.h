// Building HTML safely: every value written into a page goes through HtmlEscape (core), every value
// written into a link's query through QueryString. Product, component and site names come from
// SBOMs, advisories and operators, so they are attacker-controlled text.
//
// Thread-safety: pure functions.
#ifndef VIGIL_SERVER_INTERNAL_HTML_H_
#define VIGIL_SERVER_INTERNAL_HTML_H_

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "vigil/core/html.h"

namespace vigil::server {

// "k1=v1&k2=v2" with RFC 3986 percent-encoding of everything but unreserved characters (space
// as %20). The result still goes through HtmlEscape when written into an attribute.
std::string QueryString(std::initializer_list<std::pair<std::string_view, std::string_view>> kv);

// The value of cookie `name` in a Cookie header ("a=1; b=2"), empty when absent.
std::string CookieValue(std::string_view header, std::string_view name);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_INTERNAL_HTML_H_
