// HSS/LMS hash-based signatures (RFC 8554, NIST SP 800-208): verification for every parameter
// set of RFC 8554 and the SHA-256/192, SHAKE256/256 and SHAKE256/192 sets of SP 800-208, with
// HSS trees of up to 8 levels. Parsing is strict: every length follows from the type codes,
// unknown types and leaf indexes outside the tree are rejected with the field named.
//
// Security property: hash-based, so secure against quantum adversaries on the strength of the
// hash alone (CNSA 2.0 firmware signing). Verification needs no secret and keeps no state.
//
// Thread-safety: pure functions; the VerifyingKey is immutable.
#ifndef VIGIL_CRYPTO_PQ_HSS_H_
#define VIGIL_CRYPTO_PQ_HSS_H_

#include <memory>

#include "vigil/crypto/signature.h"

namespace vigil::crypto::pq {

// An HSS public key (u32 L || LMS public key). InvalidArgument naming the problem.
Result<std::unique_ptr<VerifyingKey>> HssPublicKey(ByteView encoded);

// OK if `signature` is a valid HSS signature of `message` under `public_key`; Unauthenticated
// with the reason otherwise (malformed encodings included).
Status HssVerify(ByteView public_key, ByteView message, ByteView signature);

// SubjectPublicKeyInfo for HSS keys (RFC 9708: id-alg-hss-lms-hashsig 1.2.840.113549.1.9.16.3.17,
// parameters absent, the raw HSS public key in the BIT STRING). Parse returns NotFound when the
// DER is not an HSS SPKI, InvalidArgument when it is one but malformed.
Result<Bytes> HssSpki(const VerifyingKey& key);
Result<std::unique_ptr<VerifyingKey>> ParseHssSpki(ByteView der);

// Whether `file` is an HSS signing-key state file (as written by HssSigningKey).
bool IsHssStateFile(ByteView file);

}  // namespace vigil::crypto::pq

#include <string>
#include <utility>
#include <vector>

#include "vigil/core/env.h"

namespace vigil::crypto::pq {

// The shape of an HSS key: one (LMS type, LM-OTS type) per level, top first (RFC 8554 /
// SP 800-208 type codes, e.g. {6, 4} = LMS_SHA256_M32_H10 with LMOTS_SHA256_N32_W8).
struct HssShape {
  std::vector<std::pair<uint32_t, uint32_t>> levels;
};

// A stateful HSS signing key (RFC 8554 §6). STATE SAFETY: every one-time key is used at most
// once, across crashes. The state file (written with Env::WriteFileAtomic, i.e. fsync'd) holds
// the index up to which leaves may have been handed out; Sign() persists a new ceiling before
// it returns a signature from beyond the old one, so a crash at any point can lose unused
// leaves (at most `reserve` per restart) but never reuse one. The file carries an HMAC keyed
// from the master seed: a corrupted or edited state file is refused, never reset. An exhausted
// key refuses to sign (ResourceExhausted).
//
// Key material: a 32-byte master seed (OS randomness); each level's (I, SEED) derives from it
// and the parent's leaf index, so trees are rebuilt deterministically after a restart. Trees
// are kept in memory (per level 2^(h+1)·m bytes).
//
// Thread-safety: not thread-safe (signing mutates and persists state).
class HssSigningKey final : public SigningKey {
 public:
  // New key at `state_path` (AlreadyExists if the file exists). `reserve` ≥ 1 leaves are
  // claimed per fsync (1 = an fsync per signature).
  static Result<std::unique_ptr<HssSigningKey>> Create(Env& env, const std::string& state_path,
                                                       const HssShape& shape, uint32_t reserve = 1);
  // Resumes from a state file; leaves reserved but unused before the restart are skipped.
  static Result<std::unique_ptr<HssSigningKey>> Load(Env& env, const std::string& state_path,
                                                     uint32_t reserve = 1);
  ~HssSigningKey() override;

  AlgorithmId algorithm() const override { return AlgorithmId::kHssLms; }
  Result<Bytes> Sign(ByteView message) override;
  std::unique_ptr<VerifyingKey> PublicKey() const override;
  // Signatures this key can still make.
  uint64_t remaining() const;

 private:
  struct Impl;
  explicit HssSigningKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::crypto::pq

#endif  // VIGIL_CRYPTO_PQ_HSS_H_
