// FaultInjectingEnv: an in-memory Env that models exactly what survives a power cut, for
// proving crash safety in tests (the durability contract is in vigil/core/env.h).
//
// It keeps, per file, the content as the running program sees it and the content that would
// survive power loss (what was there at the last Sync()), and per directory the entries that
// would survive (as of the last SyncDir()). SimulatePowerLoss() throws away everything
// volatile: unsynced appends, and unsynced creations, renames and removals.
//
// Faults, each armed by a call and counted over "mutating operations" (Append, Sync, Close,
// rename, remove, truncate, create, SyncDir):
//  - CrashAfter(n): the n-th mutating operation from now and every later one fails with
//    Unavailable("simulated power loss ...") and does nothing, until SimulatePowerLoss() or
//    ResetFaults(). Lets a test enumerate every write and fsync point of a workload.
//  - FailNthWrite(n): only the n-th Append fails (EIO-like Unavailable), others proceed.
//  - TearWrites(true): on power loss, a file keeps a pseudo-random prefix of its unsynced tail
//    instead of losing all of it (a torn write: some sectors made it to disk).
//  - SetDiskCapacity(bytes): Appends that would exceed the total size fail with
//    ResourceExhausted ("disk full") and write nothing.
//  - clock: SetUnixMicros / AdvanceClock / JumpWallClock (the wall clock may go backwards; the
//    monotonic clock never does).
//  - randomness is a deterministic stream from a seed, so failing runs can be replayed.
//
// Thread-safety: all methods are thread-safe (one internal mutex).
#ifndef VIGIL_CORE_FAULT_ENV_H_
#define VIGIL_CORE_FAULT_ENV_H_

#include <cstdint>
#include <functional>
#include <memory>

#include "vigil/core/env.h"

namespace vigil {

class FaultInjectingEnv : public Env {
 public:
  explicit FaultInjectingEnv(uint64_t seed = 1);
  ~FaultInjectingEnv() override;
  FaultInjectingEnv(const FaultInjectingEnv&) = delete;
  FaultInjectingEnv& operator=(const FaultInjectingEnv&) = delete;

  // Env
  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override;
  Result<std::unique_ptr<WritableFile>> NewAppendableFile(const std::string& path) override;
  Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& path) override;
  Result<Bytes> ReadFile(const std::string& path) override;
  bool FileExists(const std::string& path) override;
  Result<uint64_t> GetFileSize(const std::string& path) override;
  Result<std::vector<std::string>> GetChildren(const std::string& dir) override;
  Status RemoveFile(const std::string& path) override;
  Status RenameFile(const std::string& from, const std::string& to) override;
  Status TruncateFile(const std::string& path, uint64_t size) override;
  Status CreateDir(const std::string& dir) override;
  Status RemoveDir(const std::string& dir) override;
  Status SyncDir(const std::string& dir) override;
  int64_t NowUnixMicros() override;
  int64_t NowMonotonicNanos() override;
  Status FillRandom(std::span<uint8_t> out) override;

  // ---- faults ----
  void CrashAfter(uint64_t n_mutations);
  void FailNthWrite(uint64_t n);
  void TearWrites(bool on);
  void SetDiskCapacity(uint64_t bytes);  // 0 = unlimited
  // Power cut: discard all volatile state, clear CrashAfter, invalidate open file handles
  // (their further operations fail with FailedPrecondition).
  void SimulatePowerLoss();
  void ResetFaults();
  // Whether CrashAfter has fired (operations are failing).
  bool crashed() const;
  // Mutating operations performed so far (for sizing a CrashAfter sweep).
  uint64_t mutation_count() const;
  // Before every mutating operation, calls `observer` with a separate Env holding what a power
  // cut at that instant would leave (unsynced data dropped, torn if TearWrites is on). Checks
  // recovery at every write and fsync point of one run instead of re-running the workload once
  // per point. The observer runs under this Env's lock: it must only use the Env it is given.
  // nullptr removes it.
  void SetPowerLossObserver(std::function<void(FaultInjectingEnv&)> observer);

  // ---- clock ----
  void SetUnixMicros(int64_t t);
  void AdvanceClock(int64_t micros);   // both clocks move forward
  void JumpWallClock(int64_t micros);  // wall clock only, may be negative

  // Opaque shared state (file handles keep it alive); defined in fault_env.cc.
  struct State;

 private:
  explicit FaultInjectingEnv(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace vigil

#endif  // VIGIL_CORE_FAULT_ENV_H_
