// A file written piece by piece that appears at its path only when complete: what a command
// streams into an output file too large to hold (`vigil scan --out` of a 300,000-component
// SBOM writes hundreds of MiB).
//
// Bytes go to PATH.tmp through a 1 MiB buffer; Commit() flushes, syncs, renames over PATH and
// syncs the directory, exactly as Env::WriteFileAtomic does for a whole buffer, so a crash or an
// error at any point leaves the old file (or none), never a partial one. An AtomicFile destroyed
// before Commit removes PATH.tmp. Errors name PATH, not the temporary file.
//
// Thread-safety: one thread at a time.
#ifndef VIGIL_CORE_ATOMIC_FILE_H_
#define VIGIL_CORE_ATOMIC_FILE_H_

#include <memory>
#include <string>
#include <string_view>

#include "vigil/core/env.h"
#include "vigil/core/result.h"

namespace vigil {

class AtomicFile {
 public:
  static Result<AtomicFile> Create(Env* env, std::string path);
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  ~AtomicFile();

  // Buffered; the first error sticks and is returned by every later call and by Commit.
  Status Append(std::string_view data);
  // Makes the file appear at its path, durably. Once only.
  Status Commit();

 private:
  AtomicFile(Env* env, std::string path, std::unique_ptr<WritableFile> file);
  Status Flush();

  Env* env_;
  std::string path_;
  std::unique_ptr<WritableFile> file_;  // null once committed or moved from
  std::string buffer_;
  Status status_;
};

}  // namespace vigil

#endif  // VIGIL_CORE_ATOMIC_FILE_H_
