#include "hash_algorithms.h"

#include <algorithm>
#include <cctype>

namespace vigil::sbom::internal {
namespace {

struct Algorithm {
  std::string_view name;
  size_t hex_length;  // 0: any length (BLAKE3)
};

constexpr Algorithm kAlgorithms[] = {{"MD5", 32},         {"SHA-1", 40},        {"SHA-256", 64},
                                     {"SHA-384", 96},     {"SHA-512", 128},     {"SHA3-256", 64},
                                     {"SHA3-384", 96},    {"SHA3-512", 128},    {"BLAKE2b-256", 64},
                                     {"BLAKE2b-384", 96}, {"BLAKE2b-512", 128}, {"BLAKE3", 0}};

}  // namespace

std::string_view CycloneDxHashAlgorithmList() {
  return "MD5, SHA-1, SHA-256, SHA-384, SHA-512, SHA3-256, SHA3-384, SHA3-512, BLAKE2b-256, "
         "BLAKE2b-384, BLAKE2b-512, BLAKE3";
}

std::optional<std::string> CheckCycloneDxHash(std::string_view alg, std::string_view content) {
  const Algorithm* found = nullptr;
  for (const Algorithm& a : kAlgorithms) {
    if (a.name == alg) found = &a;
  }
  if (found == nullptr) {
    return "unknown hash algorithm '" + std::string(alg) + "' (expected one of " +
           std::string(CycloneDxHashAlgorithmList()) + ")";
  }
  bool hex = !content.empty() && std::all_of(content.begin(), content.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
  });
  if (!hex || (found->hex_length != 0 && content.size() != found->hex_length)) {
    return "expected " + (found->hex_length ? std::to_string(found->hex_length) : "some") +
           " hex digits for " + std::string(alg) + ", got '" + std::string(content) + "'";
  }
  return std::nullopt;
}

}  // namespace vigil::sbom::internal
