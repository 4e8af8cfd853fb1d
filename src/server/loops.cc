// The server's background loops (internal/loops.h): the webhook deliverer and the watched
// advisory folder, each on its own thread with its own database connections.
#include "internal/loops.h"

#include <algorithm>
#include <chrono>
#include <optional>

#include "internal/server_impl.h"
#include "vigil/fleet/feed_watch.h"
#include "vigil/fleet/webhook.h"
#include "vigil/vuln/advisory_db.h"

namespace vigil::server {

struct BackgroundLoops::Parts {
  ServerOptions options;
  Env* env = nullptr;
  // The deliverer's connection to the fleet database and its HTTP clients.
  std::optional<fleet::Fleet> outbox;
  std::unique_ptr<fleet::WebhookTransport> transport;
  // The watcher's connections and the folder's memory.
  std::optional<fleet::Fleet> fleet;
  std::optional<triage::Register> reg;
  std::optional<vuln::AdvisoryDb> db;
  std::optional<fleet::FeedFolder> folder;
  bool deliver_now = false;  // set by the watcher when it enqueued events (under mu_)
  bool never = false;        // the watcher is woken by Stop only

  void Report(const std::string& line) const {
    if (options.report) options.report(line);
  }
};

namespace {

Status OpenDeliverer(BackgroundLoops::Parts& p) {
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, OpenFleetDatabase(p.options.db, *p.env));
  p.outbox.emplace(std::move(f));
  fleet::HttpTransportOptions t;
  t.ca_file = p.options.webhook_ca_file;
  p.transport = fleet::NewHttpWebhookTransport(t);
  return OkStatus();
}

Status OpenWatcher(BackgroundLoops::Parts& p) {
  const ServerOptions& o = p.options;
  if (o.vulndb.empty() || o.register_path.empty()) {
    return InvalidArgumentError("--watch " + o.watch_dir +
                                " needs --vulndb (the advisory database to import into) and "
                                "--register (where new findings are filed)");
  }
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, OpenFleetDatabase(o.db, *p.env));
  p.fleet.emplace(std::move(f));
  VIGIL_ASSIGN_OR_RETURN(triage::Register r, OpenRegister(o.register_path, *p.env));
  p.reg.emplace(std::move(r));
  VIGIL_ASSIGN_OR_RETURN(vuln::AdvisoryDb db, vuln::AdvisoryDb::Open(*p.env, o.vulndb));
  p.db.emplace(std::move(db));
  p.folder.emplace(o.watch_dir);
  return OkStatus();
}

std::string DeliveryLine(const fleet::DeliveryRound& r) {
  return "webhooks: " + std::to_string(r.delivered) + " delivered, " +
         std::to_string(r.failed) + " failed attempt(s), " + std::to_string(r.pending) +
         " pending";
}

std::string WatchLine(const fleet::WatchRound& r, size_t files) {
  const fleet::ReevaluationReport& e = r.reevaluation;
  return "watch: " + std::to_string(files) + " feed file(s) imported, " +
         std::to_string(e.advisories) + " advisory(ies) added or changed, " +
         std::to_string(e.releases_rescanned) + " of " + std::to_string(e.releases) +
         " release(s) rescanned, " + std::to_string(e.new_findings.size()) + " new finding(s)" +
         (e.vex_applied > 0 ? ", " + std::to_string(e.vex_applied) + " decided by VEX" : "") +
         (e.vex_problems.empty()
              ? ""
              : ", " + std::to_string(e.vex_problems.size()) + " VEX statement(s) not usable");
}

}  // namespace

Result<std::unique_ptr<BackgroundLoops>> BackgroundLoops::Start(const ServerOptions& options,
                                                                Env& env) {
  auto parts = std::make_unique<Parts>();
  parts->options = options;
  parts->env = &env;
  if (options.deliver_webhooks) VIGIL_RETURN_IF_ERROR(OpenDeliverer(*parts));
  if (!options.watch_dir.empty()) VIGIL_RETURN_IF_ERROR(OpenWatcher(*parts));
  std::unique_ptr<BackgroundLoops> loops(new BackgroundLoops(std::move(parts)));
  BackgroundLoops* raw = loops.get();
  if (raw->parts_->outbox) raw->deliverer_ = std::thread([raw] { raw->Deliver(); });
  if (raw->parts_->folder) raw->watcher_ = std::thread([raw] { raw->Watch(); });
  return loops;
}

BackgroundLoops::BackgroundLoops(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
BackgroundLoops::~BackgroundLoops() { Stop(); }

void BackgroundLoops::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (deliverer_.joinable()) deliverer_.join();
  if (watcher_.joinable()) watcher_.join();
}

bool BackgroundLoops::Sleep(int64_t millis, bool& poked) {
  std::unique_lock lock(mu_);
  wake_.wait_for(lock, std::chrono::milliseconds(std::max<int64_t>(millis, 0)),
                 [&] { return stopping_ || poked; });
  poked = false;
  return !stopping_;
}

// Rounds of DeliverWebhooks: the next one when the earliest back-off ends, the watcher enqueued
// events, or the interval passed (events the API's check-ins enqueued).
void BackgroundLoops::Deliver() {
  Parts& p = *parts_;
  const fleet::DeliveryOptions options;
  do {
    int64_t wait = p.options.loop_interval_millis;
    Result<fleet::DeliveryRound> round = p.outbox->DeliverWebhooks(*p.transport, options);
    if (!round) {
      p.Report("webhooks: " + round.error().message());
    } else {
      if (round->delivered + round->failed > 0) p.Report(DeliveryLine(*round));
      if (round->next_due_unix_micros) {
        wait = std::min(wait, (*round->next_due_unix_micros - p.env->NowUnixMicros()) / 1000);
      }
    }
    if (!Sleep(wait, p.deliver_now)) return;
  } while (true);
}

void BackgroundLoops::Watch() {
  Parts& p = *parts_;
  do {
    Result<std::vector<std::string>> files = p.folder->Changed(*p.env);
    if (!files) {
      p.Report("watch: " + files.error().message());
    } else if (!files->empty()) {
      Result<fleet::WatchRound> round =
          fleet::ImportAndReevaluate(*p.fleet, *p.db, *p.reg, *files, *p.env);
      if (!round) {
        p.folder->Forget(*files);  // tried again next round
        p.Report("watch: " + round.error().message());
      } else {
        for (const std::string& why : round->imported.refused) p.Report("watch: refused: " + why);
        p.Report(WatchLine(*round, files->size()));
        if (!round->reevaluation.new_findings.empty()) {
          std::lock_guard lock(mu_);
          p.deliver_now = true;
          wake_.notify_all();
        }
      }
    }
  } while (Sleep(p.options.loop_interval_millis, p.never));
}

}  // namespace vigil::server
