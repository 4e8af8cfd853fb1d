// Fixed-width integers in byte strings, big-endian (network order: RFC 8554 LMS/HSS, the C2SP
// tile and checkpoint formats, our own file formats) and little-endian (the syslog queue's
// record framing). One definition for every module; the compilers turn these loops into single
// loads and byte swaps.
//
// Thread-safety: pure functions.
#ifndef VIGIL_CORE_ENDIAN_H_
#define VIGIL_CORE_ENDIAN_H_

#include <cstdint>

#include "vigil/core/bytes.h"

namespace vigil {

// The `bytes` (1–8) bytes at `p` as a big-endian unsigned integer.
constexpr uint64_t LoadBigEndian(const uint8_t* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | p[i];
  return v;
}
// Writes the low `bytes` (1–8) bytes of `v` at `p`, most significant first.
constexpr void StoreBigEndian(uint8_t* p, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i, v >>= 8) p[i] = static_cast<uint8_t>(v);
}
// Appends the low `bytes` (1–8) bytes of `v`, most significant first.
inline void AppendBigEndian(Bytes& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

constexpr uint32_t LoadBe32(const uint8_t* p) {
  return static_cast<uint32_t>(LoadBigEndian(p, 4));
}
constexpr uint64_t LoadBe64(const uint8_t* p) { return LoadBigEndian(p, 8); }
constexpr void StoreBe32(uint8_t* p, uint32_t v) { StoreBigEndian(p, v, 4); }
inline void AppendBe32(Bytes& out, uint32_t v) { AppendBigEndian(out, v, 4); }
inline void AppendBe64(Bytes& out, uint64_t v) { AppendBigEndian(out, v, 8); }

// Little-endian 32-bit.
constexpr uint32_t LoadLe32(const uint8_t* p) {
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}
inline void AppendLe32(Bytes& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

}  // namespace vigil

#endif  // VIGIL_CORE_ENDIAN_H_
