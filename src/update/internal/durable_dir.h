// Durable directory creation, shared by the TUF client (metadata and target directories) and
// the installer (slot and state directories).
#ifndef VIGIL_SRC_UPDATE_INTERNAL_DURABLE_DIR_H_
#define VIGIL_SRC_UPDATE_INTERNAL_DURABLE_DIR_H_

#include <string>

#include "vigil/core/env.h"

namespace vigil::update::internal {

// Creates `dir` (and parents) so that it survives power loss: a new directory entry is durable
// only once its parent directory is synced, at every level that may have been created.
Status CreateDurableDir(Env* env, const std::string& dir);

}  // namespace vigil::update::internal

#endif  // VIGIL_SRC_UPDATE_INTERNAL_DURABLE_DIR_H_
