#include "internal/durable_dir.h"

namespace vigil::update::internal {

Status CreateDurableDir(Env* env, const std::string& dir) {
  VIGIL_RETURN_IF_ERROR(env->CreateDir(dir));
  for (std::string d = dir; !d.empty() && d != "/" && d != "."; d = DirName(d)) {
    std::string parent = DirName(d);
    VIGIL_RETURN_IF_ERROR(env->SyncDir(parent.empty() ? "." : parent));
    if (parent == d) break;
  }
  return OkStatus();
}

}  // namespace vigil::update::internal
