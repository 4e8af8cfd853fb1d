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
// files, or "@<unix seconds>"). Exit 0 on success, 1 on any failure (the suite's protocol);
// the reason goes to stderr.
#include <cstdio>
#include <string>
#include <vector>

#include "vigil/core/env.h"
#include "vigil/update/fetcher.h"
#include "vigil/update/metadata.h"
#include "vigil/update/updater.h"

namespace {

using vigil::Result;
using vigil::Status;

struct Args {
  std::string metadata_dir, metadata_url, target_base_url, target_dir, time, command;
  std::vector<std::string> target_names;
  std::vector<std::string> positional;
};

Result<Args> ParseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](std::string& out) -> bool {
      if (i + 1 >= argc) return false;
      out = argv[++i];
      return true;
    };
    bool ok = true;
    if (arg == "--metadata-dir")
      ok = value(a.metadata_dir);
    else if (arg == "--metadata-url")
      ok = value(a.metadata_url);
    else if (arg == "--target-base-url")
      ok = value(a.target_base_url);
    else if (arg == "--target-dir")
      ok = value(a.target_dir);
    else if (arg == "--time")
      ok = value(a.time);
    else if (arg == "--target-name")
      ok = value(a.target_names.emplace_back());
    else if (arg.starts_with("--"))
      return vigil::InvalidArgumentError("unknown option " + arg);
    else if (a.command.empty())
      a.command = arg;
    else
      a.positional.push_back(arg);
    if (!ok) return vigil::InvalidArgumentError(arg + " needs a value");
  }
  if (a.metadata_dir.empty()) return vigil::InvalidArgumentError("--metadata-dir is required");
  return a;
}

Result<int64_t> ReferenceTime(const std::string& text) {
  if (text.empty()) return vigil::Env::Default()->NowUnixMicros() / 1000000;
  auto t = vigil::update::ParseReferenceTime(text);
  if (!t) return t.error().WithContext("--time");
  return t;
}

Status Run(const Args& a) {
  vigil::Env* env = vigil::Env::Default();
  if (a.command == "init") {
    if (a.positional.size() != 1) return vigil::InvalidArgumentError("init needs TRUSTED_ROOT");
    VIGIL_ASSIGN_OR_RETURN(
        vigil::Bytes root,
        env->ReadFileLimited(a.positional[0], vigil::update::kMaxRootBytes, "a TUF root"));
    return vigil::update::Updater::Initialize(env, a.metadata_dir, root);
  }
  if (a.command != "refresh" && a.command != "download") {
    return vigil::InvalidArgumentError("expected a command: init, refresh or download");
  }
  if (a.metadata_url.empty()) return vigil::InvalidArgumentError("--metadata-url is required");
  vigil::update::UpdaterOptions options;
  options.metadata_dir = a.metadata_dir;
  options.metadata_base_url = a.metadata_url;
  while (options.metadata_base_url.ends_with('/')) options.metadata_base_url.pop_back();
  options.targets_base_url = a.target_base_url;
  while (options.targets_base_url.ends_with('/')) options.targets_base_url.pop_back();
  VIGIL_ASSIGN_OR_RETURN(options.reference_time, ReferenceTime(a.time));
  auto fetcher = vigil::update::NewDefaultFetcher(env);
  VIGIL_ASSIGN_OR_RETURN(auto updater, vigil::update::Updater::Create(options, env, fetcher.get()));
  VIGIL_RETURN_IF_ERROR(updater->Refresh());
  if (a.command == "refresh") return vigil::OkStatus();
  if (a.target_names.empty() || a.target_base_url.empty() || a.target_dir.empty()) {
    return vigil::InvalidArgumentError(
        "download needs --target-name, --target-base-url and --target-dir");
  }
  for (const std::string& name : a.target_names) {
    VIGIL_ASSIGN_OR_RETURN(auto info, updater->GetTargetInfo(name));
    VIGIL_ASSIGN_OR_RETURN(std::string local, updater->DownloadTarget(name, info, a.target_dir));
    std::fprintf(stderr, "vigil-tuf-client: %s verified, stored as %s\n", name.c_str(),
                 local.c_str());
  }
  return vigil::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  auto args = ParseArgs(argc, argv);
  Status status = args ? Run(*args) : Status(args.error());
  if (!status) {
    std::fprintf(stderr, "vigil-tuf-client: %s\n", status.error().ToString().c_str());
    return 1;
  }
  return 0;
}
