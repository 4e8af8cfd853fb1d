// `vigil sign --key KEY [--out SIG] [--raw] INPUT` and `vigil verify --pub PUB --sig SIG INPUT`.
// Signatures are base64 text (one line) unless --raw.
#include <cstdio>
#include <memory>

#include "cli_io.h"
#include "command.h"
#include "vigil/core/encoding.h"
#include "vigil/core/env.h"
#include "vigil/crypto/key_file.h"

namespace vigil::cli {
namespace {

struct SignOptions {
  std::string key, out, input;
  bool raw = false, force = false;
};

int RunSign(const SignOptions& o) {
  auto key = crypto::ReadPrivateKeyFile(*Env::Default(), o.key);
  if (!key) return ReportError("sign", key.error());
  auto data = ReadInput(o.input);
  if (!data) return ReportError("sign", data.error());
  auto sig = (*key)->Sign(*data);
  if (!sig) return ReportError("sign", sig.error());
  Bytes encoded = o.raw ? *sig : ToBytes(Base64Encode(*sig) + "\n");
  if (o.out.empty()) {
    std::fwrite(encoded.data(), 1, encoded.size(), stdout);
    return kExitOk;
  }
  if (Status s = WriteOutput(o.out, encoded, o.force); !s) return ReportError("sign", s.error());
  return kExitOk;
}

struct VerifyOptions {
  std::string pub, sig, input;
  bool raw = false;
};

int RunVerify(const VerifyOptions& o) {
  auto key = crypto::ReadPublicKeyFile(*Env::Default(), o.pub);
  if (!key) return ReportError("verify", key.error());
  auto sig_file = ReadInput(o.sig);
  if (!sig_file) return ReportError("verify", sig_file.error());
  Bytes sig = *sig_file;
  if (!o.raw) {
    std::string_view text = AsStringView(*sig_file);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    auto decoded = Base64Decode(text);
    if (!decoded) return ReportError("verify", decoded.error().WithContext(o.sig));
    sig = *decoded;
  }
  auto data = ReadInput(o.input);
  if (!data) return ReportError("verify", data.error());
  Status s = (*key)->Verify(*data, sig);
  if (!s) {
    std::fprintf(stderr, "vigil verify: %s: signature does NOT verify with %s\n", o.input.c_str(),
                 o.pub.c_str());
    return kExitFindings;
  }
  std::printf("%s: signature OK (%s)\n", o.input.c_str(),
              std::string(crypto::FindAlgorithm((*key)->algorithm())->name).c_str());
  return kExitOk;
}

void Setup(CLI::App& app) {
  auto so = std::make_shared<SignOptions>();
  auto* sign = app.add_subcommand("sign", "Sign a file with a private key");
  sign->add_option("--key", so->key, "Private key file (PEM)")->required();
  AddOutOption(sign, so->out, "Signature file (default: standard output)");
  sign->add_flag("--raw", so->raw, "Write the raw signature bytes instead of base64");
  sign->add_flag("--force", so->force, "Replace an existing signature file");
  sign->add_option("input", so->input, "File to sign ('-' for standard input)")->required();
  sign->callback([so] { SetExitCode(RunSign(*so)); });

  auto vo = std::make_shared<VerifyOptions>();
  auto* verify = app.add_subcommand("verify", "Verify a signature (exit 0 valid, 1 invalid)");
  verify->add_option("--pub", vo->pub, "Public key file (PEM)")->required();
  verify->add_option("--sig", vo->sig, "Signature file")->required();
  verify->add_flag("--raw", vo->raw, "The signature file holds raw bytes, not base64");
  verify->add_option("input", vo->input, "Signed file ('-' for standard input)")->required();
  verify->callback([vo] { SetExitCode(RunVerify(*vo)); });
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
