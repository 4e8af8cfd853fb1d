// `vigil keygen --alg NAME --out FILE`: a new signing key; FILE gets the private key (PKCS#8
// PEM, mode 0600) and FILE.pub the public key (SPKI PEM).
#include <cstdio>
#include <memory>

#include "cli_io.h"
#include "command.h"
#include "vigil/core/env.h"
#include "vigil/crypto/key_file.h"
#include "vigil/crypto/pq/hss.h"
#include "vigil/crypto/registry.h"
#include "vigil/crypto/signature.h"

namespace vigil::cli {
namespace {

struct Options {
  std::string alg = "ed25519";
  std::string out;
  std::string hss_shape = "H10W8,H10W8";
  uint32_t hss_reserve = 1;
  bool force = false;
};

// "H10W8,H10W4" → LMS/LM-OTS SHA-256 type codes per level (RFC 8554 §5.1/§4.1).
Result<crypto::pq::HssShape> ParseShape(const std::string& text) {
  crypto::pq::HssShape shape;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string level =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    int h = 0, w = 0;
    char tail = 0;
    if (std::sscanf(level.c_str(), "H%dW%d%c", &h, &w, &tail) != 2) {
      return InvalidArgumentError(
          "--hss-shape: expected levels like H10W8 separated by commas, found \"" + level + "\"");
    }
    uint32_t lms = h == 5 ? 5 : h == 10 ? 6 : h == 15 ? 7 : h == 20 ? 8 : 0;
    uint32_t ots = w == 1 ? 1 : w == 2 ? 2 : w == 4 ? 3 : w == 8 ? 4 : 0;
    if (lms == 0 || ots == 0) {
      return InvalidArgumentError("--hss-shape: " + level +
                                  ": height must be 5, 10, 15 or 20 and "
                                  "Winternitz width 1, 2, 4 or 8");
    }
    shape.levels.emplace_back(lms, ots);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (shape.levels.empty() || shape.levels.size() > 8) {
    return InvalidArgumentError("--hss-shape: 1 to 8 levels");
  }
  return shape;
}

// HSS keys are stateful: the private key is its state file (never a PEM), written with the
// one-time-key counter that Sign() advances durably.
int RunHss(const Options& o) {
  // A file named .pem that is not PEM would mislead every tool (and person) that opens it.
  if (o.out.size() >= 4 && o.out.compare(o.out.size() - 4, 4, ".pem") == 0) {
    return ReportError(
        "keygen", InvalidArgumentError("--out " + o.out +
                                       ": an hss-lms private key is a state file, not PEM; name "
                                       "it without .pem (e.g. " +
                                       o.out.substr(0, o.out.size() - 4) + ".hss)"));
  }
  auto shape = ParseShape(o.hss_shape);
  if (!shape) return ReportError("keygen", shape.error());
  Env& env = *Env::Default();
  if (!o.force && env.FileExists(o.out)) {
    return ReportError("keygen", AlreadyExistsError(o.out + ": exists (use --force to replace)"));
  }
  if (o.force && env.FileExists(o.out)) (void)env.RemoveFile(o.out);
  auto key = crypto::pq::HssSigningKey::Create(env, o.out, *shape, o.hss_reserve);
  if (!key) return ReportError("keygen", key.error());
  auto pub = crypto::EncodePublicKeyPem(*(*key)->PublicKey());
  if (!pub) return ReportError("keygen", pub.error());
  if (Status s = WritePublicOutput(o.out + ".pub", AsBytes(*pub), o.force); !s) {
    return ReportError("keygen", s.error());
  }
  std::printf(
      "wrote %s (HSS state file: the private key, %llu signatures; keep one copy only — a "
      "restored backup would reuse one-time keys) and %s.pub\n",
      o.out.c_str(), static_cast<unsigned long long>((*key)->remaining()), o.out.c_str());
  return kExitOk;
}

// What keygen makes: the registry's signature algorithms Vigil signs with (RSA is verify-only).
bool CanGenerate(const crypto::AlgorithmInfo& a) {
  return a.kind == crypto::AlgorithmKind::kSignature && a.id != crypto::AlgorithmId::kRsaPssSha256;
}

int Run(const Options& o) {
  auto info = crypto::FindAlgorithm(o.alg);
  if (!info || !CanGenerate(*info)) {
    std::string names;
    for (const crypto::AlgorithmInfo& a : crypto::AllAlgorithms()) {
      if (CanGenerate(a)) names += (names.empty() ? "" : ", ") + std::string(a.name);
    }
    return ReportError(
        "keygen",
        InvalidArgumentError("--alg " + o.alg + ": expected a signature algorithm: " + names));
  }
  if (info->id == crypto::AlgorithmId::kHssLms) return RunHss(o);
  auto key = crypto::GenerateSigningKey(info->id);
  if (!key) return ReportError("keygen", key.error());
  auto priv = crypto::EncodePrivateKeyPem(**key);
  if (!priv) return ReportError("keygen", priv.error());
  auto pub = crypto::EncodePublicKeyPem(*(*key)->PublicKey());
  if (!pub) return ReportError("keygen", pub.error());
  if (Status s = WriteOutput(o.out, AsBytes(*priv), o.force); !s)
    return ReportError("keygen", s.error());
  if (Status s = WritePublicOutput(o.out + ".pub", AsBytes(*pub), o.force); !s) {
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
  cmd->add_option("--hss-shape", opts->hss_shape,
                  "hss-lms only: levels top first, e.g. H10W8,H10W8 (heights 5-20, widths 1-8)")
      ->capture_default_str();
  cmd->add_option("--hss-reserve", opts->hss_reserve,
                  "hss-lms only: one-time keys claimed per state fsync (default 1)");
  cmd->add_flag("--force", opts->force, "Replace existing files");
  cmd->callback([opts] { SetExitCode(Run(*opts)); });
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
