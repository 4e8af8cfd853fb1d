// A .zip feed (osv.dev's per-ecosystem all.zip) opened with libzip over an Env's random-access
// file, so that an import reads archives through the Env it was given (and a test's in-memory
// or fault-injecting Env reaches them) instead of libzip opening the path itself.
//
// Thread-safety: an archive is used by one thread at a time (libzip's own rule).
#ifndef VIGIL_VULN_INTERNAL_ZIP_ARCHIVE_H_
#define VIGIL_VULN_INTERNAL_ZIP_ARCHIVE_H_

#include <zip.h>

#include <memory>
#include <string>

#include "vigil/core/env.h"
#include "vigil/core/result.h"

namespace vigil::vuln::internal {

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipCloser>;

// Opens `path` read-only through `env`. The Env's errors pass through (NotFound, ...);
// InvalidArgument "PATH: not a readable zip archive: REASON" when libzip refuses the content.
Result<ZipPtr> OpenZip(Env& env, const std::string& path);

}  // namespace vigil::vuln::internal

#endif  // VIGIL_VULN_INTERNAL_ZIP_ARCHIVE_H_
