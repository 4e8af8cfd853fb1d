// RollbackCounter: the device's persisted, monotonic anti-rollback counter — the lowest
// security version it may ever install or boot again. It lives in its own file, apart from the
// TUF metadata (which has its own version rollback checks) and from the boot state, so no
// metadata or boot-state replacement can lower it.
//
// File format (one JSON object, replaced atomically through Env::WriteFileAtomic, i.e. write,
// fsync, rename, fsync of the directory):
//   {"format": "vigil-rollback-counter/1", "security_version": 3}
// On production hardware this file belongs in replay-protected storage (eMMC RPMB, TPM NV
// index, fuses); a file on a normal partition only stops software rollback, not an attacker
// who rewrites the flash.
//
// Thread-safety: not thread-safe; one process owns the counter.
#ifndef VIGIL_UPDATE_ROLLBACK_COUNTER_H_
#define VIGIL_UPDATE_ROLLBACK_COUNTER_H_

#include <cstdint>
#include <string>

#include "vigil/core/env.h"
#include "vigil/core/result.h"

namespace vigil::update {

class RollbackCounter {
 public:
  // Creates the counter file at `path` with value `initial`. AlreadyExists if there is one
  // (a device is provisioned once; re-provisioning would reset the floor).
  static Status Provision(Env* env, const std::string& path, uint64_t initial = 0);

  // Loads the counter. NotFound if the file is missing (a missing counter is never read as 0:
  // deleting the file must not reopen old releases); DataLoss if it does not parse;
  // ResourceExhausted, unread, over kMaxFileBytes (the real file is under 100 bytes).
  static Result<RollbackCounter> Open(Env* env, const std::string& path);
  static constexpr uint64_t kMaxFileBytes = 4096;

  // Parses the file's bytes (`where` names it in errors). InvalidArgument naming the field.
  static Result<uint64_t> Parse(ByteView bytes, const std::string& where);
  static Bytes Serialize(uint64_t value);

  uint64_t value() const { return value_; }

  // Raises the counter to `security_version` durably (atomic replace). A lower or equal value
  // changes nothing: the counter never goes down. Errors from `env`; the counter in memory
  // only moves once the new file is durable.
  Status RaiseTo(uint64_t security_version);

 private:
  RollbackCounter(Env* env, std::string path, uint64_t value)
      : env_(env), path_(std::move(path)), value_(value) {}

  Env* env_;
  std::string path_;
  uint64_t value_;
};

}  // namespace vigil::update

#endif  // VIGIL_UPDATE_ROLLBACK_COUNTER_H_
