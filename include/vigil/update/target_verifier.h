// TargetVerifier: checks a target's length and hashes while its bytes stream past, so a target
// is verified in the same pass that writes it (one read of the data, never a second one).
//
// Security property: Finish() returns OK only if exactly the signed length arrived and every
// hash the signed metadata lists that this client can compute (sha256, sha512) matches; a
// stream longer than the signed length is refused as soon as it passes the length.
//
// Thread-safety: one object per stream, used by one thread.
#ifndef VIGIL_UPDATE_TARGET_VERIFIER_H_
#define VIGIL_UPDATE_TARGET_VERIFIER_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"
#include "vigil/crypto/hash.h"
#include "vigil/update/metadata.h"

namespace vigil::update {

class TargetVerifier {
 public:
  // A verifier for `info` (from Updater::GetTargetInfo); `what` names the target in errors.
  // DataLoss if `info` lists none of sha256/sha512.
  static Result<TargetVerifier> Create(const TargetFile& info, std::string what);

  // Hashes the next piece. DataLoss ("expected length N, received more") once the stream passes
  // the signed length; the piece is then not hashed.
  Status Update(ByteView chunk);

  // OK if exactly the signed length arrived and every computable listed hash matches; DataLoss
  // naming the target, the algorithm, expected and found digest otherwise. Call once.
  Status Finish();

  uint64_t received() const { return received_; }

 private:
  TargetVerifier(const TargetFile& info, std::string what) : info_(info), what_(std::move(what)) {}

  TargetFile info_;
  std::string what_;
  uint64_t received_ = 0;
  std::vector<std::pair<std::string, crypto::Hasher>> hashers_;  // listed name → running hash
};

}  // namespace vigil::update

#endif  // VIGIL_UPDATE_TARGET_VERIFIER_H_
