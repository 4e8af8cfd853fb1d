// HSS key encodings: SubjectPublicKeyInfo per RFC 9708 §4 and recognition of state files.
#include <algorithm>
#include <cstring>

#include "vigil/crypto/pq/hss.h"

namespace vigil::crypto::pq {
namespace {

// SEQUENCE { OBJECT IDENTIFIER 1.2.840.113549.1.9.16.3.17 } (parameters absent).
constexpr uint8_t kAlgorithmIdentifier[] = {0x30, 0x0d, 0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86,
                                            0xf7, 0x0d, 0x01, 0x09, 0x10, 0x03, 0x11};

}  // namespace

Result<Bytes> HssSpki(const VerifyingKey& key) {
  if (key.algorithm() != AlgorithmId::kHssLms) {
    return InvalidArgumentError("hss SPKI: not an HSS key");
  }
  Bytes pk = key.Encode();
  const size_t bits = pk.size() + 1;
  const size_t inner = sizeof kAlgorithmIdentifier + 2 + bits;
  if (bits >= 128 || inner >= 128) return InternalError("hss SPKI: public key too long");
  Bytes der = {0x30, static_cast<uint8_t>(inner)};
  der.insert(der.end(), std::begin(kAlgorithmIdentifier), std::end(kAlgorithmIdentifier));
  der.push_back(0x03);
  der.push_back(static_cast<uint8_t>(bits));
  der.push_back(0x00);
  Append(der, pk);
  return der;
}

Result<std::unique_ptr<VerifyingKey>> ParseHssSpki(ByteView der) {
  if (der.size() < 2 + sizeof kAlgorithmIdentifier ||
      !std::equal(std::begin(kAlgorithmIdentifier), std::end(kAlgorithmIdentifier),
                  der.begin() + 2)) {
    return NotFoundError("not an HSS SubjectPublicKeyInfo");
  }
  const size_t off = 2 + sizeof kAlgorithmIdentifier;
  if (der[0] != 0x30 || der[1] != der.size() - 2 || der.size() < off + 3 || der[off] != 0x03 ||
      der[off + 1] != der.size() - off - 2 || der[off + 2] != 0x00) {
    return InvalidArgumentError("hss SPKI: not the canonical DER SubjectPublicKeyInfo");
  }
  return HssPublicKey(der.subspan(off + 3));
}

bool IsHssStateFile(ByteView file) {
  return file.size() >= 4 && std::memcmp(file.data(), "VHSS", 4) == 0;
}

}  // namespace vigil::crypto::pq
