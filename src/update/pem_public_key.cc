#include "pem_public_key.h"

#include "vigil/crypto/key_file.h"

namespace vigil::update::internal {
namespace {

// PEM keys in TUF metadata are at most a few KiB; the limit keeps a hostile one from costing more.
constexpr size_t kMaxPemBytes = 16384;

// The key of a PEM "PUBLIC KEY", required to be of algorithm `want` (`what` names it).
Result<std::unique_ptr<crypto::VerifyingKey>> ReadPem(std::string_view pem, crypto::AlgorithmId want,
                                                      std::string_view what) {
  if (pem.size() > kMaxPemBytes) {
    return InvalidArgumentError("PEM public key longer than " + std::to_string(kMaxPemBytes) +
                                " bytes");
  }
  auto key = crypto::ParsePublicKeyPem(pem, "PEM public key");
  if (!key) return key.error();
  if ((*key)->algorithm() != want) {
    auto found = crypto::FindAlgorithm((*key)->algorithm());
    return InvalidArgumentError("expected " + std::string(what) + ", found a " +
                                (found ? std::string(found->name) : std::string("different")) +
                                " key");
  }
  return std::move(*key);
}

}  // namespace

Result<std::unique_ptr<SignatureChecker>> ParseRsaPssPublicKey(std::string_view pem) {
  VIGIL_ASSIGN_OR_RETURN(auto key, ReadPem(pem, crypto::AlgorithmId::kRsaPssSha256,
                                           "an RSA public key"));
  return std::unique_ptr<SignatureChecker>(new CryptoChecker(std::move(key)));
}

Result<Bytes> PemP256ToPoint(std::string_view pem) {
  VIGIL_ASSIGN_OR_RETURN(auto key, ReadPem(pem, crypto::AlgorithmId::kEcdsaP256Sha256,
                                           "an EC public key on curve P-256 (prime256v1)"));
  return key->Encode();  // the uncompressed SEC1 point
}

}  // namespace vigil::update::internal
