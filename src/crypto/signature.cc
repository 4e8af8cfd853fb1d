#include "vigil/crypto/signature.h"

#include "internal/evp_keys.h"

#include "vigil/crypto/ecdsa.h"
#include "vigil/crypto/ed25519.h"
#include "vigil/crypto/pq/composite.h"
#include "vigil/crypto/pq/hss.h"
#include "vigil/crypto/pq/ml_dsa.h"

namespace vigil::crypto {
namespace {

// How each signature algorithm makes and parses keys. Post-quantum and composite algorithms
// add their row here when they land.
struct SignatureScheme {
  AlgorithmId id;
  Result<std::unique_ptr<SigningKey>> (*generate)();
  Result<std::unique_ptr<VerifyingKey>> (*parse_public)(ByteView);
};

const SignatureScheme kSchemes[] = {
    {AlgorithmId::kEd25519, &GenerateEd25519, &Ed25519PublicKey},
    {AlgorithmId::kEcdsaP256Sha256, [] { return GenerateEcdsa(AlgorithmId::kEcdsaP256Sha256); },
     [](ByteView b) { return EcdsaPublicKey(AlgorithmId::kEcdsaP256Sha256, b); }},
    {AlgorithmId::kEcdsaP384Sha384, [] { return GenerateEcdsa(AlgorithmId::kEcdsaP384Sha384); },
     [](ByteView b) { return EcdsaPublicKey(AlgorithmId::kEcdsaP384Sha384, b); }},
    {AlgorithmId::kMlDsa44, [] { return pq::GenerateMlDsa(AlgorithmId::kMlDsa44); },
     [](ByteView b) { return pq::MlDsaPublicKey(AlgorithmId::kMlDsa44, b); }},
    {AlgorithmId::kMlDsa65, [] { return pq::GenerateMlDsa(AlgorithmId::kMlDsa65); },
     [](ByteView b) { return pq::MlDsaPublicKey(AlgorithmId::kMlDsa65, b); }},
    {AlgorithmId::kMlDsa87, [] { return pq::GenerateMlDsa(AlgorithmId::kMlDsa87); },
     [](ByteView b) { return pq::MlDsaPublicKey(AlgorithmId::kMlDsa87, b); }},
    {AlgorithmId::kMlDsa65Ed25519, [] { return pq::GenerateComposite(AlgorithmId::kMlDsa65Ed25519); },
     [](ByteView b) { return pq::CompositePublicKey(AlgorithmId::kMlDsa65Ed25519, b); }},
    {AlgorithmId::kMlDsa87EcdsaP384,
     [] { return pq::GenerateComposite(AlgorithmId::kMlDsa87EcdsaP384); },
     [](ByteView b) { return pq::CompositePublicKey(AlgorithmId::kMlDsa87EcdsaP384, b); }},
    // RSA is verify-only: TUF repositories may sign with it; Vigil never does.
    {AlgorithmId::kRsaPssSha256,
     []() -> Result<std::unique_ptr<SigningKey>> {
       return FailedPreconditionError("rsassa-pss-sha256 is verify-only in Vigil (it checks RSA "
                                      "signatures of TUF repositories but never signs with RSA)");
     },
     &internal::RsaPssPublicKey},
    // HSS keys are stateful: they are made through a state file, never by this generic call.
    {AlgorithmId::kHssLms,
     []() -> Result<std::unique_ptr<SigningKey>> {
       return FailedPreconditionError("hss-lms keys are stateful and need a state file; this "
                                      "build verifies HSS signatures only");
     },
     &pq::HssPublicKey},
};

Result<const SignatureScheme*> FindScheme(AlgorithmId alg) {
  for (const SignatureScheme& s : kSchemes) {
    if (s.id == alg) return &s;
  }
  auto info = FindAlgorithm(alg);
  return InvalidArgumentError(
      (info ? std::string(info->name) : "algorithm id " + std::to_string(static_cast<int>(alg))) +
      " is not a signature algorithm this build can use");
}

}  // namespace

Result<std::unique_ptr<SigningKey>> GenerateSigningKey(AlgorithmId alg) {
  VIGIL_ASSIGN_OR_RETURN(const SignatureScheme* s, FindScheme(alg));
  return s->generate();
}

Result<std::unique_ptr<VerifyingKey>> ParseVerifyingKey(AlgorithmId alg, ByteView encoded) {
  VIGIL_ASSIGN_OR_RETURN(const SignatureScheme* s, FindScheme(alg));
  return s->parse_public(encoded);
}

}  // namespace vigil::crypto
