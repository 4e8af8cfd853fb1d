// What the update module reads from JSON in more than one place, over the core JSON layer
// (vigil/core/json.h): "hashes" objects (TUF metadata, the boot state) and the module's own state
// files (boot state, slot configuration, anti-rollback counter), which carry a "format" member
// naming their layout and version.
//
// Thread-safety: pure functions.
#ifndef VIGIL_SRC_UPDATE_INTERNAL_STATE_JSON_H_
#define VIGIL_SRC_UPDATE_INTERNAL_STATE_JSON_H_

#include <map>
#include <string>
#include <string_view>

#include "vigil/core/bytes.h"
#include "vigil/core/json.h"
#include "vigil/core/result.h"

namespace vigil::update::internal {

// A "hashes" object: algorithm name → non-empty hex digest (the object itself may be empty;
// callers that need a hash say so). Names this client cannot compute are kept, not checked.
Result<std::map<std::string, Bytes>> ReadHashes(const json::Node& f);

// One of the module's own state files, parsed with the strict reader (ParseStrictJson): it must
// be a JSON object whose "format" member is exactly `format`. InvalidArgument naming `where` and
// the field otherwise. Read the result with json::Node(value, where).
Result<json::Value> ParseStateDocument(ByteView bytes, std::string_view where,
                                       std::string_view format);

// `value` as a state file: two-space indented JSON and a final newline.
Bytes StateFileBytes(const json::Value& value);

}  // namespace vigil::update::internal

#endif  // VIGIL_SRC_UPDATE_INTERNAL_STATE_JSON_H_
