// Single-block SHA-256 (FIPS 180-4 §6.2) with an x86 SHA-NI path chosen at run time.
#include "pq/lms_sha256.h"

#include <cstring>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace vigil::crypto::pq::lms {
namespace {

alignas(16) constexpr uint32_t kK[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2};

constexpr uint32_t kIv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                             0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

inline uint32_t Rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

#if defined(__x86_64__)
__attribute__((target("sha,sse4.1"))) void CompressShaNi(uint32_t state[8],
                                                         const uint8_t block[64]) {
  const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i tmp = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state));
  __m128i s1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4));
  tmp = _mm_shuffle_epi32(tmp, 0xB1);          // CDAB
  s1 = _mm_shuffle_epi32(s1, 0x1B);            // EFGH
  __m128i s0 = _mm_alignr_epi8(tmp, s1, 8);    // ABEF
  s1 = _mm_blend_epi16(s1, tmp, 0xF0);         // CDGH
  const __m128i save0 = s0, save1 = s1;
  __m128i w[16];
  for (int k = 0; k < 4; ++k) {
    w[k] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * k)),
                            mask);
  }
  for (int k = 4; k < 16; ++k) {
    __m128i x = _mm_sha256msg1_epu32(w[k - 4], w[k - 3]);
    x = _mm_add_epi32(x, _mm_alignr_epi8(w[k - 1], w[k - 2], 4));
    w[k] = _mm_sha256msg2_epu32(x, w[k - 1]);
  }
  for (int k = 0; k < 16; ++k) {
    __m128i msg =
        _mm_add_epi32(w[k], _mm_load_si128(reinterpret_cast<const __m128i*>(kK + 4 * k)));
    s1 = _mm_sha256rnds2_epu32(s1, s0, msg);
    msg = _mm_shuffle_epi32(msg, 0x0E);
    s0 = _mm_sha256rnds2_epu32(s0, s1, msg);
  }
  s0 = _mm_add_epi32(s0, save0);
  s1 = _mm_add_epi32(s1, save1);
  tmp = _mm_shuffle_epi32(s0, 0x1B);           // FEBA
  s1 = _mm_shuffle_epi32(s1, 0xB1);            // DCHG
  s0 = _mm_blend_epi16(tmp, s1, 0xF0);         // DCBA
  s1 = _mm_alignr_epi8(s1, tmp, 8);            // HGFE
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), s0);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), s1);
}

// Four independent compressions from the IV, interleaved round by round.
__attribute__((target("sha,sse4.1"))) void CompressShaNiFromIv4(uint32_t out[4][8],
                                                                const uint8_t* const block[4]) {
  constexpr int kLanes = 4;
  const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  // ABEF / CDGH forms of the IV.
  const __m128i iv0 = _mm_set_epi32(0x6a09e667, 0xbb67ae85, 0x510e527f, 0x9b05688c);
  const __m128i iv1 = _mm_set_epi32(0x3c6ef372, 0xa54ff53a, 0x1f83d9ab, 0x5be0cd19);
  __m128i s0[kLanes], s1[kLanes], w[kLanes][16];
  for (int l = 0; l < kLanes; ++l) {
    s0[l] = iv0;
    s1[l] = iv1;
    for (int k = 0; k < 4; ++k) {
      w[l][k] = _mm_shuffle_epi8(
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(block[l] + 16 * k)), mask);
    }
  }
  for (int k = 0; k < 16; ++k) {
    const __m128i kk = _mm_load_si128(reinterpret_cast<const __m128i*>(kK + 4 * k));
    for (int l = 0; l < kLanes; ++l) {
      if (k >= 4) {
        __m128i x = _mm_sha256msg1_epu32(w[l][k - 4], w[l][k - 3]);
        x = _mm_add_epi32(x, _mm_alignr_epi8(w[l][k - 1], w[l][k - 2], 4));
        w[l][k] = _mm_sha256msg2_epu32(x, w[l][k - 1]);
      }
      __m128i msg = _mm_add_epi32(w[l][k], kk);
      s1[l] = _mm_sha256rnds2_epu32(s1[l], s0[l], msg);
      msg = _mm_shuffle_epi32(msg, 0x0E);
      s0[l] = _mm_sha256rnds2_epu32(s0[l], s1[l], msg);
    }
  }
  for (int l = 0; l < kLanes; ++l) {
    __m128i a = _mm_add_epi32(s0[l], iv0), b = _mm_add_epi32(s1[l], iv1);
    __m128i tmp = _mm_shuffle_epi32(a, 0x1B);  // FEBA
    b = _mm_shuffle_epi32(b, 0xB1);            // DCHG
    a = _mm_blend_epi16(tmp, b, 0xF0);         // DCBA
    b = _mm_alignr_epi8(b, tmp, 8);            // HGFE
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out[l]), a);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out[l] + 4), b);
  }
}

bool DetectShaNi() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
  const bool sha = (b >> 29) & 1;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
  const bool sse41 = (c >> 19) & 1, ssse3 = (c >> 9) & 1;
  return sha && sse41 && ssse3;
}
#else
// No SHA-NI off x86-64 (aarch64 devices among them): Sha256Compress runs the portable rounds and
// Sha256Chains advances one chain at a time. Both live outside this #if so every target
// compiles and tests them.
bool DetectShaNi() { return false; }
#endif

const bool kUseShaNi = DetectShaNi();

}  // namespace

void Sha256CompressPortable(uint32_t state[8], const uint8_t block[64]) {
  uint32_t w[64];
  for (int t = 0; t < 16; ++t) {
    w[t] = (uint32_t{block[4 * t]} << 24) | (uint32_t{block[4 * t + 1]} << 16) |
           (uint32_t{block[4 * t + 2]} << 8) | block[4 * t + 3];
  }
  for (int t = 16; t < 64; ++t) {
    const uint32_t s0 = Rotr(w[t - 15], 7) ^ Rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    const uint32_t s1 = Rotr(w[t - 2], 17) ^ Rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  for (int t = 0; t < 64; ++t) {
    const uint32_t t1 =
        h + (Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25)) + ((e & f) ^ (~e & g)) + kK[t] + w[t];
    const uint32_t t2 = (Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
}

bool Sha256HasShaNi() { return kUseShaNi; }

void Sha256Compress(uint32_t state[8], const uint8_t block[64]) {
#if defined(__x86_64__)
  if (kUseShaNi) {
    CompressShaNi(state, block);
    return;
  }
#endif
  Sha256CompressPortable(state, block);
}

void Sha256Short(const uint8_t* msg, size_t len, uint8_t out[32]) {
  uint8_t block[64] = {};
  if (len != 0) std::memcpy(block, msg, len);
  block[len] = 0x80;
  const uint64_t bits = uint64_t{len} * 8;
  block[62] = static_cast<uint8_t>(bits >> 8);
  block[63] = static_cast<uint8_t>(bits);
  uint32_t state[8];
  std::memcpy(state, kIv, sizeof state);
  Sha256Compress(state, block);
  for (int i = 0; i < 8; ++i) {
    out[4 * i] = static_cast<uint8_t>(state[i] >> 24);
    out[4 * i + 1] = static_cast<uint8_t>(state[i] >> 16);
    out[4 * i + 2] = static_cast<uint8_t>(state[i] >> 8);
    out[4 * i + 3] = static_cast<uint8_t>(state[i]);
  }
}

void Sha256Chain(const uint8_t id[16], const uint8_t q[4], int i, int from, int to, size_t n,
                 uint8_t* tmp) {
  if (from >= to) return;
  // The block stays in place across steps: only j and the n-byte value change.
  uint8_t block[64] = {};
  std::memcpy(block, id, 16);
  std::memcpy(block + 16, q, 4);
  block[20] = static_cast<uint8_t>(i >> 8);
  block[21] = static_cast<uint8_t>(i);
  std::memcpy(block + 23, tmp, n);
  const size_t len = 23 + n;
  block[len] = 0x80;
  const uint64_t bits = uint64_t{len} * 8;
  block[62] = static_cast<uint8_t>(bits >> 8);
  block[63] = static_cast<uint8_t>(bits);
  for (int j = from; j < to; ++j) {
    block[22] = static_cast<uint8_t>(j);
    uint32_t state[8];
    std::memcpy(state, kIv, sizeof state);
    Sha256Compress(state, block);
    for (size_t w = 0; w < n / 4; ++w) {
      block[23 + 4 * w] = static_cast<uint8_t>(state[w] >> 24);
      block[24 + 4 * w] = static_cast<uint8_t>(state[w] >> 16);
      block[25 + 4 * w] = static_cast<uint8_t>(state[w] >> 8);
      block[26 + 4 * w] = static_cast<uint8_t>(state[w]);
    }
  }
  std::memcpy(tmp, block + 23, n);
}

#if defined(__x86_64__)
namespace {

// One chain's block (I || q || i || j || tmp || padding) and progress.
struct Lane {
  alignas(16) uint8_t block[64];
  int j = 0, to = 0;
  uint8_t* out = nullptr;
  bool active = false;
};

void StartLane(const uint8_t id[16], const uint8_t q[4], size_t n, const ChainJob& job,
               Lane& lane) {
  std::memset(lane.block, 0, sizeof lane.block);
  std::memcpy(lane.block, id, 16);
  std::memcpy(lane.block + 16, q, 4);
  lane.block[20] = static_cast<uint8_t>(job.i >> 8);
  lane.block[21] = static_cast<uint8_t>(job.i);
  std::memcpy(lane.block + 23, job.tmp, n);
  const size_t len = 23 + n;
  lane.block[len] = 0x80;
  lane.block[62] = static_cast<uint8_t>((len * 8) >> 8);
  lane.block[63] = static_cast<uint8_t>(len * 8);
  lane.j = job.from;
  lane.to = job.to;
  lane.out = job.tmp;
  lane.active = true;
}

}  // namespace
#endif

void Sha256Chains(const uint8_t id[16], const uint8_t q[4], size_t n, const ChainJob* jobs,
                  size_t count) {
#if defined(__x86_64__)
  if (kUseShaNi) {
    Lane lanes[4];
    size_t next = 0;
    auto refill = [&](Lane& lane) {
      lane.active = false;
      while (next < count) {
        const ChainJob& job = jobs[next++];
        if (job.from < job.to) {
          StartLane(id, q, n, job, lane);
          return;
        }
      }
    };
    for (Lane& lane : lanes) refill(lane);
    const uint8_t* blocks[4] = {lanes[0].block, lanes[1].block, lanes[2].block, lanes[3].block};
    for (;;) {
      int active = 0;
      for (Lane& lane : lanes) {
        if (!lane.active) continue;
        lane.block[22] = static_cast<uint8_t>(lane.j);
        ++active;
      }
      if (active == 0) return;
      uint32_t out[4][8];
      CompressShaNiFromIv4(out, blocks);  // idle lanes compute on stale blocks, ignored
      for (int l = 0; l < 4; ++l) {
        Lane& lane = lanes[l];
        if (!lane.active) continue;
        for (size_t w = 0; w < n / 4; ++w) {
          lane.block[23 + 4 * w] = static_cast<uint8_t>(out[l][w] >> 24);
          lane.block[24 + 4 * w] = static_cast<uint8_t>(out[l][w] >> 16);
          lane.block[25 + 4 * w] = static_cast<uint8_t>(out[l][w] >> 8);
          lane.block[26 + 4 * w] = static_cast<uint8_t>(out[l][w]);
        }
        if (++lane.j == lane.to) {
          std::memcpy(lane.out, lane.block + 23, n);
          refill(lane);
        }
      }
    }
  }
#endif
  for (size_t k = 0; k < count; ++k) {
    Sha256Chain(id, q, jobs[k].i, jobs[k].from, jobs[k].to, n, jobs[k].tmp);
  }
}

}  // namespace vigil::crypto::pq::lms
