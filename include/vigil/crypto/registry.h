// The algorithm registry: Vigil's crypto agility (FDA premarket guidance CRY-1/CRY-2).
//
// Every algorithm Vigil implements has a stable name (used in key files, CLI flags, metadata),
// a stable numeric id (used in binary formats), its security strength in bits (classical and
// against a quantum adversary), and a status per NIST SP 800-131A Rev. 2 / SP 800-208 / FIPS
// 203-205. Callers look algorithms up here and ask a Policy whether one is allowed, so that a
// device can refuse legacy or disallowed algorithms by configuration, and so that a provider
// (e.g. OpenSSL >= 3.5 for ML-DSA/ML-KEM) can replace an implementation without callers changing.
//
// The registry can emit the device's cryptographic inventory as a CycloneDX 1.6 CBOM.
//
// Thread-safety: the registry is immutable after static initialisation; all functions are
// thread-safe.
#ifndef VIGIL_CRYPTO_REGISTRY_H_
#define VIGIL_CRYPTO_REGISTRY_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/result.h"

namespace vigil::crypto {

// Stable numeric ids. Never renumber; append only.
enum class AlgorithmId : uint16_t {
  // hashes and XOFs
  kSha256 = 1, kSha384 = 2, kSha512 = 3, kSha3_256 = 4, kShake128 = 5, kShake256 = 6,
  // MAC and KDF
  kHmacSha256 = 20, kHkdfSha256 = 21,
  // AEAD and key wrap
  kAes256Gcm = 40, kChaCha20Poly1305 = 41, kAes256KeyWrap = 42, kAes256KeyWrapPad = 43,
  kXChaCha20Poly1305 = 44,
  // classical signatures
  kEd25519 = 60, kEcdsaP256Sha256 = 61, kEcdsaP384Sha384 = 62,
  kRsaPssSha256 = 63,  // verify-only (TUF repositories' keys); Vigil never signs with RSA
  // classical key agreement
  kX25519 = 80, kEcdhP256 = 81,
  // post-quantum signatures (FIPS 204, RFC 8554 / SP 800-208)
  kMlDsa44 = 100, kMlDsa65 = 101, kMlDsa87 = 102, kHssLms = 110,
  // post-quantum KEM (FIPS 203)
  kMlKem512 = 120, kMlKem768 = 121, kMlKem1024 = 122,
  // composite (hybrid) signatures, draft-ietf-lamps-pq-composite-sigs
  kMlDsa65Ed25519 = 140, kMlDsa87EcdsaP384 = 141,
};

enum class AlgorithmKind { kHash, kXof, kMac, kKdf, kAead, kKeyWrap, kSignature, kKeyAgreement, kKem };

// NIST SP 800-131A Rev. 2 transition status.
enum class AlgorithmStatus { kApproved, kLegacyUse, kDisallowed };

struct AlgorithmInfo {
  AlgorithmId id;
  std::string_view name;          // stable, e.g. "ed25519", "ml-dsa-65", "ml-dsa-65+ed25519"
  AlgorithmKind kind;
  int classical_strength_bits;    // e.g. 128 for Ed25519
  int quantum_strength_bits;      // 0 where a quantum adversary breaks it (Shor)
  AlgorithmStatus status;
  std::string_view standard;      // e.g. "RFC 8032", "FIPS 204"
  std::string_view oid;           // dotted OID where one is assigned, else ""
  bool implemented_by_vigil;      // true for our own code (pq/), false when OpenSSL provides it
};

// All registered algorithms, ordered by id.
std::span<const AlgorithmInfo> AllAlgorithms();
// Lookup by id (NotFound for an unregistered id) and by name (case-sensitive; NotFound lists
// the known names of the same kind in its message).
Result<AlgorithmInfo> FindAlgorithm(AlgorithmId id);
Result<AlgorithmInfo> FindAlgorithm(std::string_view name);

std::string_view AlgorithmStatusName(AlgorithmStatus s);  // "approved", "legacy-use", "disallowed"
std::string_view AlgorithmKindName(AlgorithmKind k);

// A device's crypto policy: which algorithms it accepts. The default policy accepts approved
// algorithms only and, optionally, demands quantum resistance for signatures.
class Policy {
 public:
  // Approved algorithms only; quantum resistance not demanded.
  static Policy Default();
  // Approved and quantum-resistant (post-quantum or hybrid) signatures and KEMs only.
  static Policy PostQuantumOnly();

  // OK, or PermissionDenied naming the algorithm, its status and why the policy refuses it.
  Status Check(AlgorithmId id) const;

 private:
  Policy(bool allow_legacy, bool require_pq) : allow_legacy_(allow_legacy), require_pq_(require_pq) {}
  bool allow_legacy_;
  bool require_pq_;
};

// The registry as a CycloneDX 1.6 JSON document: one component of type "cryptographic-asset"
// per algorithm, with cryptoProperties.assetType "algorithm" and algorithmProperties
// (primitive, parameterSetIdentifier, executionEnvironment, implementationPlatform,
// certificationLevel, nistQuantumSecurityLevel, classicalSecurityLevel, cryptoFunctions).
std::string EmitCbomJson(std::string_view device_name, std::string_view device_version);

}  // namespace vigil::crypto

#endif  // VIGIL_CRYPTO_REGISTRY_H_
