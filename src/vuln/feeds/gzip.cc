// gzip decompression with zlib's inflate (see internal/gzip.h).
#include "internal/gzip.h"

#include <zlib.h>

#include <algorithm>

namespace vigil::vuln::internal {
namespace {

class Inflater {
 public:
  Inflater() = default;
  ~Inflater() {
    if (initialised_) inflateEnd(&z_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  // 15 + 16: a gzip wrapper only (a raw zlib stream is not a .gz file).
  bool Init() { return initialised_ = inflateInit2(&z_, 15 + 16) == Z_OK; }
  z_stream& z() { return z_; }

 private:
  z_stream z_{};
  bool initialised_ = false;
};

}  // namespace

Result<std::string> Gunzip(std::string_view data, std::string_view source, size_t max_output) {
  const std::string where(source);
  if (data.size() < 2 || static_cast<unsigned char>(data[0]) != 0x1f ||
      static_cast<unsigned char>(data[1]) != 0x8b) {
    return InvalidArgumentError(where + ": not gzip data (expected the bytes 1f 8b)");
  }
  std::string out;
  size_t pos = 0;
  // One iteration per gzip member.
  while (pos < data.size()) {
    Inflater inf;
    if (!inf.Init()) return InternalError(where + ": zlib could not start");
    z_stream& z = inf.z();
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + pos));
    z.avail_in = static_cast<uInt>(std::min<size_t>(data.size() - pos, 1u << 30));
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
      if (out.size() >= max_output) {
        return InvalidArgumentError(where + ": decompresses to more than " +
                                    std::to_string(max_output) +
                                    " bytes (the limit for one feed document)");
      }
      const size_t chunk =
          std::min<size_t>(std::max<size_t>(out.size(), 1u << 16), max_output - out.size());
      const size_t before = out.size();
      out.resize(before + chunk);
      z.next_out = reinterpret_cast<Bytef*>(out.data() + before);
      z.avail_out = static_cast<uInt>(std::min<size_t>(chunk, 1u << 30));
      const uInt offered = z.avail_out;
      rc = inflate(&z, Z_NO_FLUSH);
      out.resize(before + (offered - z.avail_out));
      if (rc == Z_STREAM_END) break;
      if (rc == Z_BUF_ERROR && z.avail_in == 0) {
        return InvalidArgumentError(where + ": truncated gzip data (ends at byte " +
                                    std::to_string(pos + z.total_in) + ")");
      }
      if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return InvalidArgumentError(where + ": corrupt gzip data at byte " +
                                    std::to_string(pos + z.total_in) + ": " +
                                    (z.msg != nullptr ? z.msg : "inflate failed"));
      }
    }
    pos += z.total_in;
    if (pos < data.size() &&
        (data.size() - pos < 2 || static_cast<unsigned char>(data[pos]) != 0x1f ||
         static_cast<unsigned char>(data[pos + 1]) != 0x8b)) {
      return InvalidArgumentError(where + ": " + std::to_string(data.size() - pos) +
                                  " bytes after the gzip data are not another gzip member");
    }
  }
  return out;
}

}  // namespace vigil::vuln::internal
