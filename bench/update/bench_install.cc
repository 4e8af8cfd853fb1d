// A/B install of a 256 MiB target: our installer downloads it from a loopback HTTP server,
// hashes it (SHA-256, as the signed target lists) while writing it to the inactive slot, syncs
// it and records the verified slot — beside the same physical work done by standard tools in
// the same run: `sha256sum` of the file plus `dd ... bs=1M conv=fsync` of it into a slot file
// (both as child processes; the file is in the page cache for them, as the served bytes are in
// memory for us). Figures are medians of kRuns; each run writes a fresh slot file.
//
// What is not in the figure: TUF metadata refresh and signature checks (milliseconds, and
// measured by bench_update_refresh); the TargetFile is the one the signed metadata would list.
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/report.h"
#include "vigil/core/json.h"
#include "vigil/crypto/hash.h"
#include "vigil/update/installer.h"

namespace vigil::update {
namespace {

namespace fs = std::filesystem;

constexpr size_t kSize = 256u << 20;
constexpr int kRuns = 5;

void Check(const Status& s, const char* what) {
  if (!s) {
    std::fprintf(stderr, "bench_update_install: %s: %s\n", what, s.error().ToString().c_str());
    std::exit(1);
  }
}

Bytes TargetBytes() {
  Bytes data(kSize);
  uint64_t x = 0x9e3779b97f4a7c15ULL;
  for (size_t i = 0; i + 8 <= data.size(); i += 8) {  // xorshift: incompressible, cheap
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    std::memcpy(&data[i], &x, 8);
  }
  return data;
}

// One install into a freshly provisioned slot directory; returns seconds.
double OursOnce(const fs::path& work, const std::string& url, const TargetFile& info, int run) {
  fs::path dir = work / ("slots-" + std::to_string(run));
  fs::remove_all(dir);
  InstallerConfig config;
  config.slots["a"] = SlotSpec{"dir", "a", 0};
  config.slots["b"] = SlotSpec{"dir", "b", 0};
  Check(Installer::Setup(Env::Default(), dir, config), "setup");
  auto installer = Installer::Open(Env::Default(), dir);
  Check(installer.has_value() ? OkStatus() : Status(installer.error()), "open");
  auto fetcher = NewHttpFetcher(30);
  double t0 = bench::NowSeconds();
  auto record = (*installer)->Install("pump/fw.bin", info, FetchSource(fetcher.get(), url, kSize));
  double t = bench::NowSeconds() - t0;
  Check(record.has_value() ? OkStatus() : Status(record.error()), "install");
  fs::remove_all(dir);
  return t;
}

double Timed(const std::string& command) {
  double t0 = bench::NowSeconds();
  if (std::system(command.c_str()) != 0) {
    std::fprintf(stderr, "bench_update_install: failed: %s\n", command.c_str());
    std::exit(1);
  }
  return bench::NowSeconds() - t0;
}

void Run() {
  fs::path work = fs::temp_directory_path() / ("vigil-bench-install-" + std::to_string(getpid()));
  fs::create_directories(work);
  const Bytes data = TargetBytes();
  const std::string file = work / "fw.bin";
  {
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(data.data()),
              static_cast<std::streamsize>(data.size()));
  }
  TargetFile info;
  info.length = data.size();
  auto digest = crypto::Sha256(data);
  info.hashes["sha256"] = Bytes(digest.begin(), digest.end());
  json::Value release = json::Value::MakeObject();
  release.Set("release", 1);
  release.Set("security_version", 1);
  info.custom = json::Value::MakeObject();
  info.custom.Set("vigil", std::move(release));

  httplib::Server server;
  server.Get("/targets/fw.bin", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content_provider(data.size(), "application/octet-stream",
                             [&](size_t offset, size_t length, httplib::DataSink& sink) {
                               size_t n = std::min<size_t>(length, 1 << 20);
                               return sink.write(reinterpret_cast<const char*>(&data[offset]), n);
                             });
  });
  int port = server.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/targets/fw.bin";

  int run = 0;
  double ours = bench::MedianOf(kRuns, [&] { return OursOnce(work, url, info, run++); });
  const std::string slot = (work / "dd-slot.img").string();
  double peer = bench::MedianOf(kRuns, [&] {
    fs::remove(slot);
    double sha = Timed("sha256sum " + file + " >/dev/null");
    double dd = Timed("dd if=" + file + " of=" + slot + " bs=1M conv=fsync status=none");
    return sha + dd;
  });
  server.stop();
  thread.join();
  fs::remove_all(work);

  double mib = static_cast<double>(kSize) / (1 << 20);
  std::printf("install 256 MiB: ours %.3f s (%.0f MiB/s), sha256sum + dd conv=fsync %.3f s\n", ours,
              mib / ours, peer);
  bench::Report("update install 256 MiB (HTTP+SHA-256+fsync)", ours, "s",
                "sha256sum + dd bs=1M conv=fsync", peer);
}

}  // namespace
}  // namespace vigil::update

int main() {
  vigil::update::Run();
  return 0;
}
