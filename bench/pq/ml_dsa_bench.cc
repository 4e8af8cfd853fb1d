// ML-DSA cycles per keygen / sign / verify beside OpenSSL Ed25519 in the same run. Reference
// points (issue 3): portable reference C ML-DSA-65 ≈ 545k / 1.71M / 522k cycles.
#include <openssl/evp.h>
#include <x86intrin.h>

#include <algorithm>
#include <functional>
#include <vector>

#include "support/report.h"
#include "vigil/crypto/ed25519.h"
#include "vigil/crypto/pq/ml_dsa.h"

namespace {

namespace crypto = vigil::crypto;

double Cycles(int runs, const std::function<void()>& op) {
  std::vector<double> v;
  for (int i = 0; i < runs; ++i) {
    unsigned aux = 0;
    uint64_t t0 = __rdtscp(&aux);
    op();
    v.push_back(static_cast<double>(__rdtscp(&aux) - t0));
  }
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

void RunMlDsaBench() {
  vigil::Bytes msg(64, 0x33);
  auto ed = crypto::GenerateEd25519();
  auto ed_pub = (*ed)->PublicKey();
  auto ed_sig = *(*ed)->Sign(msg);
  const double ed_keygen = Cycles(501, [] { (void)crypto::GenerateEd25519(); });
  const double ed_sign = Cycles(501, [&] { (void)(*ed)->Sign(msg); });
  const double ed_verify = Cycles(501, [&] { (void)ed_pub->Verify(msg, ed_sig); });
  const std::pair<crypto::AlgorithmId, const char*> sets[] = {
      {crypto::AlgorithmId::kMlDsa44, "ml-dsa-44"},
      {crypto::AlgorithmId::kMlDsa65, "ml-dsa-65"},
      {crypto::AlgorithmId::kMlDsa87, "ml-dsa-87"}};
  for (const auto& [alg, name] : sets) {
    auto key = crypto::pq::GenerateMlDsa(alg);
    auto pub = (*key)->PublicKey();
    auto sig = *(*key)->Sign(msg);
    const std::string n(name);
    const double keygen = Cycles(201, [&] { (void)crypto::pq::GenerateMlDsa(alg); });
    const double sign = Cycles(201, [&] { (void)(*key)->Sign(msg); });
    const double verify = Cycles(201, [&] { (void)pub->Verify(msg, sig); });
    vigil::bench::Report("pq/" + n + " keygen", keygen, "cyc", "openssl ed25519 keygen", ed_keygen);
    vigil::bench::Report("pq/" + n + " sign", sign, "cyc", "openssl ed25519 sign", ed_sign);
    vigil::bench::Report("pq/" + n + " verify", verify, "cyc", "openssl ed25519 verify", ed_verify);
    if (alg == crypto::AlgorithmId::kMlDsa65) {  // the target: the reference C figures
      const char* ref = "reference C (published)";
      vigil::bench::Report("pq/" + n + " keygen vs ref", keygen, "cyc", ref, 545000);
      vigil::bench::Report("pq/" + n + " sign vs ref", sign, "cyc", ref, 1710000);
      vigil::bench::Report("pq/" + n + " verify vs ref", verify, "cyc", ref, 522000);
    }
  }
}
