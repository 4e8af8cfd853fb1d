// `vigil serve`: the fleet server (vigil/server/server.h) in the foreground until SIGINT or
// SIGTERM, and `vigil serve token add|list|revoke`, the operators' bearer tokens.
//
//   vigil serve --db DB --listen HOST:PORT --cert C.pem --key K.pem --audit-dir D
//               [--device-listen HOST:PORT --client-ca CA.pem] [--register R] [--policy P]
//               [--rate N] [--burst N] [--watch DIR --vulndb DB] [--webhook-ca F] [--no-deliver]
//   vigil serve token add --db DB --role read-only|analyst|admin NAME   (prints the token once)
//   vigil serve token list --db DB [--format table|json]
//   vigil serve token revoke --db DB NAME
//
// Exit codes: 0 stopped by a signal / done; 2 on usage, input or start-up errors (one line).
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "command.h"
#include "vigil/core/encoding.h"
#include "vigil/core/env.h"
#include "vigil/core/json.h"
#include "vigil/server/operator_tokens.h"
#include "vigil/server/server.h"

namespace vigil::cli {
namespace {

struct ServeOptions {
  server::ServerOptions server;
  std::string listen = "127.0.0.1:8443", device_listen;
  std::string db = "fleet.sqlite", name, role, format = "table";
};

// "HOST:PORT" → host and port (0-65535).
Status SplitListen(const std::string& text, std::string_view option, std::string& host, int& port) {
  const size_t colon = text.rfind(':');
  const std::string port_text = colon == std::string::npos ? "" : text.substr(colon + 1);
  const bool digits = !port_text.empty() && port_text.size() <= 5 &&
                      port_text.find_first_not_of("0123456789") == std::string::npos;
  const long p = digits ? std::strtol(port_text.c_str(), nullptr, 10) : -1;
  if (colon == 0 || colon == std::string::npos || p < 0 || p > 65535) {
    return InvalidArgumentError(std::string(option) + ": expected HOST:PORT (port 0-65535), got '" +
                                OneLine(text) + "'");
  }
  host = text.substr(0, colon);
  port = static_cast<int>(p);
  return OkStatus();
}

// Runs the server until SIGINT or SIGTERM. The signals are blocked before the server's threads
// start (they inherit the mask) and taken here with sigwait, so no handler runs in a worker.
Status Serve(ServeOptions& o) {
  server::ServerOptions& s = o.server;
  s.db = o.db;
  VIGIL_RETURN_IF_ERROR(SplitListen(o.listen, "--listen", s.host, s.port));
  if (!o.device_listen.empty()) {
    VIGIL_RETURN_IF_ERROR(
        SplitListen(o.device_listen, "--device-listen", s.device_host, s.device_port));
  }
  s.report = [](const std::string& line) {
    std::printf("vigil serve: %s\n", line.c_str());
    std::fflush(stdout);
  };
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<server::Server> srv,
                         server::Server::Start(s, *Env::Default()));
  std::printf("vigil serve: operators at https://%s:%d/api/v1 (bearer tokens)\n", s.host.c_str(),
              srv->operator_port());
  std::printf("vigil serve: dashboard at https://%s:%d/ (log in with an operator token)\n",
              s.host.c_str(), srv->operator_port());
  if (srv->device_port() > 0) {
    std::printf(
        "vigil serve: devices at https://%s:%d/api/v1/devices/SERIAL/checkin (mutual TLS)\n",
        s.device_host.c_str(), srv->device_port());
  }
  std::fflush(stdout);
  int sig = 0;
  sigwait(&stop, &sig);
  srv->Stop();
  std::printf("vigil serve: stopped (%s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
  return OkStatus();
}

Status TokenAdd(const ServeOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, server::OpenFleetDatabase(o.db, *Env::Default()));
  VIGIL_ASSIGN_OR_RETURN(server::IssuedToken t,
                         server::IssueToken(f, o.name, o.role, *Env::Default()));
  std::fprintf(stderr, "vigil serve: token '%s' (%s) added; it is shown once, keep it now\n",
               t.record.name.c_str(), t.record.role.c_str());
  const ByteView token = t.token.Reveal();  // the one place a token is printed
  std::fwrite(token.data(), 1, token.size(), stdout);
  std::printf("\n");
  return OkStatus();
}

Status TokenList(const ServeOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, server::OpenFleetDatabase(o.db, *Env::Default()));
  VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::OperatorToken> all, f.OperatorTokens());
  if (o.format == "json") {
    json::Value list = json::Value::MakeArray();
    for (const fleet::OperatorToken& t : all) {
      list.Push(json::Value::MakeObject(
          {{"name", t.name}, {"role", t.role}, {"created", t.created}, {"revoked", t.revoked}}));
    }
    std::printf("%s\n", json::Write(list, 2).c_str());
    return OkStatus();
  }
  for (const fleet::OperatorToken& t : all) {
    std::printf("%-32s %-10s %-20s %s\n", t.name.c_str(), t.role.c_str(), t.created.c_str(),
                t.revoked.empty() ? "valid" : ("revoked " + t.revoked).c_str());
  }
  std::printf("%zu token(s)\n", all.size());
  return OkStatus();
}

Status TokenRevoke(const ServeOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, server::OpenFleetDatabase(o.db, *Env::Default()));
  VIGIL_ASSIGN_OR_RETURN(fleet::OperatorToken t, f.RevokeOperatorToken(o.name));
  std::printf("token '%s' revoked at %s\n", t.name.c_str(), t.revoked.c_str());
  return OkStatus();
}

template <typename Fn>
void Callback(CLI::App* c, std::shared_ptr<ServeOptions> o, Fn fn) {
  c->callback([o, fn] {
    Status s = fn(*o);
    SetExitCode(s ? kExitOk : ReportError("serve", s.error()));
  });
}

void SetupTokens(CLI::App* serve) {
  auto* t =
      serve->add_subcommand("token", "Operator tokens of the server (bearer, bound to a role)");
  t->require_subcommand(1);
  auto o = std::make_shared<ServeOptions>();
  auto* add = t->add_subcommand("add", "Issue a token and print it once (only its hash is kept)");
  add->add_option("--db", o->db, "Fleet database (SQLite file or postgresql:// URL)");
  add->add_option("--role", o->role, "read-only, analyst or admin")
      ->required()
      ->check(CLI::IsMember({"read-only", "analyst", "admin"}));
  add->add_option("name", o->name, "Token name (who holds it; recorded in the audit log)")
      ->required();
  Callback(add, o, TokenAdd);
  auto* list = t->add_subcommand("list", "List the tokens (names, roles, revocations)");
  list->add_option("--db", o->db, "Fleet database (SQLite file or postgresql:// URL)");
  list->add_option("--format", o->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  Callback(list, o, TokenList);
  auto* revoke = t->add_subcommand("revoke", "Revoke a token (its name stays taken)");
  revoke->add_option("--db", o->db, "Fleet database (SQLite file or postgresql:// URL)");
  revoke->add_option("name", o->name, "Token name")->required();
  Callback(revoke, o, TokenRevoke);
}

void Setup(CLI::App& app) {
  auto* c = app.add_subcommand(
      "serve", "Fleet server: HTTPS JSON API for operators, device check-ins over mutual TLS");
  c->require_subcommand(0, 1);
  auto o = std::make_shared<ServeOptions>();
  c->add_option("--db", o->db, "Fleet database (SQLite file or postgresql:// URL)");
  c->add_option("--listen", o->listen, "Operator listener HOST:PORT (default 127.0.0.1:8443)");
  c->add_option("--cert", o->server.cert_file, "Server certificate chain (PEM)");
  c->add_option("--key", o->server.key_file, "Server private key (PEM)");
  c->add_option("--device-listen", o->device_listen,
                "Device listener HOST:PORT (mutual TLS; needs --client-ca)");
  c->add_option("--client-ca", o->server.client_ca_file,
                "Manufacturer CA certificate devices' certificates chain to (PEM)");
  c->add_option("--register", o->server.register_path,
                "Triage register (SQLite file or postgresql:// URL) for exposure and decisions");
  c->add_option("--policy", o->server.policy_file,
                "Access policy (default: the built-in examples/serve-policy.yaml)");
  c->add_option("--audit-dir", o->server.audit_dir, "The server's audit log folder (required)");
  c->add_option("--rate", o->server.requests_per_second,
                "Requests per second per token, address and device (default 20)")
      ->check(CLI::PositiveNumber);
  c->add_option("--burst", o->server.burst, "Requests at once before --rate applies (default 40)")
      ->check(CLI::PositiveNumber);
  c->add_option("--watch", o->server.watch_dir,
                "Advisory folder: new or changed feeds are imported and the fleet re-evaluated");
  c->add_option("--vulndb", o->server.vulndb,
                "Advisory database --watch imports into (created when missing)");
  c->add_option("--webhook-ca", o->server.webhook_ca_file,
                "CA bundle (PEM) for https webhook receivers (default: the system's)");
  c->add_flag("!--no-deliver", o->server.deliver_webhooks,
              "Do not deliver webhooks here (another process runs vigil fleet webhook deliver)");
  SetupTokens(c);
  c->callback([c, o] {
    if (!c->get_subcommands().empty()) return;  // `serve token …` ran its own callback
    Status s = Serve(*o);
    SetExitCode(s ? kExitOk : ReportError("serve", s.error()));
  });
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
