// Reporting for `make bench`. Every figure is printed beside a peer (another implementation or
// a physical limit) measured in the same run, and appended as one JSON line to
// $VIGIL_BENCH_RESULTS (build/release/bench/results.jsonl):
//   {"bench": "...", "value": x, "unit": "...", "peer": "...", "peer_value": y, "ratio": x/y}
// These machines are shared and noisy, so figures are medians of repeated runs (MedianOf).
#ifndef VIGIL_BENCH_SUPPORT_REPORT_H_
#define VIGIL_BENCH_SUPPORT_REPORT_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::bench {

// Prints a table row and appends the JSON line. `ratio` is value / peer_value.
void Report(std::string_view bench, double value, std::string_view unit, std::string_view peer,
            double peer_value);

// Seconds since an arbitrary origin (steady clock).
double NowSeconds();

// CPU time used so far by the whole process / by the calling thread, in milliseconds. The
// thread's excludes other threads (a loopback server in the same process, a writer thread).
double ProcessCpuMs();
double ThreadCpuMs();

// Runs `fn` `runs` times and returns the median of what it returns (e.g. a throughput).
double MedianOf(int runs, const std::function<double()>& fn);
// The median of `values` (the upper one of an even count). Precondition: not empty.
double Median(std::vector<double> values);

// Runs a shell command and returns its standard output ("" if it failed).
std::string RunCommand(const std::string& command);

// Runs `openssl speed -elapsed -bytes SIZE -seconds SECS [-evp] ALG` and returns the throughput
// in bytes/s for that block size, or for signatures (`sign`/`verify`) operations/s. Returns a
// negative number when openssl's output cannot be read.
double OpensslSpeedBytesPerSecond(const std::string& evp_alg, int block_size, int seconds);
double OpensslSpeedOpsPerSecond(const std::string& alg, bool sign, int seconds);

}  // namespace vigil::bench

#endif  // VIGIL_BENCH_SUPPORT_REPORT_H_
