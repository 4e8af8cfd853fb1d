// File helpers shared by the subcommands: read an input ("-" is standard input), write an
// output atomically, print to stdout.
#ifndef VIGIL_CLI_CLI_IO_H_
#define VIGIL_CLI_CLI_IO_H_

#include <string>

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"

namespace vigil::cli {

// The whole content of `path`, or of standard input for "-".
Result<Bytes> ReadInput(const std::string& path);
// Writes `data` to `path` atomically (0600), refusing to replace an existing file unless
// `force`: AlreadyExists naming the file and the --force flag.
Status WriteOutput(const std::string& path, ByteView data, bool force);

}  // namespace vigil::cli

#endif  // VIGIL_CLI_CLI_IO_H_
