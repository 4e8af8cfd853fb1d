// gzip decompression on arbitrary bytes: no crash, hang or output beyond the limit; a refusal is
// InvalidArgument on one line naming the file. The same bytes compressed by zlib's gzip writer
// come back exactly.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "internal/gzip.h"

namespace {

std::string GzipWithZlib(std::string_view in) {
  z_stream z{};
  if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) __builtin_trap();
  std::string out(deflateBound(&z, in.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) __builtin_trap();
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  constexpr size_t kLimit = 1 << 20;
  auto out = vigil::vuln::internal::Gunzip(bytes, "feed.json.gz", kLimit);
  if (!out) {
    const std::string& m = out.error().message();
    if (out.error().code() != vigil::ErrorCode::kInvalidArgument ||
        m.rfind("feed.json.gz: ", 0) != 0 || m.find('\n') != std::string::npos) {
      __builtin_trap();
    }
  } else if (out->size() > kLimit) {
    __builtin_trap();
  }
  auto back = vigil::vuln::internal::Gunzip(GzipWithZlib(bytes), "round trip", kLimit);
  if (!back || *back != bytes) __builtin_trap();
  return 0;
}
