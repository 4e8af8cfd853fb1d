// ML-DSA cycles per keygen / sign / verify beside PQClean's portable C of the same parameter set,
// timed in the same run by the same function with the same number of runs (pqclean_peer.h).
// Both sign hedged (fresh randomness per signature) over the same 64-byte message with an empty
// context. Context rows, not peers: OpenSSL Ed25519 in the same run, and the published figures
// of the portable reference C ML-DSA-65 on other hardware (≈ 545k / 1.71M / 522k cycles).
#include <openssl/evp.h>
#include <x86intrin.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <vector>

#include "pqclean_peer.h"
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
  const crypto::AlgorithmId sets[] = {crypto::AlgorithmId::kMlDsa44, crypto::AlgorithmId::kMlDsa65,
                                      crypto::AlgorithmId::kMlDsa87};
  size_t peer_count = 0;
  const VigilPqcleanSign* peers = VigilPqcleanSigns(&peer_count);
  for (size_t s = 0; s < peer_count; ++s) {
    const crypto::AlgorithmId alg = sets[s];
    const VigilPqcleanSign& peer = peers[s];
    auto key = crypto::pq::GenerateMlDsa(alg);
    auto pub = (*key)->PublicKey();
    auto sig = *(*key)->Sign(msg);
    const std::string n(peer.name);
    const double keygen = Cycles(201, [&] { (void)crypto::pq::GenerateMlDsa(alg); });
    const double sign = Cycles(201, [&] { (void)(*key)->Sign(msg); });
    const double verify = Cycles(201, [&] { (void)pub->Verify(msg, sig); });
    std::vector<uint8_t> pk(peer.public_key_bytes), sk(peer.secret_key_bytes);
    std::vector<uint8_t> peer_sig(peer.signature_bytes);
    size_t sig_len = 0;
    peer.keypair(pk.data(), sk.data());
    peer.sign(peer_sig.data(), &sig_len, msg.data(), msg.size(), sk.data());
    const double peer_keygen = Cycles(201, [&] { peer.keypair(pk.data(), sk.data()); });
    const double peer_sign = Cycles(
        201, [&] { peer.sign(peer_sig.data(), &sig_len, msg.data(), msg.size(), sk.data()); });
    const double peer_verify = Cycles(201, [&] {
      if (peer.verify(peer_sig.data(), sig_len, msg.data(), msg.size(), pk.data()) != 0) {
        std::abort();  // the peer must be doing the real work
      }
    });
    const char* pqclean = "PQClean clean (same run)";
    vigil::bench::Report("pq/" + n + " keygen", keygen, "cyc", pqclean, peer_keygen);
    vigil::bench::Report("pq/" + n + " sign", sign, "cyc", pqclean, peer_sign);
    vigil::bench::Report("pq/" + n + " verify", verify, "cyc", pqclean, peer_verify);
    vigil::bench::Report("pq/" + n + " keygen vs ed25519", keygen, "cyc",
                         "context: openssl ed25519 keygen", ed_keygen);
    vigil::bench::Report("pq/" + n + " sign vs ed25519", sign, "cyc",
                         "context: openssl ed25519 sign", ed_sign);
    vigil::bench::Report("pq/" + n + " verify vs ed25519", verify, "cyc",
                         "context: openssl ed25519 verify", ed_verify);
    if (alg == crypto::AlgorithmId::kMlDsa65) {  // issue 3's target, kept as context
      const char* ref = "context: reference C, published";
      vigil::bench::Report("pq/" + n + " keygen vs published ref", keygen, "cyc", ref, 545000);
      vigil::bench::Report("pq/" + n + " sign vs published ref", sign, "cyc", ref, 1710000);
      vigil::bench::Report("pq/" + n + " verify vs published ref", verify, "cyc", ref, 522000);
    }
  }
}
