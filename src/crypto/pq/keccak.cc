#include "pq/keccak.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "pq/vector_path.h"
#include "vigil/crypto/secret_bytes.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace vigil::crypto::pq::internal {
namespace {

constexpr uint64_t kRoundConstants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};

// ρ offsets and π positions, in the order lanes are visited by the combined ρπ step.
constexpr int kRho[24] = {1,  3,  6,  10, 15, 21, 28, 36, 45, 55, 2,  14,
                          27, 41, 56, 8,  25, 43, 62, 18, 39, 61, 20, 44};
constexpr int kPi[24] = {10, 7,  11, 17, 18, 3, 5,  16, 8,  21, 24, 4,
                         15, 23, 19, 13, 12, 2, 20, 14, 22, 9,  6,  1};

inline uint64_t Rotl(uint64_t x, int n) { return (x << n) | (x >> (64 - n)); }

}  // namespace

// Written with constant indexes in fully unrolled loops, so the 25 lanes live in registers:
// a loop with `% 5` index arithmetic ran four times slower.
void KeccakF1600(std::array<uint64_t, 25>& state) {
  uint64_t a[25];
#pragma GCC unroll 25
  for (int i = 0; i < 25; ++i) a[i] = state[i];
  for (uint64_t rc : kRoundConstants) {
    uint64_t c[5], d[5];
#pragma GCC unroll 5
    for (int x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    d[0] = c[4] ^ Rotl(c[1], 1);
    d[1] = c[0] ^ Rotl(c[2], 1);
    d[2] = c[1] ^ Rotl(c[3], 1);
    d[3] = c[2] ^ Rotl(c[4], 1);
    d[4] = c[3] ^ Rotl(c[0], 1);
#pragma GCC unroll 25
    for (int i = 0; i < 25; ++i) a[i] ^= d[i % 5];
    uint64_t t = a[1];
#pragma GCC unroll 24
    for (int i = 0; i < 24; ++i) {
      uint64_t next = a[kPi[i]];
      a[kPi[i]] = Rotl(t, kRho[i]);
      t = next;
    }
#pragma GCC unroll 5
    for (int y = 0; y < 25; y += 5) {
      const uint64_t r0 = a[y], r1 = a[y + 1], r2 = a[y + 2], r3 = a[y + 3], r4 = a[y + 4];
      a[y] = r0 ^ (~r1 & r2);
      a[y + 1] = r1 ^ (~r2 & r3);
      a[y + 2] = r2 ^ (~r3 & r4);
      a[y + 3] = r3 ^ (~r4 & r0);
      a[y + 4] = r4 ^ (~r0 & r1);
    }
    a[0] ^= rc;
  }
#pragma GCC unroll 25
  for (int i = 0; i < 25; ++i) state[i] = a[i];
}

namespace {

inline uint64_t Load64Le(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

inline void Store64Le(uint8_t* p, uint64_t v) {
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  std::memcpy(p, &v, 8);
}

// state bytes [pos, pos + n) ^= src[0, n), lane by lane where aligned.
void XorBytes(std::array<uint64_t, 25>& state, size_t pos, const uint8_t* src, size_t n) {
  size_t i = 0;
  while (i < n && pos % 8 != 0) {
    state[pos / 8] ^= uint64_t{src[i++]} << (8 * (pos % 8));
    ++pos;
  }
  for (; n - i >= 8; i += 8, pos += 8) state[pos / 8] ^= Load64Le(src + i);
  for (; i < n; ++i, ++pos) state[pos / 8] ^= uint64_t{src[i]} << (8 * (pos % 8));
}

// out[0, n) = state bytes [pos, pos + n).
void ExtractBytes(const std::array<uint64_t, 25>& state, size_t pos, uint8_t* out, size_t n) {
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(out, reinterpret_cast<const uint8_t*>(state.data()) + pos, n);  // NOLINT
  } else {
    for (size_t i = 0; i < n; ++i, ++pos) {
      out[i] = static_cast<uint8_t>(state[pos / 8] >> (8 * (pos % 8)));
    }
  }
}

}  // namespace

void Sponge::Absorb(ByteView data) {
  size_t i = 0;
  while (i < data.size()) {
    const size_t n = std::min(rate_ - pos_, data.size() - i);
    XorBytes(state_, pos_, data.data() + i, n);
    pos_ += n;
    i += n;
    if (pos_ == rate_) {
      KeccakF1600(state_);
      pos_ = 0;
    }
  }
}

void Sponge::Finish() {
  state_[pos_ / 8] ^= uint64_t{domain_} << (8 * (pos_ % 8));
  state_[(rate_ - 1) / 8] ^= uint64_t{0x80} << (8 * ((rate_ - 1) % 8));
  KeccakF1600(state_);
  pos_ = 0;
  squeezing_ = true;
}

void Sponge::Squeeze(std::span<uint8_t> out) {
  if (!squeezing_) Finish();
  size_t i = 0;
  while (i < out.size()) {
    if (pos_ == rate_) {
      KeccakF1600(state_);
      pos_ = 0;
    }
    const size_t n = std::min(rate_ - pos_, out.size() - i);
    ExtractBytes(state_, pos_, out.data() + i, n);
    pos_ += n;
    i += n;
  }
}

namespace {

#if defined(__x86_64__)
__attribute__((target("avx2"))) inline __m256i Rotl4(__m256i x, int n) {
  return _mm256_or_si256(_mm256_slli_epi64(x, n), _mm256_srli_epi64(x, 64 - n));
}

// The 25 lane vectors of four interleaved states, in and out of registers.
__attribute__((target("avx2"))) inline void LoadLanes(const KeccakX4& state, __m256i a[25]) {
#pragma GCC unroll 25
  for (int i = 0; i < 25; ++i) {
    a[i] = _mm256_load_si256(reinterpret_cast<const __m256i*>(state.lanes[i].data()));
  }
}

__attribute__((target("avx2"))) inline void StoreLanes(const __m256i a[25], KeccakX4& state) {
#pragma GCC unroll 25
  for (int i = 0; i < 25; ++i) {
    _mm256_store_si256(reinterpret_cast<__m256i*>(state.lanes[i].data()), a[i]);
  }
}

// The same round structure as KeccakF1600, on four states at once.
__attribute__((target("avx2"))) void KeccakF1600x4Avx2(KeccakX4& state) {
  __m256i a[25];
  LoadLanes(state, a);
  for (uint64_t rc : kRoundConstants) {
    __m256i c[5], d[5];
#pragma GCC unroll 5
    for (int x = 0; x < 5; ++x) {
      c[x] = _mm256_xor_si256(_mm256_xor_si256(a[x], a[x + 5]),
                              _mm256_xor_si256(_mm256_xor_si256(a[x + 10], a[x + 15]), a[x + 20]));
    }
#pragma GCC unroll 5
    for (int x = 0; x < 5; ++x) d[x] = _mm256_xor_si256(c[(x + 4) % 5], Rotl4(c[(x + 1) % 5], 1));
#pragma GCC unroll 25
    for (int i = 0; i < 25; ++i) a[i] = _mm256_xor_si256(a[i], d[i % 5]);
    __m256i t = a[1];
#pragma GCC unroll 24
    for (int i = 0; i < 24; ++i) {
      const __m256i next = a[kPi[i]];
      a[kPi[i]] = Rotl4(t, kRho[i]);
      t = next;
    }
#pragma GCC unroll 5
    for (int y = 0; y < 25; y += 5) {
      const __m256i r0 = a[y], r1 = a[y + 1], r2 = a[y + 2], r3 = a[y + 3], r4 = a[y + 4];
      a[y] = _mm256_xor_si256(r0, _mm256_andnot_si256(r1, r2));
      a[y + 1] = _mm256_xor_si256(r1, _mm256_andnot_si256(r2, r3));
      a[y + 2] = _mm256_xor_si256(r2, _mm256_andnot_si256(r3, r4));
      a[y + 3] = _mm256_xor_si256(r3, _mm256_andnot_si256(r4, r0));
      a[y + 4] = _mm256_xor_si256(r4, _mm256_andnot_si256(r0, r1));
    }
    a[0] = _mm256_xor_si256(a[0], _mm256_set1_epi64x(static_cast<long long>(rc)));
  }
  StoreLanes(a, state);
}

// The same again with AVX-512VL on the same 256-bit registers: θ's five-way parities in two
// three-input XORs (vpternlogq 0x96), χ's a ^ (~b & c) in one (vpternlogq 0xD2), and ρ's rotates
// as single instructions (vprolq) instead of two shifts and an OR.
__attribute__((target("avx2,avx512f,avx512vl"))) void KeccakF1600x4Avx512Impl(KeccakX4& state) {
  __m256i a[25];
  LoadLanes(state, a);
  for (uint64_t rc : kRoundConstants) {
    __m256i c[5], d[5];
#pragma GCC unroll 5
    for (int x = 0; x < 5; ++x) {
      c[x] = _mm256_ternarylogic_epi64(
          _mm256_ternarylogic_epi64(a[x], a[x + 5], a[x + 10], 0x96), a[x + 15], a[x + 20], 0x96);
    }
#pragma GCC unroll 5
    for (int x = 0; x < 5; ++x) {
      d[x] = _mm256_xor_si256(c[(x + 4) % 5], _mm256_rol_epi64(c[(x + 1) % 5], 1));
    }
#pragma GCC unroll 25
    for (int i = 0; i < 25; ++i) a[i] = _mm256_xor_si256(a[i], d[i % 5]);
    __m256i t = a[1];
#pragma GCC unroll 24
    for (int i = 0; i < 24; ++i) {
      const __m256i next = a[kPi[i]];
      a[kPi[i]] = _mm256_rolv_epi64(t, _mm256_set1_epi64x(kRho[i]));
      t = next;
    }
#pragma GCC unroll 5
    for (int y = 0; y < 25; y += 5) {
      const __m256i r0 = a[y], r1 = a[y + 1], r2 = a[y + 2], r3 = a[y + 3], r4 = a[y + 4];
      a[y] = _mm256_ternarylogic_epi64(r0, r1, r2, 0xD2);
      a[y + 1] = _mm256_ternarylogic_epi64(r1, r2, r3, 0xD2);
      a[y + 2] = _mm256_ternarylogic_epi64(r2, r3, r4, 0xD2);
      a[y + 3] = _mm256_ternarylogic_epi64(r3, r4, r0, 0xD2);
      a[y + 4] = _mm256_ternarylogic_epi64(r4, r0, r1, 0xD2);
    }
    a[0] = _mm256_xor_si256(a[0], _mm256_set1_epi64x(static_cast<long long>(rc)));
  }
  StoreLanes(a, state);
}

#endif

}  // namespace

bool KeccakX4HasAvx2() { return UseAvx2(); }

void KeccakF1600x4(KeccakX4& state) {
#if defined(__x86_64__)
  if (UseAvx512()) {
    KeccakF1600x4Avx512Impl(state);
    return;
  }
  if (UseAvx2()) {
    KeccakF1600x4Avx2(state);
    return;
  }
#endif
  KeccakF1600x4Portable(state);
}

bool KeccakF1600x4Variant(KeccakX4Variant variant, KeccakX4& state) {
#if defined(__x86_64__)
  if (variant == KeccakX4Variant::kAvx512) {
    if (!CpuHasAvx512()) return false;
    KeccakF1600x4Avx512Impl(state);
    return true;
  }
  if (!CpuHasAvx2()) return false;
  KeccakF1600x4Avx2(state);
  return true;
#else
  (void)variant;
  (void)state;
  return false;
#endif
}

void KeccakF1600x4Portable(KeccakX4& state) {
  for (size_t s = 0; s < 4; ++s) {
    std::array<uint64_t, 25> one;
    for (size_t i = 0; i < 25; ++i) one[i] = state.lanes[i][s];
    KeccakF1600(one);
    for (size_t i = 0; i < 25; ++i) state.lanes[i][s] = one[i];
  }
}

template <size_t Rate>
ShakeX4<Rate>::ShakeX4(const uint8_t* const in[4], size_t len) {
  for (size_t s = 0; s < 4; ++s) {
    std::array<uint64_t, 25> one{};
    XorBytes(one, 0, in[s], len);
    one[len / 8] ^= uint64_t{0x1f} << (8 * (len % 8));
    one[(kRate - 1) / 8] ^= uint64_t{0x80} << (8 * ((kRate - 1) % 8));
    for (size_t i = 0; i < 25; ++i) state_.lanes[i][s] = one[i];
  }
}

template <size_t Rate>
void ShakeX4<Rate>::SqueezeBlocks(uint8_t* const out[4], size_t blocks) {
  for (size_t b = 0; b < blocks; ++b) {
    KeccakF1600x4(state_);
    for (size_t s = 0; s < 4; ++s) {
      for (size_t i = 0; i < kRate / 8; ++i)
        Store64Le(out[s] + b * kRate + 8 * i, state_.lanes[i][s]);
    }
  }
}

template class ShakeX4<168>;
template class ShakeX4<136>;

void Sha3_256(ByteView in, uint8_t out[32]) {
  Sponge s = Sponge::Sha3_256();
  s.Absorb(in);
  s.Squeeze({out, 32});
}

void Sha3_512(ByteView in, uint8_t out[64]) {
  Sponge s = Sponge::Sha3_512();
  s.Absorb(in);
  s.Squeeze({out, 64});
}

void Shake256(ByteView in, std::span<uint8_t> out) {
  Sponge s = Sponge::Shake256();
  s.Absorb(in);
  s.Squeeze(out);
}

namespace {

// Runs one group of Shake256Batch: lanes[j] indexes in/out; repeated indexes are spare lanes
// whose output is computed and dropped.
void Shake256Group(std::span<const ByteView> in, std::span<const std::span<uint8_t>> out,
                   const size_t lanes[4], size_t real) {
  const uint8_t* ins[4];
  size_t bytes = 0;
  for (size_t j = 0; j < 4; ++j) {
    ins[j] = in[lanes[j]].data();
    bytes = std::max(bytes, out[lanes[j]].size());
  }
  Shake256x4 xof(ins, in[lanes[0]].size());
  uint8_t block[4][Shake256x4::kRate];
  uint8_t* const blocks[4] = {block[0], block[1], block[2], block[3]};
  for (size_t offset = 0; offset < bytes; offset += Shake256x4::kRate) {
    xof.SqueezeBlocks(blocks, 1);
    for (size_t j = 0; j < real; ++j) {
      std::span<uint8_t> o = out[lanes[j]];
      if (offset < o.size()) {
        std::memcpy(o.data() + offset, block[j], std::min(Shake256x4::kRate, o.size() - offset));
      }
    }
  }
  SecureZero({&block[0][0], sizeof block});  // may be secret (noise, masks)
}

}  // namespace

void Shake256Batch(std::span<const ByteView> in, std::span<const std::span<uint8_t>> out) {
  const size_t n = in.size();
  bool same_length = true;
  for (const ByteView& x : in) same_length = same_length && x.size() == in[0].size();
  size_t i = 0;
  if (n > 0 && same_length && in[0].size() < Shake256x4::kRate) {
    const size_t min_group = KeccakX4HasAvx2() ? 2 : 4;
    for (; n - i >= min_group; i += std::min<size_t>(4, n - i)) {
      const size_t real = std::min<size_t>(4, n - i);
      size_t lanes[4];
      for (size_t j = 0; j < 4; ++j) lanes[j] = i + (j < real ? j : 0);
      Shake256Group(in, out, lanes, real);
    }
  }
  for (; i < n; ++i) Shake256(in[i], out[i]);
}

}  // namespace vigil::crypto::pq::internal
