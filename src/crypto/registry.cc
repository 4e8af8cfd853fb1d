#include "vigil/crypto/registry.h"

#include <algorithm>
#include <array>

namespace vigil::crypto {
namespace {

using K = AlgorithmKind;
using S = AlgorithmStatus;
using A = AlgorithmId;

// The algorithms this build implements, by id. An algorithm is listed here only once its
// implementation and its validation against published vectors have landed.
constexpr AlgorithmInfo kAlgorithms[] = {
    {A::kSha256, "sha256", K::kHash, 128, 128, S::kApproved, "FIPS 180-4", "2.16.840.1.101.3.4.2.1", false},
    {A::kSha384, "sha384", K::kHash, 192, 192, S::kApproved, "FIPS 180-4", "2.16.840.1.101.3.4.2.2", false},
    {A::kSha512, "sha512", K::kHash, 256, 256, S::kApproved, "FIPS 180-4", "2.16.840.1.101.3.4.2.3", false},
    {A::kSha3_256, "sha3-256", K::kHash, 128, 128, S::kApproved, "FIPS 202", "2.16.840.1.101.3.4.2.8", false},
    {A::kShake128, "shake128", K::kXof, 128, 128, S::kApproved, "FIPS 202", "2.16.840.1.101.3.4.2.11", false},
    {A::kShake256, "shake256", K::kXof, 256, 256, S::kApproved, "FIPS 202", "2.16.840.1.101.3.4.2.12", false},
    {A::kHmacSha256, "hmac-sha256", K::kMac, 256, 128, S::kApproved, "FIPS 198-1", "1.2.840.113549.2.9", false},
    {A::kHkdfSha256, "hkdf-sha256", K::kKdf, 256, 128, S::kApproved, "SP 800-56C Rev. 2 / RFC 5869", "1.2.840.113549.1.9.16.3.28", false},
    {A::kAes256Gcm, "aes-256-gcm", K::kAead, 256, 128, S::kApproved, "SP 800-38D", "2.16.840.1.101.3.4.1.46", false},
    // ChaCha20-Poly1305 is sound but not NIST-approved: usable only where policy allows
    // non-approved ("legacy-use") algorithms, never by default.
    {A::kChaCha20Poly1305, "chacha20-poly1305", K::kAead, 256, 128, S::kLegacyUse, "RFC 8439 (not NIST-approved)", "1.2.840.113549.1.9.16.3.18", false},
    {A::kAes256KeyWrap, "aes-256-kw", K::kKeyWrap, 256, 128, S::kApproved, "SP 800-38F / RFC 3394", "2.16.840.1.101.3.4.1.45", false},
    {A::kAes256KeyWrapPad, "aes-256-kwp", K::kKeyWrap, 256, 128, S::kApproved, "SP 800-38F / RFC 5649", "2.16.840.1.101.3.4.1.48", false},
    {A::kXChaCha20Poly1305, "xchacha20-poly1305", K::kAead, 256, 128, S::kLegacyUse, "draft-irtf-cfrg-xchacha (not NIST-approved)", "", true},
    {A::kEd25519, "ed25519", K::kSignature, 128, 0, S::kApproved, "FIPS 186-5 / RFC 8032", "1.3.101.112", false},
    {A::kEcdsaP256Sha256, "ecdsa-p256-sha256", K::kSignature, 128, 0, S::kApproved, "FIPS 186-5", "1.2.840.10045.4.3.2", false},
    {A::kEcdsaP384Sha384, "ecdsa-p384-sha384", K::kSignature, 192, 0, S::kApproved, "FIPS 186-5", "1.2.840.10045.4.3.3", false},
    {A::kRsaPssSha256, "rsassa-pss-sha256", K::kSignature, 112, 0, S::kApproved, "RFC 8017", "1.2.840.113549.1.1.10", false},
    {A::kX25519, "x25519", K::kKeyAgreement, 128, 0, S::kApproved, "SP 800-186 / RFC 7748", "1.3.101.110", false},
    {A::kEcdhP256, "ecdh-p256", K::kKeyAgreement, 128, 0, S::kApproved, "SP 800-56A Rev. 3", "1.2.840.10045.3.1.7", false},
    {A::kMlDsa44, "ml-dsa-44", K::kSignature, 128, 128, S::kApproved, "FIPS 204", "2.16.840.1.101.3.4.3.17", true},
    {A::kMlDsa65, "ml-dsa-65", K::kSignature, 192, 192, S::kApproved, "FIPS 204", "2.16.840.1.101.3.4.3.18", true},
    {A::kMlDsa87, "ml-dsa-87", K::kSignature, 256, 256, S::kApproved, "FIPS 204", "2.16.840.1.101.3.4.3.19", true},
    {A::kHssLms, "hss-lms", K::kSignature, 256, 128, S::kApproved, "RFC 8554 / SP 800-208", "1.2.840.113549.1.9.16.3.17", true},
    // Composite: classical strength of the weaker classical part, quantum strength of ML-DSA.
    // OIDs: id-MLDSA65-Ed25519-SHA512 and id-MLDSA87-ECDSA-P384-SHA512 from the id-alg arc
    // (1.3.6.1.5.5.7.6) of draft-ietf-lamps-pq-composite-sigs (-19, IANA early allocation).
    {A::kMlDsa65Ed25519, "ml-dsa-65+ed25519", K::kSignature, 128, 192, S::kApproved, "draft-ietf-lamps-pq-composite-sigs (FIPS 204 + RFC 8032)", "1.3.6.1.5.5.7.6.48", true},
    {A::kMlDsa87EcdsaP384, "ml-dsa-87+ecdsa-p384", K::kSignature, 192, 256, S::kApproved, "draft-ietf-lamps-pq-composite-sigs (FIPS 204 + FIPS 186-5)", "1.3.6.1.5.5.7.6.49", true},
    {A::kMlKem512, "ml-kem-512", K::kKem, 128, 128, S::kApproved, "FIPS 203", "2.16.840.1.101.3.4.4.1", true},
    {A::kMlKem768, "ml-kem-768", K::kKem, 192, 192, S::kApproved, "FIPS 203", "2.16.840.1.101.3.4.4.2", true},
    {A::kMlKem1024, "ml-kem-1024", K::kKem, 256, 256, S::kApproved, "FIPS 203", "2.16.840.1.101.3.4.4.3", true},
};

}  // namespace

std::span<const AlgorithmInfo> AllAlgorithms() { return kAlgorithms; }

Result<AlgorithmInfo> FindAlgorithm(AlgorithmId id) {
  for (const AlgorithmInfo& a : kAlgorithms) {
    if (a.id == id) return a;
  }
  return NotFoundError("algorithm id " + std::to_string(static_cast<int>(id)) +
                       " is not implemented in this build");
}

Result<AlgorithmInfo> FindAlgorithm(std::string_view name) {
  for (const AlgorithmInfo& a : kAlgorithms) {
    if (a.name == name) return a;
  }
  std::string known;
  for (const AlgorithmInfo& a : kAlgorithms) {
    if (!known.empty()) known += ", ";
    known += a.name;
  }
  return NotFoundError("unknown algorithm '" + std::string(name) + "'; known: " + known);
}

std::string_view AlgorithmStatusName(AlgorithmStatus s) {
  switch (s) {
    case S::kApproved: return "approved";
    case S::kLegacyUse: return "legacy-use";
    case S::kDisallowed: return "disallowed";
  }
  return "unknown";
}

std::string_view AlgorithmKindName(AlgorithmKind k) {
  switch (k) {
    case K::kHash: return "hash";
    case K::kXof: return "xof";
    case K::kMac: return "mac";
    case K::kKdf: return "kdf";
    case K::kAead: return "aead";
    case K::kKeyWrap: return "key-wrap";
    case K::kSignature: return "signature";
    case K::kKeyAgreement: return "key-agreement";
    case K::kKem: return "kem";
  }
  return "unknown";
}

Policy Policy::Default() { return Policy(false, false); }
Policy Policy::PostQuantumOnly() { return Policy(false, true); }

Status Policy::Check(AlgorithmId id) const {
  VIGIL_ASSIGN_OR_RETURN(AlgorithmInfo a, FindAlgorithm(id));
  const std::string name(a.name);
  if (a.status == S::kDisallowed) {
    return PermissionDeniedError(name + " is disallowed (NIST SP 800-131A)");
  }
  if (a.status == S::kLegacyUse && !allow_legacy_) {
    return PermissionDeniedError(name + " is " + std::string(AlgorithmStatusName(a.status)) +
                                 " (" + std::string(a.standard) +
                                 "); the device policy accepts approved algorithms only");
  }
  const bool asymmetric = a.kind == K::kSignature || a.kind == K::kKeyAgreement || a.kind == K::kKem;
  if (require_pq_ && asymmetric && a.quantum_strength_bits == 0) {
    return PermissionDeniedError(name + " is not quantum-resistant; the device policy requires "
                                 "post-quantum or hybrid algorithms");
  }
  return OkStatus();
}

}  // namespace vigil::crypto
