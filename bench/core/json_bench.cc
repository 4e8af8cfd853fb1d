// json::Parse throughput on the JSON files of the shared data larger than 1 MiB (Wycheproof
// ML-DSA/ML-KEM vectors, the CISA KEV catalogue: long hex strings and many small objects),
// beside nlohmann::json::parse (a DOM that owns its values, as ours does) and simdjson's DOM
// parser (read-only, the fastest we have) on the same bytes in the same run.
#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "support/report.h"
#include "vigil/core/json.h"

namespace {

std::vector<std::string> LargeDocuments(size_t* total) {
  std::vector<std::string> docs;
  *total = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(VIGIL_DATA_DIR)) {
    if (!e.is_regular_file() || e.path().extension() != ".json") continue;
    if (e.file_size() < (size_t{1} << 20)) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    docs.push_back(ss.str());
    *total += docs.back().size();
  }
  return docs;
}

// MiB/s over all documents, the median of 7 runs.
template <typename F>
double Throughput(size_t total, F parse_all) {
  return vigil::bench::MedianOf(7, [&] {
    double t0 = vigil::bench::NowSeconds();
    parse_all();
    return static_cast<double>(total) / (1 << 20) / (vigil::bench::NowSeconds() - t0);
  });
}

}  // namespace

int main() {
  size_t total = 0;
  std::vector<std::string> docs = LargeDocuments(&total);
  if (docs.empty()) {
    std::fprintf(stderr, "bench_core_json: no JSON file over 1 MiB under %s\n", VIGIL_DATA_DIR);
    return 1;
  }
  double ours = Throughput(total, [&] {
    for (const std::string& d : docs) {
      if (!vigil::json::Parse(d, "bench.json")) std::abort();
    }
  });
  double nlohmann_mib = Throughput(total, [&] {
    for (const std::string& d : docs) {
      if (nlohmann::json::parse(d, nullptr, false).is_discarded()) std::abort();
    }
  });
  simdjson::dom::parser parser;
  double simd = Throughput(total, [&] {
    for (const std::string& d : docs) {
      simdjson::dom::element root;
      if (parser.parse(d.data(), d.size()).get(root) != simdjson::SUCCESS) std::abort();
    }
  });
  std::string name = "json parse, " + std::to_string(docs.size()) + " data files > 1 MiB (" +
                     std::to_string(total >> 20) + " MiB)";
  vigil::bench::Report(name, ours, "MiB/s", "nlohmann::json::parse", nlohmann_mib);
  vigil::bench::Report(name, ours, "MiB/s", "simdjson dom::parser", simd);
  return 0;
}
