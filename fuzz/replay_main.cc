// vigil_fuzz_replay HARNESS [SEED_DIR]: runs one fuzz harness, compiled without libFuzzer, on the
// empty input, on every file of SEED_DIR, and on fixed mutations of each (prefixes, single-byte
// changes towards the bytes parsers branch on, a range cut out or doubled); without seeds, on a few
// small documents and fixed pseudo-random bytes. The mutations come from a fixed seed, so a failure
// repeats. A harness reports a bug by crashing or trapping (the sanitizers of the test build
// catch the rest); this program prints what it ran, so a crash's log shows the harness and input.
//   vigil_fuzz_replay --list    prints the harnesses' names.
// This is a check that every harness still builds and its seeds still pass, not fuzzing: `make
// fuzz` runs the libFuzzer build for that.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "replay.h"

namespace {

using namespace std::literals;
using Bytes = std::vector<uint8_t>;
using vigil::fuzz_replay::Harness;

// The bytes parsers of JSON, YAML, PEM, URLs and the CLI's formats branch on.
constexpr std::string_view kInteresting = "\0\xff\"\\{}[],:-0.9eE \n\t#'/%@=&+"sv;

// xorshift64*: fixed-seed pseudo-random numbers, the same on every machine.
class Rng {
 public:
  uint64_t Next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1DULL;
  }
  size_t Below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(Next() % n); }

 private:
  uint64_t state_ = 0x9E3779B97F4A7C15ULL;
};

// Mutations of one seed: 7 prefixes, 48 single-byte changes, 8 cuts and 8 doublings of a range.
std::vector<Bytes> Mutations(const Bytes& seed, Rng& rng) {
  std::vector<Bytes> out;
  for (size_t k = 1; k < 8 && seed.size() > 1; ++k) {
    out.emplace_back(seed.begin(), seed.begin() + static_cast<std::ptrdiff_t>(seed.size() * k / 8));
  }
  if (seed.empty()) return out;
  for (int i = 0; i < 48; ++i) {
    Bytes b = seed;
    size_t at = rng.Below(b.size());
    if (i % 3 == 0) {
      b[at] ^= static_cast<uint8_t>(1u << rng.Below(8));
    } else {
      b[at] = static_cast<uint8_t>(kInteresting[rng.Below(kInteresting.size())]);
    }
    out.push_back(std::move(b));
  }
  for (int i = 0; i < 16; ++i) {
    Bytes b = seed;
    size_t from = rng.Below(b.size());
    size_t len = 1 + rng.Below(std::min<size_t>(b.size() - from, 64));
    auto first = b.begin() + static_cast<std::ptrdiff_t>(from);
    if (i % 2 == 0) {
      b.erase(first, first + static_cast<std::ptrdiff_t>(len));
    } else {
      Bytes range(first, first + static_cast<std::ptrdiff_t>(len));
      b.insert(first, range.begin(), range.end());
    }
    out.push_back(std::move(b));
  }
  return out;
}

// Inputs for a harness without seeds: small documents of the formats harnesses read, and bytes.
std::vector<Bytes> Generic(Rng& rng) {
  std::vector<Bytes> out;
  for (std::string_view s : {"{}", "[]", "null", "0", "\"\"", "{\"a\":", "-----BEGIN", "a: b\n",
                             "pkg:npm/a@1", "cpe:2.3:a:v:p:1:*:*:*:*:*:*:*"}) {
    out.emplace_back(s.begin(), s.end());
  }
  for (size_t size : {1, 2, 3, 16, 32, 64, 100, 255, 256, 1000, 4096}) {
    Bytes b(size);
    for (auto& byte : b) byte = static_cast<uint8_t>(rng.Next() >> 56);
    out.push_back(std::move(b));
  }
  return out;
}

bool ReadFile(const std::filesystem::path& path, Bytes* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return static_cast<bool>(in) || in.eof();
}

const Harness* Find(std::string_view name) {
  for (const Harness& h : vigil::fuzz_replay::Harnesses()) {
    if (name == h.name) return &h;
  }
  return nullptr;
}

// Runs the harness on one input, first saying which, so a crash's output names it.
void Run(const Harness& h, const std::string& what, const Bytes& input) {
  std::fprintf(stderr, "%s: %s (%zu bytes)\n", h.name, what.c_str(), input.size());
  // A copy of exactly its size, so ASan sees a read past the input's end.
  std::vector<uint8_t> exact(input);
  exact.shrink_to_fit();
  h.run(exact.empty() ? nullptr : exact.data(), exact.size());
}

int Usage() {
  std::fprintf(stderr, "usage: vigil_fuzz_replay HARNESS [SEED_DIR] | --list\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "--list") == 0) {
    for (const Harness& h : vigil::fuzz_replay::Harnesses()) std::printf("%s\n", h.name);
    return 0;
  }
  if (argc < 2 || argc > 3) return Usage();
  const Harness* h = Find(argv[1]);
  if (h == nullptr) {
    std::fprintf(stderr, "vigil_fuzz_replay: no harness named %s (--list names them)\n", argv[1]);
    return 2;
  }
  std::vector<std::filesystem::path> seeds;
  if (argc == 3) {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(argv[2], ec)) {
      if (e.is_regular_file()) seeds.push_back(e.path());
    }
    if (ec || seeds.empty()) {
      std::fprintf(stderr, "vigil_fuzz_replay: %s: expected a folder of seed files\n", argv[2]);
      return 2;
    }
    std::sort(seeds.begin(), seeds.end());
  }
  Rng rng;
  size_t runs = 0;
  Run(*h, "empty input", {});
  ++runs;
  for (const auto& path : seeds) {
    Bytes seed;
    if (!ReadFile(path, &seed)) {
      std::fprintf(stderr, "vigil_fuzz_replay: %s: cannot read\n", path.c_str());
      return 2;
    }
    Run(*h, path.string(), seed);
    ++runs;
    size_t n = 0;
    for (const Bytes& m : Mutations(seed, rng)) {
      Run(*h, path.filename().string() + " mutation " + std::to_string(++n), m);
      ++runs;
    }
  }
  if (seeds.empty()) {
    size_t n = 0;
    for (const Bytes& g : Generic(rng)) {
      Run(*h, "generic input " + std::to_string(++n), g);
      ++runs;
    }
  }
  std::printf("%s: %zu inputs (%zu seeds) ran clean\n", h->name, runs, seeds.size());
  return 0;
}
