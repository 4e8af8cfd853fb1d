// `vigil update init|refresh|fetch`: the TUF client (vigil/update/updater.h) from the command
// line — trust a root, bring metadata up to date, download a verified target.
// Exit codes: 0 ok; 1 the repository failed a security check (signature, rollback, expiry,
// hash/length, size limit); 2 usage, input or I/O error.
#include "update_command.h"

#include <cstdio>
#include <memory>
#include <string>

#include "cli_io.h"
#include "command.h"
#include "vigil/core/env.h"
#include "vigil/update/fetcher.h"
#include "vigil/update/updater.h"

namespace vigil::cli {

Result<std::unique_ptr<update::Updater>> OpenUpdater(const UpdateOptions& o,
                                                     update::Fetcher* fetcher) {
  VIGIL_ASSIGN_OR_RETURN(update::UpdaterOptions u,
                         update::MakeUpdaterOptions(*Env::Default(), o.metadata_dir,
                                                    o.metadata_url, o.targets_url, o.time));
  return update::Updater::Create(u, Env::Default(), fetcher);
}

namespace {

int Report(const std::string& cmd, const Error& e) {
  return ReportError(cmd, e, Refusals::kUpdatePolicy);
}

int Init(const UpdateOptions& o) {
  // A root is never larger than a client would download (metadata.h): refused unread beyond.
  auto root = ReadInputLimited(o.root, update::kMaxRootBytes, "a TUF root");
  if (!root) return Report("update init", root.error());
  Status s = update::Updater::Initialize(Env::Default(), o.metadata_dir, *root);
  if (!s) return Report("update init", s.error());
  std::printf("trusted root stored in %s\n", o.metadata_dir.c_str());
  return kExitOk;
}

int Refresh(const UpdateOptions& o) {
  auto fetcher = update::NewDefaultFetcher(Env::Default());
  auto updater = OpenUpdater(o, fetcher.get());
  if (!updater) return Report("update refresh", updater.error());
  Status s = (*updater)->Refresh();
  if (!s) return Report("update refresh", s.error());
  std::printf("metadata up to date (root v%llu)\n",
              static_cast<unsigned long long>((*updater)->trusted_root().envelope.version));
  return kExitOk;
}

int Fetch(const UpdateOptions& o) {
  auto fetcher = update::NewDefaultFetcher(Env::Default());
  auto updater = OpenUpdater(o, fetcher.get());
  if (!updater) return Report("update fetch", updater.error());
  auto info = (*updater)->GetTargetInfo(o.target);
  if (!info) return Report("update fetch", info.error());
  auto local = (*updater)->DownloadTarget(o.target, *info, o.out_dir);
  if (!local) return Report("update fetch", local.error());
  std::printf("%s verified (%llu bytes) -> %s\n", o.target.c_str(),
              static_cast<unsigned long long>(info->length), local->c_str());
  return kExitOk;
}

void Setup(CLI::App& app) {
  auto* cmd = app.add_subcommand("update", "TUF client: trust a root, refresh, fetch targets");
  cmd->require_subcommand(1);
  auto o = std::make_shared<UpdateOptions>();
  auto* init = cmd->add_subcommand("init", "Store the initial trusted root.json");
  init->add_option("--metadata-dir", o->metadata_dir, "Trusted metadata directory")->required();
  init->add_option("--root", o->root, "Initial root.json (- for stdin)")->required();
  init->callback([o] { SetExitCode(Init(*o)); });
  auto add_common = [&](CLI::App* c) {
    c->add_option("--metadata-dir", o->metadata_dir, "Trusted metadata directory")->required();
    c->add_option("--metadata-url", o->metadata_url, "Repository metadata URL (http:// or file)")
        ->required();
    c->add_option("--time", o->time,
                  "Reference time for expiry (YYYY-MM-DDTHH:MM:SSZ or @unix); default now");
  };
  auto* refresh = cmd->add_subcommand("refresh", "Update root, timestamp, snapshot, targets");
  add_common(refresh);
  refresh->callback([o] { SetExitCode(Refresh(*o)); });
  auto* fetch = cmd->add_subcommand("fetch", "Refresh, then download and verify one target");
  add_common(fetch);
  fetch->add_option("--targets-url", o->targets_url, "Repository targets URL")->required();
  fetch->add_option("--target", o->target, "Target path")->required();
  fetch->add_option("--out-dir", o->out_dir, "Where the verified file goes")->required();
  fetch->callback([o] { SetExitCode(Fetch(*o)); });
  AddInstallCommands(*cmd, o);
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
