#include "vigil/vault/kek_source.h"

namespace vigil::vault {

Result<crypto::SecretBytes> HardwareKekSource::LoadKek() {
  VIGIL_ASSIGN_OR_RETURN(crypto::SecretBytes kek, store_.ReadKey(slot_));
  if (kek.size() != kKekSize) {
    return DataLossError(Describe() + ": expected a " + std::to_string(kKekSize) +
                         "-byte KEK, the slot holds " + std::to_string(kek.size()) + " bytes");
  }
  return kek;
}

Status HardwareKekSource::StoreKek(const crypto::SecretBytes& kek) {
  if (kek.size() != kKekSize) {
    return InvalidArgumentError(Describe() + ": a KEK must be " + std::to_string(kKekSize) +
                                " bytes, got " + std::to_string(kek.size()));
  }
  return store_.WriteKey(slot_, kek);
}

Status HardwareKekSource::DestroyKek() { return store_.ZeroizeKey(slot_); }

std::string HardwareKekSource::Describe() const { return "hw:" + store_.Name() + "/" + slot_; }

}  // namespace vigil::vault
