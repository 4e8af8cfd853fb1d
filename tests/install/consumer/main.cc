// A device program built against an installed libvigil (tests/install/install_test.sh): it
// hashes a known string, keeps a record in an encrypted vault whose every action lands in a
// tamper-evident audit log, and checks that log. Usage: vigil_consumer EMPTY_DIR
#include <cstdio>
#include <memory>
#include <string>

#include "vigil/audit/event_sink.h"
#include "vigil/audit/tile_log.h"
#include "vigil/core/encoding.h"
#include "vigil/core/env.h"
#include "vigil/crypto/hash.h"
#include "vigil/crypto/secret_bytes.h"
#include "vigil/vault/passphrase_kek_file.h"
#include "vigil/vault/vault.h"

namespace {

using vigil::AsBytes;
using vigil::Env;
using vigil::Result;
using vigil::Status;

Status Run(const std::string& dir) {
  std::printf("sha256(abc) = %s\n", vigil::HexEncode(vigil::crypto::Sha256(AsBytes("abc"))).c_str());

  Env& env = *Env::Default();
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<vigil::audit::TileLog> log,
                         vigil::audit::TileLog::Open(env, dir + "/audit"));
  vigil::audit::AuditLogSink sink(*log, env);
  // The smallest Argon2id cost the vault accepts: this checks linking, not key strength.
  VIGIL_ASSIGN_OR_RETURN(vigil::vault::KdfParams kdf,
                         vigil::vault::KdfParams::Create(19 * 1024, 2, 1));
  VIGIL_ASSIGN_OR_RETURN(
      vigil::vault::PassphraseKekFile kek,
      vigil::vault::PassphraseKekFile::Create(
          dir + "/kek", vigil::crypto::SecretBytes::CopyFrom(AsBytes("correct horse battery")),
          kdf, env));
  vigil::vault::VaultOptions options;
  options.path = dir + "/vault.sqlite";
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<vigil::vault::Vault> vault,
                         vigil::vault::Vault::Create(options, kek, sink, env));
  VIGIL_RETURN_IF_ERROR(vault->Put("settings", "rate", AsBytes("infusion rate 7 ml/h")));
  VIGIL_ASSIGN_OR_RETURN(vigil::vault::Record record, vault->Get("settings", "rate"));
  std::printf("vault record: %s (version %llu)\n",
              std::string(vigil::AsStringView(record.plaintext)).c_str(),
              static_cast<unsigned long long>(record.version));

  VIGIL_ASSIGN_OR_RETURN(vigil::audit::VerifyReport report,
                         vigil::audit::VerifyTiles(env, dir + "/audit"));
  std::printf("audit log: %llu entries, %s\n", static_cast<unsigned long long>(report.size),
              report.size == log->size() && report.size > 0 ? "verified" : "MISMATCH");
  return vigil::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: vigil_consumer EMPTY_DIR\n");
    return 2;
  }
  Status status = Run(argv[1]);
  if (!status) {
    std::fprintf(stderr, "vigil_consumer: %s\n", status.error().ToString().c_str());
    return 1;
  }
  return 0;
}
