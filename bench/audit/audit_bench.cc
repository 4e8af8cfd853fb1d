// Audit log throughput and proof latency beside the physical bounds measured in the same run:
//  - the SHA-256 bound: compressions/s (bulk SHA-256 throughput / 64 bytes) ÷ the compressions
//    one entry needs (its leaf hash plus one interior node of 65 bytes = 2 blocks);
//  - for durable appends, the disk's fsync rate × batch size as well (one fsync per batch).
// Targets (issue 4): in-memory append ≥ 50% of the SHA-256 bound; durable ≥ 50,000 entries/s at
// batch 1024; inclusion and consistency proofs ≤ 20 µs on a 10M-entry log with tiles cached.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "support/report.h"
#include "vigil/audit/merkle.h"
#include "vigil/audit/tile_log.h"
#include "vigil/core/fault_env.h"
#include "vigil/crypto/hash.h"

namespace {

using vigil::Bytes;
using vigil::audit::TileLog;

constexpr size_t kEntryBytes = 200;  // a typical encoded event

size_t CompressionsPerEntry(size_t entry) {
  size_t leaf_blocks = (1 + entry + 9 + 63) / 64;  // 0x00 || entry, padding and length
  return leaf_blocks + 2;                          // + one interior node (65 bytes → 2 blocks)
}

double ShaCompressionsPerSecond() {
  Bytes buf(1 << 20, 0x5a);
  return vigil::bench::MedianOf(9, [&] {
    double t0 = vigil::bench::NowSeconds();
    for (int i = 0; i < 16; ++i) (void)vigil::crypto::Sha256(buf);
    return 16.0 * buf.size() / 64 / (vigil::bench::NowSeconds() - t0);
  });
}

std::vector<Bytes> Entries(size_t n, size_t bytes, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Bytes> out(n, Bytes(bytes));
  for (auto& e : out) {
    for (auto& b : e) b = static_cast<uint8_t>(rng());
  }
  return out;
}

// Entries/s appending `total` entries in batches of `batch`.
double AppendRate(vigil::Env& env, const std::string& dir, size_t batch, size_t total) {
  auto log = TileLog::Open(env, dir);
  if (!log) {
    std::fprintf(stderr, "bench_audit: %s\n", log.error().message().c_str());
    std::exit(1);
  }
  auto entries = Entries(batch, kEntryBytes, batch);
  double t0 = vigil::bench::NowSeconds();
  for (size_t done = 0; done < total; done += batch) {
    if (!(*log)->AppendBatch(entries)) std::exit(1);
  }
  return static_cast<double>(total) / (vigil::bench::NowSeconds() - t0);
}

double FsyncsPerSecond(const std::string& dir) {
  auto f = vigil::Env::Default()->NewWritableFile(dir + "/fsync-probe");
  if (!f) std::exit(1);
  Bytes rec(kEntryBytes + 56, 1);
  double t0 = vigil::bench::NowSeconds();
  int n = 300;
  for (int i = 0; i < n; ++i) {
    (void)(*f)->Append(rec);
    (void)(*f)->Sync();
  }
  return n / (vigil::bench::NowSeconds() - t0);
}

template <typename F>
double MedianMicros(int n, F&& op) {
  std::vector<double> t(n);
  for (int i = 0; i < n; ++i) {
    double t0 = vigil::bench::NowSeconds();
    op(i);
    t[i] = (vigil::bench::NowSeconds() - t0) * 1e6;
  }
  std::nth_element(t.begin(), t.begin() + n / 2, t.end());
  return t[n / 2];
}

}  // namespace

int main() {
  const double comp = ShaCompressionsPerSecond();
  const double bound = comp / static_cast<double>(CompressionsPerEntry(kEntryBytes));

  {  // in memory, no storage: the hashing an append costs (leaf + interior nodes), MemoryTree
    auto entries = Entries(1024, kEntryBytes, 1);
    double rate = vigil::bench::MedianOf(5, [&] {
      vigil::audit::MemoryTree tree;
      double t0 = vigil::bench::NowSeconds();
      for (int r = 0; r < 400; ++r) {
        for (const auto& e : entries) tree.AppendData(e);
      }
      return 400.0 * 1024 / (vigil::bench::NowSeconds() - t0);
    });
    vigil::bench::Report("audit/append in memory, tree only (200 B)", rate, "entries/s",
                         "sha-256 bound (same run)", bound);
  }
  {  // in memory: the real file code on tmpfs (fsync is free there), batch 1024
    const std::string shm = "/dev/shm/vigil-bench-audit-" + std::to_string(getpid());
    double rate = vigil::bench::MedianOf(5, [&] {
      std::filesystem::remove_all(shm);
      return AppendRate(*vigil::Env::Default(), shm, 1024, 400 * 1024);
    });
    std::filesystem::remove_all(shm);
    vigil::bench::Report("audit/append in memory (tmpfs), batch 1024", rate, "entries/s",
                         "sha-256 bound (same run)", bound);
    if (std::getenv("VIGIL_BENCH_AUDIT_MEMORY_ONLY")) return 0;
  }

  // Durable, on this machine's disk (next to the build).
  const char* results = std::getenv("VIGIL_BENCH_RESULTS");
  const std::string base =
      (results ? std::filesystem::path(results).parent_path() : std::filesystem::path("/tmp")) /
      "audit-tmp";
  std::filesystem::remove_all(base);
  std::filesystem::create_directories(base);
  const double fsyncs = FsyncsPerSecond(base);
  for (size_t batch : {size_t{1}, size_t{64}, size_t{1024}}) {
    size_t total = batch == 1 ? 2000 : batch == 64 ? 64 * 500 : 1024 * 200;
    double rate = vigil::bench::MedianOf(3, [&] {
      std::string dir = base + "/log-" + std::to_string(batch);
      std::filesystem::remove_all(dir);
      return AppendRate(*vigil::Env::Default(), dir, batch, total);
    });
    double phys = std::min(fsyncs * static_cast<double>(batch), bound);
    vigil::bench::Report("audit/append durable, batch " + std::to_string(batch), rate, "entries/s",
                         "min(fsync/s x batch, sha bound)", phys);
  }
  std::filesystem::remove_all(base);

  {  // proofs on a 10M-entry log (32-byte entries, in memory, tiles cached)
    const uint64_t kSize = 10'000'000;
    vigil::FaultInjectingEnv env;
    vigil::audit::TileLogOptions opt;
    opt.tile_cache = 60000;
    auto log = TileLog::Open(env, "/big", opt);
    if (!log) return 1;
    auto entries = Entries(4096, 32, 9);
    double t0 = vigil::bench::NowSeconds();
    for (uint64_t n = 0; n < kSize; n += entries.size()) {
      size_t k = std::min<uint64_t>(entries.size(), kSize - n);
      if (!(*log)->AppendBatch(std::span<const Bytes>(entries.data(), k))) return 1;
    }
    double build = vigil::bench::NowSeconds() - t0;
    std::mt19937_64 rng(5);
    std::vector<uint64_t> idx(20000);
    for (auto& i : idx) i = rng() % kSize;
    for (uint64_t i : idx) (void)(*log)->InclusionProof(i, kSize);  // warm the tile cache
    double incl = MedianMicros(20000, [&](int k) { (void)(*log)->InclusionProof(idx[k], kSize); });
    for (uint64_t i : idx) (void)(*log)->ConsistencyProof(1 + i % (kSize - 1), kSize);
    double cons = MedianMicros(
        20000, [&](int k) { (void)(*log)->ConsistencyProof(1 + idx[k] % (kSize - 1), kSize); });
    vigil::bench::Report("audit/inclusion proof, 10M log", incl, "us", "target", 20.0);
    vigil::bench::Report("audit/consistency proof, 10M log", cons, "us", "target", 20.0);
    vigil::bench::Report("audit/build 10M-entry log in memory (32 B)", kSize / build, "entries/s",
                         "sha-256 bound (same run)", comp / CompressionsPerEntry(32));
  }
  return 0;
}
