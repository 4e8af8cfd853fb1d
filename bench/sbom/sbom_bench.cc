// SBOM reading speed: a generated CycloneDX 1.6 SBOM (10,000 and 100,000 components shaped like
// the medical-device ones: purl, CPE, two hashes, a licence, FDA properties, a dependency each)
// read into the model, beside simdjson alone parsing the same bytes in the same run.
#include <simdjson.h>

#include <cstdio>
#include <string>

#include "support/report.h"
#include "vigil/sbom/cyclonedx.h"

namespace {

std::string MakeSbom(int components) {
  std::string s = R"({"bomFormat":"CycloneDX","specVersion":"1.6","serialNumber":)"
                  R"("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79","version":1,"components":[)";
  for (int i = 0; i < components; ++i) {
    std::string n = std::to_string(i);
    if (i) s += ",";
    s += R"({"type":"library","bom-ref":"c)" + n + R"(","name":"lib)" + n + R"(","version":"1.)" +
         std::to_string(i % 50) + R"(.3","purl":"pkg:generic/vendor)" + std::to_string(i % 97) +
         "/lib" + n + "@1." + std::to_string(i % 50) + R"(.3","cpe":"cpe:2.3:a:vendor)" +
         std::to_string(i % 97) + ":lib" + n + ":1." + std::to_string(i % 50) +
         R"(.3:*:*:*:*:*:*:*","hashes":[{"alg":"SHA-256","content":)"
         R"("f498a8ff2dd007e29c2074f5e4b01a9a01775c3ff3aeaf6906ea503bc5791b7b"},{"alg":"SHA-1",)"
         R"("content":"e6b1000b94e835ffd37f4c6dcbdad43f4b48a02a"}],"licenses":[{"license":)"
         R"({"id":"Apache-2.0"}}],"properties":[{"name":"Level of Support","value":)"
         R"("Actively maintained"},{"name":"End-of-Support","value":"2030-12-31"}]})";
  }
  s += R"(],"dependencies":[)";
  for (int i = 0; i < components; ++i) {
    if (i) s += ",";
    s += R"({"ref":"c)" + std::to_string(i) + R"(","dependsOn":["c)" +
         std::to_string((i + 1) % components) + R"("]})";
  }
  return s + "]}";
}

void Run(int components) {
  std::string json = MakeSbom(components);
  double mib = static_cast<double>(json.size()) / (1 << 20);
  double ours = vigil::bench::MedianOf(5, [&] {
    double t0 = vigil::bench::NowSeconds();
    auto sbom = vigil::sbom::ReadCycloneDxJson(json, "bench.json");
    double t = vigil::bench::NowSeconds() - t0;
    if (!sbom || sbom->components.size() != static_cast<size_t>(components)) std::abort();
    return t;
  });
  double simd = vigil::bench::MedianOf(5, [&] {
    simdjson::dom::parser parser;
    double t0 = vigil::bench::NowSeconds();
    simdjson::dom::element root;
    if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) std::abort();
    return vigil::bench::NowSeconds() - t0;
  });
  std::string name = "sbom read CycloneDX " + std::to_string(components) + " components (" +
                     std::to_string(static_cast<int>(mib)) + " MiB)";
  vigil::bench::Report(name, ours * 1000, "ms", "simdjson parse only", simd * 1000);
}

}  // namespace

int main() {
  Run(10000);
  Run(100000);
  return 0;
}
