// Internal: one LMS tree for signing (RFC 8554 §5), with the one-time keys derived from
// (I, SEED) as in RFC 8554 Appendix A: x_q[i] = H(I || u32(q) || u16(i) || u8(0xff) || SEED),
// and the LM-OTS randomizer C = H(I || u32(q) || u16(0xfffd) || u8(0xff) || SEED) (the
// derivation of the reference implementation, so RFC 8554 Appendix F reproduces). The whole
// tree is kept in memory (2^(h+1) · m bytes: 64 KiB for H10, 64 MiB for H20) so signing costs
// one LM-OTS signature. This class does NOT track which leaves were used: HssSigner does.
#ifndef VIGIL_CRYPTO_PQ_LMS_SIGN_H_
#define VIGIL_CRYPTO_PQ_LMS_SIGN_H_

#include <array>
#include <vector>

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"
#include "vigil/crypto/secret_bytes.h"

namespace vigil::crypto::pq::lms {

class LmsTree {
 public:
  // Builds the tree. InvalidArgument for unknown or mismatched types, or a seed that is not
  // n bytes.
  static Result<LmsTree> Build(uint32_t lms_type, uint32_t ots_type, ByteView id16,
                               const SecretBytes& seed);
  // u32 type || u32 otstype || I || T[1]
  const Bytes& PublicKey() const { return public_key_; }
  uint32_t leaves() const { return 1u << height_; }
  // The LMS signature of `message` with leaf q. InvalidArgument if q >= leaves().
  Result<Bytes> Sign(uint32_t q, ByteView message) const;

 private:
  LmsTree() = default;
  uint32_t lms_type_ = 0, ots_type_ = 0;
  int height_ = 0;
  std::array<uint8_t, 16> id_{};
  SecretBytes seed_;
  std::vector<uint8_t> nodes_;  // node r (1-based heap order) at (r · m)
  size_t m_ = 0;
  Bytes public_key_;
};

}  // namespace vigil::crypto::pq::lms

#endif  // VIGIL_CRYPTO_PQ_LMS_SIGN_H_
