// `vigil vault`: the encrypted record store from the command line (for demos, service and
// decommissioning). The KEK is sealed in --kek-file under the passphrase in the environment
// variable VIGIL_VAULT_PASSPHRASE (never on the command line, where `ps` would show it); every
// key event goes to the tamper-evident audit log in --audit-dir.
//
//   vigil vault init   --db F --kek-file K --audit-dir D [--device ID]
//   vigil vault put    ... --table T --id I --in FILE|-
//   vigil vault get    ... --table T --id I --out FILE [--force]   (plaintext only to a file)
//   vigil vault rotate-kek | rotate-data-keys | erase   ...
//   vigil vault scan   --db F --text S     exit 1 if S occurs in the database, journal or WAL
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "cli_io.h"
#include "command.h"
#include "vigil/audit/event_sink.h"
#include "vigil/audit/tile_log.h"
#include "vigil/vault/passphrase_kek_file.h"
#include "vigil/vault/vault.h"

namespace vigil::cli {
namespace {

struct VaultArgs {
  std::string db, kek_file, audit_dir, device = "vigil-device", table, id, in, out, text;
  bool force = false;
};

// Everything a vault needs, kept alive together for the length of one command.
struct OpenedVault {
  std::unique_ptr<audit::TileLog> log;
  std::unique_ptr<audit::AuditLogSink> sink;
  std::unique_ptr<vault::PassphraseKekFile> kek;
  std::unique_ptr<vault::Vault> vault;
};

// `create_log`: only `vault init` may start a new audit log; every other command needs the one
// init made, so a mistyped --audit-dir is an error, not a new empty log.
Result<OpenedVault> Prepare(const VaultArgs& a, bool create_log) {
  const char* pass = std::getenv("VIGIL_VAULT_PASSPHRASE");
  if (pass == nullptr || *pass == '\0') {
    return InvalidArgumentError(
        "set the passphrase in the environment variable "
        "VIGIL_VAULT_PASSPHRASE");
  }
  OpenedVault o;
  Env& env = *Env::Default();
  audit::TileLogOptions log_options;
  log_options.create_if_missing = create_log;
  VIGIL_ASSIGN_OR_RETURN(o.log, audit::TileLog::Open(env, a.audit_dir, log_options));
  o.sink = std::make_unique<audit::AuditLogSink>(*o.log, env);
  VIGIL_ASSIGN_OR_RETURN(
      vault::PassphraseKekFile kek,
      vault::PassphraseKekFile::Create(a.kek_file, crypto::SecretBytes::CopyFrom(AsBytes(pass)),
                                       vault::KdfParams::Default(), env));
  o.kek = std::make_unique<vault::PassphraseKekFile>(std::move(kek));
  return o;
}

Result<OpenedVault> OpenExisting(const VaultArgs& a) {
  VIGIL_ASSIGN_OR_RETURN(OpenedVault o, Prepare(a, /*create_log=*/false));
  vault::VaultOptions options;
  options.path = a.db;
  options.device_id = a.device;
  VIGIL_ASSIGN_OR_RETURN(o.vault, vault::Vault::Open(options, *o.kek, *o.sink, *Env::Default()));
  return o;
}

Status RunInit(const VaultArgs& a) {
  VIGIL_ASSIGN_OR_RETURN(OpenedVault o, Prepare(a, /*create_log=*/true));
  vault::VaultOptions options;
  options.path = a.db;
  options.device_id = a.device;
  VIGIL_ASSIGN_OR_RETURN(o.vault, vault::Vault::Create(options, *o.kek, *o.sink, *Env::Default()));
  std::printf("vault created: %s (KEK sealed in %s, audit log in %s)\n", a.db.c_str(),
              a.kek_file.c_str(), a.audit_dir.c_str());
  return OkStatus();
}

Status RunPut(const VaultArgs& a) {
  VIGIL_ASSIGN_OR_RETURN(Bytes data, ReadInput(a.in));
  VIGIL_ASSIGN_OR_RETURN(OpenedVault o, OpenExisting(a));
  VIGIL_RETURN_IF_ERROR(o.vault->Put(a.table, a.id, data));
  crypto::SecureZero(data);
  VIGIL_ASSIGN_OR_RETURN(vault::Record r, o.vault->Get(a.table, a.id));
  std::printf("stored %s/%s version %llu (%zu bytes)\n", a.table.c_str(), a.id.c_str(),
              static_cast<unsigned long long>(r.version), r.plaintext.size());
  crypto::SecureZero(r.plaintext);
  return OkStatus();
}

Status RunGet(const VaultArgs& a) {
  if (a.out.empty() || a.out == "-") {
    return InvalidArgumentError("--out: give a file; record plaintext is never printed");
  }
  VIGIL_ASSIGN_OR_RETURN(OpenedVault o, OpenExisting(a));
  VIGIL_ASSIGN_OR_RETURN(vault::Record r, o.vault->Get(a.table, a.id));
  Status s = WriteOutput(a.out, r.plaintext, a.force);
  crypto::SecureZero(r.plaintext);
  return s;
}

Status RunMaintenance(const VaultArgs& a, const std::string& what) {
  VIGIL_ASSIGN_OR_RETURN(OpenedVault o, OpenExisting(a));
  if (what == "rotate-kek") {
    VIGIL_RETURN_IF_ERROR(o.vault->RotateKek());
    std::printf("KEK rotated: generation %llu\n",
                static_cast<unsigned long long>(o.vault->kek_generation()));
  } else if (what == "rotate-data-keys") {
    VIGIL_RETURN_IF_ERROR(o.vault->RotateDataKeys());
    std::printf("data keys rotated: epoch %llu\n",
                static_cast<unsigned long long>(o.vault->data_key_epoch()));
  } else {
    VIGIL_RETURN_IF_ERROR(o.vault->CryptoErase());
    std::printf("crypto-erased: KEK destroyed, wrapped data keys overwritten\n");
  }
  return OkStatus();
}

// Exit 1 when the text occurs in any file SQLite keeps for the database.
int RunScan(const VaultArgs& a) {
  Env& env = *Env::Default();
  int files = 0;
  for (const char* suffix : {"", "-journal", "-wal"}) {
    std::string path = a.db + suffix;
    if (!env.FileExists(path)) continue;
    auto data = env.ReadFile(path);
    if (!data) return ReportError("vault scan", data.error());
    ++files;
    if (AsStringView(*data).find(a.text) != std::string_view::npos) {
      std::printf("found in %s\n", path.c_str());
      return kExitFindings;
    }
  }
  std::printf("not found in %d file(s)\n", files);
  return kExitOk;
}

void AddCommon(CLI::App* cmd, VaultArgs& a) {
  cmd->add_option("--db", a.db, "Vault database file")->required();
  cmd->add_option("--kek-file", a.kek_file,
                  "KEK file, sealed under the passphrase in VIGIL_VAULT_PASSPHRASE")
      ->required();
  cmd->add_option("--audit-dir", a.audit_dir, "Audit log directory for key events")->required();
  cmd->add_option("--device", a.device, "Device id recorded in audit events");
}

void AddRecord(CLI::App* cmd, VaultArgs& a) {
  cmd->add_option("--table", a.table, "Table name ([a-z0-9_])")->required();
  cmd->add_option("--id", a.id, "Record id (opaque identifier, never patient data)")->required();
}

void Finish(std::string_view name, const Status& s) {
  SetExitCode(s ? kExitOk : ReportError(name, s.error()));
}

void Setup(CLI::App& app) {
  static VaultArgs a;
  auto* vault = app.add_subcommand("vault",
                                   "Encrypted record store: init, put, get, rotate, erase "
                                   "(passphrase in VIGIL_VAULT_PASSPHRASE)");
  vault->require_subcommand(1);
  vault->footer(
      "The KEK is sealed under the passphrase in the environment variable VIGIL_VAULT_PASSPHRASE "
      "(at least 8 bytes), never on the command line, where `ps` would show it.");
  auto* init = vault->add_subcommand("init", "Create a vault and seal a new KEK");
  AddCommon(init, a);
  init->callback([] { Finish("vault init", RunInit(a)); });
  auto* put = vault->add_subcommand("put", "Encrypt and store one record");
  AddCommon(put, a);
  AddRecord(put, a);
  put->add_option("--in", a.in, "Plaintext file, - for stdin")->required();
  put->callback([] { Finish("vault put", RunPut(a)); });
  auto* get = vault->add_subcommand("get", "Decrypt one record into a file");
  AddCommon(get, a);
  AddRecord(get, a);
  get->add_option("--out", a.out, "Output file")->required();
  get->add_flag("--force", a.force, "Replace the output file");
  get->callback([] { Finish("vault get", RunGet(a)); });
  for (const char* what : {"rotate-kek", "rotate-data-keys", "erase"}) {
    auto* cmd = vault->add_subcommand(what, std::string(what) == "erase"
                                                ? "Crypto-erase (NIST SP 800-88): irreversible"
                                                : "Rotate keys (crash-safe, resumable)");
    AddCommon(cmd, a);
    cmd->callback([what] { Finish(std::string("vault ") + what, RunMaintenance(a, what)); });
  }
  auto* scan = vault->add_subcommand("scan", "Look for a text in the database and its journals");
  scan->add_option("--db", a.db, "Vault database file")->required();
  scan->add_option("--text", a.text, "Text to look for")->required();
  scan->callback([] { SetExitCode(RunScan(a)); });
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
