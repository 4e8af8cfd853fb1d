// Transition only (issue 14): conversions between json::Value and nlohmann::json for the .cc
// files of the update module that still build documents with nlohmann (the repository tooling:
// repository.cc, repo_publish.cc, repo_state.cc, and the installer's state files). Each use is a
// tree copy at the edge; remove this header when the last of them is migrated.
#ifndef VIGIL_SRC_UPDATE_INTERNAL_NLOHMANN_BRIDGE_H_
#define VIGIL_SRC_UPDATE_INTERNAL_NLOHMANN_BRIDGE_H_

#include <nlohmann/json.hpp>

#include "vigil/core/json.h"

namespace vigil::update::internal {

// Members come out in name order (nlohmann's std::map).
nlohmann::json ToNlohmann(const json::Value& v);
// Precondition: `v` holds no binary or discarded value (nothing our parser or builders make).
json::Value FromNlohmann(const nlohmann::json& v);

}  // namespace vigil::update::internal

#endif  // VIGIL_SRC_UPDATE_INTERNAL_NLOHMANN_BRIDGE_H_
