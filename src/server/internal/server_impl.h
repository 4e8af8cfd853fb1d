// The parts of a Server that src/server's files share: options, the databases under their mutex,
// the audit sink, the policy, the limiter and the two httplib listeners. Private: httplib and
// OpenSSL never reach a public header.
#ifndef VIGIL_SERVER_INTERNAL_SERVER_IMPL_H_
#define VIGIL_SERVER_INTERNAL_SERVER_IMPL_H_

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "internal/checkin_batcher.h"
#include "internal/dashboard_sessions.h"
#include "internal/loops.h"
#include "internal/verified_devices.h"
#include "vigil/access/policy.h"
#include "vigil/audit/event_sink.h"
#include "vigil/audit/tile_log.h"
#include "vigil/core/json.h"
#include "vigil/fleet/fleet.h"
#include "vigil/net/rate_limiter.h"
#include "vigil/server/server.h"
#include "vigil/triage/register.h"

namespace vigil::server {

// What a handler gets: the request, who made it, and what the route gave.
struct Call {
  const httplib::Request& req;
  std::string source;                         // the client address (an audit identifier)
  std::optional<fleet::OperatorToken> token;  // operator routes with a permission
  VerifiedDevice device;                      // device routes: the certificate's device
};

// What a handler answers: a status (200, 201) and its JSON body, and for changes what to audit.
struct Reply {
  int status = 200;
  json::Value body;
  std::vector<std::string> changed;  // object ids of a change (audited); empty for reads
};

struct Server::Impl {
  ServerOptions options;
  Env* env = nullptr;

  std::mutex mu;  // the fleet and the register belong to one thread at a time
  std::optional<fleet::Fleet> fleet;
  std::optional<triage::Register> reg;
  std::unique_ptr<CheckinBatcher> checkins;  // device check-ins, committed in batches

  std::unique_ptr<audit::TileLog> log;
  std::unique_ptr<audit::AuditLogSink> sink;
  std::optional<access::Policy> policy;
  std::string ca_pem;  // the manufacturer CA, for VerifyDeviceCertificate
  VerifiedDevices verified;  // device certificates verified lately
  std::unique_ptr<net::RateLimiter> limiter;
  std::unique_ptr<SessionStore> sessions;  // the dashboard's logins

  std::unique_ptr<httplib::SSLServer> operators, devices;
  std::thread operator_thread, device_thread;
  int operator_port = -1, device_port = -1;
  std::unique_ptr<BackgroundLoops> loops;

  std::mutex stop_mu;
  std::condition_variable stopped_cv;
  bool stopped = false;

  // routes.cc: registers every route of ApiRoutes on its listener, and the error answers.
  void Routes();
  // Appends an event of the server to its audit log (interface network, observer "vigil-serve").
  Status Audit(audit::Action action, audit::Outcome outcome, const std::string& actor,
               audit::Role role, const Call& call, std::vector<std::string> objects,
               std::string reason);
};

// An audit identifier from any text: [A-Za-z0-9._:@/-] kept, anything else '_', 1-128 bytes.
std::string Identifier(std::string_view text);

// dashboard.cc: the dashboard's pages, login and forms on the operator listener.
void RegisterDashboard(Server::Impl& s);

// The HTTP status of an error code (400, 401, 403, 404, 409, 503; 500 for the rest).
int HttpStatus(ErrorCode code);

// Opens the triage register at `path` (an SQLite file or a postgresql:// URL).
Result<triage::Register> OpenRegister(const std::string& path, Env& env);
// The answer of an error: the HTTP status of its code and {"error": "<message>"}.
void SendError(httplib::Response& res, const Error& e);
// A listener with net::ConfigureTlsServer's TLS (1.3 only, no session tickets) from --cert and
// --key; `client_ca` non-empty requires a client certificate chaining to it. The error names the
// file at fault.
Result<std::unique_ptr<httplib::SSLServer>> NewTlsListener(const ServerOptions& o,
                                                           const std::string& client_ca);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_INTERNAL_SERVER_IMPL_H_
