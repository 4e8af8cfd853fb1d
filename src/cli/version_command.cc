// `vigil version`: the version of this build and of the libraries it runs on.
#include <openssl/crypto.h>

#include <cstdio>

#include "command.h"

namespace vigil::cli {
namespace {

void Setup(CLI::App& app) {
  auto* cmd = app.add_subcommand("version", "Print the Vigil version and the OpenSSL it uses");
  cmd->callback([] {
    std::printf("%s\n", VIGIL_VERSION);
    std::printf("OpenSSL %s\n", OpenSSL_version(OPENSSL_VERSION_STRING));
    SetExitCode(kExitOk);
  });
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
