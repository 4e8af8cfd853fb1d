// The fleet server's lifecycle (server.h): opening the databases, the audit log and the policy,
// the TLS listeners, and stopping. The routes are in routes.cc.
#include "vigil/server/server.h"

#include <openssl/ssl.h>

#include "internal/server_impl.h"
#include "vigil/core/encoding.h"
#include "vigil/fleet/checkin.h"
#include "vigil/net/tls_server.h"
#include "vigil/storage/database.h"

namespace vigil::server {
namespace {

constexpr std::string_view kPostgresScheme = "postgresql:";

Status Require(const std::string& value, std::string_view option) {
  if (value.empty()) return InvalidArgumentError(std::string(option) + " is required");
  return OkStatus();
}

Result<access::Policy> LoadPolicy(const std::string& file, Env& env) {
  if (file.empty()) return access::Policy::ParseYaml(DefaultPolicy(), "built-in serve policy");
  return access::Policy::Load(env, file);
}

// Binds `server` to host:port (port 0: any free one) and returns the port.
Result<int> Bind(httplib::SSLServer& server, const std::string& host, int port,
                 std::string_view option) {
  if (port == 0) {
    port = server.bind_to_any_port(host);
  } else if (!server.bind_to_port(host, port)) {
    port = -1;
  }
  if (port <= 0) {
    return UnavailableError(std::string(option) + ": cannot listen on " + host + ":" +
                            std::to_string(port));
  }
  return port;
}

Status OpenParts(Server::Impl& s) {
  const ServerOptions& o = s.options;
  VIGIL_RETURN_IF_ERROR(Require(o.db, "--db"));
  VIGIL_RETURN_IF_ERROR(Require(o.cert_file, "--cert"));
  VIGIL_RETURN_IF_ERROR(Require(o.key_file, "--key"));
  VIGIL_RETURN_IF_ERROR(Require(o.audit_dir, "--audit-dir"));
  if (o.device_port >= 0) {
    VIGIL_RETURN_IF_ERROR(Require(o.client_ca_file, "--client-ca (with --device-listen)"));
    VIGIL_ASSIGN_OR_RETURN(Bytes ca, s.env->ReadFileLimited(o.client_ca_file, 1 << 20, "a CA"));
    s.ca_pem = std::string(AsStringView(ca));
  }
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, OpenFleetDatabase(o.db, *s.env));
  s.fleet.emplace(std::move(f));
  s.checkins = std::make_unique<CheckinBatcher>(s.mu, *s.fleet);
  if (!o.register_path.empty()) {
    VIGIL_ASSIGN_OR_RETURN(triage::Register r, OpenRegister(o.register_path, *s.env));
    s.reg.emplace(std::move(r));
  }
  VIGIL_ASSIGN_OR_RETURN(access::Policy p, LoadPolicy(o.policy_file, *s.env));
  s.policy.emplace(std::move(p));
  VIGIL_ASSIGN_OR_RETURN(s.log, audit::TileLog::Open(*s.env, o.audit_dir));
  s.sink = std::make_unique<audit::AuditLogSink>(*s.log, *s.env);
  s.limiter = std::make_unique<net::RateLimiter>(o.requests_per_second, o.burst);
  return OkStatus();
}

void Tune(httplib::SSLServer& server, const ServerOptions& o, size_t max_body) {
  const int workers = o.workers;
  server.new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  server.set_read_timeout(10, 0);
  server.set_write_timeout(10, 0);
  server.set_keep_alive_timeout(5);
  server.set_keep_alive_max_count(10000);
  // Header and body are separate writes: without TCP_NODELAY Nagle holds the body until the
  // client acknowledges the header, which a delayed ACK puts off by up to 40 ms.
  server.set_tcp_nodelay(true);
  server.set_payload_max_length(max_body);
}

}  // namespace

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kFailedPrecondition:
      return 409;
    case ErrorCode::kResourceExhausted:  // a rate limit (429, with Retry-After), or a full disk
    case ErrorCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

Result<triage::Register> OpenRegister(const std::string& path, Env& env) {
  triage::RegisterOptions o;
  if (path.starts_with(kPostgresScheme)) {
    o.postgres_url = path;
  } else {
    o.path = path;
  }
  return triage::Register::Open(o, env);
}

Result<fleet::Fleet> OpenFleetDatabase(const std::string& db, Env& env) {
  if (db.starts_with(kPostgresScheme)) {
    storage::PostgresOptions o;
    o.url = db;
    VIGIL_ASSIGN_OR_RETURN(storage::Database d, storage::Database::OpenPostgres(o));
    // The URL may hold a password: errors name the engine, never the URL.
    return fleet::Fleet::Open(std::move(d), "fleet database (PostgreSQL)", env);
  }
  VIGIL_ASSIGN_OR_RETURN(storage::Database d, fleet::OpenFleetSqlite(db, /*create=*/true));
  return fleet::Fleet::Open(std::move(d), "fleet database " + db, env);
}

void SendError(httplib::Response& res, const Error& e) {
  res.status = e.code() == ErrorCode::kResourceExhausted && res.has_header("Retry-After")
                   ? 429
                   : HttpStatus(e.code());
  res.set_content(json::Write(json::Value::MakeObject({{"error", OneLine(e.message())}})) + "\n",
                  "application/json");
}

Result<std::unique_ptr<httplib::SSLServer>> NewTlsListener(const ServerOptions& o,
                                                           const std::string& client_ca) {
  const net::TlsServerFiles files{o.cert_file, o.key_file, client_ca};
  Status configured = OkStatus();
  auto server = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) {
    configured = net::ConfigureTlsServer(ctx, files);
    return configured.has_value();
  });
  if (!configured) return Error(configured.error().code(), "TLS: " + configured.error().message());
  if (!server->is_valid()) return UnavailableError("TLS: OpenSSL could not make a server context");
  return server;
}

Status Server::Impl::Audit(audit::Action action, audit::Outcome outcome, const std::string& actor,
                           audit::Role role, const Call& call, std::vector<std::string> objects,
                           std::string reason) {
  audit::Event e;
  e.device_id = "vigil-serve";
  e.actor_id = actor;
  e.actor_role = role;
  e.action = action;
  e.outcome = outcome;
  e.interface = audit::Interface::kNetwork;
  e.source = call.source;
  e.object_ids = std::move(objects);
  e.reason = std::move(reason);
  return sink->Record(std::move(e));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options, Env& env) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->env = &env;
  VIGIL_RETURN_IF_ERROR(OpenParts(*impl));
  VIGIL_ASSIGN_OR_RETURN(impl->operators, NewTlsListener(options, ""));
  Tune(*impl->operators, options, options.max_body_bytes);
  if (options.device_port >= 0) {
    VIGIL_ASSIGN_OR_RETURN(impl->devices, NewTlsListener(options, options.client_ca_file));
    Tune(*impl->devices, options, fleet::kMaxCheckinBytes);
  }
  impl->Routes();
  RegisterDashboard(*impl);
  VIGIL_ASSIGN_OR_RETURN(impl->loops, BackgroundLoops::Start(options, env));
  VIGIL_ASSIGN_OR_RETURN(impl->operator_port,
                         Bind(*impl->operators, options.host, options.port, "--listen"));
  if (impl->devices) {
    VIGIL_ASSIGN_OR_RETURN(impl->device_port, Bind(*impl->devices, options.device_host,
                                                   options.device_port, "--device-listen"));
  }
  Impl* raw = impl.get();
  impl->operator_thread = std::thread([raw] { raw->operators->listen_after_bind(); });
  if (impl->devices) {
    impl->device_thread = std::thread([raw] { raw->devices->listen_after_bind(); });
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

int Server::operator_port() const { return impl_->operator_port; }
int Server::device_port() const { return impl_->device_port; }

void Server::Stop() {
  if (!impl_) return;
  if (impl_->operators) impl_->operators->stop();
  if (impl_->devices) impl_->devices->stop();
  if (impl_->operator_thread.joinable()) impl_->operator_thread.join();
  if (impl_->device_thread.joinable()) impl_->device_thread.join();
  if (impl_->loops) impl_->loops->Stop();
  std::lock_guard lock(impl_->stop_mu);
  impl_->stopped = true;
  impl_->stopped_cv.notify_all();
}

void Server::Wait() {
  std::unique_lock lock(impl_->stop_mu);
  impl_->stopped_cv.wait(lock, [this] { return impl_->stopped; });
}

}  // namespace vigil::server
