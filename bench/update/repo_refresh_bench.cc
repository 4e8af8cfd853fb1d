// Cold metadata refresh of a large repository over loopback HTTP: our TUF client (Updater)
// beside tuf-js (npm) — same repository, same server, same run.
//
// The repository is built with the repository tooling: 10,000 targets spread over 50 delegated
// roles (200 each), Ed25519 keys (what tuf-js verifies). One run = a fresh client that trusts
// only root v1: refresh (root, timestamp, snapshot, top-level targets) then one target lookup
// per delegated role, so every one of the 50 delegated roles is fetched and verified. The
// figure is the median of the runs; tuf-js times the same work inside one node process (node
// start-up not counted).
//
// A third figure follows the cost of reading the metadata (issue 14 moved it from update's own
// flat reader to core's JSON layer): the thread CPU time of parsing the repository's 55
// metadata files with the role readers (Root/Timestamp/Snapshot/Targets::Parse, JSON parse
// included), beside the thread CPU time of a whole refresh with the client's metadata in memory;
// the ratio is the share of a refresh spent reading metadata (the rest is mostly Ed25519
// verification and hashing, and HTTP).
//
// For profiling (not used by `make bench`): VIGIL_BENCH_REFRESH_REPO=DIR builds the repository in
// DIR once and reuses it on later runs (building takes ~30 s), VIGIL_BENCH_REFRESH_RUNS=N runs
// our client N times instead of 9, VIGIL_BENCH_REFRESH_OURS_ONLY=1 skips tuf-js and reports ours
// only to stdout, VIGIL_BENCH_REFRESH_READ_ONLY=1 only reads the metadata (N times, for a
// profiler), printing its thread CPU and how many allocations one reading makes;
// VIGIL_BENCH_REFRESH_MEMORY_ONLY=1 only runs the refresh with the client's metadata in memory
// (N times, for a profiler), printing its thread CPU and the allocations of one refresh.
#include <httplib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <new>
#include <sstream>
#include <thread>

#include "support/report.h"
#include "vigil/core/fault_env.h"
#include "vigil/crypto/key_file.h"
#include "vigil/update/metadata.h"
#include "vigil/update/repository.h"
#include "vigil/update/updater.h"

// Allocations through operator new (the JSON tree's and the role readers'), counted per thread so
// the bench can say how many one reading of the metadata, or one refresh, makes (the loopback
// server's thread not counted).
namespace {
thread_local uint64_t allocations = 0;
}  // namespace

// free() on what operator new returned is what these replacements pair by design.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(size_t size) {
  ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t size) { return ::operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace vigil::update {
namespace {

namespace fs = std::filesystem;

constexpr int kRoles = 50;
constexpr int kTargetsPerRole = 200;
constexpr int kRuns = 9;

const char* EnvOr(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

std::string RolePath(int role, int target) {
  return "role-" + std::to_string(role) + "/firmware-" + std::to_string(target) + ".bin";
}

RepoKey NewKey(const fs::path& dir, const std::string& name) {
  std::string path = dir / (name + ".pem");
  auto key = crypto::GenerateSigningKey(crypto::AlgorithmId::kEd25519).value();
  if (!crypto::WritePrivateKeyFile(*Env::Default(), path, *key)) std::abort();
  return LoadRepoKey(Env::Default(), path).value();
}

void Check(const Status& s, const char* what) {
  if (!s) {
    std::fprintf(stderr, "bench_update_refresh: %s: %s\n", what, s.error().ToString().c_str());
    std::exit(1);
  }
}

void BuildRepository(const fs::path& dir, int64_t now) {
  fs::create_directories(dir / "keys");
  RepoInitOptions o;
  o.root_keys = {NewKey(dir / "keys", "root")};
  for (const char* role : {"targets", "snapshot", "timestamp"}) {
    o.role_keys[role] = {NewKey(dir / "keys", role)};
  }
  auto repo = Repository::Init(Env::Default(), (dir / "repo").string(), o, now);
  Check(repo.has_value() ? OkStatus() : Status(repo.error()), "init");
  for (int r = 0; r < kRoles; ++r) {
    DelegationOptions d;
    d.name = "role-" + std::to_string(r);
    d.keys = {NewKey(dir / "keys", d.name)};
    d.paths = {d.name + "/*"};
    Check(repo->Delegate(d, now), "delegate");
    for (int t = 0; t < kTargetsPerRole; ++t) {
      std::string path = RolePath(r, t);
      Check(repo->AddTarget(d.name, path, AsBytes(path), nullptr, now), "add-target");
    }
  }
  Check(repo->Save(), "save");
  Check(repo->Publish(now).has_value() ? OkStatus() : Status(Error(ErrorCode::kInternal, "")),
        "publish");
}

// One cold refresh + 50 lookups; wall-clock milliseconds (and the thread's CPU milliseconds
// added to `cpu_ms` when given). `env` holds the client's trusted metadata: the
// real disk (root, timestamp and snapshot fsynced before they are trusted, as on a device; the
// targets roles written without fsync, see Updater::PersistVerifiedCopy) or memory (to show
// what the durability costs).
double OurRun(Env* env, const fs::path& dir, const std::string& base, const Bytes& root,
              int64_t now, std::vector<double>* cpu_ms = nullptr) {
  fs::path meta = dir / "client";
  fs::remove_all(meta);
  // The clock starts once the metadata directory holds the trusted root, as tuf-js's does
  // (tests/update/tuf_js_client.js copies root.json in before its timer starts): provisioning
  // the root happens once per device, not per refresh.
  Check(Updater::Initialize(env, meta.string(), root), "client init");
  double start = bench::NowSeconds();
  double cpu_start = bench::ThreadCpuMs();
  auto fetcher = NewHttpFetcher(10);
  UpdaterOptions o;
  o.metadata_dir = meta.string();
  o.metadata_base_url = base + "/metadata";
  o.targets_base_url = base + "/targets";
  o.reference_time = now;
  auto updater = Updater::Create(o, env, fetcher.get());
  Check(updater.has_value() ? OkStatus() : Status(updater.error()), "client create");
  Check((*updater)->Refresh(), "refresh");
  for (int r = 0; r < kRoles; ++r) {
    auto info = (*updater)->GetTargetInfo(RolePath(r, kTargetsPerRole - 1));
    Check(info.has_value() ? OkStatus() : Status(info.error()), "lookup");
  }
  if (cpu_ms != nullptr) cpu_ms->push_back(bench::ThreadCpuMs() - cpu_start);
  return (bench::NowSeconds() - start) * 1000;
}

// Thread CPU milliseconds of reading every published metadata file with its role's reader
// (median of `runs`); the files are read from disk before the clock starts. `allocations_made`,
// when given, is set to the allocations of one reading after a first one (as in the runs
// measured, whose blocks the JSON tree's allocator may keep for the next; json_allocator.h).
double ReadMetadataCpuMs(const fs::path& dir, int runs, uint64_t* allocations_made = nullptr) {
  std::vector<std::pair<std::string, Bytes>> files;
  for (const auto& e : fs::directory_iterator(dir / "repo/public/metadata")) {
    files.emplace_back(e.path().filename().string(),
                       Env::Default()->ReadFile(e.path().string()).value());
  }
  auto read = [](const std::string& name, const Bytes& bytes) -> Status {
    auto ok = [](const auto& r) { return r.has_value() ? OkStatus() : Status(r.error()); };
    if (name.ends_with("root.json")) return ok(Root::Parse(bytes, name));
    if (name == "timestamp.json") return ok(Timestamp::Parse(bytes, name));
    if (name.ends_with(".snapshot.json")) return ok(Snapshot::Parse(bytes, name));
    return ok(Targets::Parse(bytes, name));
  };
  auto read_all = [&] {
    for (const auto& [name, bytes] : files) Check(read(name, bytes), "read metadata");
  };
  if (allocations_made != nullptr) {
    read_all();
    uint64_t before = allocations;
    read_all();
    *allocations_made = allocations - before;
  }
  return bench::MedianOf(runs, [&] {
    double start = bench::ThreadCpuMs();
    read_all();
    return bench::ThreadCpuMs() - start;
  });
}

// tuf-js's per-run times (same work), median; negative if node or tuf-js is missing.
double TufJsMedian(const fs::path& dir, const std::string& base) {
  std::string src = VIGIL_SOURCE_DIR;
  std::string cmd = "VIGIL_NODE_MODULES=" + src + "/build/node/node_modules node " + src +
                    "/tests/update/tuf_js_client.js bench " + (dir / "root.json").string() + " " +
                    base + "/metadata " + std::to_string(kRuns);
  for (int r = 0; r < kRoles; ++r) cmd += " " + RolePath(r, kTargetsPerRole - 1);
  std::string out = bench::RunCommand(cmd + " 2>&1");
  size_t open = out.find('[');
  if (open == std::string::npos) {
    std::fprintf(stderr, "bench_update_refresh: tuf-js run failed: %s\n", out.c_str());
    return -1;
  }
  std::vector<double> ms;
  std::stringstream in(out.substr(open + 1));
  for (double v; in >> v;) {
    ms.push_back(v);
    if (in.peek() == ',') in.ignore();
  }
  std::sort(ms.begin(), ms.end());
  return ms.empty() ? -1 : ms[ms.size() / 2];
}

int Main() {
  std::string kept = EnvOr("VIGIL_BENCH_REFRESH_REPO", "");
  int runs = std::atoi(EnvOr("VIGIL_BENCH_REFRESH_RUNS", "9"));
  bool ours_only = std::string(EnvOr("VIGIL_BENCH_REFRESH_OURS_ONLY", "0")) == "1";
  bool read_only = std::string(EnvOr("VIGIL_BENCH_REFRESH_READ_ONLY", "0")) == "1";
  bool memory_only = std::string(EnvOr("VIGIL_BENCH_REFRESH_MEMORY_ONLY", "0")) == "1";
  fs::path dir = !kept.empty() ? fs::path(kept)
                               : fs::temp_directory_path() /
                                     ("vigil_bench_repo_" + std::to_string(::getpid()));
  int64_t now = Env::Default()->NowUnixMicros() / 1000000;
  if (kept.empty() || !fs::exists(dir / "root.json")) {
    fs::remove_all(dir);
    double t0 = bench::NowSeconds();
    BuildRepository(dir, now);
    std::printf("built repository: %d targets in %d delegated roles (%.1f s)\n",
                kRoles * kTargetsPerRole, kRoles, bench::NowSeconds() - t0);
    fs::copy_file(dir / "repo/public/metadata/1.root.json", dir / "root.json");
  }
  Bytes root = Env::Default()->ReadFile((dir / "root.json").string()).value();
  if (read_only) {
    uint64_t made = 0;
    double cpu = ReadMetadataCpuMs(dir, runs, &made);
    std::printf("reading the metadata: thread CPU %.2f ms (median of %d), %llu allocations\n",
                cpu, runs, static_cast<unsigned long long>(made));
    if (kept.empty()) fs::remove_all(dir);
    return 0;
  }

  httplib::Server server;
  server.set_mount_point("/", (dir / "repo/public").string());
  // As production servers do for kept-alive connections (nginx: tcp_nodelay on): without it a
  // response written as header + body waits for the client's delayed ACK (40 ms) on every reused
  // connection. Both clients below use this server.
  server.set_tcp_nodelay(true);
  int port = server.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::yield();
  std::string base = "http://127.0.0.1:" + std::to_string(port);

  std::vector<double> in_memory_cpu;
  auto in_memory_run = [&] {
    FaultInjectingEnv memory;
    return OurRun(&memory, dir, base, root, now, &in_memory_cpu);
  };
  if (memory_only) {
    in_memory_run();  // as in the runs measured, the JSON tree's blocks are cached (see above)
    uint64_t before = allocations;
    in_memory_run();
    uint64_t made = allocations - before;
    in_memory_cpu.clear();
    double wall = bench::MedianOf(runs, in_memory_run);
    std::printf(
        "refresh in memory: thread CPU %.2f ms, wall %.2f ms (medians of %d), %llu "
        "allocations\n",
        bench::Median(in_memory_cpu), wall, runs, static_cast<unsigned long long>(made));
    server.stop();
    serving.join();
    if (kept.empty()) fs::remove_all(dir);
    return 0;
  }
  double ours = bench::MedianOf(runs, [&] { return OurRun(Env::Default(), dir, base, root, now); });
  double in_memory = bench::MedianOf(runs, in_memory_run);
  double read_cpu = ReadMetadataCpuMs(dir, runs);
  double theirs = ours_only ? 0 : TufJsMedian(dir, base);
  server.stop();
  serving.join();
  if (kept.empty()) fs::remove_all(dir);
  if (ours_only) {
    std::printf(
        "ours: %.2f ms on disk, %.2f ms in memory; thread CPU %.2f ms in memory, reading the "
        "metadata %.2f ms (medians of %d)\n",
        ours, in_memory, bench::Median(in_memory_cpu), read_cpu, runs);
    return 0;
  }
  if (theirs <= 0) return 1;
  bench::Report("update: cold refresh, 10k targets / 50 delegated roles (loopback HTTP)", ours,
                "ms", "tuf-js 4", theirs);
  bench::Report("update: same, client metadata in memory (no fsync; tuf-js does not fsync)",
                in_memory, "ms", "tuf-js 4", theirs);
  bench::Report("update: reading the refresh's metadata (parse + role readers), thread CPU",
                read_cpu, "ms", "whole refresh in memory, thread CPU",
                bench::Median(in_memory_cpu));
  return 0;
}

}  // namespace
}  // namespace vigil::update

int main() { return vigil::update::Main(); }
