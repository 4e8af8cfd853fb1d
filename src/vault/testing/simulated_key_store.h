// Test doubles for the vault: an in-memory hardware key store that can share a PowerLossVfs's
// power supply, and an event sink that keeps what it receives.
//
// Thread-safety: SimulatedKeyStore none; CapturingSink is thread-safe.
#ifndef VIGIL_VAULT_TESTING_SIMULATED_KEY_STORE_H_
#define VIGIL_VAULT_TESTING_SIMULATED_KEY_STORE_H_

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "vigil/storage/power_loss_vfs.h"
#include "vigil/audit/event_sink.h"
#include "vigil/vault/kek_source.h"

namespace vigil::vault::testing {

using storage::testing::PowerLossVfs;

class SimulatedKeyStore final : public HardwareKeyStore {
 public:
  // With `power`, every write and zeroise is an I/O point of that VFS: it fails (and does not
  // happen) once the power is cut.
  explicit SimulatedKeyStore(PowerLossVfs* power = nullptr) : power_(power) {}

  Result<crypto::SecretBytes> ReadKey(std::string_view slot) override {
    if (power_ && power_->power_lost()) return UnavailableError("sim: power lost");
    auto it = slots_.find(std::string(slot));
    if (it == slots_.end()) return NotFoundError("sim: slot " + std::string(slot) + " is empty");
    return it->second;
  }
  Status WriteKey(std::string_view slot, const crypto::SecretBytes& key) override {
    if (power_ && !power_->Tick()) return UnavailableError("sim: power lost");
    slots_[std::string(slot)] = key;
    return OkStatus();
  }
  Status ZeroizeKey(std::string_view slot) override {
    if (power_ && !power_->Tick()) return UnavailableError("sim: power lost");
    slots_.erase(std::string(slot));
    return OkStatus();
  }
  std::string Name() const override { return "sim"; }

 private:
  PowerLossVfs* power_;
  std::map<std::string, crypto::SecretBytes> slots_;
};

class CapturingSink final : public audit::EventSink {
 public:
  Status Record(audit::Event e) override {
    std::lock_guard l(mu_);
    if (fail_) return UnavailableError("capturing sink: told to fail");
    events_.push_back(std::move(e));
    return OkStatus();
  }
  void set_fail(bool fail) {
    std::lock_guard l(mu_);
    fail_ = fail;
  }
  std::vector<audit::Event> events() const {
    std::lock_guard l(mu_);
    return events_;
  }
  int Count(audit::Action a) const {
    std::lock_guard l(mu_);
    int n = 0;
    for (const auto& e : events_) n += e.action == a ? 1 : 0;
    return n;
  }

 private:
  mutable std::mutex mu_;
  bool fail_ = false;
  std::vector<audit::Event> events_;
};

}  // namespace vigil::vault::testing

#endif  // VIGIL_VAULT_TESTING_SIMULATED_KEY_STORE_H_
