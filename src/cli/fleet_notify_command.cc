// `vigil fleet webhook add|list|deliver|log` and `vigil fleet reevaluate`: the fleet's
// notifications (vigil/fleet/webhook.h) and re-evaluation after an advisory import
// (vigil/fleet/reevaluate.h), attached to `vigil fleet` by fleet_command.cc.
//
//   vigil fleet webhook add URL --secret-file F [--events checkin.alert,finding.new,…]
//   vigil fleet webhook list [--format json]          (secrets are never printed)
//   vigil fleet webhook deliver [--once | --until-empty [--max-wait S]] [--ca-file F]
//   vigil fleet webhook log [--webhook ID] [--format json]
//   vigil fleet reevaluate --vulndb DB --register R --advisory ID…
//   vigil fleet support [--warn-days 180] [--as-of YYYY-MM-DD] [--components FILE] [--format json]
//
// Exit codes: 0 ok; 1 when deliveries are still pending after --until-empty's --max-wait; 2 on
// usage or input errors.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "command.h"
#include "fleet_notify.h"
#include "vigil/core/env.h"
#include "vigil/core/json.h"
#include "vigil/fleet/fleet.h"
#include "vigil/fleet/reevaluate.h"
#include "vigil/fleet/support.h"
#include "vigil/fleet/webhook.h"
#include "vigil/triage/register.h"
#include "vigil/vuln/advisory_db.h"

namespace vigil::cli {
namespace {

struct NotifyOptions {
  std::string db = "fleet.sqlite";
  std::string format = "table";
  std::string url, secret_file, ca_file;
  std::vector<std::string> events;
  bool once = false, until_empty = false;
  int64_t max_wait = 600, timeout = 10, webhook = 0;
  std::string vulndb, register_path;
  std::vector<std::string> advisories;
  int64_t warn_days = 180;
  std::string as_of, components;
};

Result<fleet::Fleet> Open(const NotifyOptions& o, bool create) { return OpenFleetDb(o.db, create); }

void PrintJson(const json::Value& v) {
  const std::string s = json::Write(v, 2) + "\n";
  std::fwrite(s.data(), 1, s.size(), stdout);
}

std::string Kinds(const std::vector<std::string>& events) {
  std::string out;
  for (const std::string& e : events) out += (out.empty() ? "" : ",") + e;
  return out.empty() ? "all" : out;
}

Status WebhookAdd(const NotifyOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(Bytes secret, Env::Default()->ReadFile(o.secret_file));
  std::string s(AsStringView(secret));
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, Open(o, true));
  auto added = f.AddWebhook({0, o.url, s, o.events, ""});
  if (!added) return Error(added.error().code(), o.secret_file + ": " + added.error().message());
  std::printf("%s: webhook %lld added: %s (events: %s)\n", o.db.c_str(),
              static_cast<long long>(added->id), added->url.c_str(), Kinds(added->events).c_str());
  return OkStatus();
}

Status WebhookList(const NotifyOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, Open(o, false));
  VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::Webhook> hooks, f.Webhooks());
  if (o.format == "json") {
    json::Value list = json::Value::MakeArray();
    for (const fleet::Webhook& w : hooks) {
      json::Value kinds = json::Value::MakeArray();
      for (const std::string& k : w.events) kinds.Push(k);
      list.Push(json::Value::MakeObject(
          {{"id", w.id}, {"url", w.url}, {"events", std::move(kinds)}, {"created", w.created}}));
    }
    PrintJson(list);
    return OkStatus();
  }
  for (const fleet::Webhook& w : hooks) {
    std::printf("%-4lld %-56s %s\n", static_cast<long long>(w.id), w.url.c_str(),
                Kinds(w.events).c_str());
  }
  std::printf("%zu webhook(s)\n", hooks.size());
  return OkStatus();
}

Result<int> WebhookDeliver(const NotifyOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, Open(o, false));
  auto transport = fleet::NewHttpWebhookTransport({o.ca_file, static_cast<int>(o.timeout)});
  Env& env = *Env::Default();
  const int64_t give_up = env.NowUnixMicros() + o.max_wait * 1000000;
  int64_t delivered = 0, failed = 0;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(fleet::DeliveryRound round,
                           f.DeliverWebhooks(*transport, fleet::DeliveryOptions{}));
    delivered += round.delivered;
    failed += round.failed;
    const int64_t now = env.NowUnixMicros();
    if (!o.until_empty || round.pending == 0 || now >= give_up) {
      std::printf("%lld delivered, %lld failed attempt(s), %lld pending\n",
                  static_cast<long long>(delivered), static_cast<long long>(failed),
                  static_cast<long long>(round.pending));
      return o.until_empty && round.pending > 0 ? kExitFindings : kExitOk;
    }
    const int64_t due = std::min(round.next_due_unix_micros.value_or(now), give_up);
    std::this_thread::sleep_for(std::chrono::microseconds(std::max<int64_t>(due - now, 100000)));
  }
}

Status WebhookLog(const NotifyOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, Open(o, false));
  VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::DeliveryAttempt> log, f.DeliveryLog(o.webhook));
  if (o.format == "json") {
    json::Value list = json::Value::MakeArray();
    for (const fleet::DeliveryAttempt& a : log) {
      list.Push(json::Value::MakeObject({{"seq", a.seq},
                                         {"webhook", a.webhook},
                                         {"event", a.event},
                                         {"at", a.at},
                                         {"attempt", a.attempt},
                                         {"status", a.status},
                                         {"error", a.error}}));
    }
    PrintJson(list);
    return OkStatus();
  }
  for (const fleet::DeliveryAttempt& a : log) {
    std::printf("%-20s webhook %-3lld event %-6lld attempt %-3lld %3lld %s\n", a.at.c_str(),
                static_cast<long long>(a.webhook), static_cast<long long>(a.event),
                static_cast<long long>(a.attempt), static_cast<long long>(a.status),
                a.error.empty() ? "delivered" : a.error.c_str());
  }
  std::printf("%zu attempt(s)\n", log.size());
  return OkStatus();
}

}  // namespace

Result<fleet::Fleet> OpenFleetDb(const std::string& path, bool create) {
  VIGIL_ASSIGN_OR_RETURN(storage::Database db, fleet::OpenFleetSqlite(path, create));
  return fleet::Fleet::Open(std::move(db), "fleet database " + path, *Env::Default());
}

Result<fleet::ReevaluationReport> ReevaluateFleet(const std::string& fleet_db,
                                                  const std::string& register_path,
                                                  const vuln::AdvisoryDb& db,
                                                  const std::vector<std::string>& changed) {
  NotifyOptions o;
  o.db = fleet_db;
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, Open(o, false));
  triage::RegisterOptions ro;
  ro.path = register_path;
  ro.create = true;
  VIGIL_ASSIGN_OR_RETURN(triage::Register reg, triage::Register::Open(ro, *Env::Default()));
  return fleet::Reevaluate(f, db, reg, changed, *Env::Default());
}

void PrintReevaluation(const fleet::ReevaluationReport& r) {
  std::printf(
      "re-evaluated %zu changed advisory(ies): %zu of %zu release(s) rescanned, %zu new "
      "finding(s)\n",
      r.advisories, r.releases_rescanned, r.releases, r.new_findings.size());
  if (r.vex_applied > 0) {
    std::printf("  %zu finding(s) decided by the releases' VEX statements\n", r.vex_applied);
  }
  for (const std::string& p : r.vex_problems) std::fprintf(stderr, "warning: %s\n", p.c_str());
  for (const fleet::NewFinding& f : r.new_findings) {
    std::printf("  %s %s: %s in %s %s (%s, discovered %s)\n", f.product.c_str(), f.release.c_str(),
                f.vulnerability.c_str(), f.component.c_str(), f.component_version.c_str(),
                f.origin.c_str(), f.discovered.c_str());
  }
}

namespace {

Status Reevaluate(const NotifyOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(vuln::AdvisoryDb db,
                         vuln::AdvisoryDb::Open(*vigil::Env::Default(), o.vulndb, vuln::OpenMode::kReadOnly));
  VIGIL_ASSIGN_OR_RETURN(fleet::ReevaluationReport r,
                         ReevaluateFleet(o.db, o.register_path, db, o.advisories));
  PrintReevaluation(r);
  return OkStatus();
}

Status Support(const NotifyOptions& o) {
  fleet::SupportOptions so;
  so.warn_days = o.warn_days;
  so.as_of = o.as_of;
  if (!o.components.empty()) {
    VIGIL_ASSIGN_OR_RETURN(
        Bytes text, Env::Default()->ReadFileLimited(o.components, fleet::kMaxSupportFileBytes,
                                                    "a component support file"));
    VIGIL_ASSIGN_OR_RETURN(so.components,
                           fleet::ParseComponentSupport(AsStringView(text), o.components));
  }
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, Open(o, false));
  VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::SupportWarning> all, f.CheckSupport(so));
  if (o.format == "json") {
    json::Value list = json::Value::MakeArray();
    for (const fleet::SupportWarning& w : all) {
      list.Push(json::Value::MakeObject({{"kind", w.kind},
                                         {"item", w.item},
                                         {"product", w.product},
                                         {"release", w.release},
                                         {"stage", w.stage},
                                         {"date", w.date},
                                         {"days", w.days},
                                         {"first", w.first}}));
    }
    PrintJson(list);
    return OkStatus();
  }
  for (const fleet::SupportWarning& w : all) {
    std::printf("%-10s %5lld d  %-15s %-9s %-28s %s %s%s\n", w.date.c_str(),
                static_cast<long long>(w.days), w.stage.c_str(), w.kind.c_str(), w.item.c_str(),
                w.product.c_str(), w.release.c_str(), w.first ? "  (new warning)" : "");
  }
  std::printf("%zu item(s) reach an end-of-support stage within %lld days\n", all.size(),
              static_cast<long long>(o.warn_days));
  return OkStatus();
}

template <typename Fn>
void Callback(CLI::App* c, std::shared_ptr<NotifyOptions> o, Fn fn) {
  FleetCallback(c, std::move(o), fn);
}

void AddDb(CLI::App* c, NotifyOptions& o, bool format) {
  c->add_option("--db", o.db, "Fleet database file (SQLite; default: fleet.sqlite)");
  if (format) {
    c->add_option("--format", o.format, "table or json")->check(CLI::IsMember({"table", "json"}));
  }
}

}  // namespace

void SetupFleetNotify(CLI::App* fleet_cmd) {
  auto* w = fleet_cmd->add_subcommand("webhook", "Signed JSON webhooks (outbox, retried in order)");
  w->require_subcommand(1);
  auto o = std::make_shared<NotifyOptions>();
  auto* add = w->add_subcommand("add", "Subscribe a URL to fleet events");
  AddDb(add, *o, false);
  add->add_option("url", o->url, "http:// or https:// URL the events are POSTed to")->required();
  add->add_option("--secret-file", o->secret_file, "File holding the HMAC secret (16+ bytes)")
      ->required();
  add->add_option("--events", o->events,
                  "Event kinds: checkin.alert, finding.new, support.warning (default: all)")
      ->delimiter(',');
  Callback(add, o, WebhookAdd);
  auto* list = w->add_subcommand("list", "List the subscriptions (never their secrets)");
  AddDb(list, *o, true);
  Callback(list, o, WebhookList);
  auto* deliver = w->add_subcommand("deliver", "Send the due events, in order per subscription");
  AddDb(deliver, *o, false);
  auto* once = deliver->add_flag("--once", o->once, "One round (the default)");
  deliver
      ->add_flag("--until-empty", o->until_empty,
                 "Keep going, waiting out back-offs, until nothing is pending (exit 1 when "
                 "--max-wait passes first)")
      ->excludes(once);
  deliver->add_option("--max-wait", o->max_wait, "Seconds --until-empty waits at most (600)");
  deliver->add_option("--ca-file", o->ca_file, "PEM CA bundle for https receivers");
  deliver->add_option("--timeout", o->timeout, "Seconds per request (10)");
  Callback(deliver, o, WebhookDeliver);
  auto* log = w->add_subcommand("log", "Every delivery attempt: time, status, error");
  AddDb(log, *o, true);
  log->add_option("--webhook", o->webhook, "Only this subscription id");
  Callback(log, o, WebhookLog);

  auto ro = std::make_shared<NotifyOptions>();
  auto* re = fleet_cmd->add_subcommand(
      "reevaluate", "Rescan the releases the given advisories concern; file new findings");
  AddDb(re, *ro, false);
  re->add_option("--vulndb", ro->vulndb, "Advisory database (vigil vulndb import)")->required();
  re->add_option("--register", ro->register_path, "Triage register file")->required();
  re->add_option("--advisory", ro->advisories, "Advisory id (repeatable)")->required();
  Callback(re, ro, Reevaluate);

  auto so = std::make_shared<NotifyOptions>();
  auto* support = fleet_cmd->add_subcommand(
      "support", "Devices and components reaching an IMDRF N70 end-of-support stage soon");
  AddDb(support, *so, true);
  support->add_option("--warn-days", so->warn_days, "Window ahead, in days (180)");
  support->add_option("--as-of", so->as_of, "As of this date (YYYY-MM-DD; default today)");
  support->add_option("--components", so->components,
                      "Component support dates (YAML/JSON; see vigil/fleet/support.h)");
  Callback(support, so, Support);
}

}  // namespace vigil::cli
