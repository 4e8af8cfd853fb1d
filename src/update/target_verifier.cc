#include "vigil/update/target_verifier.h"

#include <optional>

#include "vigil/core/encoding.h"

namespace vigil::update {

Result<TargetVerifier> TargetVerifier::Create(const TargetFile& info, std::string what) {
  TargetVerifier v(info, std::move(what));
  for (const auto& [name, expected] : info.hashes) {
    std::optional<crypto::AlgorithmId> alg;
    if (name == "sha256") alg = crypto::AlgorithmId::kSha256;
    if (name == "sha512") alg = crypto::AlgorithmId::kSha512;
    if (!alg) continue;  // listed algorithms we cannot compute are skipped, as in §5.7
    VIGIL_ASSIGN_OR_RETURN(crypto::Hasher h, crypto::Hasher::Create(*alg));
    v.hashers_.emplace_back(name, std::move(h));
  }
  if (v.hashers_.empty()) {
    return DataLossError(v.what_ + ": none of the listed hash algorithms is supported (sha256, " +
                         "sha512)");
  }
  return v;
}

Status TargetVerifier::Update(ByteView chunk) {
  if (chunk.size() > info_.length - received_) {
    return DataLossError(what_ + ": expected length " + std::to_string(info_.length) +
                         ", received more (" + std::to_string(received_ + chunk.size()) +
                         " bytes so far)");
  }
  received_ += chunk.size();
  for (auto& [name, hasher] : hashers_) hasher.Update(chunk);
  return OkStatus();
}

Status TargetVerifier::Finish() {
  if (received_ != info_.length) {
    return DataLossError(what_ + ": expected length " + std::to_string(info_.length) + ", found " +
                         std::to_string(received_) + " bytes");
  }
  for (auto& [name, hasher] : hashers_) {
    Bytes digest = hasher.Finish();
    const Bytes& expected = info_.hashes.at(name);
    if (digest != expected) {
      return DataLossError(what_ + ": " + name + " mismatch: expected " + HexEncode(expected) +
                           ", found " + HexEncode(digest));
    }
  }
  return OkStatus();
}

}  // namespace vigil::update
