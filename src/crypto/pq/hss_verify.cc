// HSS/LMS verification per RFC 8554 §4-6 (LM-OTS Algorithm 4b, LMS Algorithm 6a, HSS §6.3) with
// the SP 800-208 parameter sets.
#include <cstring>

#include "pq/lms_params.h"
#include "pq/lms_sha256.h"
#include "vigil/crypto/hash.h"
#include "vigil/crypto/pq/hss.h"

namespace vigil::crypto::pq {
namespace {

using namespace lms;  // NOLINT: the parameter helpers shared with the signer

size_t OtsSigLen(const OtsParams& o) { return 4 + o.n + static_cast<size_t>(o.p) * o.n; }
size_t LmsSigLen(const OtsParams& o, const LmsParams& l) {
  return 4 + OtsSigLen(o) + 4 + static_cast<size_t>(l.h) * l.m;
}

// LM-OTS Algorithm 4b: the candidate public key Kc.
void OtsCandidate(const OtsParams& o, const uint8_t* id, uint32_t q, ByteView message,
                  const uint8_t* sig, uint8_t* kc) {
  uint8_t qb[4];
  StoreBe32(qb, q);
  const uint8_t* c = sig + 4;
  uint8_t d_mesg[2] = {kDMesg >> 8, kDMesg & 0xff};
  uint8_t qa[34];  // Q || Cksm(Q)
  Hash(o.hash, o.n, {{id, 16}, {qb, 4}, {d_mesg, 2}, {c, o.n}, message}, qa);
  int sum = 0;
  const int max = (1 << o.w) - 1;
  for (int i = 0; i < static_cast<int>(o.n) * 8 / o.w; ++i) sum += max - Coef(qa, i, o.w);
  sum <<= o.ls;
  qa[o.n] = static_cast<uint8_t>(sum >> 8);
  qa[o.n + 1] = static_cast<uint8_t>(sum);
  std::vector<uint8_t> z(sig + 4 + o.n, sig + 4 + o.n + static_cast<size_t>(o.p) * o.n);
  if (o.hash == HashFn::kSha256) {
    // All p chains at once: with SHA-NI four advance together (one compression a step each).
    std::vector<lms::ChainJob> jobs(static_cast<size_t>(o.p));
    for (int i = 0; i < o.p; ++i) {
      jobs[static_cast<size_t>(i)] = {i, Coef(qa, i, o.w), max,
                                      z.data() + static_cast<size_t>(i) * o.n};
    }
    lms::Sha256Chains(id, qb, o.n, jobs.data(), jobs.size());
  } else {
    for (int i = 0; i < o.p; ++i) {
      uint8_t* tmp = z.data() + static_cast<size_t>(i) * o.n;
      uint8_t ib[2] = {static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
      for (int j = Coef(qa, i, o.w); j < max; ++j) {
        uint8_t jb = static_cast<uint8_t>(j);
        Hash(o.hash, o.n, {{id, 16}, {qb, 4}, {ib, 2}, {&jb, 1}, {tmp, o.n}}, tmp);
      }
    }
  }
  uint8_t d_pblc[2] = {kDPblc >> 8, kDPblc & 0xff};
  Hash(o.hash, o.n, {{id, 16}, {qb, 4}, {d_pblc, 2}, z}, kc);
}

// LMS Algorithm 6a over one LMS public key (type || otstype || I || T1) and signature.
Status LmsVerify(ByteView pub, ByteView message, ByteView sig) {
  if (pub.size() < 8) return UnauthenticatedError("lms: public key shorter than its type fields");
  VIGIL_ASSIGN_OR_RETURN(LmsParams l, LmsFor(LoadBe32(pub.data())));
  VIGIL_ASSIGN_OR_RETURN(OtsParams o, OtsFor(LoadBe32(pub.data() + 4)));
  if (pub.size() != 24 + l.m) {
    return UnauthenticatedError("lms: public key must be " + std::to_string(24 + l.m) +
                                " bytes, found " + std::to_string(pub.size()));
  }
  if (l.hash != o.hash || l.m != o.n) {
    return UnauthenticatedError("lms: LMS and LM-OTS types use different hash functions");
  }
  if (sig.size() < 8) return UnauthenticatedError("lms: signature shorter than its header");
  const uint32_t q = LoadBe32(sig.data());
  if (LoadBe32(sig.data() + 4) != LoadBe32(pub.data() + 4)) {
    return UnauthenticatedError("lms: signature LM-OTS type does not match the public key");
  }
  if (sig.size() != LmsSigLen(o, l)) {
    return UnauthenticatedError("lms: signature must be " + std::to_string(LmsSigLen(o, l)) +
                                " bytes, found " + std::to_string(sig.size()));
  }
  const uint8_t* lms_type = sig.data() + 4 + OtsSigLen(o);
  if (LoadBe32(lms_type) != LoadBe32(pub.data())) {
    return UnauthenticatedError("lms: signature LMS type does not match the public key");
  }
  if (q >= (1u << l.h)) {
    return UnauthenticatedError("lms: leaf index " + std::to_string(q) + " is outside a tree of 2^" +
                                std::to_string(l.h) + " leaves");
  }
  const uint8_t* id = pub.data() + 8;
  uint8_t tmp[32];
  OtsCandidate(o, id, q, message, sig.data() + 4, tmp);
  uint32_t node = (1u << l.h) + q;
  uint8_t nb[4];
  StoreBe32(nb, node);
  uint8_t d_leaf[2] = {kDLeaf >> 8, kDLeaf & 0xff};
  Hash(l.hash, l.m, {{id, 16}, {nb, 4}, {d_leaf, 2}, {tmp, l.m}}, tmp);
  const uint8_t* path = lms_type + 4;
  uint8_t d_intr[2] = {kDIntr >> 8, kDIntr & 0xff};
  for (int i = 0; node > 1; ++i, node /= 2) {
    StoreBe32(nb, node / 2);
    ByteView sibling(path + static_cast<size_t>(i) * l.m, l.m);
    if (node % 2 == 1) {
      Hash(l.hash, l.m, {{id, 16}, {nb, 4}, {d_intr, 2}, sibling, {tmp, l.m}}, tmp);
    } else {
      Hash(l.hash, l.m, {{id, 16}, {nb, 4}, {d_intr, 2}, {tmp, l.m}, sibling}, tmp);
    }
  }
  if (std::memcmp(tmp, pub.data() + 24, l.m) != 0) {
    return UnauthenticatedError("lms: computed root does not match the public key");
  }
  return OkStatus();
}

// Length of the LMS signature at the start of `sig` (from its own type fields), or 0.
size_t LmsSigLenAt(ByteView sig) {
  if (sig.size() < 8) return 0;
  auto o = OtsFor(LoadBe32(sig.data() + 4));
  if (!o) return 0;
  size_t lms_type_at = 4 + OtsSigLen(*o);
  if (sig.size() < lms_type_at + 4) return 0;
  auto l = LmsFor(LoadBe32(sig.data() + lms_type_at));
  if (!l) return 0;
  return LmsSigLen(*o, *l);
}

size_t LmsPubLenAt(ByteView pub) {
  if (pub.size() < 4) return 0;
  auto l = LmsFor(LoadBe32(pub.data()));
  return l ? 24 + l->m : 0;
}

class HssVerifyingKey final : public VerifyingKey {
 public:
  explicit HssVerifyingKey(Bytes pk) : pk_(std::move(pk)) {}
  AlgorithmId algorithm() const override { return AlgorithmId::kHssLms; }
  Status Verify(ByteView message, ByteView signature) const override {
    return HssVerify(pk_, message, signature);
  }
  Bytes Encode() const override { return pk_; }

 private:
  Bytes pk_;
};

}  // namespace

Status HssVerify(ByteView public_key, ByteView message, ByteView signature) {
  if (public_key.size() < 4) return UnauthenticatedError("hss: public key too short");
  const uint32_t levels = LoadBe32(public_key.data());
  if (levels < 1 || levels > 8) {
    return UnauthenticatedError("hss: public key has " + std::to_string(levels) +
                                " levels; 1 to 8 are allowed");
  }
  if (signature.size() < 4) return UnauthenticatedError("hss: signature too short");
  const uint32_t nspk = LoadBe32(signature.data());
  if (nspk + 1 != levels) {
    return UnauthenticatedError("hss: signature has " + std::to_string(nspk + 1) +
                                " levels, public key " + std::to_string(levels));
  }
  ByteView key = public_key.subspan(4);
  ByteView rest = signature.subspan(4);
  for (uint32_t i = 0; i < nspk; ++i) {
    const size_t sig_len = LmsSigLenAt(rest);
    if (sig_len == 0 || sig_len > rest.size()) {
      return UnauthenticatedError("hss: signature " + std::to_string(i) + " is malformed");
    }
    ByteView sig = rest.first(sig_len);
    rest = rest.subspan(sig_len);
    const size_t pub_len = LmsPubLenAt(rest);
    if (pub_len == 0 || pub_len > rest.size()) {
      return UnauthenticatedError("hss: public key " + std::to_string(i + 1) + " is malformed");
    }
    ByteView next = rest.first(pub_len);
    rest = rest.subspan(pub_len);
    Status s = LmsVerify(key, next, sig);
    if (!s) return UnauthenticatedError("hss level " + std::to_string(i) + ": " + s.error().message());
    key = next;
  }
  Status s = LmsVerify(key, message, rest);
  if (!s) return UnauthenticatedError("hss level " + std::to_string(nspk) + ": " + s.error().message());
  return OkStatus();
}

Result<std::unique_ptr<VerifyingKey>> HssPublicKey(ByteView encoded) {
  if (encoded.size() < 12) {
    return InvalidArgumentError("hss: public key shorter than its 12 bytes of type fields, found " +
                                std::to_string(encoded.size()));
  }
  const uint32_t levels = LoadBe32(encoded.data());
  if (levels < 1 || levels > 8) {
    return InvalidArgumentError("hss: public key levels must be 1..8, found " +
                                std::to_string(levels));
  }
  auto l = LmsFor(LoadBe32(encoded.data() + 4));
  if (!l) return l.error().WithContext("hss public key");
  auto o = OtsFor(LoadBe32(encoded.data() + 8));
  if (!o) return o.error().WithContext("hss public key");
  if (encoded.size() != 28 + l->m) {
    return InvalidArgumentError("hss: public key must be " + std::to_string(28 + l->m) +
                                " bytes, found " + std::to_string(encoded.size()));
  }
  return std::unique_ptr<VerifyingKey>(new HssVerifyingKey(Bytes(encoded.begin(), encoded.end())));
}

}  // namespace vigil::crypto::pq
