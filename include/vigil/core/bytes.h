// Byte buffers and views. Bytes owns, ByteView borrows; both are plain std types so they
// interoperate with OpenSSL and the standard library without copies.
#ifndef VIGIL_CORE_BYTES_H_
#define VIGIL_CORE_BYTES_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

// The bytes of a string, without copying / as a new buffer.
inline ByteView AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};  // NOLINT: byte view of chars
}
inline Bytes ToBytes(std::string_view s) {
  ByteView v = AsBytes(s);
  return {v.begin(), v.end()};
}
// The bytes as characters (no validation; for text formats that carry bytes).
inline std::string_view AsStringView(ByteView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};  // NOLINT: char view of bytes
}

// Appends `tail` to `out`.
inline void Append(Bytes& out, ByteView tail) { out.insert(out.end(), tail.begin(), tail.end()); }

}  // namespace vigil

#endif  // VIGIL_CORE_BYTES_H_
