// `vigil crypto list` (the algorithm registry with NIST status) and `vigil crypto cbom`
// (the device's cryptographic inventory as a CycloneDX 1.6 CBOM).
#include <cstdio>
#include <memory>

#include "cli_io.h"
#include "command.h"
#include "vigil/crypto/registry.h"

namespace vigil::cli {
namespace {

int RunList() {
  std::printf("%-20s %-14s %9s %9s  %-11s %-9s %s\n", "NAME", "KIND", "CLASSICAL", "QUANTUM",
              "STATUS", "PROVIDER", "STANDARD");
  for (const auto& a : crypto::AllAlgorithms()) {
    std::printf(
        "%-20.*s %-14.*s %9d %9d  %-11.*s %-9s %.*s\n", static_cast<int>(a.name.size()),
        a.name.data(), static_cast<int>(crypto::AlgorithmKindName(a.kind).size()),
        crypto::AlgorithmKindName(a.kind).data(), a.classical_strength_bits,
        a.quantum_strength_bits, static_cast<int>(crypto::AlgorithmStatusName(a.status).size()),
        crypto::AlgorithmStatusName(a.status).data(), a.implemented_by_vigil ? "vigil" : "openssl",
        static_cast<int>(a.standard.size()), a.standard.data());
  }
  return kExitOk;
}

struct CbomOptions {
  std::string out, device = "device", version = "0";
  bool force = false;
};

int RunCbom(const CbomOptions& o) {
  std::string cbom = crypto::EmitCbomJson(o.device, o.version);
  if (o.out.empty()) {
    std::fputs(cbom.c_str(), stdout);
    return kExitOk;
  }
  if (Status s = WriteOutput(o.out, AsBytes(cbom), o.force); !s)
    return ReportError("crypto cbom", s.error());
  return kExitOk;
}

void Setup(CLI::App& app) {
  auto* crypto_cmd = app.add_subcommand("crypto", "Cryptographic inventory (algorithm registry)");
  crypto_cmd->require_subcommand(1);
  auto* list = crypto_cmd->add_subcommand("list", "Algorithms with strength and NIST status");
  list->callback([] { SetExitCode(RunList()); });
  auto o = std::make_shared<CbomOptions>();
  auto* cbom = crypto_cmd->add_subcommand("cbom", "Write the CycloneDX 1.6 CBOM");
  AddOutOption(cbom, o->out, "Output file (default: standard output)");
  cbom->add_option("--device", o->device, "Device name for the BOM metadata")
      ->capture_default_str();
  cbom->add_option("--device-version", o->version, "Device version")->capture_default_str();
  cbom->add_flag("--force", o->force, "Replace an existing file");
  cbom->callback([o] { SetExitCode(RunCbom(*o)); });
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
