// HSS L2 H10/W8 (LMS_SHA256_M32_H10 + LMOTS_SHA256_N32_W8 on both levels) verify and sign
// beside OpenSSL Ed25519 verify in the same run; the target is verify < 1 ms.
#include <x86intrin.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "pq/lms_sha256.h"
#include "support/report.h"
#include "vigil/core/fault_env.h"
#include "vigil/crypto/ed25519.h"
#include "vigil/crypto/pq/hss.h"

namespace {

double MedianSeconds(int runs, const std::function<void()>& op) {
  std::vector<double> v;
  for (int i = 0; i < runs; ++i) {
    double t0 = vigil::bench::NowSeconds();
    op();
    v.push_back(vigil::bench::NowSeconds() - t0);
  }
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

void RunHssBench() {
  namespace pq = vigil::crypto::pq;
  vigil::FaultInjectingEnv env(1);  // in-memory state file: this measures the cryptography
  (void)env.CreateDir("/k");
  double t0 = vigil::bench::NowSeconds();
  auto key = pq::HssSigningKey::Create(env, "/k/bench.hss", {{{6, 4}, {6, 4}}}, 1);
  const double keygen = vigil::bench::NowSeconds() - t0;
  if (!key) return;
  auto pub = (*key)->PublicKey();
  vigil::Bytes msg(64, 0x5a);
  auto sig = *(*key)->Sign(msg);
  auto ed = vigil::crypto::GenerateEd25519();
  auto ed_pub = (*ed)->PublicKey();
  auto ed_sig = *(*ed)->Sign(msg);
  const double ed_verify = MedianSeconds(201, [&] { (void)ed_pub->Verify(msg, ed_sig); });
  const double verify = MedianSeconds(101, [&] {
    if (!pub->Verify(msg, sig).has_value()) std::abort();
  });
  const double sign = MedianSeconds(101, [&] { (void)(*key)->Sign(msg); });
  vigil::bench::Report("pq/hss L2 H10/W8 verify", verify * 1e6, "us", "openssl ed25519 verify",
                       ed_verify * 1e6);
  vigil::bench::Report("pq/hss L2 H10/W8 sign (tree cached)", sign * 1e6, "us",
                       "openssl ed25519 verify", ed_verify * 1e6);
  vigil::bench::Report("pq/hss L2 H10/W8 keygen", keygen * 1e3, "ms", "target verify 1 ms", 1.0);
  // The physical bound: SHA-256 compressions per second, one chain (each step waits for the
  // previous: latency-bound) and 34 chains batched (four interleaved with SHA-NI), beside the
  // compressions an average L2 W8 verify needs per second at the measured speed
  // (2 levels x 34 chains x ~127.5 steps).
  namespace lms = vigil::crypto::pq::lms;
  const uint8_t id[16] = {1}, q[4] = {0};
  uint8_t tmp[34 * 32] = {};
  const double one = MedianSeconds(21, [&] { lms::Sha256Chain(id, q, 0, 0, 255, 32, tmp); });
  std::vector<lms::ChainJob> jobs;
  for (int i = 0; i < 34; ++i) jobs.push_back({i, 0, 255, tmp + 32 * i});
  const double many = MedianSeconds(21, [&] { lms::Sha256Chains(id, q, 32, jobs.data(), 34); });
  const double needed = 2 * 34 * 127.5 / verify;
  const std::string ni = lms::Sha256HasShaNi() ? " (sha-ni)" : " (portable)";
  vigil::bench::Report("pq/sha-256 compressions/s, one chain" + ni, 255 / one, "1/s",
                       "hss verify compressions/s", needed);
  vigil::bench::Report("pq/sha-256 compressions/s, 34 chains" + ni, 34 * 255 / many, "1/s",
                       "hss verify compressions/s", needed);
}
