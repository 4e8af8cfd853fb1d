// vigil-tuf-client: the client-under-test executable of the TUF conformance suite
// (tuf-conformance CLIENT-CLI.md), over vigil::update::Updater.
//
//   vigil-tuf-client --metadata-dir DIR init TRUSTED_ROOT
//   vigil-tuf-client --metadata-dir DIR --metadata-url URL refresh
//   vigil-tuf-client --metadata-dir DIR --metadata-url URL --target-name PATH [--target-name ...]
//                    --target-base-url URL --target-dir DIR download
//
// One Vigil addition: --time T fixes the reference time for expiry checks instead of the system
// clock (T: "YYYY-MM-DDTHH:MM:SSZ", "YYYY-MM-DD HH:MM:SS+00:00" as in the suite's faketime
// files, or "@<unix seconds>"). Exit 0 on success, 1 on any failure including a malformed
// command line (the suite's protocol); the reason goes to stderr. The options are those of
// `vigil update`, set up by the same update::MakeUpdaterOptions.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "vigil/core/encoding.h"
#include "vigil/core/env.h"
#include "vigil/update/fetcher.h"
#include "vigil/update/metadata.h"
#include "vigil/update/updater.h"

namespace {

using vigil::Status;

struct Args {
  std::string metadata_dir, metadata_url, target_base_url, target_dir, time, trusted_root;
  std::vector<std::string> target_names;
};

Status Init(vigil::Env& env, const Args& a) {
  VIGIL_ASSIGN_OR_RETURN(
      vigil::Bytes root,
      env.ReadFileLimited(a.trusted_root, vigil::update::kMaxRootBytes, "a TUF root"));
  return vigil::update::Updater::Initialize(&env, a.metadata_dir, root);
}

// refresh, and with `download` the targets after it.
Status Fetch(vigil::Env& env, const Args& a, bool download) {
  if (download && (a.target_names.empty() || a.target_base_url.empty() || a.target_dir.empty())) {
    return vigil::InvalidArgumentError(
        "download needs --target-name, --target-base-url and --target-dir");
  }
  VIGIL_ASSIGN_OR_RETURN(vigil::update::UpdaterOptions options,
                         vigil::update::MakeUpdaterOptions(env, a.metadata_dir, a.metadata_url,
                                                           a.target_base_url, a.time));
  auto fetcher = vigil::update::NewDefaultFetcher(&env);
  VIGIL_ASSIGN_OR_RETURN(auto updater,
                         vigil::update::Updater::Create(options, &env, fetcher.get()));
  VIGIL_RETURN_IF_ERROR(updater->Refresh());
  if (!download) return vigil::OkStatus();
  for (const std::string& name : a.target_names) {
    VIGIL_ASSIGN_OR_RETURN(auto info, updater->GetTargetInfo(name));
    VIGIL_ASSIGN_OR_RETURN(std::string local, updater->DownloadTarget(name, info, a.target_dir));
    std::fprintf(stderr, "vigil-tuf-client: %s verified, stored as %s\n", name.c_str(),
                 local.c_str());
  }
  return vigil::OkStatus();
}

int Finish(const Status& s) {
  if (s) return 0;
  std::fprintf(stderr, "vigil-tuf-client: %s\n", vigil::OneLine(s.error().message()).c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "TUF conformance-suite client over Vigil's update client (tuf-conformance "
      "CLIENT-CLI.md). Exit 0 on success, 1 on any failure.",
      "vigil-tuf-client"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("vigil-tuf-client ") + VIGIL_VERSION,
                       "Print the version and exit");
  app.fallthrough();  // the suite puts every option before the command; allow them after too
  Args a;
  app.add_option("--metadata-dir", a.metadata_dir, "Trusted local metadata directory")->required();
  app.add_option("--metadata-url", a.metadata_url, "Base URL of the repository's metadata");
  app.add_option("--target-name", a.target_names, "Target path to download (repeatable)");
  app.add_option("--target-base-url", a.target_base_url, "Base URL of the targets");
  app.add_option("--target-dir", a.target_dir, "Where downloaded targets are stored");
  app.add_option("--time", a.time,
                 "Reference time for expiry: YYYY-MM-DDTHH:MM:SSZ, 'YYYY-MM-DD HH:MM:SS+00:00' "
                 "or @<unix seconds>; default now");
  vigil::Env& env = *vigil::Env::Default();
  int rc = 1;
  auto* init = app.add_subcommand("init", "Trust TRUSTED_ROOT as the initial root.json");
  init->add_option("TRUSTED_ROOT", a.trusted_root, "The initial trusted root.json")->required();
  init->callback([&] { rc = Finish(Init(env, a)); });
  auto* refresh =
      app.add_subcommand("refresh", "Update the trusted metadata (TUF client workflow)");
  refresh->callback([&] {
    rc = Finish(a.metadata_url.empty()
                    ? Status(vigil::InvalidArgumentError("--metadata-url is required"))
                    : Fetch(env, a, false));
  });
  auto* download = app.add_subcommand("download", "Refresh, then download and verify targets");
  download->callback([&] {
    rc = Finish(a.metadata_url.empty()
                    ? Status(vigil::InvalidArgumentError("--metadata-url is required"))
                    : Fetch(env, a, true));
  });
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "vigil-tuf-client: %s\n", e.what());
    return 1;  // the suite's protocol: any failure is 1
  }
  return rc;
}
