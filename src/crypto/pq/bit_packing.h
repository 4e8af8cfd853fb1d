// Little-endian bit packing of fixed-width values (FIPS 203 ByteEncode_d / ByteDecode_d,
// FIPS 204 SimpleBitPack / BitPack), in groups of eight values, which fill exactly `Bits`
// bytes. With Bits a constant the loops unroll into fixed shifts and stores: callers dispatch
// on their (public) width once per polynomial. No branch or index depends on the values.
#ifndef VIGIL_CRYPTO_PQ_BIT_PACKING_H_
#define VIGIL_CRYPTO_PQ_BIT_PACKING_H_

#include <cstdint>

namespace vigil::crypto::pq::internal {

// Packs v[0, count) (count a multiple of 8, each value below 2^Bits) into count · Bits / 8
// bytes.
template <int Bits, typename T>
void PackGroups(const T* v, int count, uint8_t* out) {
  for (int g = 0; g < count; g += 8, v += 8, out += Bits) {
    uint64_t acc = 0;
    int n = 0, o = 0;
#pragma GCC unroll 8
    for (int i = 0; i < 8; ++i) {
      acc |= uint64_t{v[i]} << n;
      n += Bits;
#pragma GCC unroll 4
      for (; n >= 8; n -= 8, acc >>= 8) out[o++] = static_cast<uint8_t>(acc);
    }
  }
}

// The inverse: count values (a multiple of 8) of Bits bits each from count · Bits / 8 bytes.
template <int Bits, typename T>
void UnpackGroups(const uint8_t* in, int count, T* v) {
  constexpr uint64_t kMask = (uint64_t{1} << Bits) - 1;
  for (int g = 0; g < count; g += 8, v += 8, in += Bits) {
    uint64_t acc = 0;
    int n = 0, o = 0;
#pragma GCC unroll 8
    for (int i = 0; i < 8; ++i) {
#pragma GCC unroll 4
      for (; n < Bits; n += 8) acc |= uint64_t{in[o++]} << n;
      v[i] = static_cast<T>(acc & kMask);
      acc >>= Bits;
      n -= Bits;
    }
  }
}

}  // namespace vigil::crypto::pq::internal

#endif  // VIGIL_CRYPTO_PQ_BIT_PACKING_H_
