// The composed Env operations (defined once over the primitives, so FaultInjectingEnv's faults
// reach them too) and path helpers.
#include "vigil/core/env.h"

#include <iterator>

#include "vigil/core/atomic_file.h"

namespace vigil {

Status Env::WriteFileAtomic(const std::string& path, ByteView data) {
  // A crash before the rename leaves the old file (and maybe a stray tmp); after the directory
  // sync, the new one.
  VIGIL_RETURN_IF_ERROR(ReplaceFile(path, data, /*sync_data=*/true));
  return SyncDir(DirName(path));
}

Status Env::SetFileMode(const std::string&, uint32_t) { return OkStatus(); }

namespace {

// An error about the temporary file of a replace, told about the file the caller named: the
// user never gave `tmp` and would look for it in vain ("out.json.tmp: open: ..." becomes
// "out.json: open: ...", "out.json.tmp: rename to out.json: ..." becomes "out.json: rename: ...").
Error AboutTarget(const Error& e, const std::string& tmp, const std::string& path) {
  std::string m = e.message();
  const std::string rename = tmp + ": rename to " + path + ": ";
  if (m.rfind(rename, 0) == 0) {
    m = path + ": rename: " + m.substr(rename.size());
  } else if (m.rfind(tmp + ": ", 0) == 0) {
    m = path + m.substr(tmp.size());
  }
  return Error(e.code(), std::move(m));
}

}  // namespace

Status Env::ReplaceFile(const std::string& path, ByteView data, bool sync_data) {
  const std::string tmp = path + ".tmp";
  auto file = NewWritableFile(tmp);
  if (!file) return AboutTarget(file.error(), tmp, path);
  Status s = (*file)->Append(data);
  if (s && sync_data) s = (*file)->Sync();
  Status c = (*file)->Close();
  if (s && !c) s = c;
  if (!s) {
    (void)RemoveFile(tmp);  // best effort; the error that matters is `s`
    return AboutTarget(s.error(), tmp, path);
  }
  if (Status r = RenameFile(tmp, path); !r) return AboutTarget(r.error(), tmp, path);
  return OkStatus();
}

Status Env::AppendFileDurable(const std::string& path, ByteView data) {
  const bool existed = FileExists(path);
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, NewAppendableFile(path));
  VIGIL_RETURN_IF_ERROR(file->Append(data));
  VIGIL_RETURN_IF_ERROR(file->Sync());
  VIGIL_RETURN_IF_ERROR(file->Close());
  // A new file's directory entry must be durable too, or its synced bytes are unreachable.
  if (!existed) VIGIL_RETURN_IF_ERROR(SyncDir(DirName(path)));
  return OkStatus();
}

Result<Bytes> Env::RandomBytes(size_t n) {
  Bytes out(n);
  VIGIL_RETURN_IF_ERROR(FillRandom(out));
  return out;
}

Result<Bytes> Env::ReadFileLimited(const std::string& path, uint64_t max_bytes,
                                   std::string_view what) {
  auto refuse = [&](uint64_t size, bool at_least) {
    return ResourceExhaustedError(path + ": " + (at_least ? "more than " : "") +
                                  std::to_string(size) + " bytes, over the " +
                                  HumanBytes(max_bytes) + " limit for " + std::string(what));
  };
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, NewRandomAccessFile(path));
  VIGIL_ASSIGN_OR_RETURN(uint64_t size, file->Size());
  if (size > max_bytes) return refuse(size, false);
  // Read one byte past what Size() said: a file that grew since is caught without ever
  // holding more than size + 1 bytes, and a grown file still within the limit is read whole.
  VIGIL_ASSIGN_OR_RETURN(Bytes data, file->Read(0, static_cast<size_t>(size) + 1));
  while (data.size() > size) {
    if (data.size() > max_bytes) return refuse(max_bytes, true);
    size = data.size();
    VIGIL_ASSIGN_OR_RETURN(Bytes more, file->Read(size, static_cast<size_t>(max_bytes - size) + 1));
    data.insert(data.end(), more.begin(), more.end());
  }
  return data;
}

std::string HumanBytes(uint64_t n) {
  // Exact, never rounded: a limit is a number people compare against, so "2047 bytes" must
  // not read as "2.0 KiB". The largest unit that divides n evenly.
  static constexpr const char* kUnits[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  size_t unit = 0;
  while (n != 0 && n % 1024 == 0 && unit + 1 < std::size(kUnits)) {
    n /= 1024;
    ++unit;
  }
  if (unit == 0 && n == 1) return "1 byte";
  return std::to_string(n) + " " + kUnits[unit];
}

std::string DirName(std::string_view path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

std::string JoinPath(std::string_view dir, std::string_view name) {
  if (dir.empty() || dir == ".") return std::string(name);
  std::string out(dir);
  if (out.back() != '/') out.push_back('/');
  out.append(name);
  return out;
}

namespace {
constexpr size_t kAtomicFileBuffer = size_t{1} << 20;
}  // namespace

AtomicFile::AtomicFile(Env* env, std::string path, std::unique_ptr<WritableFile> file)
    : env_(env), path_(std::move(path)), file_(std::move(file)) {
  buffer_.reserve(kAtomicFileBuffer);
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : env_(other.env_),
      path_(std::move(other.path_)),
      file_(std::move(other.file_)),
      buffer_(std::move(other.buffer_)),
      status_(std::move(other.status_)) {}

AtomicFile::~AtomicFile() {
  if (file_ == nullptr) return;
  (void)file_->Close();
  (void)env_->RemoveFile(path_ + ".tmp");  // best effort: an abandoned write leaves nothing
}

Result<AtomicFile> AtomicFile::Create(Env* env, std::string path) {
  const std::string tmp = path + ".tmp";
  auto file = env->NewWritableFile(tmp);
  if (!file) return AboutTarget(file.error(), tmp, path);
  return AtomicFile(env, std::move(path), std::move(*file));
}

Status AtomicFile::Flush() {
  if (!status_ || buffer_.empty()) return status_;
  Status s = file_->Append(AsBytes(buffer_));
  buffer_.clear();
  if (!s) status_ = AboutTarget(s.error(), path_ + ".tmp", path_);
  return status_;
}

Status AtomicFile::Append(std::string_view data) {
  if (!status_) return status_;
  if (file_ == nullptr) return FailedPreconditionError(path_ + ": written after commit");
  buffer_.append(data);
  return buffer_.size() >= kAtomicFileBuffer ? Flush() : status_;
}

Status AtomicFile::Commit() {
  if (file_ == nullptr) return FailedPreconditionError(path_ + ": committed twice");
  const std::string tmp = path_ + ".tmp";
  Status s = Flush();
  if (s) s = file_->Sync();
  Status c = file_->Close();
  if (s && !c) s = c;
  if (s) s = env_->RenameFile(tmp, path_);
  file_.reset();
  if (!s) {
    (void)env_->RemoveFile(tmp);
    status_ = AboutTarget(s.error(), tmp, path_);
    return status_;
  }
  status_ = env_->SyncDir(DirName(path_));
  return status_;
}

}  // namespace vigil
