#include "internal/zip_archive.h"

#include <algorithm>
#include <cstring>

namespace vigil::vuln::internal {
namespace {

// libzip's view of an Env file: a zip_source_function callback reading at an offset. libzip
// seeks around the central directory and the members, so the source supports seeking and
// telling; it owns this state and frees it with ZIP_SOURCE_FREE.
struct EnvSource {
  std::unique_ptr<RandomAccessFile> file;
  zip_uint64_t size = 0;
  zip_uint64_t offset = 0;
  zip_error_t error;
};

zip_int64_t Read(EnvSource& s, void* data, zip_uint64_t len) {
  const zip_uint64_t n = std::min(len, s.size - std::min(s.offset, s.size));
  if (n == 0) return 0;
  auto bytes = s.file->Read(s.offset, static_cast<size_t>(n));
  if (!bytes) {
    zip_error_set(&s.error, ZIP_ER_READ, EIO);
    return -1;
  }
  std::memcpy(data, bytes->data(), bytes->size());
  s.offset += bytes->size();
  return static_cast<zip_int64_t>(bytes->size());
}

zip_int64_t Stat(EnvSource& s, void* data) {
  auto* st = static_cast<zip_stat_t*>(data);
  zip_stat_init(st);
  st->size = s.size;
  st->valid |= ZIP_STAT_SIZE;
  return sizeof(*st);
}

zip_int64_t Seek(EnvSource& s, void* data, zip_uint64_t len) {
  const zip_int64_t at = zip_source_seek_compute_offset(s.offset, s.size, data, len, &s.error);
  if (at < 0) return -1;
  s.offset = static_cast<zip_uint64_t>(at);
  return 0;
}

zip_int64_t Callback(void* state, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
  auto& s = *static_cast<EnvSource*>(state);
  switch (cmd) {
    case ZIP_SOURCE_OPEN:
      s.offset = 0;
      return 0;
    case ZIP_SOURCE_READ:
      return Read(s, data, len);
    case ZIP_SOURCE_CLOSE:
      return 0;
    case ZIP_SOURCE_STAT:
      return Stat(s, data);
    case ZIP_SOURCE_ERROR:
      return zip_error_to_data(&s.error, data, len);
    case ZIP_SOURCE_SEEK:
      return Seek(s, data, len);
    case ZIP_SOURCE_TELL:
      return static_cast<zip_int64_t>(s.offset);
    case ZIP_SOURCE_FREE:
      zip_error_fini(&s.error);
      delete &s;
      return 0;
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                            ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_SEEK,
                                            ZIP_SOURCE_TELL, ZIP_SOURCE_FREE, -1);
    default:
      zip_error_set(&s.error, ZIP_ER_OPNOTSUPP, 0);
      return -1;
  }
}

Error NotAZip(const std::string& path, zip_error_t* error) {
  std::string msg = zip_error_strerror(error);
  zip_error_fini(error);
  return InvalidArgumentError(path + ": not a readable zip archive: " + msg);
}

}  // namespace

Result<ZipPtr> OpenZip(Env& env, const std::string& path) {
  auto state = std::make_unique<EnvSource>();
  VIGIL_ASSIGN_OR_RETURN(state->file, env.NewRandomAccessFile(path));
  VIGIL_ASSIGN_OR_RETURN(state->size, state->file->Size());
  zip_error_init(&state->error);
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_function_create(Callback, state.get(), &error);
  if (source == nullptr) {
    zip_error_fini(&state->error);
    return NotAZip(path, &error);
  }
  state.release();  // the source frees it (ZIP_SOURCE_FREE)
  zip_t* z = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (z == nullptr) {
    zip_source_free(source);
    return NotAZip(path, &error);
  }
  zip_error_fini(&error);
  return ZipPtr(z);
}

}  // namespace vigil::vuln::internal
