// Internal: LMS / LM-OTS parameter sets, type codes, hashing and encoding helpers shared by
// HSS verification (hss_verify.cc) and signing (lms_sign.cc). RFC 8554 and SP 800-208.
#ifndef VIGIL_CRYPTO_PQ_LMS_PARAMS_H_
#define VIGIL_CRYPTO_PQ_LMS_PARAMS_H_

#include <cstring>
#include <initializer_list>
#include <string>

#include "pq/keccak.h"
#include "vigil/core/endian.h"
#include "vigil/core/bytes.h"
#include "vigil/core/result.h"
#include "vigil/crypto/hash.h"

namespace vigil::crypto::pq::lms {

constexpr uint16_t kDPblc = 0x8080;
constexpr uint16_t kDMesg = 0x8181;
constexpr uint16_t kDLeaf = 0x8282;
constexpr uint16_t kDIntr = 0x8383;

enum class HashFn { kSha256, kShake256 };

struct OtsParams {
  HashFn hash;
  size_t n;
  int w, p, ls;
};
struct LmsParams {
  HashFn hash;
  size_t m;
  int h;
};

inline Result<OtsParams> OtsFor(uint32_t type) {
  // RFC 8554 Table 1 (types 1-4) and SP 800-208 (5-8 SHA-256/192, 9-12 SHAKE256/256,
  // 13-16 SHAKE256/192).
  static const int kW[4] = {1, 2, 4, 8};
  static const int kP32[4] = {265, 133, 67, 34};
  static const int kLs32[4] = {7, 6, 4, 0};
  static const int kP24[4] = {200, 101, 51, 26};
  static const int kLs24[4] = {8, 6, 4, 0};
  if (type < 1 || type > 16) {
    return InvalidArgumentError("lm-ots type " + std::to_string(type) + " is not defined");
  }
  const uint32_t group = (type - 1) / 4;
  const uint32_t i = (type - 1) % 4;
  const bool n24 = group == 1 || group == 3;
  return OtsParams{group >= 2 ? HashFn::kShake256 : HashFn::kSha256, n24 ? 24u : 32u, kW[i],
                   n24 ? kP24[i] : kP32[i], n24 ? kLs24[i] : kLs32[i]};
}

inline Result<LmsParams> LmsFor(uint32_t type) {
  // RFC 8554 Table 2 (5-9) and SP 800-208 (10-14 SHA-256/192, 15-19 SHAKE256/256,
  // 20-24 SHAKE256/192).
  if (type < 5 || type > 24) {
    return InvalidArgumentError("lms type " + std::to_string(type) + " is not defined");
  }
  const uint32_t group = (type - 5) / 5;
  const int h = 5 * static_cast<int>((type - 5) % 5 + 1);
  const bool m24 = group == 1 || group == 3;
  return LmsParams{group >= 2 ? HashFn::kShake256 : HashFn::kSha256, m24 ? 24u : 32u, h};
}

// H(pieces...) truncated to n bytes.
inline void Hash(HashFn fn, size_t n, std::initializer_list<ByteView> pieces, uint8_t* out) {
  if (fn == HashFn::kSha256) {
    Sha256Digest d = Sha256(pieces);
    std::memcpy(out, d.data(), n);
    return;
  }
  internal::Sponge s = internal::Sponge::Shake256();
  for (ByteView p : pieces) s.Absorb(p);
  s.Squeeze({out, n});
}

using vigil::LoadBe32;
using vigil::StoreBe32;

inline int Coef(const uint8_t* s, int i, int w) {
  return ((1 << w) - 1) & (s[(i * w) / 8] >> (8 - (w * (i % (8 / w)) + w)));
}


}  // namespace vigil::crypto::pq::lms

#endif  // VIGIL_CRYPTO_PQ_LMS_PARAMS_H_
