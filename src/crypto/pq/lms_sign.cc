#include "pq/lms_sign.h"

#include <algorithm>

#include "pq/ct_declassify.h"
#include "pq/lms_params.h"
#include "pq/lms_sha256.h"

namespace vigil::crypto::pq::lms {
namespace {

// x_q[i] (or, with i = 0xfffd, the randomizer C) per RFC 8554 Appendix A.
void Derive(const OtsParams& o, const uint8_t* id, uint32_t q, uint16_t i, ByteView seed,
            uint8_t* out) {
  uint8_t qb[4], ib[2] = {static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
  StoreBe32(qb, q);
  uint8_t ff = 0xff;
  Hash(o.hash, o.n, {{id, 16}, {qb, 4}, {ib, 2}, {&ff, 1}, seed}, out);
}

// Runs the chain for coefficient `i` from step `from` to `to` (exclusive) on `tmp`.
void Chain(const OtsParams& o, const uint8_t* id, const uint8_t qb[4], int i, int from, int to,
           uint8_t* tmp) {
  if (o.hash == HashFn::kSha256) {
    Sha256Chain(id, qb, i, from, to, o.n, tmp);  // one SHA-256 compression a step
    return;
  }
  uint8_t ib[2] = {static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
  for (int j = from; j < to; ++j) {
    uint8_t jb = static_cast<uint8_t>(j);
    Hash(o.hash, o.n, {{id, 16}, {qb, 4}, {ib, 2}, {&jb, 1}, {tmp, o.n}}, tmp);
  }
}

// The LM-OTS public key K for leaf q (RFC 8554 Algorithm 1).
void OtsPublicKey(const OtsParams& o, const uint8_t* id, uint32_t q, ByteView seed, uint8_t* k) {
  uint8_t qb[4];
  StoreBe32(qb, q);
  const int max = (1 << o.w) - 1;
  std::vector<uint8_t> y(static_cast<size_t>(o.p) * o.n);
  for (int i = 0; i < o.p; ++i) {
    Derive(o, id, q, static_cast<uint16_t>(i), seed, y.data() + static_cast<size_t>(i) * o.n);
  }
  if (o.hash == HashFn::kSha256) {
    // All p chains at once: with SHA-NI four advance together.
    std::vector<ChainJob> jobs(static_cast<size_t>(o.p));
    for (int i = 0; i < o.p; ++i) {
      jobs[static_cast<size_t>(i)] = {i, 0, max, y.data() + static_cast<size_t>(i) * o.n};
    }
    Sha256Chains(id, qb, o.n, jobs.data(), jobs.size());
  } else {
    for (int i = 0; i < o.p; ++i) {
      Chain(o, id, qb, i, 0, max, y.data() + static_cast<size_t>(i) * o.n);
    }
  }
  uint8_t d[2] = {kDPblc >> 8, kDPblc & 0xff};
  Hash(o.hash, o.n, {{id, 16}, {qb, 4}, {d, 2}, y}, k);
}

}  // namespace

Result<LmsTree> LmsTree::Build(uint32_t lms_type, uint32_t ots_type, ByteView id16,
                               const SecretBytes& seed) {
  VIGIL_ASSIGN_OR_RETURN(LmsParams l, LmsFor(lms_type));
  VIGIL_ASSIGN_OR_RETURN(OtsParams o, OtsFor(ots_type));
  if (l.hash != o.hash || l.m != o.n) {
    return InvalidArgumentError("lms: LMS type " + std::to_string(lms_type) + " and LM-OTS type " +
                                std::to_string(ots_type) + " use different hashes");
  }
  if (id16.size() != 16 || seed.size() != o.n) {
    return InvalidArgumentError("lms: I must be 16 bytes and SEED " + std::to_string(o.n));
  }
  LmsTree t;
  t.lms_type_ = lms_type;
  t.ots_type_ = ots_type;
  t.height_ = l.h;
  std::copy(id16.begin(), id16.end(), t.id_.begin());
  t.seed_ = seed;
  t.m_ = l.m;
  const uint32_t leaves = 1u << l.h;
  t.nodes_.assign(2 * static_cast<size_t>(leaves) * l.m, 0);
  uint8_t d_leaf[2] = {kDLeaf >> 8, kDLeaf & 0xff};
  uint8_t d_intr[2] = {kDIntr >> 8, kDIntr & 0xff};
  uint8_t k[32], rb[4];
  for (uint32_t q = 0; q < leaves; ++q) {
    OtsPublicKey(o, t.id_.data(), q, seed.Reveal(), k);
    StoreBe32(rb, leaves + q);
    Hash(l.hash, l.m, {{t.id_.data(), 16}, {rb, 4}, {d_leaf, 2}, {k, l.m}},
         t.nodes_.data() + (leaves + q) * l.m);
  }
  for (uint32_t r = leaves - 1; r >= 1; --r) {
    StoreBe32(rb, r);
    Hash(l.hash, l.m,
         {{t.id_.data(), 16},
          {rb, 4},
          {d_intr, 2},
          {t.nodes_.data() + 2 * r * l.m, l.m},
          {t.nodes_.data() + (2 * r + 1) * l.m, l.m}},
         t.nodes_.data() + r * l.m);
  }
  t.public_key_.resize(24 + l.m);
  StoreBe32(t.public_key_.data(), lms_type);
  StoreBe32(t.public_key_.data() + 4, ots_type);
  std::copy(t.id_.begin(), t.id_.end(), t.public_key_.begin() + 8);
  std::copy(t.nodes_.begin() + static_cast<std::ptrdiff_t>(l.m),
            t.nodes_.begin() + static_cast<std::ptrdiff_t>(2 * l.m), t.public_key_.begin() + 24);
  return t;
}

Result<Bytes> LmsTree::Sign(uint32_t q, ByteView message) const {
  if (q >= leaves()) {
    return InvalidArgumentError("lms: leaf " + std::to_string(q) + " outside the tree");
  }
  VIGIL_ASSIGN_OR_RETURN(OtsParams o, OtsFor(ots_type_));
  uint8_t qb[4];
  StoreBe32(qb, q);
  Bytes sig(4 + 4 + o.n + static_cast<size_t>(o.p) * o.n + 4 + static_cast<size_t>(height_) * m_);
  StoreBe32(sig.data(), q);
  StoreBe32(sig.data() + 4, ots_type_);
  uint8_t* c = sig.data() + 8;
  Derive(o, id_.data(), q, 0xfffd, seed_.Reveal(), c);
  uint8_t qa[34];  // RFC 8554 Algorithm 3
  uint8_t d_mesg[2] = {kDMesg >> 8, kDMesg & 0xff};
  Hash(o.hash, o.n, {{id_.data(), 16}, {qb, 4}, {d_mesg, 2}, {c, o.n}, message}, qa);
  // Q is computable by anyone holding the signature (C is published in it), so the chain
  // lengths it selects are public; the chains then run on the secret x_q[i].
  VIGIL_DECLASSIFY(qa, o.n);
  int sum = 0;
  const int max = (1 << o.w) - 1;
  for (int i = 0; i < static_cast<int>(o.n) * 8 / o.w; ++i) sum += max - Coef(qa, i, o.w);
  sum <<= o.ls;
  qa[o.n] = static_cast<uint8_t>(sum >> 8);
  qa[o.n + 1] = static_cast<uint8_t>(sum);
  std::vector<ChainJob> jobs;
  for (int i = 0; i < o.p; ++i) {
    uint8_t* y = c + o.n + static_cast<size_t>(i) * o.n;
    Derive(o, id_.data(), q, static_cast<uint16_t>(i), seed_.Reveal(), y);
    if (o.hash == HashFn::kSha256) {
      jobs.push_back({i, 0, Coef(qa, i, o.w), y});  // run below, four at a time with SHA-NI
    } else {
      Chain(o, id_.data(), qb, i, 0, Coef(qa, i, o.w), y);
    }
  }
  Sha256Chains(id_.data(), qb, o.n, jobs.data(), jobs.size());
  uint8_t* tail = c + o.n + static_cast<size_t>(o.p) * o.n;
  StoreBe32(tail, lms_type_);
  uint8_t* path = tail + 4;
  uint32_t node = leaves() + q;
  for (int i = 0; i < height_; ++i, node /= 2) {
    const uint32_t sibling = node ^ 1u;
    std::copy_n(nodes_.data() + sibling * m_, m_, path + static_cast<size_t>(i) * m_);
  }
  return sig;
}

}  // namespace vigil::crypto::pq::lms
