// Env::Default(): the real operating system through POSIX calls.
#include <dirent.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "vigil/core/env.h"

namespace vigil {
namespace {

Error PosixError(const std::string& path, std::string_view op, int err) {
  std::string m = path + ": " + std::string(op) + ": " + std::strerror(err);
  switch (err) {
    case ENOENT: return NotFoundError(std::move(m));
    case EEXIST: return AlreadyExistsError(std::move(m));
    case ENOSPC:
    case EDQUOT: return ResourceExhaustedError(std::move(m));
    case EACCES:
    case EPERM: return PermissionDeniedError(std::move(m));
    case ENOTDIR:
    case EISDIR:
    case ENAMETOOLONG: return InvalidArgumentError(std::move(m));
    default: return UnavailableError(std::move(m));
  }
}

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd, uint64_t size)
      : path_(std::move(path)), fd_(fd), size_(size) {}
  ~PosixWritableFile() override { (void)Close(); }
  PosixWritableFile(const PosixWritableFile&) = delete;
  PosixWritableFile& operator=(const PosixWritableFile&) = delete;

  Status Append(ByteView data) override {
    if (fd_ < 0) return FailedPreconditionError(path_ + ": append after close");
    const uint8_t* p = data.data();
    size_t left = data.size();
    while (left > 0) {
      ssize_t n = ::write(fd_, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        return PosixError(path_, "write", errno);
      }
      p += n;
      left -= static_cast<size_t>(n);
      size_ += static_cast<uint64_t>(n);
    }
    return OkStatus();
  }

  Status Sync() override {
    if (fd_ < 0) return FailedPreconditionError(path_ + ": sync after close");
    if (::fdatasync(fd_) != 0) return PosixError(path_, "fdatasync", errno);
    return OkStatus();
  }

  Status Close() override {
    if (fd_ < 0) return OkStatus();
    int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0) return PosixError(path_, "close", errno);
    return OkStatus();
  }

  uint64_t Size() const override { return size_; }

 private:
  std::string path_;
  int fd_;
  uint64_t size_;
};

class PosixRandomAccessFile final : public RandomAccessFile {
 public:
  PosixRandomAccessFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixRandomAccessFile() override { ::close(fd_); }
  PosixRandomAccessFile(const PosixRandomAccessFile&) = delete;
  PosixRandomAccessFile& operator=(const PosixRandomAccessFile&) = delete;

  Result<Bytes> Read(uint64_t offset, size_t n) const override {
    Bytes out(n);
    size_t got = 0;
    while (got < n) {
      ssize_t r = ::pread(fd_, out.data() + got, n - got, static_cast<off_t>(offset + got));
      if (r < 0) {
        if (errno == EINTR) continue;
        return PosixError(path_, "pread", errno);
      }
      if (r == 0) break;
      got += static_cast<size_t>(r);
    }
    out.resize(got);
    return out;
  }

  Result<uint64_t> Size() const override {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return PosixError(path_, "fstat", errno);
    return static_cast<uint64_t>(st.st_size);
  }

 private:
  std::string path_;
  int fd_;
};

class PosixEnv final : public Env {
 public:
  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override {
    return Open(path, O_WRONLY | O_CREAT | O_TRUNC);
  }
  Result<std::unique_ptr<WritableFile>> NewAppendableFile(const std::string& path) override {
    return Open(path, O_WRONLY | O_CREAT | O_APPEND);
  }

  Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return PosixError(path, "open", errno);
    return std::unique_ptr<RandomAccessFile>(new PosixRandomAccessFile(path, fd));
  }

  Result<Bytes> ReadFile(const std::string& path) override {
    VIGIL_ASSIGN_OR_RETURN(auto file, NewRandomAccessFile(path));
    VIGIL_ASSIGN_OR_RETURN(uint64_t size, file->Size());
    return file->Read(0, static_cast<size_t>(size));
  }

  bool FileExists(const std::string& path) override {
    if (::access(path.c_str(), F_OK) == 0) return true;
    return errno != ENOENT && errno != ENOTDIR;  // EACCES, ELOOP...: let the open say so
  }

  Status SetFileMode(const std::string& path, uint32_t mode) override {
    if (::chmod(path.c_str(), static_cast<mode_t>(mode)) != 0) {
      return PosixError(path, "chmod", errno);
    }
    return OkStatus();
  }

  Result<uint64_t> GetFileSize(const std::string& path) override {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return PosixError(path, "stat", errno);
    return static_cast<uint64_t>(st.st_size);
  }

  Result<std::vector<std::string>> GetChildren(const std::string& dir) override {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return PosixError(dir, "opendir", errno);
    std::vector<std::string> names;
    while (struct dirent* e = ::readdir(d)) {
      std::string_view n = e->d_name;
      if (n != "." && n != "..") names.emplace_back(n);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
  }

  Status RemoveFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return PosixError(path, "unlink", errno);
    return OkStatus();
  }

  Status RenameFile(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return PosixError(from, "rename to " + to, errno);
    return OkStatus();
  }

  Status TruncateFile(const std::string& path, uint64_t size) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return PosixError(path, "open", errno);
    Status s;
    if (::ftruncate(fd, static_cast<off_t>(size)) != 0) {
      s = PosixError(path, "ftruncate", errno);
    } else if (::fsync(fd) != 0) {
      s = PosixError(path, "fsync", errno);
    }
    ::close(fd);
    return s;
  }

  Status CreateDir(const std::string& dir) override {
    if (dir.empty() || dir == "." || dir == "/") return OkStatus();
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode)) return OkStatus();
      return InvalidArgumentError(dir + ": exists and is not a directory");
    }
    VIGIL_RETURN_IF_ERROR(CreateDir(DirName(dir)));
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return PosixError(dir, "mkdir", errno);
    return OkStatus();
  }

  Status RemoveDir(const std::string& dir) override {
    if (::rmdir(dir.c_str()) != 0) return PosixError(dir, "rmdir", errno);
    return OkStatus();
  }

  Status SyncDir(const std::string& dir) override {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return PosixError(dir, "open directory", errno);
    Status s;
    if (::fsync(fd) != 0) s = PosixError(dir, "fsync directory", errno);
    ::close(fd);
    return s;
  }

  int64_t NowUnixMicros() override { return Now(CLOCK_REALTIME) / 1000; }
  int64_t NowMonotonicNanos() override { return Now(CLOCK_MONOTONIC); }

  Status FillRandom(std::span<uint8_t> out) override {
    size_t got = 0;
    while (got < out.size()) {
      ssize_t n = ::getrandom(out.data() + got, out.size() - got, 0);
      if (n < 0) {
        if (errno == EINTR) continue;
        return UnavailableError(std::string("getrandom: ") + std::strerror(errno));
      }
      got += static_cast<size_t>(n);
    }
    return OkStatus();
  }

 private:
  static int64_t Now(clockid_t clock) {
    struct timespec ts {};
    ::clock_gettime(clock, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
  }

  static Result<std::unique_ptr<WritableFile>> Open(const std::string& path, int flags) {
    // 0600: files Vigil writes hold keys, audit data and patient records.
    int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0600);
    if (fd < 0) return PosixError(path, "open", errno);
    struct stat st {};
    uint64_t size = 0;
    if (::fstat(fd, &st) == 0) size = static_cast<uint64_t>(st.st_size);
    return std::unique_ptr<WritableFile>(new PosixWritableFile(path, fd, size));
  }
};

}  // namespace

Env* Env::Default() {
  static PosixEnv* env = new PosixEnv();  // never destroyed: usable during static destruction
  return env;
}

}  // namespace vigil
