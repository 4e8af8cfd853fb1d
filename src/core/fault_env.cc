// FaultInjectingEnv: an in-memory file system that remembers, for every file and directory,
// what would survive a power cut. See vigil/core/fault_env.h for the model.
#include "vigil/core/fault_env.h"

#include <algorithm>
#include <functional>
#include <map>
#include <mutex>
#include <set>

namespace vigil {
namespace {

// File content. `data` is what readers see. What survives power loss is either the prefix
// data[0, durable_len) (the usual case: appends since the last sync) or, after a truncation
// below the synced length, the separate copy `durable`.
struct Inode {
  Bytes data;
  size_t durable_len = 0;
  bool durable_is_prefix = true;
  Bytes durable;

  void Sync() {
    durable_len = data.size();
    durable_is_prefix = true;
    durable.clear();
    durable.shrink_to_fit();
  }
  void Truncate(size_t size) {
    if (durable_is_prefix && size < durable_len) {
      durable.assign(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(durable_len));
      durable_is_prefix = false;
    }
    data.resize(size);
  }
  // `keep_extra` of the unsynced tail survive (a torn write); 0 keeps only synced bytes.
  void PowerLoss(size_t keep_extra) {
    if (durable_is_prefix) {
      data.resize(std::min(data.size(), durable_len + keep_extra));
    } else {
      data = durable;
    }
    Sync();
  }
};

// A directory entry: a file (inode) or a subdirectory (null inode).
using Entries = std::map<std::string, std::shared_ptr<Inode>>;

struct DirNode {
  Entries current;
  Entries durable;
};

std::string Normalize(std::string_view path) {
  std::string p(path);
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  while (p.rfind("./", 0) == 0) p.erase(0, 2);
  return p.empty() ? "." : p;
}

std::string BaseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

struct FaultInjectingEnv::State {
  std::mutex mu;
  std::map<std::string, DirNode> dirs;
  std::set<std::string> roots;  // directories created without a parent node: never lost
  uint64_t generation = 0;      // bumped by power loss; stale handles refuse to work

  uint64_t mutations = 0;
  uint64_t crash_at = 0;  // 0 = not armed; else the mutation number that crashes
  bool crashed = false;
  uint64_t writes = 0;
  uint64_t fail_write_at = 0;
  bool tear = false;
  uint64_t capacity = 0;

  int64_t wall_micros = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z
  int64_t mono_nanos = 1'000'000'000;
  uint64_t rng;

  // Called before every mutating operation with what a power cut at that instant leaves.
  std::function<void(FaultInjectingEnv&)> observer;
  bool in_observer = false;

  explicit State(uint64_t seed) : rng(seed ^ 0x9e3779b97f4a7c15ULL) {}

  // A deep copy of the file system, clocks and randomness (faults and observer not copied).
  std::shared_ptr<State> Clone() {
    auto c = std::make_shared<State>(0);
    c->rng = rng;
    c->tear = tear;
    c->wall_micros = wall_micros;
    c->mono_nanos = mono_nanos;
    c->roots = roots;
    std::map<const Inode*, std::shared_ptr<Inode>> copies;
    auto copy = [&](const std::shared_ptr<Inode>& in) -> std::shared_ptr<Inode> {
      if (!in) return nullptr;
      auto& slot = copies[in.get()];
      if (!slot) slot = std::make_shared<Inode>(*in);
      return slot;
    };
    for (auto& [name, d] : dirs) {
      DirNode& nd = c->dirs[name];
      for (auto& [n, inode] : d.current) nd.current[n] = copy(inode);
      for (auto& [n, inode] : d.durable) nd.durable[n] = copy(inode);
    }
    return c;
  }

  uint64_t NextRandom() {  // SplitMix64: deterministic, replayable
    uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // Every mutating operation passes here first.
  Status Mutate(std::string_view what, const std::string& path) {
    if (crashed)
      return UnavailableError(path + ": " + std::string(what) + ": simulated power loss");
    if (observer && !in_observer) {
      in_observer = true;
      FaultInjectingEnv after(Clone());
      after.SimulatePowerLoss();
      observer(after);
      in_observer = false;
    }
    ++mutations;
    if (crash_at != 0 && mutations >= crash_at) {
      crashed = true;
      return UnavailableError(path + ": " + std::string(what) +
                              ": simulated power loss (at mutation " + std::to_string(mutations) +
                              ")");
    }
    return OkStatus();
  }

  DirNode* FindDir(const std::string& dir) {
    auto it = dirs.find(dir);
    return it == dirs.end() ? nullptr : &it->second;
  }

  std::shared_ptr<Inode> FindFile(const std::string& path) {
    DirNode* d = FindDir(DirName(path));
    if (d == nullptr) return nullptr;
    auto it = d->current.find(BaseName(path));
    return it == d->current.end() ? nullptr : it->second;
  }

  uint64_t UsedBytes() {
    std::set<const Inode*> seen;
    uint64_t total = 0;
    for (auto& [name, d] : dirs) {
      for (auto& [n, inode] : d.current) {
        if (inode && seen.insert(inode.get()).second) total += inode->data.size();
      }
    }
    return total;
  }

  void PowerLoss() {
    for (auto& [name, d] : dirs) d.current = d.durable;
    // Drop directories whose entry in their parent did not survive (roots always survive).
    bool changed = true;
    while (changed) {
      changed = false;
      for (auto it = dirs.begin(); it != dirs.end();) {
        DirNode* parent = FindDir(DirName(it->first));
        const bool reachable =
            roots.count(it->first) != 0 ||
            (parent != nullptr && parent->current.count(BaseName(it->first)) != 0);
        if (!reachable) {
          it = dirs.erase(it);
          changed = true;
        } else {
          ++it;
        }
      }
    }
    std::set<Inode*> seen;
    for (auto& [name, d] : dirs) {
      for (auto& [n, inode] : d.current) {
        if (!inode || !seen.insert(inode.get()).second) continue;
        size_t unsynced = inode->durable_is_prefix && inode->data.size() > inode->durable_len
                              ? inode->data.size() - inode->durable_len
                              : 0;
        size_t keep = (tear && unsynced > 0) ? NextRandom() % (unsynced + 1) : 0;
        inode->PowerLoss(keep);
      }
    }
    ++generation;
    crashed = false;
    crash_at = 0;
  }
};

namespace {

class FaultWritableFile final : public WritableFile {
 public:
  FaultWritableFile(std::shared_ptr<FaultInjectingEnv::State> state, std::shared_ptr<Inode> inode,
                    std::string path, uint64_t generation)
      : state_(std::move(state)),
        inode_(std::move(inode)),
        path_(std::move(path)),
        generation_(generation) {}

  Status Append(ByteView data) override {
    std::lock_guard<std::mutex> lock(state_->mu);
    VIGIL_RETURN_IF_ERROR(Usable("append"));
    VIGIL_RETURN_IF_ERROR(state_->Mutate("append", path_));
    ++state_->writes;
    if (state_->fail_write_at != 0 && state_->writes == state_->fail_write_at) {
      return UnavailableError(path_ + ": append: injected I/O error (write " +
                              std::to_string(state_->writes) + ")");
    }
    if (state_->capacity != 0 && state_->UsedBytes() + data.size() > state_->capacity) {
      return ResourceExhaustedError(path_ + ": append: no space left on device (simulated)");
    }
    inode_->data.insert(inode_->data.end(), data.begin(), data.end());
    return OkStatus();
  }

  Status Sync() override {
    std::lock_guard<std::mutex> lock(state_->mu);
    VIGIL_RETURN_IF_ERROR(Usable("sync"));
    VIGIL_RETURN_IF_ERROR(state_->Mutate("sync", path_));
    inode_->Sync();
    return OkStatus();
  }

  Status Close() override {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (closed_) return OkStatus();
    closed_ = true;
    if (generation_ != state_->generation) return OkStatus();  // lost with the power cut
    return state_->Mutate("close", path_);
  }

  uint64_t Size() const override {
    std::lock_guard<std::mutex> lock(state_->mu);
    return inode_->data.size();
  }

 private:
  Status Usable(std::string_view op) const {
    if (closed_) return FailedPreconditionError(path_ + ": " + std::string(op) + " after close");
    if (generation_ != state_->generation) {
      return FailedPreconditionError(path_ + ": " + std::string(op) +
                                     ": handle opened before a power loss");
    }
    return OkStatus();
  }

  std::shared_ptr<FaultInjectingEnv::State> state_;
  std::shared_ptr<Inode> inode_;
  std::string path_;
  uint64_t generation_;
  bool closed_ = false;
};

class FaultRandomAccessFile final : public RandomAccessFile {
 public:
  FaultRandomAccessFile(std::shared_ptr<FaultInjectingEnv::State> state,
                        std::shared_ptr<Inode> inode)
      : state_(std::move(state)), inode_(std::move(inode)) {}

  Result<Bytes> Read(uint64_t offset, size_t n) const override {
    std::lock_guard<std::mutex> lock(state_->mu);
    const Bytes& d = inode_->data;
    if (offset >= d.size()) return Bytes{};
    size_t len = std::min<uint64_t>(n, d.size() - offset);
    auto begin = d.begin() + static_cast<std::ptrdiff_t>(offset);
    return Bytes(begin, begin + static_cast<std::ptrdiff_t>(len));
  }
  Result<uint64_t> Size() const override {
    std::lock_guard<std::mutex> lock(state_->mu);
    return inode_->data.size();
  }

 private:
  std::shared_ptr<FaultInjectingEnv::State> state_;
  std::shared_ptr<Inode> inode_;
};

}  // namespace

FaultInjectingEnv::FaultInjectingEnv(uint64_t seed) : state_(std::make_shared<State>(seed)) {}
FaultInjectingEnv::FaultInjectingEnv(std::shared_ptr<State> state) : state_(std::move(state)) {}
FaultInjectingEnv::~FaultInjectingEnv() = default;

void FaultInjectingEnv::SetPowerLossObserver(std::function<void(FaultInjectingEnv&)> observer) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->observer = std::move(observer);
}

namespace {
Result<std::unique_ptr<WritableFile>> OpenForWrite(std::shared_ptr<FaultInjectingEnv::State> s,
                                                   const std::string& raw_path, bool truncate) {
  std::lock_guard<std::mutex> lock(s->mu);
  std::string path = Normalize(raw_path);
  DirNode* dir = s->FindDir(DirName(path));
  if (dir == nullptr) return NotFoundError(path + ": open: no such directory");
  VIGIL_RETURN_IF_ERROR(s->Mutate(truncate ? "create" : "open for append", path));
  std::shared_ptr<Inode>& slot = dir->current[BaseName(path)];
  if (!slot) {
    if (s->dirs.count(path) != 0) return InvalidArgumentError(path + ": open: is a directory");
    slot = std::make_shared<Inode>();
  } else if (truncate) {
    slot->Truncate(0);
  }
  return std::unique_ptr<WritableFile>(new FaultWritableFile(s, slot, path, s->generation));
}
}  // namespace

Result<std::unique_ptr<WritableFile>> FaultInjectingEnv::NewWritableFile(const std::string& path) {
  return OpenForWrite(state_, path, true);
}

Result<std::unique_ptr<WritableFile>> FaultInjectingEnv::NewAppendableFile(
    const std::string& path) {
  return OpenForWrite(state_, path, false);
}

Result<std::unique_ptr<RandomAccessFile>> FaultInjectingEnv::NewRandomAccessFile(
    const std::string& path) {
  std::lock_guard<std::mutex> lock(state_->mu);
  std::shared_ptr<Inode> inode = state_->FindFile(Normalize(path));
  if (!inode) return NotFoundError(Normalize(path) + ": open: no such file");
  return std::unique_ptr<RandomAccessFile>(new FaultRandomAccessFile(state_, inode));
}

Result<Bytes> FaultInjectingEnv::ReadFile(const std::string& path) {
  std::lock_guard<std::mutex> lock(state_->mu);
  std::shared_ptr<Inode> inode = state_->FindFile(Normalize(path));
  if (!inode) return NotFoundError(Normalize(path) + ": read: no such file");
  return inode->data;
}

bool FaultInjectingEnv::FileExists(const std::string& path) {
  std::lock_guard<std::mutex> lock(state_->mu);
  std::string p = Normalize(path);
  return state_->FindFile(p) != nullptr || state_->FindDir(p) != nullptr;
}

Result<uint64_t> FaultInjectingEnv::GetFileSize(const std::string& path) {
  std::lock_guard<std::mutex> lock(state_->mu);
  std::shared_ptr<Inode> inode = state_->FindFile(Normalize(path));
  if (!inode) return NotFoundError(Normalize(path) + ": stat: no such file");
  return inode->data.size();
}

Result<std::vector<std::string>> FaultInjectingEnv::GetChildren(const std::string& dir) {
  std::lock_guard<std::mutex> lock(state_->mu);
  DirNode* d = state_->FindDir(Normalize(dir));
  if (d == nullptr) return NotFoundError(Normalize(dir) + ": list: no such directory");
  std::vector<std::string> names;
  names.reserve(d->current.size());
  for (const auto& [name, inode] : d->current) names.push_back(name);
  return names;  // std::map keeps them sorted
}

Status FaultInjectingEnv::RemoveFile(const std::string& raw_path) {
  std::lock_guard<std::mutex> lock(state_->mu);
  std::string path = Normalize(raw_path);
  DirNode* d = state_->FindDir(DirName(path));
  auto it = d == nullptr ? Entries::iterator() : d->current.find(BaseName(path));
  if (d == nullptr || it == d->current.end() || !it->second) {
    return NotFoundError(path + ": remove: no such file");
  }
  VIGIL_RETURN_IF_ERROR(state_->Mutate("remove", path));
  d->current.erase(it);
  return OkStatus();
}

Status FaultInjectingEnv::RenameFile(const std::string& raw_from, const std::string& raw_to) {
  std::lock_guard<std::mutex> lock(state_->mu);
  std::string from = Normalize(raw_from);
  std::string to = Normalize(raw_to);
  DirNode* src = state_->FindDir(DirName(from));
  DirNode* dst = state_->FindDir(DirName(to));
  auto it = src == nullptr ? Entries::iterator() : src->current.find(BaseName(from));
  if (src == nullptr || it == src->current.end() || !it->second) {
    return NotFoundError(from + ": rename: no such file");
  }
  if (dst == nullptr) return NotFoundError(to + ": rename: no such directory");
  VIGIL_RETURN_IF_ERROR(state_->Mutate("rename", from));
  std::shared_ptr<Inode> inode = it->second;
  src->current.erase(it);
  dst->current[BaseName(to)] = std::move(inode);
  return OkStatus();
}

Status FaultInjectingEnv::TruncateFile(const std::string& raw_path, uint64_t size) {
  std::lock_guard<std::mutex> lock(state_->mu);
  std::string path = Normalize(raw_path);
  std::shared_ptr<Inode> inode = state_->FindFile(path);
  if (!inode) return NotFoundError(path + ": truncate: no such file");
  VIGIL_RETURN_IF_ERROR(state_->Mutate("truncate", path));
  if (size < inode->data.size()) {
    inode->Truncate(static_cast<size_t>(size));
  } else {
    inode->data.resize(static_cast<size_t>(size), 0);
  }
  inode->Sync();  // the contract: the new size is durable
  return OkStatus();
}

Status FaultInjectingEnv::CreateDir(const std::string& raw_dir) {
  std::lock_guard<std::mutex> lock(state_->mu);
  std::string dir = Normalize(raw_dir);
  std::vector<std::string> chain;
  for (std::string d = dir; state_->FindDir(d) == nullptr; d = DirName(d)) {
    chain.push_back(d);
    if (DirName(d) == d || DirName(d) == ".") break;
  }
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (state_->FindDir(*it) != nullptr) continue;
    const std::string parent_name = DirName(*it);
    DirNode* parent = state_->FindDir(parent_name);
    if (parent != nullptr && parent->current.count(BaseName(*it)) != 0 &&
        parent->current[BaseName(*it)]) {
      return InvalidArgumentError(*it + ": mkdir: exists and is not a directory");
    }
    VIGIL_RETURN_IF_ERROR(state_->Mutate("mkdir", *it));
    state_->dirs[*it];
    if (parent != nullptr) {
      parent->current[BaseName(*it)] = nullptr;
    } else {
      state_->roots.insert(*it);
    }
  }
  return OkStatus();
}

Status FaultInjectingEnv::RemoveDir(const std::string& raw_dir) {
  std::lock_guard<std::mutex> lock(state_->mu);
  std::string dir = Normalize(raw_dir);
  DirNode* d = state_->FindDir(dir);
  if (d == nullptr) return NotFoundError(dir + ": rmdir: no such directory");
  if (!d->current.empty()) return FailedPreconditionError(dir + ": rmdir: directory not empty");
  VIGIL_RETURN_IF_ERROR(state_->Mutate("rmdir", dir));
  if (DirNode* parent = state_->FindDir(DirName(dir))) parent->current.erase(BaseName(dir));
  state_->dirs.erase(dir);
  state_->roots.erase(dir);
  return OkStatus();
}

Status FaultInjectingEnv::SyncDir(const std::string& raw_dir) {
  std::lock_guard<std::mutex> lock(state_->mu);
  std::string dir = Normalize(raw_dir);
  DirNode* d = state_->FindDir(dir);
  if (d == nullptr) return NotFoundError(dir + ": fsync directory: no such directory");
  VIGIL_RETURN_IF_ERROR(state_->Mutate("fsync directory", dir));
  d->durable = d->current;
  return OkStatus();
}

int64_t FaultInjectingEnv::NowUnixMicros() {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->wall_micros;
}

int64_t FaultInjectingEnv::NowMonotonicNanos() {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->mono_nanos;
}

Status FaultInjectingEnv::FillRandom(std::span<uint8_t> out) {
  std::lock_guard<std::mutex> lock(state_->mu);
  for (size_t i = 0; i < out.size(); i += 8) {
    uint64_t r = state_->NextRandom();
    for (size_t j = 0; j < 8 && i + j < out.size(); ++j)
      out[i + j] = static_cast<uint8_t>(r >> (8 * j));
  }
  return OkStatus();
}

void FaultInjectingEnv::CrashAfter(uint64_t n) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->crash_at = n == 0 ? 0 : state_->mutations + n;
}

void FaultInjectingEnv::FailNthWrite(uint64_t n) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->fail_write_at = n == 0 ? 0 : state_->writes + n;
}

void FaultInjectingEnv::TearWrites(bool on) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->tear = on;
}

void FaultInjectingEnv::SetDiskCapacity(uint64_t bytes) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->capacity = bytes;
}

void FaultInjectingEnv::SimulatePowerLoss() {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->PowerLoss();
}

void FaultInjectingEnv::ResetFaults() {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->crash_at = 0;
  state_->crashed = false;
  state_->fail_write_at = 0;
  state_->tear = false;
  state_->capacity = 0;
}

bool FaultInjectingEnv::crashed() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->crashed;
}

uint64_t FaultInjectingEnv::mutation_count() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->mutations;
}

void FaultInjectingEnv::SetUnixMicros(int64_t t) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->wall_micros = t;
}

void FaultInjectingEnv::AdvanceClock(int64_t micros) {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (micros < 0) micros = 0;  // the monotonic clock never goes back
  state_->wall_micros += micros;
  state_->mono_nanos += micros * 1000;
}

void FaultInjectingEnv::JumpWallClock(int64_t micros) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->wall_micros += micros;
}

}  // namespace vigil
