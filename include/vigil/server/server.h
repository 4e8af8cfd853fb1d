// vigil::server — the fleet server (`vigil serve`): the fleet's JSON API over HTTPS for operators,
// and device check-ins over mutual TLS, on two listeners.
//
// Operators (the operator listener, --listen): every /api/v1 route but the OpenAPI document
// needs "Authorization: Bearer <token>" (operator_tokens.h); the token's role (read-only,
// analyst, admin) is checked against the access policy (access/policy.h, deny by default) for
// the route's permission:
//   fleet.read      products, releases, devices, alerts (GET)
//   fleet.exposure  exposure of the fleet to the triage register's open findings (GET)
//   triage.decide   a decision on a finding of the register (POST)
//   fleet.manage    creating products, releases and devices (POST), deregistering a device
//                   (DELETE /api/v1/devices/SERIAL: its next check-in is refused)
// Every change and every refusal of a known token or an unknown one is appended to the server's
// audit log (audit/event_sink.h) with the token's name as actor; reads are not.
//
// Devices (the device listener, --device-listen): TLS with a client certificate issued by the
// manufacturer CA (identity/device_cert.h), verified at the handshake and again by identity's
// VerifyDeviceCertificate; the device is the certificate's subject, which must be a registered
// device and the serial in the path (the certificate's verification and the device's lookup are
// kept 5 minutes, and forgotten at once when the device is deregistered). The body is
// fleet/checkin.h's; what does not verify is an alert (stored by the fleet, and appended to the
// audit log as an integrity violation). Operators have no client certificates and devices no
// tokens: a listener that requires client certificates cannot also serve token clients without
// making the certificate optional, which would let a certificate-less client reach the check-in
// route; two listeners keep each rule absolute.
//
// Transport: TLS 1.3 only (AEAD suites with forward secrecy), no plaintext port, no session
// tickets. Input: bodies over ServerOptions::max_body_bytes are refused (413) before they are
// read; each token, client address and device has a token bucket (429 with Retry-After); a
// malformed body is 400 with {"error": "<one line naming the JSON path>"}. Every error answer
// is that one-line JSON object.
//
// Thread-safety: Server is started and stopped from one thread; requests are served by a pool
// of threads, and the fleet database and triage register are used under one mutex. Check-ins
// arriving together are recorded in one transaction (group commit: one durable commit for the
// batch, each check-in in a savepoint of its own) before any of them is answered.
#ifndef VIGIL_SERVER_SERVER_H_
#define VIGIL_SERVER_SERVER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "vigil/core/env.h"
#include "vigil/core/result.h"
#include "vigil/fleet/fleet.h"

namespace vigil::server {

struct ServerOptions {
  // The fleet database: an SQLite file (created when missing), or a postgresql:// URL.
  std::string db;
  std::string host = "127.0.0.1";
  int port = 8443;  // 0: any free port (Server::operator_port says which)
  // The device listener; device_port < 0: none (check-ins then come only through the CLI).
  std::string device_host = "127.0.0.1";
  int device_port = -1;
  std::string cert_file, key_file;  // the server's certificate chain and key (PEM)
  std::string client_ca_file;       // the manufacturer CA (PEM): required with a device listener
  // The triage register (SQLite file or postgresql:// URL); empty: exposure and decisions
  // answer 409 (no register).
  std::string register_path;
  std::string policy_file;  // empty: DefaultPolicy()
  std::string audit_dir;    // the server's audit log (created when missing); required
  size_t max_body_bytes = 64 * 1024;
  double requests_per_second = 20;  // per token, client address and device
  double burst = 40;
  int workers = 8;

  // Background loops, each on its own thread with its own database connections, stopped by
  // Stop after the listeners:
  //  - the webhook deliverer (deliver_webhooks): rounds of Fleet::DeliverWebhooks over HTTP(S)
  //    (webhook_ca_file: the receivers' CA bundle, PEM; empty: the system's), the next round
  //    when the earliest back-off ends, when the watcher enqueued events, or after
  //    loop_interval_millis (events of check-ins);
  //  - the watched advisory folder (watch_dir, fleet/feed_watch.h): every loop_interval_millis,
  //    its new or changed files are imported into `vulndb` (created when missing) and the fleet
  //    re-evaluated, new findings filed in the register (required) and notified.
  // What they do and what fails in them (a receiver down, a feed refused) is one line each to
  // `report` (may be empty); a failure never stops a loop.
  bool deliver_webhooks = true;
  std::string webhook_ca_file;
  std::string watch_dir;
  std::string vulndb;
  int64_t loop_interval_millis = 2000;
  std::function<void(const std::string&)> report;
};

class Server {
 public:
  // Opens the databases and the audit log, loads the policy, binds the listeners and starts
  // serving in background threads. InvalidArgument / NotFound naming a missing or unreadable
  // option or file; Unavailable when a port cannot be bound or TLS cannot be set up.
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options, Env& env);
  ~Server();  // stops
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int operator_port() const;
  int device_port() const;  // -1 without a device listener
  // Stops both listeners (idempotent); in-flight requests finish first.
  void Stop();
  // Blocks until Stop (from another thread or a signal handler's thread).
  void Wait();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Opens the fleet database `db` (an SQLite file, created when missing, or a postgresql:// URL,
// never repeated in errors) at the fleet's schema version: what the server and `vigil serve
// token` use.
Result<fleet::Fleet> OpenFleetDatabase(const std::string& db, Env& env);

// A route of the API: what the OpenAPI document must describe (routes.cc holds the table).
struct RouteInfo {
  std::string_view method;      // "get", "post", "delete" (OpenAPI's spelling)
  std::string_view path;        // OpenAPI template: "/api/v1/devices/{serial}"
  std::string_view permission;  // empty: no token needed
  bool device_listener;         // served on the device listener instead of the operator one
};
std::span<const RouteInfo> ApiRoutes();

// The OpenAPI 3.1 document served at GET /api/v1/openapi.json (src/server/openapi.json, built in).
std::string_view OpenApiDocument();
// The access policy used without --policy (config/serve-policy.yaml, built in).
std::string_view DefaultPolicy();

}  // namespace vigil::server

#endif  // VIGIL_SERVER_SERVER_H_
