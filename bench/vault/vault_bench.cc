// Vault put/get of 1 KiB records (10^5 records, 1,000 per transaction, then every record read
// in random order) beside the same workload on plain SQLite and on SQLCipher, all measured in
// this run with the same pragmas (sqlite_workload.h). Medians of kRuns runs.
// Targets (issue 5): at least as fast as SQLCipher (ratio ≥ 1), within 1.5× of plain SQLite
// (ratio ≥ 0.67; figures are records per second, higher is better).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <numeric>
#include <random>
#include <sstream>

#include "support/report.h"
#include "vault/sqlite_workload.h"
#include "vigil/vault/vault.h"

namespace {

using vigil::Bytes;
using vigil::Result;
using vigil::Status;

constexpr int kRecords = 100000;
constexpr int kRecordSize = 1024;
constexpr int kBatch = 1000;
constexpr int kRuns = 5;

// The KEK in process memory: the bench measures the record path, not a key store.
class MemoryKeyStore final : public vigil::vault::HardwareKeyStore {
 public:
  Result<vigil::crypto::SecretBytes> ReadKey(std::string_view slot) override {
    auto it = slots_.find(std::string(slot));
    if (it == slots_.end()) return vigil::NotFoundError("empty slot");
    return it->second;
  }
  Status WriteKey(std::string_view slot, const vigil::crypto::SecretBytes& key) override {
    slots_[std::string(slot)] = key;
    return vigil::OkStatus();
  }
  Status ZeroizeKey(std::string_view slot) override {
    slots_.erase(std::string(slot));
    return vigil::OkStatus();
  }
  std::string Name() const override { return "bench-memory"; }

 private:
  std::map<std::string, vigil::crypto::SecretBytes> slots_;
};

class NullSink final : public vigil::audit::EventSink {
 public:
  Status Record(vigil::audit::Event) override { return vigil::OkStatus(); }
};

vigil::bench::WorkloadTimes RunVault(const std::string& path) {
  std::filesystem::remove(path);
  MemoryKeyStore store;
  vigil::vault::HardwareKekSource source(store, "kek");
  NullSink sink;
  vigil::vault::VaultOptions options;
  options.path = path;
  auto vault = vigil::vault::Vault::Create(options, source, sink, *vigil::Env::Default());
  if (!vault) {
    std::fprintf(stderr, "bench_vault: %s\n", vault.error().ToString().c_str());
    return {};
  }
  std::mt19937_64 rng(42);
  Bytes data(kRecordSize);
  for (auto& b : data) b = static_cast<uint8_t>(rng());
  std::vector<std::string> ids;
  for (int i = 0; i < kRecords; ++i) ids.push_back("rec-" + std::to_string(i));
  std::vector<Bytes> payloads(kBatch, data);
  vigil::bench::WorkloadTimes t;
  double t0 = vigil::bench::NowSeconds();
  for (int i = 0; i < kRecords; i += kBatch) {
    std::vector<vigil::vault::RecordInput> batch;
    for (int j = i; j < std::min(kRecords, i + kBatch); ++j) {
      payloads[j - i][0] = static_cast<uint8_t>(j);
      batch.push_back({ids[j], payloads[j - i]});
    }
    Status s = (*vault)->PutBatch("bench", batch);
    if (!s) {
      std::fprintf(stderr, "bench_vault: %s\n", s.error().ToString().c_str());
      return {};
    }
  }
  double t1 = vigil::bench::NowSeconds();
  std::vector<int> order(kRecords);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  for (int k : order) {
    auto r = (*vault)->Get("bench", ids[k]);
    if (!r || r->plaintext.size() != kRecordSize) {
      std::fprintf(stderr, "bench_vault: %s did not read back\n", ids[k].c_str());
      return {};
    }
  }
  t.get_seconds = vigil::bench::NowSeconds() - t1;
  t.put_seconds = t1 - t0;
  t.ok = true;
  vault->reset();
  std::filesystem::remove(path);
  return t;
}

std::string SelfDir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : exe.parent_path().string();
}

vigil::bench::WorkloadTimes RunPlain(const std::string& path) {
  std::filesystem::remove(path);
  auto t = vigil::bench::RunSqliteWorkload(path, "", kRecords, kRecordSize, kBatch);
  std::filesystem::remove(path);
  return t;
}

// One run of the SQLCipher peer program.
vigil::bench::WorkloadTimes RunSqlcipher(const std::string& dir) {
  std::ostringstream cmd;
  cmd << SelfDir() << "/vault_sqlcipher_peer " << dir << " " << kRecords << " " << kRecordSize
      << " " << kBatch << " 1";
  std::istringstream out(vigil::bench::RunCommand(cmd.str()));
  vigil::bench::WorkloadTimes t;
  out >> t.put_seconds >> t.get_seconds;
  t.ok = t.put_seconds > 0 && t.get_seconds > 0;
  if (!t.ok)
    std::fprintf(stderr, "bench_vault: the SQLCipher peer failed (%s)\n", cmd.str().c_str());
  return t;
}

struct Series {
  std::vector<double> puts, gets;
  void Add(const vigil::bench::WorkloadTimes& t) {
    puts.push_back(t.put_seconds);
    gets.push_back(t.get_seconds);
  }
  static double Median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  }
  double PutRate() const { return kRecords / Median(puts); }
  double GetRate() const { return kRecords / Median(gets); }
};

}  // namespace

int main() {
  auto dir =
      std::filesystem::temp_directory_path() / ("vigil-bench-vault-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  // The three engines take turns within each run, so that drift in the disk's and the page
  // cache's state (this machine is shared and noisy) hits them alike.
  Series vault, plain, cipher;
  for (int r = 0; r < kRuns; ++r) {
    auto v = RunVault((dir / "vault.db").string());
    auto p = RunPlain((dir / "plain.db").string());
    auto c = RunSqlcipher(dir.string());
    if (!v.ok || !p.ok || !c.ok) return 1;
    vault.Add(v);
    plain.Add(p);
    cipher.Add(c);
  }
  std::filesystem::remove_all(dir);
  using vigil::bench::Report;
  Report("vault put 1KiB x1e5 (batch 1000)", vault.PutRate(), "rec/s", "plain SQLite",
         plain.PutRate());
  Report("vault get 1KiB x1e5 (random order)", vault.GetRate(), "rec/s", "plain SQLite",
         plain.GetRate());
  Report("vault put 1KiB x1e5 (batch 1000)", vault.PutRate(), "rec/s", "SQLCipher 3.4.1",
         cipher.PutRate());
  Report("vault get 1KiB x1e5 (random order)", vault.GetRate(), "rec/s", "SQLCipher 3.4.1",
         cipher.GetRate());
  return 0;
}
