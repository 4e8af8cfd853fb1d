// `vigil keygen --alg NAME --out FILE`: a new signing key; FILE gets the private key (PKCS#8
// PEM, mode 0600) and FILE.pub the public key (SPKI PEM).
#include <cstdio>
#include <memory>

#include "cli/cli_io.h"
#include "cli/command.h"
#include "vigil/core/env.h"
#include "vigil/crypto/key_file.h"
#include "vigil/crypto/signature.h"

namespace vigil::cli {
namespace {

struct Options {
  std::string alg = "ed25519";
  std::string out;
  bool force = false;
};

int Run(const Options& o) {
  auto info = crypto::FindAlgorithm(o.alg);
  if (!info) return ReportError("keygen", info.error());
  if (info->kind != crypto::AlgorithmKind::kSignature) {
    return ReportError("keygen", InvalidArgumentError("--alg " + o.alg + ": expected a signature "
                                                      "algorithm (see `vigil crypto list`)"));
  }
  auto key = crypto::GenerateSigningKey(info->id);
  if (!key) return ReportError("keygen", key.error());
  auto priv = crypto::EncodePrivateKeyPem(**key);
  if (!priv) return ReportError("keygen", priv.error());
  auto pub = crypto::EncodePublicKeyPem(*(*key)->PublicKey());
  if (!pub) return ReportError("keygen", pub.error());
  if (Status s = WriteOutput(o.out, AsBytes(*priv), o.force); !s) return ReportError("keygen", s.error());
  if (Status s = WriteOutput(o.out + ".pub", AsBytes(*pub), o.force); !s) {
    return ReportError("keygen", s.error());
  }
  std::printf("wrote %s (private, %s) and %s.pub\n", o.out.c_str(), o.alg.c_str(), o.out.c_str());
  return kExitOk;
}

void Setup(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("keygen", "Generate a signing key pair (PEM files)");
  cmd->add_option("--alg", opts->alg, "Signature algorithm (see `vigil crypto list`)")
      ->capture_default_str();
  cmd->add_option("--out", opts->out, "Private key file; the public key goes to FILE.pub")
      ->required();
  cmd->add_flag("--force", opts->force, "Replace existing files");
  cmd->callback([opts] { SetExitCode(Run(*opts)); });
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
