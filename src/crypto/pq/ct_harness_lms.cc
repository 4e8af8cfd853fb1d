// Constant-time check of LMS / LM-OTS key generation and signing (the ctgrind technique). Run
// under valgrind memcheck by ctest (src/crypto/CMakeLists.txt): the private SEED is marked
// undefined, so any branch or memory index that depends on it, or on anything derived from it,
// is reported as a use of uninitialised data and the test fails.
//
// What is public, and why each declassification below is legitimate:
//  - the identifier I, the leaf index q and the message: inputs the signature or the public key
//    carry in the clear (they are never marked undefined here);
//  - the message digest Q = H(I || u32(q) || D_MESG || C || message) and its checksum: C is
//    derived from SEED but is published as part of the signature, so Q, and the chain lengths
//    a_i = Coef(Q || Cksm(Q), i, w) it selects, are computable by anyone who sees the signature.
//    The chains then run a public number of steps on the secret x_q[i];
//  - the outputs (public key, signature), which are published.
// SHA-NI is selected by cpuid, which does not depend on secrets; under valgrind (which does not
// emulate SHA-NI) the portable compression runs, so both the Sha256Compress dispatch and the
// portable rounds are exercised here. OpenSSL computes the SHA-256 of the longer inputs.
//
// Coverage: LmsTree::Build (every LM-OTS public key: p full chains on secret values, then the
// Merkle tree) and LmsTree::Sign are checked whole (Sign declassifies Q with VIGIL_DECLASSIFY
// where the chain lengths are read). The harness also recomputes the signing steps on the
// internal primitives, in Sign's order, and compares them with Sign's output, so a Sign that
// skipped work on the secret would be noticed too.
#include <valgrind/memcheck.h>

#include <cstdio>
#include <cstring>
#include <vector>

#include "pq/lms_params.h"
#include "pq/lms_sha256.h"
#include "pq/lms_sign.h"

namespace {

namespace crypto = vigil::crypto;
namespace lms = vigil::crypto::pq::lms;

struct Case {
  uint32_t lms_type, ots_type;
  const char* name;
};

// H5 trees keep the run short; the code paths do not depend on the height.
constexpr Case kCases[] = {
    {5, 3, "LMS_SHA256_M32_H5 / LMOTS_SHA256_N32_W4"},
    {5, 4, "LMS_SHA256_M32_H5 / LMOTS_SHA256_N32_W8"},
    {10, 7, "LMS_SHA256_M24_H5 / LMOTS_SHA256_N24_W4"},
    {15, 11, "LMS_SHAKE_M32_H5 / LMOTS_SHAKE_N32_W4"},
};

void Derive(const lms::OtsParams& o, const uint8_t id[16], const uint8_t qb[4], uint16_t i,
            vigil::ByteView seed, uint8_t* out) {
  const uint8_t ib[2] = {static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
  const uint8_t ff = 0xff;
  lms::Hash(o.hash, o.n, {{id, 16}, {qb, 4}, {ib, 2}, {&ff, 1}, seed}, out);
}

// The LM-OTS signature of `message` with leaf q (RFC 8554 Algorithm 3 with the Appendix A key
// derivation), on the primitives LmsTree::Sign uses, declassifying Q where Sign should.
vigil::Bytes OtsSignSteps(const lms::OtsParams& o, const uint8_t id[16], uint32_t q,
                          vigil::ByteView seed, vigil::ByteView message) {
  uint8_t qb[4];
  lms::StoreBe32(qb, q);
  vigil::Bytes sig(o.n + static_cast<size_t>(o.p) * o.n);
  uint8_t* c = sig.data();
  Derive(o, id, qb, 0xfffd, seed, c);
  uint8_t qa[34];
  const uint8_t d_mesg[2] = {lms::kDMesg >> 8, lms::kDMesg & 0xff};
  lms::Hash(o.hash, o.n, {{id, 16}, {qb, 4}, {d_mesg, 2}, {c, o.n}, message}, qa);
  // Q is a function of C (published in the signature) and public values: see the file comment.
  VALGRIND_MAKE_MEM_DEFINED(qa, o.n);
  int sum = 0;
  const int max = (1 << o.w) - 1;
  for (int i = 0; i < static_cast<int>(o.n) * 8 / o.w; ++i) sum += max - lms::Coef(qa, i, o.w);
  sum <<= o.ls;
  qa[o.n] = static_cast<uint8_t>(sum >> 8);
  qa[o.n + 1] = static_cast<uint8_t>(sum);
  std::vector<lms::ChainJob> jobs;
  for (int i = 0; i < o.p; ++i) {
    uint8_t* y = c + o.n + static_cast<size_t>(i) * o.n;
    Derive(o, id, qb, static_cast<uint16_t>(i), seed, y);
    const int a = lms::Coef(qa, i, o.w);
    if (o.hash == lms::HashFn::kSha256) {
      jobs.push_back({i, 0, a, y});
    } else {
      const uint8_t ib[2] = {static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
      for (int j = 0; j < a; ++j) {
        const auto jb = static_cast<uint8_t>(j);
        lms::Hash(o.hash, o.n, {{id, 16}, {qb, 4}, {ib, 2}, {&jb, 1}, {y, o.n}}, y);
      }
    }
  }
  lms::Sha256Chains(id, qb, o.n, jobs.data(), jobs.size());
  return sig;
}

// True when memcheck still sees data derived from SEED in [p, p + len), i.e. the secret marking
// propagated to an output and the run checked something (always true outside valgrind).
bool DerivedFromSecret(const void* p, size_t len) {
  if (RUNNING_ON_VALGRIND == 0) return true;
  VALGRIND_DISABLE_ERROR_REPORTING;
  const auto first_undefined = VALGRIND_CHECK_MEM_IS_DEFINED(p, len);
  VALGRIND_ENABLE_ERROR_REPORTING;
  return first_undefined != 0;
}

// Runs one parameter set; returns false on an unexpected failure (not a memcheck report).
bool CheckCase(const Case& c, bool leak_control) {
  auto o = lms::OtsFor(c.ots_type);
  if (!o) return false;
  uint8_t id[16];
  for (int i = 0; i < 16; ++i) id[i] = static_cast<uint8_t>(0xa0 + i);
  crypto::SecretBytes seed(o->n);
  for (size_t i = 0; i < o->n; ++i) seed.MutableReveal()[i] = static_cast<uint8_t>(i * 13 + 5);
  VALGRIND_MAKE_MEM_UNDEFINED(seed.Reveal().data(), seed.size());
  if (leak_control && seed.Reveal()[0] == 0x42) std::printf("secret-dependent branch taken\n");

  // Key generation: every leaf's LM-OTS public key and the Merkle tree.
  auto tree = lms::LmsTree::Build(c.lms_type, c.ots_type, {id, 16}, seed);
  if (!tree) return false;
  if (!DerivedFromSecret(tree->PublicKey().data(), tree->PublicKey().size())) {
    std::printf("%s: the public key does not depend on the marked seed\n", c.name);
    return false;
  }
  VALGRIND_MAKE_MEM_DEFINED(tree->PublicKey().data(), tree->PublicKey().size());  // published

  const uint8_t message[] = "firmware image 4.2.1 manifest";
  for (uint32_t q : {0u, 7u, tree->leaves() - 1}) {
    vigil::Bytes sig = OtsSignSteps(*o, id, q, seed.Reveal(), {message, sizeof message});
    if (!DerivedFromSecret(sig.data(), sig.size())) {
      std::printf("%s: the signature does not depend on the marked seed\n", c.name);
      return false;
    }
    VALGRIND_MAKE_MEM_DEFINED(sig.data(), sig.size());  // published
    // LmsTree::Sign itself, checked whole, must compute what the steps above compute.
    auto full = tree->Sign(q, {message, sizeof message});
    if (!full) return false;
    VALGRIND_MAKE_MEM_DEFINED(full->data(), full->size());  // published
    if (full->size() < 8 + sig.size() ||
        std::memcmp(full->data() + 8, sig.data(), sig.size()) != 0) {
      std::printf("%s: harness signing steps differ from LmsTree::Sign at q=%u\n", c.name, q);
      return false;
    }
  }
  std::printf("%s: key generation and 3 leaf signatures checked\n", c.name);
  return true;
}

}  // namespace

// With --leak-control the harness branches on a secret byte on purpose: memcheck must report it
// (ctest expects that run to fail), which shows the check can fail at all.
int main(int argc, char** argv) {
  bool leak_control = false;
  for (int i = 1; i < argc; ++i) {
    leak_control |= std::strcmp(argv[i], "--leak-control") == 0;
  }
  int checked = 0;
  for (const Case& c : kCases) {
    if (!CheckCase(c, leak_control)) {
      std::printf("%s: unexpected failure\n", c.name);
      return 2;
    }
    ++checked;
  }
  std::printf("lms: %d parameter sets checked for secret-dependent branches and indexes\n",
              checked);
  return 0;
}
