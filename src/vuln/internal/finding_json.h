// One finding as the JSON object of the scan report's "findings" array (private to the vuln
// module): the specialised writer of the report's bulk, which a 10,000-component scan writes
// 30,000 times (26 MB).
//
// The object's layout is fixed (JsonWriter's pretty layout, indent 2, as an element of a
// top-level array: members at six spaces), so the writer appends its structure as literals
// that hold keys, quotes, commas and line breaks together, and only the values are escaped.
// JsonWriter built the same bytes member by member (a key escaped, a comma and an indent
// decided, a container stack pushed per object), at five times the instructions; its own test
// (finding_json_test.cc) compares the two on findings with every optional member.
//
// Thread-safety: a free function without shared state.
#ifndef VIGIL_VULN_INTERNAL_FINDING_JSON_H_
#define VIGIL_VULN_INTERNAL_FINDING_JSON_H_

#include <functional>
#include <string>

#include "vigil/core/json_writer.h"
#include "vigil/vuln/finding.h"

namespace vigil::vuln::internal {

// Members a caller adds after the finding's own, through a JsonWriter inside the object.
using FindingExtra = std::function<void(JsonWriter&)>;

// Appends `f` as a JSON object indented as an element of the top-level "findings" array (the
// caller writes what precedes it: ",\n    "), with `extra`'s members last when given.
void AppendFindingJson(std::string& out, const Finding& f, const FindingExtra* extra = nullptr);

}  // namespace vigil::vuln::internal

#endif  // VIGIL_VULN_INTERNAL_FINDING_JSON_H_
