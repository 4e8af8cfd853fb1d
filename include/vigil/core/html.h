// Escaping text for HTML, the one function every page Vigil writes uses (the premarket package of
// `report`, the dashboard of `server`). Names written into pages come from SBOMs, advisories and
// operators: attacker-controlled text.
//
// Thread-safety: pure function.
#ifndef VIGIL_CORE_HTML_H_
#define VIGIL_CORE_HTML_H_

#include <string>
#include <string_view>

namespace vigil {

// `text` for an HTML text node or a quoted attribute value: & < > " ' as character references,
// control characters (but tab, newline and carriage return) as U+FFFD, so nothing can end an
// element or an attribute or open markup.
std::string HtmlEscape(std::string_view text);

}  // namespace vigil

#endif  // VIGIL_CORE_HTML_H_
