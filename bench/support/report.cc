#include "support/report.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <sstream>

namespace vigil::bench {

namespace {

std::string JsonEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

}  // namespace

void Report(std::string_view bench, double value, std::string_view unit, std::string_view peer,
            double peer_value) {
  double ratio = peer_value != 0 ? value / peer_value : 0;
  std::printf("%-44.*s %12.4g %-3.*s  %-34.*s %16.4g %8.3f\n", static_cast<int>(bench.size()),
              bench.data(), value, static_cast<int>(unit.size()), unit.data(),
              static_cast<int>(peer.size()), peer.data(), peer_value, ratio);
  std::fflush(stdout);
  const char* path = std::getenv("VIGIL_BENCH_RESULTS");
  if (path == nullptr || *path == '\0') return;
  if (FILE* f = std::fopen(path, "a")) {
    std::fprintf(f,
                 "{\"bench\": \"%s\", \"value\": %.6g, \"unit\": \"%s\", \"peer\": \"%s\", "
                 "\"peer_value\": %.6g, \"ratio\": %.6g}\n",
                 JsonEscape(bench).c_str(), value, JsonEscape(unit).c_str(),
                 JsonEscape(peer).c_str(), peer_value, ratio);
    std::fclose(f);
  }
}

double NowSeconds() {
  using Clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
}

namespace {
double CpuMs(clockid_t clock) {
  timespec t{};
  clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) * 1000 + static_cast<double>(t.tv_nsec) / 1e6;
}
}  // namespace

double ProcessCpuMs() { return CpuMs(CLOCK_PROCESS_CPUTIME_ID); }
double ThreadCpuMs() { return CpuMs(CLOCK_THREAD_CPUTIME_ID); }

double MedianOf(int runs, const std::function<double()>& fn) {
  std::vector<double> v;
  v.reserve(static_cast<size_t>(runs));
  for (int i = 0; i < runs; ++i) v.push_back(fn());
  return Median(std::move(v));
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

std::string RunCommand(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return out;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  if (pclose(p) != 0) return {};
  return out;
}

double OpensslSpeedBytesPerSecond(const std::string& evp_alg, int block_size, int seconds) {
  // With -mr (machine readable) openssl prints "+F:<n>:<alg>:<bytes/s>..." per block size.
  std::string out = RunCommand("openssl speed -mr -elapsed -seconds " + std::to_string(seconds) +
                               " -bytes " + std::to_string(block_size) + " -evp " + evp_alg +
                               " 2>/dev/null");
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("+F:", 0) != 0) continue;
    size_t last = line.rfind(':');
    if (last == std::string::npos) continue;
    // bytes per second for the single block size asked for
    return std::strtod(line.c_str() + last + 1, nullptr);
  }
  return -1;
}

double OpensslSpeedOpsPerSecond(const std::string& alg, bool sign, int seconds) {
  // Machine-readable lines: "+F5:<n>:<bits>:<sign/s>:<verify/s>" (ecdsa) or
  // "+F6:<n>:<bits>:<name>:<sign/s>:<verify/s>" (eddsa). Take the last two fields.
  std::string out = RunCommand("openssl speed -mr -elapsed -seconds " + std::to_string(seconds) +
                               " " + alg + " 2>/dev/null");
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("+F", 0) != 0) continue;
    std::vector<std::string> fields;
    std::stringstream ls(line);
    std::string f;
    while (std::getline(ls, f, ':')) fields.push_back(f);
    if (fields.size() < 4) continue;
    double s = std::strtod(fields[fields.size() - 2].c_str(), nullptr);
    double v = std::strtod(fields[fields.size() - 1].c_str(), nullptr);
    return sign ? s : v;
  }
  return -1;
}

}  // namespace vigil::bench
