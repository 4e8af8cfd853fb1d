// `vigil update setup|install|status|boot|commit|rollback`: the A/B installer
// (vigil/update/installer.h) over a slot configuration directory — provision the slots, stream
// a verified TUF target into the inactive slot and arm a trial boot, take the boot decision,
// commit after a health check, or roll the trial back.
// Exit codes: 0 ok; 1 refused (security check, release policy, no bootable slot, failed health
// check); 2 usage, input or I/O error.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "command.h"
#include "update_command.h"
#include "vigil/core/encoding.h"
#include "vigil/core/env.h"
#include "vigil/update/installer.h"

namespace vigil::cli {
namespace {

struct InstallOptions {
  std::string slots, file, health_check;
  uint64_t image_size = 0;
  uint32_t attempts = 3;
  bool no_verify_on_boot = false, no_activate = false, recover_state = false;
};

Result<std::unique_ptr<update::Installer>> OpenSlots(const InstallOptions& i) {
  return update::Installer::Open(Env::Default(), i.slots);
}

int Setup(const InstallOptions& i) {
  if (i.recover_state) {
    Status s = update::Installer::RecoverState(Env::Default(), i.slots);
    if (!s) return ReportError("update setup", s.error(), Refusals::kUpdatePolicy);
    std::printf(
        "new boot state in %s: both slots empty, anti-rollback counter kept; install "
        "and commit an image before the next boot\n",
        i.slots.c_str());
    return kExitOk;
  }
  update::InstallerConfig c;
  if (i.image_size > 0) {
    c.slots["a"] = {"image", "a.img", i.image_size};
    c.slots["b"] = {"image", "b.img", i.image_size};
  } else {
    c.slots["a"] = {"dir", "a", 0};
    c.slots["b"] = {"dir", "b", 0};
  }
  c.trial_attempts = i.attempts;
  c.verify_on_boot = !i.no_verify_on_boot;
  Status s = update::Installer::Setup(Env::Default(), i.slots, c);
  if (!s) return ReportError("update setup", s.error(), Refusals::kUpdatePolicy);
  std::printf("slots a and b provisioned in %s (%s, %u trial boot attempts)\n", i.slots.c_str(),
              i.image_size > 0 ? "image files" : "directories", i.attempts);
  return kExitOk;
}

int Install(const UpdateOptions& o, const InstallOptions& i) {
  const std::string cmd = "update install";
  auto installer = OpenSlots(i);
  if (!installer) return ReportError(cmd, installer.error(), Refusals::kUpdatePolicy);
  auto fetcher = update::NewDefaultFetcher(Env::Default());
  auto updater = OpenUpdater(o, fetcher.get());
  if (!updater) return ReportError(cmd, updater.error(), Refusals::kUpdatePolicy);
  auto info = (*updater)->GetTargetInfo(o.target);
  if (!info) return ReportError(cmd, info.error(), Refusals::kUpdatePolicy);
  // A file fetched earlier is checked against the same signed description as a download.
  std::string url = i.file.empty() ? (*updater)->TargetUrl(o.target, *info) : i.file;
  auto record =
      (*installer)->Install(o.target, *info, update::FetchSource(fetcher.get(), url, info->length));
  if (!record) return ReportError(cmd, record.error(), Refusals::kUpdatePolicy);
  std::string slot = (*installer)->inactive_slot();
  std::printf("%s verified (%llu bytes, release %llu, security version %llu) -> slot %s\n",
              o.target.c_str(), static_cast<unsigned long long>(record->length),
              static_cast<unsigned long long>(record->release),
              static_cast<unsigned long long>(record->security_version), slot.c_str());
  if (i.no_activate) return kExitOk;
  Status s = (*installer)->Activate();
  if (!s) return ReportError(cmd, s.error(), Refusals::kUpdatePolicy);
  std::printf("slot %s armed for a trial boot (%u attempts)\n", slot.c_str(),
              (*installer)->config().trial_attempts);
  return kExitOk;
}

void PrintSlot(const std::string& name, const update::SlotRecord& r, const update::BootState& s) {
  std::printf("slot %s: %s", name.c_str(), std::string(update::SlotStatusName(r.status)).c_str());
  if (r.status != update::SlotStatus::kEmpty) std::printf(" %s", r.target.c_str());
  if (r.status != update::SlotStatus::kEmpty && r.status != update::SlotStatus::kWriting) {
    std::printf(
        " release %llu, security version %llu, %llu bytes, sha256 %s",
        static_cast<unsigned long long>(r.release),
        static_cast<unsigned long long>(r.security_version),
        static_cast<unsigned long long>(r.length),
        r.hashes.count("sha256") ? HexEncode(r.hashes.at("sha256")).substr(0, 16).c_str() : "-");
  }
  if (s.committed == name) std::printf(" [committed]");
  if (s.booted == name) std::printf(" [running]");
  if (s.trial && s.trial->slot == name) {
    std::printf(" [trial, %u attempts left]", s.trial->attempts_left);
  }
  std::printf("\n");
}

int StatusCmd(const InstallOptions& i) {
  auto installer = OpenSlots(i);
  if (!installer) {
    return ReportError("update status", installer.error(), Refusals::kUpdatePolicy);
  }
  const update::BootState& s = (*installer)->state();
  for (const auto& [name, record] : s.slots) PrintSlot(name, record, s);
  std::printf("anti-rollback counter: %llu\n",
              static_cast<unsigned long long>((*installer)->rollback_counter()));
  return kExitOk;
}

int Boot(const InstallOptions& i) {
  auto installer = OpenSlots(i);
  if (!installer) return ReportError("update boot", installer.error(), Refusals::kUpdatePolicy);
  auto d = (*installer)->Boot();
  if (!d) return ReportError("update boot", d.error(), Refusals::kUpdatePolicy);
  if (!d->fallback.empty()) std::printf("fallback: %s\n", d->fallback.c_str());
  if (d->trial) {
    std::printf("boot slot %s (trial, %u attempts left)\n", d->slot.c_str(), d->attempts_left);
  } else {
    std::printf("boot slot %s (committed)\n", d->slot.c_str());
  }
  return kExitOk;
}

int Commit(const InstallOptions& i) {
  auto installer = OpenSlots(i);
  if (!installer) {
    return ReportError("update commit", installer.error(), Refusals::kUpdatePolicy);
  }
  Status s = (*installer)->ConfirmHealth([&]() -> Status {
    if (i.health_check.empty()) return OkStatus();
    int rc = std::system(i.health_check.c_str());
    if (rc == 0) return OkStatus();
    return UnavailableError("health check \"" + i.health_check + "\" exited with status " +
                            std::to_string(WIFEXITED(rc) ? WEXITSTATUS(rc) : rc));
  });
  if (!s) return ReportError("update commit", s.error(), Refusals::kUpdatePolicy);
  std::printf("slot %s committed; anti-rollback counter %llu\n",
              (*installer)->state().committed->c_str(),
              static_cast<unsigned long long>((*installer)->rollback_counter()));
  return kExitOk;
}

int Rollback(const InstallOptions& i) {
  auto installer = OpenSlots(i);
  if (!installer) {
    return ReportError("update rollback", installer.error(), Refusals::kUpdatePolicy);
  }
  std::string slot = (*installer)->state().trial ? (*installer)->state().trial->slot : "";
  Status s = (*installer)->Rollback();
  if (!s) return ReportError("update rollback", s.error(), Refusals::kUpdatePolicy);
  std::printf("trial of slot %s abandoned; the next boot uses the committed slot\n", slot.c_str());
  return kExitOk;
}

}  // namespace

void AddInstallCommands(CLI::App& update, const std::shared_ptr<UpdateOptions>& o) {
  auto i = std::make_shared<InstallOptions>();
  auto slots = [&](CLI::App* c) {
    c->add_option("--slots", i->slots, "Slot configuration directory")->required();
  };
  auto* setup = update.add_subcommand("setup", "Provision A/B slots, boot state and counter");
  slots(setup);
  setup->add_option("--image-size", i->image_size,
                    "Use fixed-size image files of this many bytes (default: directories)");
  setup->add_option("--attempts", i->attempts, "Trial boot attempts before fallback")
      ->check(CLI::Range(1, 100));
  setup->add_flag("--no-verify-on-boot", i->no_verify_on_boot,
                  "Do not re-hash the image before every boot");
  setup->add_flag("--recover-state", i->recover_state,
                  "Only write a new, empty boot state where boot_state.json was lost (keeps "
                  "slots.json and the anti-rollback counter)");
  setup->callback([i] { SetExitCode(Setup(*i)); });

  auto* install = update.add_subcommand(
      "install", "Refresh, stream a verified target into the inactive slot, arm a trial");
  slots(install);
  install->add_option("--metadata-dir", o->metadata_dir, "Trusted metadata directory")->required();
  install->add_option("--metadata-url", o->metadata_url, "Repository metadata URL")->required();
  install->add_option("--targets-url", o->targets_url, "Repository targets URL");
  install->add_option("--target", o->target, "Target path")->required();
  install->add_option("--file", i->file, "Install this local file (checked like a download)");
  install->add_option("--time", o->time, "Reference time for expiry; default now");
  install->add_flag("--no-activate", i->no_activate, "Write and verify only; no trial");
  install->callback([o, i] {
    if (i->file.empty() && o->targets_url.empty()) {
      SetExitCode(ReportError("update install", InvalidArgumentError("give --targets-url or --file"),
                              Refusals::kUpdatePolicy));
      return;
    }
    SetExitCode(Install(*o, *i));
  });

  auto* status = update.add_subcommand("status", "Show slots, trial and anti-rollback counter");
  slots(status);
  status->callback([i] { SetExitCode(StatusCmd(*i)); });
  auto* boot = update.add_subcommand("boot", "Take the boot decision (spends a trial attempt)");
  slots(boot);
  boot->callback([i] { SetExitCode(Boot(*i)); });
  auto* commit = update.add_subcommand("commit", "Commit the running trial after a health check");
  slots(commit);
  commit->add_option("--health-check", i->health_check, "Command that must exit 0 to commit");
  commit->callback([i] { SetExitCode(Commit(*i)); });
  auto* rollback = update.add_subcommand("rollback", "Abandon the pending trial");
  slots(rollback);
  rollback->callback([i] { SetExitCode(Rollback(*i)); });
}

}  // namespace vigil::cli
