#include "vigil/storage/power_loss_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace vigil::storage::testing {

namespace {

// The sqlite3_file SQLite allocates for us (szOsFile bytes); starts with the base struct.
struct MemFile {
  sqlite3_file base;
  PowerLossVfs* owner;
  std::string* path;  // owned; the key into owner->files()
  bool delete_on_close;
};

PowerLossVfs* Owner(sqlite3_vfs* vfs) { return static_cast<PowerLossVfs*>(vfs->pAppData); }
MemFile* AsMem(sqlite3_file* f) { return reinterpret_cast<MemFile*>(f); }
PowerLossVfs::FileState* State(MemFile* f) {
  auto& files = f->owner->mutable_files();
  auto it = files.find(*f->path);
  return it == files.end() || !it->second.exists ? nullptr : &it->second;
}

int MemClose(sqlite3_file* f) {
  MemFile* m = AsMem(f);
  if (m->delete_on_close) m->owner->mutable_files().erase(*m->path);
  delete m->path;
  m->path = nullptr;
  return SQLITE_OK;
}

int MemRead(sqlite3_file* f, void* buf, int amount, sqlite3_int64 offset) {
  MemFile* m = AsMem(f);
  if (m->owner->power_lost()) return SQLITE_IOERR_READ;
  auto* st = State(m);
  if (st == nullptr) return SQLITE_IOERR_READ;
  const Bytes& data = st->visible;
  size_t off = static_cast<size_t>(offset);
  size_t avail = off < data.size() ? std::min(data.size() - off, static_cast<size_t>(amount)) : 0;
  if (avail > 0) std::memcpy(buf, data.data() + off, avail);
  if (avail < static_cast<size_t>(amount)) {
    std::memset(static_cast<uint8_t*>(buf) + avail, 0, static_cast<size_t>(amount) - avail);
    return SQLITE_IOERR_SHORT_READ;
  }
  return SQLITE_OK;
}

int MemWrite(sqlite3_file* f, const void* buf, int amount, sqlite3_int64 offset) {
  MemFile* m = AsMem(f);
  if (!m->owner->Tick()) return SQLITE_IOERR_WRITE;
  auto* st = State(m);
  if (st == nullptr) return SQLITE_IOERR_WRITE;
  size_t end = static_cast<size_t>(offset) + static_cast<size_t>(amount);
  if (st->visible.size() < end) st->visible.resize(end, 0);
  std::memcpy(st->visible.data() + offset, buf, static_cast<size_t>(amount));
  return SQLITE_OK;
}

int MemTruncate(sqlite3_file* f, sqlite3_int64 size) {
  MemFile* m = AsMem(f);
  if (!m->owner->Tick()) return SQLITE_IOERR_TRUNCATE;
  auto* st = State(m);
  if (st == nullptr) return SQLITE_IOERR_TRUNCATE;
  st->visible.resize(static_cast<size_t>(size));
  return SQLITE_OK;
}

int MemSync(sqlite3_file* f, int /*flags*/) {
  MemFile* m = AsMem(f);
  if (!m->owner->Tick()) return SQLITE_IOERR_FSYNC;
  auto* st = State(m);
  if (st == nullptr) return SQLITE_IOERR_FSYNC;
  st->durable = st->visible;
  st->durable_exists = true;
  return SQLITE_OK;
}

int MemFileSize(sqlite3_file* f, sqlite3_int64* size) {
  auto* st = State(AsMem(f));
  if (st == nullptr) return SQLITE_IOERR_FSTAT;
  *size = static_cast<sqlite3_int64>(st->visible.size());
  return SQLITE_OK;
}

int MemLock(sqlite3_file*, int) { return SQLITE_OK; }
int MemCheckReservedLock(sqlite3_file*, int* out) {
  *out = 0;
  return SQLITE_OK;
}
int MemFileControl(sqlite3_file*, int, void*) { return SQLITE_NOTFOUND; }
int MemSectorSize(sqlite3_file*) { return 512; }
int MemDeviceCharacteristics(sqlite3_file*) { return 0; }  // promise nothing: no atomic writes

const sqlite3_io_methods kMemIo = {
    1,
    MemClose,
    MemRead,
    MemWrite,
    MemTruncate,
    MemSync,
    MemFileSize,
    MemLock,
    MemLock,
    MemCheckReservedLock,
    MemFileControl,
    MemSectorSize,
    MemDeviceCharacteristics,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
};

int VfsOpen(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  static int temp_counter = 0;
  PowerLossVfs* owner = Owner(vfs);
  MemFile* m = AsMem(f);
  std::memset(m, 0, sizeof(*m));
  std::string path = name ? name : "/tmp/powerloss-temp-" + std::to_string(++temp_counter);
  auto& files = owner->mutable_files();
  auto it = files.find(path);
  bool exists = it != files.end() && it->second.exists;
  if (!exists) {
    if (!(flags & SQLITE_OPEN_CREATE)) return SQLITE_CANTOPEN;
    if (it != files.end() && it->second.durable_exists) {
      // Re-created over a deletion that never became durable: until this file is synced, a cut
      // brings back the old content (the directory still points at it).
      it->second.exists = true;
      it->second.visible.clear();
    } else {
      files[path] = PowerLossVfs::FileState{};
    }
  }
  m->base.pMethods = &kMemIo;
  m->owner = owner;
  m->path = new std::string(path);
  m->delete_on_close = (flags & SQLITE_OPEN_DELETEONCLOSE) != 0;
  if (out_flags) *out_flags = flags;
  return SQLITE_OK;
}

int VfsDelete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  PowerLossVfs* owner = Owner(vfs);
  if (!owner->Tick()) return SQLITE_IOERR_DELETE;
  auto& files = owner->mutable_files();
  auto it = files.find(name);
  if (it == files.end() || !it->second.exists) return SQLITE_IOERR_DELETE_NOENT;
  it->second.exists = false;
  it->second.visible.clear();
  if (sync_dir) files.erase(it);
  return SQLITE_OK;
}

int VfsAccess(sqlite3_vfs* vfs, const char* name, int /*flags*/, int* out) {
  const auto& files = Owner(vfs)->files();
  auto it = files.find(name);
  *out = it != files.end() && it->second.exists ? 1 : 0;
  return SQLITE_OK;
}

int VfsFullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
  std::snprintf(out, static_cast<size_t>(n), "%s", name);
  return SQLITE_OK;
}

sqlite3_vfs* Base() { return sqlite3_vfs_find(nullptr); }
int VfsRandomness(sqlite3_vfs*, int n, char* out) { return Base()->xRandomness(Base(), n, out); }
int VfsSleep(sqlite3_vfs*, int micros) { return Base()->xSleep(Base(), micros); }
int VfsCurrentTime(sqlite3_vfs*, double* out) { return Base()->xCurrentTime(Base(), out); }
int VfsGetLastError(sqlite3_vfs*, int, char*) { return 0; }

}  // namespace

PowerLossVfs::PowerLossVfs(std::string name) : name_(std::move(name)) {
  vfs_ = std::make_unique<sqlite3_vfs>();
  std::memset(vfs_.get(), 0, sizeof(sqlite3_vfs));
  vfs_->iVersion = 1;
  vfs_->szOsFile = sizeof(MemFile);
  vfs_->mxPathname = 512;
  vfs_->zName = name_.c_str();
  vfs_->pAppData = this;
  vfs_->xOpen = VfsOpen;
  vfs_->xDelete = VfsDelete;
  vfs_->xAccess = VfsAccess;
  vfs_->xFullPathname = VfsFullPathname;
  vfs_->xRandomness = VfsRandomness;
  vfs_->xSleep = VfsSleep;
  vfs_->xCurrentTime = VfsCurrentTime;
  vfs_->xGetLastError = VfsGetLastError;
  if (sqlite3_vfs_register(vfs_.get(), 0) != SQLITE_OK) std::abort();
}

PowerLossVfs::~PowerLossVfs() { sqlite3_vfs_unregister(vfs_.get()); }

bool PowerLossVfs::Tick() {
  if (power_lost_) return false;
  ++points_;
  if (cut_at_ != 0 && points_ >= cut_at_) {
    power_lost_ = true;
    return false;
  }
  return true;
}

void PowerLossVfs::Reboot() {
  for (auto it = files_.begin(); it != files_.end();) {
    FileState& f = it->second;
    if (!f.durable_exists) {
      it = files_.erase(it);
      continue;
    }
    f.exists = true;
    f.visible = f.durable;
    ++it;
  }
  power_lost_ = false;
  cut_at_ = 0;
}

}  // namespace vigil::storage::testing
