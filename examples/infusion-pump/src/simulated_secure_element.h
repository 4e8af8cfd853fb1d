// The pump's simulated secure element: a HardwareKeyStore (vigil/vault/kek_source.h) whose slots
// are files of raw key bytes, mode 0600, in one folder. It stands where a real pump has a secure
// element or TPM, as the line sensor stands for a pressure transducer; a real build replaces it
// with the platform's store. It holds the vault's key-encryption key and the key that seals the
// identity store's TOTP secrets; every other key lives in the vault.
//
// Lock() simulates the module not answering (ReadKey, WriteKey and ZeroizeKey fail with
// Unavailable), which is how the fault test locks the vault. A file named `locked` in the
// folder does the same from outside the process, as a module locked by its tamper switch would:
// how the end-to-end fault test (tests/pump/fault_test.sh) locks the vault of a running pumpd.
//
// Thread-safety: thread-safe (the lock flag is atomic; files go through the thread-safe Env).
#ifndef PUMP_SIMULATED_SECURE_ELEMENT_H_
#define PUMP_SIMULATED_SECURE_ELEMENT_H_

#include <atomic>
#include <string>

#include "vigil/core/env.h"
#include "vigil/vault/kek_source.h"

namespace pump {

class SimulatedSecureElement final : public vigil::vault::HardwareKeyStore {
 public:
  // `env` must outlive the object; `dir` is created on the first WriteKey.
  SimulatedSecureElement(vigil::Env& env, std::string dir) : env_(env), dir_(std::move(dir)) {}

  // Slots are [a-z0-9-]{1,32}: InvalidArgument otherwise.
  vigil::Result<vigil::crypto::SecretBytes> ReadKey(std::string_view slot) override;
  vigil::Status WriteKey(std::string_view slot, const vigil::crypto::SecretBytes& key) override;
  // Overwrites the slot's file with zeros, syncs, and removes it. A file system may put the
  // zeros in new blocks (Env offers no in-place write), so the old key can survive on the
  // medium: the reason a real pump keeps these keys in a module that zeroises its own storage.
  vigil::Status ZeroizeKey(std::string_view slot) override;
  std::string Name() const override { return "sim-se:" + dir_; }

  void Lock(bool locked) { locked_ = locked; }

  // The lock switch's file name in the folder (see above).
  static constexpr const char* kLockFile = "locked";

 private:
  vigil::Result<std::string> SlotPath(std::string_view slot) const;
  vigil::Status Answering() const;

  vigil::Env& env_;
  const std::string dir_;
  std::atomic<bool> locked_{false};
};

}  // namespace pump

#endif  // PUMP_SIMULATED_SECURE_ELEMENT_H_
