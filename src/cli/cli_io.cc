#include "cli_io.h"

#include <cstdint>
#include <cstdio>

#include "vigil/core/env.h"

namespace vigil::cli {

namespace {

// Standard input up to `stop_after` bytes (a pipe has no size to check first: reading stops
// one buffer past the bound).
Result<Bytes> ReadStdin(uint64_t stop_after) {
  Bytes out;
  uint8_t buf[65536];
  size_t n = 0;
  while (out.size() <= stop_after && (n = std::fread(buf, 1, sizeof buf, stdin)) > 0) {
    out.insert(out.end(), buf, buf + n);
  }
  if (std::ferror(stdin)) return UnavailableError("standard input: read error");
  return out;
}

}  // namespace

Result<Bytes> ReadInput(const std::string& path) {
  if (path != "-") return Env::Default()->ReadFile(path);
  return ReadStdin(UINT64_MAX);
}

Result<Bytes> ReadInputLimited(const std::string& path, uint64_t max_bytes, std::string_view what) {
  if (path != "-") return Env::Default()->ReadFileLimited(path, max_bytes, what);
  VIGIL_ASSIGN_OR_RETURN(Bytes out, ReadStdin(max_bytes));
  if (out.size() > max_bytes) {
    return ResourceExhaustedError("standard input: more than " + std::to_string(max_bytes) +
                                  " bytes, over the " + HumanBytes(max_bytes) + " limit for " +
                                  std::string(what));
  }
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
