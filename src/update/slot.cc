#include "vigil/update/slot.h"

#include "internal/durable_dir.h"

namespace vigil::update {
namespace {

class DirectorySlot final : public Slot {
 public:
  DirectorySlot(Env* env, std::string name, std::string dir)
      : Slot(std::move(name)), env_(env), dir_(std::move(dir)) {}

  std::string Describe() const override { return "dir:" + dir_; }
  std::optional<uint64_t> capacity() const override { return std::nullopt; }

  Result<std::unique_ptr<WritableFile>> OpenForWrite(uint64_t /*length*/) override {
    VIGIL_RETURN_IF_ERROR(internal::CreateDurableDir(env_, dir_));
    VIGIL_ASSIGN_OR_RETURN(auto file, env_->NewWritableFile(ImagePath()));
    // The entry must be durable too, or a synced image could vanish with its name.
    VIGIL_RETURN_IF_ERROR(env_->SyncDir(dir_));
    return file;
  }

  Status FinishWrite() override { return OkStatus(); }  // the entry was synced at open

  Result<std::unique_ptr<RandomAccessFile>> OpenForRead() override {
    return env_->NewRandomAccessFile(ImagePath());
  }

 private:
  std::string ImagePath() const { return JoinPath(dir_, "image"); }
  Env* env_;
  std::string dir_;
};

class ImageSlot final : public Slot {
 public:
  ImageSlot(Env* env, std::string name, std::string path, uint64_t capacity)
      : Slot(std::move(name)), env_(env), path_(std::move(path)), capacity_(capacity) {}

  std::string Describe() const override { return "image:" + path_; }
  std::optional<uint64_t> capacity() const override { return capacity_; }

  Result<std::unique_ptr<WritableFile>> OpenForWrite(uint64_t length) override {
    if (length > capacity_) {
      return ResourceExhaustedError("slot " + name() + " (" + Describe() + "): image of " +
                                    std::to_string(length) + " bytes exceeds the capacity of " +
                                    std::to_string(capacity_) + " bytes");
    }
    if (!env_->FileExists(path_)) {
      return NotFoundError("slot " + name() + ": " + path_ + ": no such image file or device");
    }
    return env_->NewWritableFile(path_);  // a block device ignores O_TRUNC: writes from 0
  }

  Status FinishWrite() override {
    // A regular file lost its tail to O_TRUNC; a block device reports size 0 and is left alone.
    VIGIL_ASSIGN_OR_RETURN(uint64_t size, env_->GetFileSize(path_));
    if (size == 0 || size >= capacity_) return OkStatus();
    return env_->TruncateFile(path_, capacity_);
  }

  Result<std::unique_ptr<RandomAccessFile>> OpenForRead() override {
    return env_->NewRandomAccessFile(path_);
  }

 private:
  Env* env_;
  std::string path_;
  uint64_t capacity_;
};

}  // namespace

std::unique_ptr<Slot> NewDirectorySlot(Env* env, std::string name, std::string dir) {
  return std::make_unique<DirectorySlot>(env, std::move(name), std::move(dir));
}

std::unique_ptr<Slot> NewImageSlot(Env* env, std::string name, std::string path,
                                   uint64_t capacity) {
  return std::make_unique<ImageSlot>(env, std::move(name), std::move(path), capacity);
}

}  // namespace vigil::update
