// File helpers shared by the subcommands: read an input ("-" is standard input), write an
// output atomically, print to stdout.
#ifndef VIGIL_CLI_CLI_IO_H_
#define VIGIL_CLI_CLI_IO_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"

namespace vigil::cli {

// The whole content of `path`, or of standard input for "-".
Result<Bytes> ReadInput(const std::string& path);
// The same for inputs that are parsed whole (SBOMs, VEX): at most `max_bytes`, else one-line
// ResourceExhausted "PATH: N bytes, over the LIMIT limit for WHAT" (Env::ReadFileLimited;
// standard input is read up to one byte past the limit and refused the same way).
Result<Bytes> ReadInputLimited(const std::string& path, uint64_t max_bytes, std::string_view what);
// Writes `data` to `path` atomically (0600), refusing to replace an existing file unless
// `force`: AlreadyExists naming the file and the --force flag.
Status WriteOutput(const std::string& path, ByteView data, bool force);

}  // namespace vigil::cli

#endif  // VIGIL_CLI_CLI_IO_H_
