// Env: the platform behind one small interface (after LevelDB's Env). Every module reaches
// files, the clocks and randomness through an Env, so tests can substitute FaultInjectingEnv
// (vigil/core/fault_env.h) and prove crash safety: power loss between write and fsync, a failed
// N-th write, a torn write, a full disk, a clock that jumps.
//
// Durability contract (what callers may rely on, and what FaultInjectingEnv simulates):
//  - bytes appended to a WritableFile are durable only after its Sync() returned OK;
//  - creating, renaming or removing a directory entry is durable only after SyncDir() of the
//    parent directory returned OK;
//  - WriteFileAtomic() replaces a file so that after a crash the reader sees the old content or
//    the new content, never a mix, and once it returned OK, the new content.
//
// Thread-safety: Env implementations are thread-safe. A WritableFile or RandomAccessFile object
// is used by one thread at a time.
#ifndef VIGIL_CORE_ENV_H_
#define VIGIL_CORE_ENV_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"

namespace vigil {

// A file being written sequentially.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  // Appends `data` at the end (buffered; not durable until Sync()).
  virtual Status Append(ByteView data) = 0;
  // Makes everything appended so far durable (fdatasync).
  virtual Status Sync() = 0;
  // Closes the file; appended but unsynced data stays volatile. Idempotent.
  virtual Status Close() = 0;
  // Bytes in the file, including unsynced appends.
  virtual uint64_t Size() const = 0;
};

// A file read at arbitrary offsets.
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Reads up to `n` bytes at `offset`; returns fewer only at end of file.
  virtual Result<Bytes> Read(uint64_t offset, size_t n) const = 0;
  virtual Result<uint64_t> Size() const = 0;
};

class Env {
 public:
  virtual ~Env() = default;

  // The process-wide Env over the real operating system (POSIX). Never null, never freed.
  static Env* Default();

  // ---- files ----
  // Creates or truncates `path` for writing.
  virtual Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) = 0;
  // Opens `path` for appending, creating it if absent.
  virtual Result<std::unique_ptr<WritableFile>> NewAppendableFile(const std::string& path) = 0;
  virtual Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(
      const std::string& path) = 0;
  // The whole content of `path`. NotFound if it does not exist.
  virtual Result<Bytes> ReadFile(const std::string& path) = 0;
  // False only when `path` is known not to exist. A path that cannot be looked up (permission
  // denied on a directory, a symlink loop) counts as existing, so the caller's next open reports
  // that error as what it is instead of "missing".
  virtual bool FileExists(const std::string& path) = 0;
  virtual Result<uint64_t> GetFileSize(const std::string& path) = 0;
  // Names (not paths) of the entries of directory `dir`, sorted.
  virtual Result<std::vector<std::string>> GetChildren(const std::string& dir) = 0;
  virtual Status RemoveFile(const std::string& path) = 0;
  // Atomically replaces `to` with `from` (rename(2)); durable after SyncDir(parent).
  virtual Status RenameFile(const std::string& from, const std::string& to) = 0;
  // Cuts `path` to `size` bytes and makes the new size durable.
  virtual Status TruncateFile(const std::string& path, uint64_t size) = 0;
  // Creates `dir` and missing parents (like mkdir -p); OK if it exists.
  virtual Status CreateDir(const std::string& dir) = 0;
  virtual Status RemoveDir(const std::string& dir) = 0;
  // Makes the directory's entries (creations, renames, removals) durable.
  virtual Status SyncDir(const std::string& dir) = 0;
  // Sets the permission bits of `path` (files are created 0600; a public key is made 0644).
  // Envs without permission bits (the in-memory FaultInjectingEnv) keep this default, which
  // changes nothing.
  virtual Status SetFileMode(const std::string& path, uint32_t mode);

  // ---- clocks ----
  // Wall-clock time, microseconds since the Unix epoch (may jump).
  virtual int64_t NowUnixMicros() = 0;
  // Monotonic time in nanoseconds from an arbitrary origin (never goes back).
  virtual int64_t NowMonotonicNanos() = 0;

  // ---- randomness ----
  // Fills `out` from the operating system's CSPRNG (getrandom(2)). Fails only if the kernel
  // cannot provide entropy; callers must not fall back to anything weaker.
  virtual Status FillRandom(std::span<uint8_t> out) = 0;

  // ---- composed operations (implemented once, on top of the primitives above) ----
  // Crash-safe replace: write `path`.tmp → Sync → rename over `path` → SyncDir(parent).
  Status WriteFileAtomic(const std::string& path, ByteView data);
  // The same without the directory sync: write `path`.tmp → Sync (if `sync_data`) → rename
  // over `path`. Readers see the old file or the new one, never a mix; the rename becomes
  // durable at the next SyncDir(parent), so one sync can cover several files. With `sync_data`,
  // a rename that survives a crash names complete data; without, it may name a torn file.
  Status ReplaceFile(const std::string& path, ByteView data, bool sync_data);
  // Appends `data` to `path` (created if absent) and syncs it before returning.
  Status AppendFileDurable(const std::string& path, ByteView data);
  // Random bytes as a new buffer.
  Result<Bytes> RandomBytes(size_t n);
  // The whole content of `path` if it holds at most `max_bytes` bytes. Every reader of an
  // untrusted file goes through this, so a huge input costs a refusal, not the memory to hold
  // it: ResourceExhausted "PATH: N bytes, over the LIMIT limit for WHAT" (`what` names the kind
  // of document, e.g. "an access policy"). The size is checked before reading and again while
  // reading, so a file that grows in between is refused too. NotFound as ReadFile.
  Result<Bytes> ReadFileLimited(const std::string& path, uint64_t max_bytes,
                                std::string_view what);
};

// A byte count for people, exact: "16 MiB", "1536 MiB", "2047 bytes".
std::string HumanBytes(uint64_t n);

// Path helpers: "a/b/c" → "a/b"; ("a/b", "c") → "a/b/c". Pure string operations.
std::string DirName(std::string_view path);
std::string JoinPath(std::string_view dir, std::string_view name);

}  // namespace vigil

#endif  // VIGIL_CORE_ENV_H_
