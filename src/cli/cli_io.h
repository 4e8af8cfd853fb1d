// File helpers shared by the subcommands: read an input ("-" is standard input), write an
// output atomically, print to stdout.
#ifndef VIGIL_CLI_CLI_IO_H_
#define VIGIL_CLI_CLI_IO_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/core/atomic_file.h"
#include "vigil/core/bytes.h"
#include "vigil/core/result.h"
#include "vigil/vuln/csaf_advisory.h"

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
// The same, streamed: an AtomicFile (core/atomic_file.h) for `path`, refused as WriteOutput
// refuses an existing file without `force`.
Result<AtomicFile> CreateOutput(const std::string& path, bool force);
// The same for a file meant to be shared (a public key): mode 0644 once written.
Status WritePublicOutput(const std::string& path, ByteView data, bool force);

// CSAF names its publisher by a URL the publisher controls; an OpenVEX author is a name. No
// default stands in for the manufacturer: a CSAF document claiming to come from a placeholder
// would mislead every reader of the advisory. InvalidArgument naming the option otherwise.
Status CheckCsafPublisher(const std::string& name, const std::string& name_space);

// The --tlp option: a TLP 1.0 label (CSAF 2.0's document.distribution.tlp.label), any case.
// InvalidArgument naming the option and the labels otherwise.
Result<vuln::csaf::Tlp> ParseTlpOption(const std::string& label);

// A file or folder installed with the command, `from_bin` relative to the folder of the running
// executable (/proc/self/exe's target; the build tree copies them to the same places), as a
// normal absolute path. Internal naming the link when it cannot be read.
Result<std::string> InstalledPath(std::string_view from_bin);

// The documentation installed with the command (its README), for SARIF's informationUri; empty
// when it is not there (a binary copied elsewhere).
std::string InstalledDocumentation();

// The clock as RFC 3339 UTC to the second ("2026-12-05T10:00:00Z").
std::string NowRfc3339();

// A UUID (RFC 9562 version 8, "custom") derived from `content`, so the same report gets the
// same document id: "urn:uuid:…".
std::string ContentUuid(std::string_view content);

}  // namespace vigil::cli

#endif  // VIGIL_CLI_CLI_IO_H_
