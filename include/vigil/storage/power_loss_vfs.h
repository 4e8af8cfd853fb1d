// PowerLossVfs: an in-memory SQLite VFS that models what survives a power cut, for proving the
// crash safety of what is stored through vigil::storage (SQLite does its own I/O, so
// vigil::Env's FaultInjectingEnv cannot see it). Test support: library vigil::storage_testing.
//
// Per file it keeps the content readers see and the content that survives power loss: what the
// file held at its last xSync. A file created is durable (empty) at once; a deletion is durable
// only when SQLite asks for the directory to be synced (xDelete's syncDir), otherwise the file
// comes back after a cut with its durable content, also when a new file of the same name was
// created but not yet synced — which is why the vault runs SQLite with synchronous=EXTRA (with
// FULL, a committed transaction's journal can return and roll it back; the KEK rotation test
// fails then). Unsynced writes are all lost (no torn or partial survival).
//
// "I/O points" are the operations a cut can fall before: every xWrite, xTruncate, xSync and
// xDelete, plus every Tick() from outside (e.g. a key store sharing the power supply).
// CutPowerAt(n) makes point n and everything after it fail (SQLITE_IOERR / false) until Reboot(),
// which replaces each file's visible content by its durable content.
//
// Thread-safety: one SQLite connection at a time; not for concurrent use.
#ifndef VIGIL_STORAGE_POWER_LOSS_VFS_H_
#define VIGIL_STORAGE_POWER_LOSS_VFS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "vigil/core/bytes.h"

struct sqlite3_vfs;

namespace vigil::storage::testing {

class PowerLossVfs {
 public:
  // Registers the VFS under `name` (not as the default). Aborts if SQLite refuses.
  explicit PowerLossVfs(std::string name);
  ~PowerLossVfs();
  PowerLossVfs(const PowerLossVfs&) = delete;
  PowerLossVfs& operator=(const PowerLossVfs&) = delete;

  const std::string& name() const { return name_; }

  // Point number `n` (1-based, counted from the start of time) and all later ones fail.
  void CutPowerAt(uint64_t n) { cut_at_ = n; }
  void Disarm() { cut_at_ = 0; }
  bool power_lost() const { return power_lost_; }
  uint64_t points() const { return points_; }
  // Counts one I/O point; false when the power is (now) off and the operation must not happen.
  bool Tick();
  // Power back on: visible content := durable content for every file; deletions not made
  // durable are undone. Disarms.
  void Reboot();
  // Forgets every file (a fresh disk).
  void Wipe() { files_.clear(); }

  struct FileState {
    Bytes visible;
    Bytes durable;
    bool exists = true;          // visible existence
    bool durable_exists = true;  // existence after a cut
  };
  const std::map<std::string, FileState>& files() const { return files_; }
  std::map<std::string, FileState>& mutable_files() { return files_; }

 private:
  std::string name_;
  std::unique_ptr<sqlite3_vfs> vfs_;
  std::map<std::string, FileState> files_;
  uint64_t points_ = 0;
  uint64_t cut_at_ = 0;
  bool power_lost_ = false;
};

}  // namespace vigil::storage::testing

#endif  // VIGIL_STORAGE_POWER_LOSS_VFS_H_
