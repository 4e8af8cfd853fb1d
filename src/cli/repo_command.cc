// `vigil repo init|add-target|delegate|rotate|sign|expire|publish`: the manufacturer's side of
// TUF (vigil/update/repository.h) — build a repository directory, sign metadata with offline
// and online keys, publish a static tree any web server can serve.
// Exit codes: 0 ok; 1 publish refused for missing signatures (threshold not met); 2 usage,
// input or I/O error, expired metadata.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli_io.h"
#include "command.h"
#include "vigil/core/env.h"
#include "vigil/update/canonical_json.h"
#include "vigil/update/repository.h"
#include "vigil/update/updater.h"

namespace vigil::cli {
namespace {

using update::RepoKey;
using update::Repository;

struct RepoOptions {
  std::string repo, time, role, from = "targets", path, custom, in, at, file;
  std::vector<std::string> root_keys, targets_keys, snapshot_keys, timestamp_keys, keys, add_keys,
      remove_keys, paths, prefixes;
  uint32_t root_threshold = 1, targets_threshold = 1, snapshot_threshold = 1,
           timestamp_threshold = 1, threshold = 0;
  bool no_consistent_snapshot = false, terminating = false;
};

Result<int64_t> Now(const RepoOptions& o) {
  if (o.time.empty()) return Env::Default()->NowUnixMicros() / 1000000;
  return update::ParseReferenceTime(o.time);
}

// Keys are referenced by absolute path, so the repository works from any directory.
Result<std::vector<RepoKey>> LoadKeys(const std::vector<std::string>& paths) {
  std::vector<RepoKey> keys;
  for (const std::string& p : paths) {
    std::error_code ec;
    std::string abs = std::filesystem::absolute(p, ec).lexically_normal().string();
    VIGIL_ASSIGN_OR_RETURN(RepoKey k, update::LoadRepoKey(Env::Default(), ec ? p : abs));
    keys.push_back(std::move(k));
  }
  return keys;
}

// Opens the repository, applies `change`, saves: one command, one consistent state on disk.
template <typename Fn>
int Change(const std::string& cmd, const RepoOptions& o, Fn change) {
  auto now = Now(o);
  if (!now) return ReportError(cmd, now.error());
  auto repo = Repository::Open(Env::Default(), o.repo);
  if (!repo) return ReportError(cmd, repo.error());
  Status s = change(*repo, *now);
  if (s) s = repo->Save();
  if (!s) return ReportError(cmd, s.error());
  return kExitOk;
}

int Init(const RepoOptions& o) {
  auto now = Now(o);
  if (!now) return ReportError("repo init", now.error());
  update::RepoInitOptions init;
  init.root_threshold = o.root_threshold;
  init.consistent_snapshot = !o.no_consistent_snapshot;
  init.thresholds = {{"targets", o.targets_threshold},
                     {"snapshot", o.snapshot_threshold},
                     {"timestamp", o.timestamp_threshold}};
  auto root = LoadKeys(o.root_keys);
  if (!root) return ReportError("repo init", root.error());
  init.root_keys = std::move(*root);
  for (const auto& [role, paths] :
       {std::pair{"targets", &o.targets_keys}, std::pair{"snapshot", &o.snapshot_keys},
        std::pair{"timestamp", &o.timestamp_keys}}) {
    auto keys = LoadKeys(*paths);
    if (!keys) return ReportError("repo init", keys.error());
    init.role_keys[role] = std::move(*keys);
  }
  auto repo = Repository::Init(Env::Default(), o.repo, init, *now);
  Status s = repo ? repo->Save() : Status(repo.error());
  if (!s) return ReportError("repo init", s.error());
  std::printf("repository initialised in %s (root v1 staged; run `vigil repo publish`)\n",
              o.repo.c_str());
  return kExitOk;
}

int AddTarget(const RepoOptions& o) {
  auto content = ReadInput(o.file);
  if (!content) return ReportError("repo add-target", content.error());
  json::Value custom;
  if (!o.custom.empty()) {
    auto parsed = update::ParseStrictJson(o.custom, "--custom");
    if (!parsed) return ReportError("repo add-target", parsed.error());
    custom = std::move(*parsed);
  }
  std::string path = o.path.empty() ? std::filesystem::path(o.file).filename().string() : o.path;
  std::string role = o.role.empty() ? "targets" : o.role;
  int rc = Change("repo add-target", o, [&](Repository& r, int64_t now) {
    return r.AddTarget(role, path, *content, custom, now);
  });
  if (rc == kExitOk)
    std::printf("%s added to %s (%zu bytes)\n", path.c_str(), role.c_str(), content->size());
  return rc;
}

int Delegate(const RepoOptions& o) {
  auto keys = LoadKeys(o.keys);
  if (!keys) return ReportError("repo delegate", keys.error());
  update::DelegationOptions d;
  d.delegator = o.from;
  d.name = o.role;
  d.keys = std::move(*keys);
  d.threshold = o.threshold == 0 ? 1 : o.threshold;
  d.paths = o.paths;
  d.path_hash_prefixes = o.prefixes;
  d.terminating = o.terminating;
  int rc =
      Change("repo delegate", o, [&](Repository& r, int64_t now) { return r.Delegate(d, now); });
  if (rc == kExitOk) std::printf("%s delegates to %s\n", o.from.c_str(), o.role.c_str());
  return rc;
}

// `threshold_given`: --threshold was on the command line (0 is then refused, not ignored).
int Rotate(const RepoOptions& o, bool threshold_given) {
  update::RotateOptions r;
  r.role = o.role;
  auto add = LoadKeys(o.add_keys);
  auto signers = LoadKeys(o.keys);
  if (!add) return ReportError("repo rotate", add.error());
  if (!signers) return ReportError("repo rotate", signers.error());
  r.add = std::move(*add);
  r.signers = std::move(*signers);
  for (const std::string& k : o.remove_keys) {
    // A key file, or a key ID as printed in the metadata.
    if (!Env::Default()->FileExists(k)) {
      r.remove.push_back(k);
      continue;
    }
    auto loaded = update::LoadRepoKey(Env::Default(), k);
    if (!loaded) return ReportError("repo rotate", loaded.error());
    r.remove.push_back(loaded->keyid);
  }
  if (threshold_given) r.threshold = o.threshold;
  int rc =
      Change("repo rotate", o, [&](Repository& repo, int64_t now) { return repo.Rotate(r, now); });
  bool top =
      o.role == "root" || o.role == "targets" || o.role == "snapshot" || o.role == "timestamp";
  if (rc == kExitOk) {
    std::printf("%s keys changed in %s (run `vigil repo publish`)\n", o.role.c_str(),
                top ? "the staged root" : "its delegation; both roles get a new version");
  }
  return rc;
}

int Sign(const RepoOptions& o) {
  auto keys = LoadKeys(o.keys);
  if (!keys) return ReportError("repo sign", keys.error());
  int rc = Change("repo sign", o, [&](Repository& r, int64_t) -> Status {
    for (const RepoKey& k : *keys) VIGIL_RETURN_IF_ERROR(r.Sign(o.role, k));
    return OkStatus();
  });
  if (rc == kExitOk) std::printf("%s signed with %zu key(s)\n", o.role.c_str(), keys->size());
  return rc;
}

int Expire(const RepoOptions& o) {
  std::optional<int64_t> duration, at;
  if (!o.in.empty()) {
    auto d = update::ParseDuration(o.in);
    if (!d) return ReportError("repo expire", d.error().WithContext("--in"));
    duration = *d;
  }
  if (!o.at.empty()) {
    auto t = update::ParseReferenceTime(o.at);
    if (!t) return ReportError("repo expire", t.error().WithContext("--at"));
    at = *t;
  }
  int rc = Change("repo expire", o, [&](Repository& r, int64_t now) {
    return r.SetExpiry(o.role, duration, at, now);
  });
  if (rc == kExitOk) std::printf("%s expiry set\n", o.role.c_str());
  return rc;
}

int Publish(const RepoOptions& o) {
  auto now = Now(o);
  if (!now) return ReportError("repo publish", now.error());
  auto repo = Repository::Open(Env::Default(), o.repo);
  if (!repo) return ReportError("repo publish", repo.error());
  auto report = repo->Publish(*now);
  if (!report) return ReportError("repo publish", report.error());
  std::string changed;
  for (const std::string& role : report->changed) {
    changed +=
        (changed.empty() ? "" : ", ") + role + " v" + std::to_string(report->versions.at(role));
  }
  std::printf("published %s/public: %s; %zu target file(s)\n", o.repo.c_str(), changed.c_str(),
              report->target_files);
  return kExitOk;
}

void AddRepoOptions(CLI::App* c, RepoOptions* o) {
  c->add_option("--repo", o->repo, "Repository directory")->required();
  c->add_option("--time", o->time, "Use this time as now (YYYY-MM-DDTHH:MM:SSZ or @unix)");
}

void SetupInit(CLI::App* repo, std::shared_ptr<RepoOptions> o) {
  auto* c = repo->add_subcommand("init", "Create a repository: root v1 and empty targets");
  AddRepoOptions(c, o.get());
  c->add_option("--root-key", o->root_keys,
                "Root key file (private: signs now; public: sign later); never stored")
      ->required();
  c->add_option("--root-threshold", o->root_threshold, "Root signatures required");
  c->add_option("--targets-key", o->targets_keys, "Targets key file")->required();
  c->add_option("--snapshot-key", o->snapshot_keys, "Snapshot key file (online)")->required();
  c->add_option("--timestamp-key", o->timestamp_keys, "Timestamp key file (online)")->required();
  c->add_option("--targets-threshold", o->targets_threshold, "Targets signatures required");
  c->add_option("--snapshot-threshold", o->snapshot_threshold, "Snapshot signatures required");
  c->add_option("--timestamp-threshold", o->timestamp_threshold, "Timestamp signatures required");
  c->add_flag("--no-consistent-snapshot", o->no_consistent_snapshot,
              "Unversioned file names (publish is then not atomic for clients)");
  c->callback([o] { SetExitCode(Init(*o)); });
}

void SetupChanges(CLI::App* repo, std::shared_ptr<RepoOptions> o) {
  auto* add = repo->add_subcommand("add-target", "Add a file to a targets role");
  AddRepoOptions(add, o.get());
  add->add_option("file", o->file, "The file (- for stdin)")->required();
  add->add_option("--path", o->path, "Target path (default: the file name)");
  add->add_option("--role", o->role, "Targets role (default: targets)");
  add->add_option("--custom", o->custom, "JSON for the target's custom field");
  add->callback([o] { SetExitCode(AddTarget(*o)); });

  auto* del = repo->add_subcommand("delegate", "Delegate paths to a new targets role");
  AddRepoOptions(del, o.get());
  del->add_option("--role", o->role, "New role name")->required();
  del->add_option("--from", o->from, "Delegating role")->capture_default_str();
  del->add_option("--key", o->keys, "Key file of the new role")->required();
  del->add_option("--threshold", o->threshold, "Signatures required (default 1)");
  del->add_option("--paths", o->paths, "Path glob the role is trusted for");
  del->add_option("--path-hash-prefix", o->prefixes, "Hex prefix of sha256(path)");
  del->add_flag("--terminating", o->terminating, "Stop the search at this role");
  del->callback([o] { SetExitCode(Delegate(*o)); });

  auto* rot = repo->add_subcommand(
      "rotate",
      "Change a role's keys: a top-level role in a new root, a delegated role in its "
      "delegator's delegation (new versions of both)");
  AddRepoOptions(rot, o.get());
  rot->add_option("--role", o->role, "root, targets, snapshot, timestamp or a delegated role")
      ->required();
  rot->add_option("--add-key", o->add_keys, "Key file joining the role");
  rot->add_option("--remove-key", o->remove_keys, "Key file or key ID leaving the role");
  auto* threshold = rot->add_option("--threshold", o->threshold, "New threshold (1..keys)");
  rot->add_option("--key", o->keys,
                  "Private key signing now: root keys (old and new) for a top-level role; "
                  "a new key of a delegated role");
  rot->callback([o, threshold] { SetExitCode(Rotate(*o, threshold->count() > 0)); });
}

void SetupSigning(CLI::App* repo, std::shared_ptr<RepoOptions> o) {
  auto* sign = repo->add_subcommand("sign", "Add signatures to a staged role");
  AddRepoOptions(sign, o.get());
  sign->add_option("--role", o->role, "root, targets or a delegated role")->required();
  sign->add_option("--key", o->keys, "Private key file")->required();
  sign->callback([o] { SetExitCode(Sign(*o)); });

  auto* exp = repo->add_subcommand("expire", "Set when a role's metadata expires");
  AddRepoOptions(exp, o.get());
  exp->add_option("--role", o->role, "Role")->required();
  auto* in = exp->add_option("--in", o->in, "Duration from now: 45s, 90m, 12h, 30d, 2w, 1y");
  auto* at = exp->add_option("--at", o->at, "Absolute time YYYY-MM-DDTHH:MM:SSZ");
  in->excludes(at);
  exp->callback([o] { SetExitCode(Expire(*o)); });

  auto* pub = repo->add_subcommand("publish", "Sign with online keys and write DIR/public");
  AddRepoOptions(pub, o.get());
  pub->callback([o] { SetExitCode(Publish(*o)); });
}

void Setup(CLI::App& app) {
  auto* cmd = app.add_subcommand("repo", "TUF repository: build, sign, publish signed updates");
  cmd->require_subcommand(1);
  auto o = std::make_shared<RepoOptions>();
  SetupInit(cmd, o);
  SetupChanges(cmd, o);
  SetupSigning(cmd, o);
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
