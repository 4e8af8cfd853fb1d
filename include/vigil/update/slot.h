// Slot: one of the two places (A and B) a device keeps a bootable software image, so an update
// is written beside the running image and never over it.
//
// Two kinds, one interface:
//  - DirectorySlot: a directory holding the image as the file "image" (a rootfs partition that
//    is mounted as a file system, or a development device);
//  - ImageSlot: a fixed-capacity image file or block device, written from offset 0. The image
//    occupies the first `length` bytes (the boot state records the length). A block device
//    (/dev/mmcblk0p3) is opened through the same Env calls as an image file (O_TRUNC does
//    nothing to a device; its tail is left as it was); a regular image file is truncated by
//    the open and FinishWrite() gives it back its full size (the tail then reads as zeros).
//    The tests use image files in place of devices.
// A slot's content is never trusted by itself: the boot state (vigil/update/boot_state.h)
// records which image a slot holds once its length and hashes were verified.
//
// Thread-safety: not thread-safe; the installer owns its slots.
#ifndef VIGIL_UPDATE_SLOT_H_
#define VIGIL_UPDATE_SLOT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "vigil/core/env.h"
#include "vigil/core/result.h"

namespace vigil::update {

class Slot {
 public:
  virtual ~Slot() = default;

  // "a" or "b".
  const std::string& name() const { return name_; }
  // Human-readable location for messages ("dir:/data/slots/a", "image:/dev/mmcblk0p3").
  virtual std::string Describe() const = 0;
  // Largest image the slot holds; nullopt when only the file system limits it.
  virtual std::optional<uint64_t> capacity() const = 0;

  // Opens the slot for writing an image of `length` bytes from its start; the previous image is
  // invalid from this call on. ResourceExhausted (nothing written) if `length` exceeds the
  // capacity; I/O errors from the Env. The caller appends exactly `length` bytes, then Sync()s.
  virtual Result<std::unique_ptr<WritableFile>> OpenForWrite(uint64_t length) = 0;

  // Called after the writer was synced and closed: whatever the slot kind needs to make the
  // written image and the slot itself durable and whole again. Errors from the Env.
  virtual Status FinishWrite() = 0;

  // Opens the slot's image for reading (the image is its first `length` bytes, as recorded).
  virtual Result<std::unique_ptr<RandomAccessFile>> OpenForRead() = 0;

 protected:
  explicit Slot(std::string name) : name_(std::move(name)) {}

 private:
  std::string name_;
};

// A slot that is a directory `dir` (created durably on first write) holding the file "image".
std::unique_ptr<Slot> NewDirectorySlot(Env* env, std::string name, std::string dir);

// A slot that is the existing image file or block device `path` holding at most `capacity`
// bytes. The file is never created by the installer: a missing partition is NotFound on use.
std::unique_ptr<Slot> NewImageSlot(Env* env, std::string name, std::string path, uint64_t capacity);

}  // namespace vigil::update

#endif  // VIGIL_UPDATE_SLOT_H_
