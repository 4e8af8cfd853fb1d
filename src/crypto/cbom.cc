// The algorithm registry as a CycloneDX 1.6 cryptography bill of materials (CBOM).
#include <nlohmann/json.hpp>

#include "vigil/core/encoding.h"
#include "vigil/core/env.h"
#include "vigil/crypto/registry.h"

namespace vigil::crypto {
namespace {

using K = AlgorithmKind;

std::string_view Primitive(K kind) {
  switch (kind) {
    case K::kHash: return "hash";
    case K::kXof: return "xof";
    case K::kMac: return "mac";
    case K::kKdf: return "kdf";
    case K::kAead: return "ae";
    case K::kKeyWrap: return "block-cipher";
    case K::kSignature: return "signature";
    case K::kKeyAgreement: return "key-agree";
    case K::kKem: return "kem";
  }
  return "unknown";
}

std::vector<std::string> CryptoFunctions(K kind) {
  switch (kind) {
    case K::kHash:
    case K::kXof: return {"digest"};
    case K::kMac: return {"tag"};
    case K::kKdf: return {"keyderive"};
    case K::kAead:
    case K::kKeyWrap: return {"encrypt", "decrypt"};
    case K::kSignature: return {"keygen", "sign", "verify"};
    case K::kKeyAgreement: return {"keygen", "keyderive"};
    case K::kKem: return {"keygen", "encapsulate", "decapsulate"};
  }
  return {"unknown"};
}

// NIST PQC security category implied by quantum strength (0 = broken by a quantum computer).
int NistQuantumLevel(int quantum_bits) {
  if (quantum_bits >= 256) return 5;
  if (quantum_bits >= 192) return 3;
  if (quantum_bits >= 128) return 1;
  return 0;
}

}  // namespace

std::string EmitCbomJson(std::string_view device_name, std::string_view device_version) {
  using nlohmann::json;
  json components = json::array();
  for (const AlgorithmInfo& a : AllAlgorithms()) {
    json props = {
        {"primitive", Primitive(a.kind)},
        {"executionEnvironment", "software-plain-ram"},
        {"implementationPlatform", "x86_64"},
        {"certificationLevel", json::array({"none"})},
        {"cryptoFunctions", CryptoFunctions(a.kind)},
        {"classicalSecurityLevel", a.classical_strength_bits},
        {"nistQuantumSecurityLevel", NistQuantumLevel(a.quantum_strength_bits)},
    };
    if (a.kind == K::kAead && a.name.find("gcm") != std::string_view::npos) props["mode"] = "gcm";
    if (a.kind == K::kKem || a.name.rfind("ml-dsa-", 0) == 0) {
      props["parameterSetIdentifier"] = std::string(a.name.substr(7));
    }
    json crypto = {{"assetType", "algorithm"}, {"algorithmProperties", props}};
    if (!a.oid.empty()) crypto["oid"] = a.oid;
    components.push_back({
        {"type", "cryptographic-asset"},
        {"bom-ref", "crypto/algorithm/" + std::string(a.name)},
        {"name", a.name},
        {"description", std::string(a.standard) + "; status " +
                            std::string(AlgorithmStatusName(a.status)) + "; provider " +
                            (a.implemented_by_vigil ? "vigil" : "openssl")},
        {"cryptoProperties", crypto},
    });
  }
  Bytes uuid(16);
  (void)Env::Default()->FillRandom(uuid);  // on failure the zero UUID still validates
  uuid[6] = static_cast<uint8_t>((uuid[6] & 0x0f) | 0x40);
  uuid[8] = static_cast<uint8_t>((uuid[8] & 0x3f) | 0x80);
  std::string h = HexEncode(uuid);
  std::string serial = "urn:uuid:" + h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) +
                       "-" + h.substr(16, 4) + "-" + h.substr(20);
  json bom = {
      {"bomFormat", "CycloneDX"},
      {"specVersion", "1.6"},
      {"serialNumber", serial},
      {"version", 1},
      {"metadata",
       {{"component",
         {{"type", "device"}, {"bom-ref", "device"}, {"name", device_name},
          {"version", device_version}}},
        {"tools", {{"components", json::array({{{"type", "application"}, {"name", "vigil"}}})}}}}},
      {"components", components},
  };
  return bom.dump(2) + "\n";
}

}  // namespace vigil::crypto
