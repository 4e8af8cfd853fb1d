// Classical crypto throughput beside `openssl speed` measured in the same run. Vigil is a thin
// layer over OpenSSL's EVP, so the ratio should be ~1.0; >10% overhead on 64 KiB is a bug.
#include <cstdio>

#include "support/report.h"
#include "vigil/core/env.h"
#include "vigil/crypto/aead.h"
#include "vigil/crypto/ed25519.h"
#include "vigil/crypto/hash.h"

namespace {

using vigil::Bytes;
using vigil::bench::MedianOf;
using vigil::bench::NowSeconds;
using vigil::bench::Report;
namespace crypto = vigil::crypto;

constexpr size_t kMessage = 64 * 1024;
constexpr double kSeconds = 0.5;

// Bytes per second of `op` over kMessage-byte messages, timed for about kSeconds.
template <typename Op>
double Throughput(Op op) {
  size_t n = 0;
  double start = NowSeconds();
  double elapsed = 0;
  do {
    op();
    ++n;
    elapsed = NowSeconds() - start;
  } while (elapsed < kSeconds);
  return static_cast<double>(n) * kMessage / elapsed;
}

template <typename Op>
double OpsPerSecond(Op op) {
  size_t n = 0;
  double start = NowSeconds();
  double elapsed = 0;
  do {
    op();
    ++n;
    elapsed = NowSeconds() - start;
  } while (elapsed < kSeconds);
  return static_cast<double>(n) / elapsed;
}

}  // namespace

int main() {
  Bytes msg(kMessage, 0xa5);
  Bytes nonce(12, 1);
  Bytes out(kMessage + crypto::Aead::kTagSize);  // reused, as openssl speed reuses its buffer
  crypto::SecretBytes key(32);
  const int runs = 5;

  auto gcm = crypto::Aead::Create(crypto::AlgorithmId::kAes256Gcm, key);
  double ours = MedianOf(runs, [&] { return Throughput([&] { (void)gcm->SealInto(nonce, msg, {}, out); }); });
  double peer = MedianOf(runs, [] { return vigil::bench::OpensslSpeedBytesPerSecond("aes-256-gcm", kMessage, 1); });
  Report("crypto/aes-256-gcm seal 64KiB", ours / 1e6, "MB/s", "openssl speed -evp aes-256-gcm", peer / 1e6);

  auto chacha = crypto::Aead::Create(crypto::AlgorithmId::kChaCha20Poly1305, key);
  ours = MedianOf(runs, [&] { return Throughput([&] { (void)chacha->SealInto(nonce, msg, {}, out); }); });
  peer = MedianOf(runs, [] { return vigil::bench::OpensslSpeedBytesPerSecond("chacha20-poly1305", kMessage, 1); });
  Report("crypto/chacha20-poly1305 seal 64KiB", ours / 1e6, "MB/s", "openssl speed -evp chacha20-poly1305", peer / 1e6);

  ours = MedianOf(runs, [&] { return Throughput([&] { (void)crypto::Sha256(msg); }); });
  peer = MedianOf(runs, [] { return vigil::bench::OpensslSpeedBytesPerSecond("sha256", kMessage, 1); });
  Report("crypto/sha256 64KiB", ours / 1e6, "MB/s", "openssl speed -evp sha256", peer / 1e6);

  auto ed = crypto::GenerateEd25519();
  auto pub = (*ed)->PublicKey();
  Bytes small(32, 7);
  Bytes sig = *(*ed)->Sign(small);
  ours = MedianOf(runs, [&] { return OpsPerSecond([&] { (void)(*ed)->Sign(small); }); });
  peer = MedianOf(runs, [] { return vigil::bench::OpensslSpeedOpsPerSecond("ed25519", true, 1); });
  Report("crypto/ed25519 sign", ours, "op/s", "openssl speed ed25519", peer);
  ours = MedianOf(runs, [&] { return OpsPerSecond([&] { (void)pub->Verify(small, sig); }); });
  peer = MedianOf(runs, [] { return vigil::bench::OpensslSpeedOpsPerSecond("ed25519", false, 1); });
  Report("crypto/ed25519 verify", ours, "op/s", "openssl speed ed25519", peer);
  return 0;
}
