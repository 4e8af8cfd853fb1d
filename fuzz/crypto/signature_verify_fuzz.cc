// Signature verifiers and public-key parsers on arbitrary bytes: the first byte picks the
// algorithm, the rest splits into public key, signature and message. Never a crash; a forged
// signature for a fixed key must never verify.
#include <cstdlib>

#include "vigil/crypto/ecdsa.h"
#include "vigil/crypto/ed25519.h"
#include "vigil/crypto/signature.h"

using vigil::ByteView;
namespace crypto = vigil::crypto;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const crypto::AlgorithmId algs[] = {crypto::AlgorithmId::kEd25519,
                                      crypto::AlgorithmId::kEcdsaP256Sha256,
                                      crypto::AlgorithmId::kEcdsaP384Sha384};
  crypto::AlgorithmId alg = algs[data[0] % 3];
  ByteView rest(data + 1, size - 1);
  size_t key_len = rest[0] % 100;
  rest = rest.subspan(1);
  if (rest.size() < key_len) return 0;
  ByteView key = rest.first(key_len);
  ByteView tail = rest.subspan(key_len);
  ByteView sig = tail.first(tail.size() / 2);
  ByteView msg = tail.subspan(tail.size() / 2);
  if (auto vk = crypto::ParseVerifyingKey(alg, key)) (void)(*vk)->Verify(msg, sig);
  (void)crypto::EcdsaDerToP1363(crypto::AlgorithmId::kEcdsaP256Sha256, sig);
  static auto fixed = crypto::Ed25519FromSeed(crypto::SecretBytes(32));
  if ((*fixed)->PublicKey()->Verify(msg, sig).has_value()) {
    // Only a real signature by the fixed key may verify; we never produced one for msg.
    auto real = (*fixed)->Sign(msg);
    if (!real || ByteView(*real).size() != sig.size() ||
        !std::equal(sig.begin(), sig.end(), real->begin())) std::abort();
  }
  return 0;
}
