#include "cli/cli_io.h"

#include <cstdio>

#include "vigil/core/env.h"

namespace vigil::cli {

Result<Bytes> ReadInput(const std::string& path) {
  if (path != "-") return Env::Default()->ReadFile(path);
  Bytes out;
  uint8_t buf[65536];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) out.insert(out.end(), buf, buf + n);
  if (std::ferror(stdin)) return UnavailableError("standard input: read error");
  return out;
}

Status WriteOutput(const std::string& path, ByteView data, bool force) {
  Env* env = Env::Default();
  if (!force && env->FileExists(path)) {
    return AlreadyExistsError(path + ": exists; use --force to replace it");
  }
  return env->WriteFileAtomic(path, data);
}

}  // namespace vigil::cli
