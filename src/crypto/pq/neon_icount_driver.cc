// Instruction-count driver for scripts/neon_icount (aarch64 builds only): calls one post-quantum
// arithmetic routine, its portable or its NEON version, N times on fixed inputs. The script runs
// it under qemu-aarch64 for two values of N and divides the difference in guest instructions
// executed by the difference in N, which leaves the instructions of one call (start-up, input
// set-up and exit cancel out).
//
//   pq_neon_icount_driver ROUTINE portable|neon N
//
// The routines are branch-free (constant time), so their instruction counts do not depend on
// the data. Each call works in place on the same buffers; the accumulating ones get a zero
// multiplier so that their sums stay at zero however many times they run.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <string_view>

#include "pq/ml_dsa_neon.h"
#include "pq/ml_dsa_poly.h"
#include "pq/ml_kem_neon.h"
#include "pq/ml_kem_poly.h"

namespace vigil::crypto::pq {
namespace {

// Keeps the compiler from dropping calls whose results are never read.
void Use(const void* p) { asm volatile("" : : "r"(p) : "memory"); }

template <typename Poly>
Poly RandomPoly(std::mt19937& rng, int64_t low, int64_t high) {
  std::uniform_int_distribution<int64_t> d(low, high);
  Poly f;
  for (auto& c : f) c = static_cast<typename Poly::value_type>(d(rng));
  return f;
}

struct Inputs {
  std::mt19937 rng{20};
  mlkem::Poly kem_f = RandomPoly<mlkem::Poly>(rng, -(mlkem::kQ - 1), mlkem::kQ - 1);
  mlkem::Poly kem_zero{};
  mlkem::MulAccumulator::Sums kem_sums{};
  mldsa::Poly dsa_f = RandomPoly<mldsa::Poly>(rng, 0, mldsa::kQ - 1);
  mldsa::Poly dsa_g = RandomPoly<mldsa::Poly>(rng, 0, mldsa::kQ - 1);
  mldsa::Poly dsa_zero{};
  mldsa::Poly dsa_out{};
};

using Call = void (*)(Inputs&);

struct Routine {
  std::string_view name;
  Call portable;
  Call neon;
};

// Chosen once, so that the loop adds the same few instructions (an indirect call) to each path.
constexpr Routine kRoutines[] = {
    {"mlkem-ntt", [](Inputs& in) { mlkem::NttPortable(in.kem_f); },
     [](Inputs& in) { mlkem::neon::Ntt(in.kem_f); }},
    {"mlkem-invntt", [](Inputs& in) { mlkem::InvNttFromMontgomeryPortable(in.kem_f); },
     [](Inputs& in) { mlkem::neon::InvNttFromMontgomery(in.kem_f); }},
    {"mlkem-mulacc",
     [](Inputs& in) {
       mlkem::MulAccumulator::AddPortable(in.kem_sums, in.kem_f, in.kem_zero, in.kem_zero);
     },
     [](Inputs& in) {
       mlkem::neon::MulAccumulate(in.kem_sums, in.kem_f, in.kem_zero, in.kem_zero);
     }},
    {"mldsa-ntt", [](Inputs& in) { mldsa::NttPortable(in.dsa_f); },
     [](Inputs& in) { mldsa::neon::Ntt(in.dsa_f); }},
    {"mldsa-invntt", [](Inputs& in) { mldsa::InvNttPortable(in.dsa_f); },
     [](Inputs& in) { mldsa::neon::InvNtt(in.dsa_f); }},
    {"mldsa-pointwise-mul",
     [](Inputs& in) { mldsa::PointwiseMulPortable(in.dsa_f, in.dsa_g, in.dsa_out); },
     [](Inputs& in) { mldsa::neon::PointwiseMul(in.dsa_f, in.dsa_g, in.dsa_out); }},
    {"mldsa-pointwise-muladd",
     [](Inputs& in) { mldsa::PointwiseMulAddPortable(in.dsa_f, in.dsa_zero, in.dsa_out); },
     [](Inputs& in) { mldsa::neon::PointwiseMulAdd(in.dsa_f, in.dsa_zero, in.dsa_out); }},
};

int Main(int argc, char** argv) {
  if (argc != 4 || (std::strcmp(argv[2], "portable") != 0 && std::strcmp(argv[2], "neon") != 0)) {
    std::fprintf(stderr, "usage: %s ROUTINE portable|neon N\n", argv[0]);
    return 2;
  }
  for (const Routine& r : kRoutines) {
    if (r.name != argv[1]) continue;
    Call call = std::strcmp(argv[2], "neon") == 0 ? r.neon : r.portable;
    Inputs in;
    for (long i = std::atol(argv[3]); i > 0; --i) {
      call(in);
      Use(&in);
    }
    return 0;
  }
  std::string names;
  for (const Routine& r : kRoutines) names += (names.empty() ? "" : ", ") + std::string(r.name);
  std::fprintf(stderr, "%s: unknown routine \"%s\" (%s)\n", argv[0], argv[1], names.c_str());
  return 2;
}

}  // namespace
}  // namespace vigil::crypto::pq

int main(int argc, char** argv) { return vigil::crypto::pq::Main(argc, argv); }
