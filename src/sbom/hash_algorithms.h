// The hash algorithms CycloneDX 1.6 allows and the digest length each implies (private to the
// sbom module; the CycloneDX reader refuses, the SPDX readers report and the writer drops
// hashes that fail the check, so written documents always validate).
#ifndef VIGIL_SBOM_HASH_ALGORITHMS_H_
#define VIGIL_SBOM_HASH_ALGORITHMS_H_

#include <optional>
#include <string>
#include <string_view>

namespace vigil::sbom::internal {

// Comma-separated list of the algorithm names, for messages.
std::string_view CycloneDxHashAlgorithmList();

// nullopt when `content` is a valid `alg` digest in CycloneDX; otherwise the problem, e.g.
// "unknown hash algorithm 'FOO'" or "expected 64 hex digits for SHA-256, got 'abc'".
std::optional<std::string> CheckCycloneDxHash(std::string_view alg, std::string_view content);

}  // namespace vigil::sbom::internal

#endif  // VIGIL_SBOM_HASH_ALGORITHMS_H_
