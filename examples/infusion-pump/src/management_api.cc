#include "management_api.h"

#include <httplib.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <thread>
#include <vector>

#include "api_requests.h"
#include "update_agent.h"
#include "vigil/core/encoding.h"
#include "vigil/core/json.h"
#include "vigil/net/peer_certificate.h"
#include "vigil/net/rate_limiter.h"
#include "vigil/net/replay_guard.h"
#include "vigil/net/tls_server.h"

namespace pump {
namespace {

using vigil::Result;
using vigil::Status;
using vigil::json::Value;
namespace audit = vigil::audit;

// The vault's therapy record: the program in force and the patient it is for.
constexpr const char* kTherapyTable = "therapy";
constexpr const char* kTherapyRecordId = "current";

// httplib's task queue with a bound: `workers` threads serve connections, at most `queued` wait,
// and beyond that enqueue() (called by the accept loop) waits for room, so the accept loop stops
// accepting and the kernel's listen backlog absorbs the rest.
class BoundedTaskQueue final : public httplib::TaskQueue {
 public:
  BoundedTaskQueue(int workers, size_t queued) : max_(queued) {
    for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { Work(); });
  }
  void enqueue(std::function<void()> fn) override {
    std::unique_lock lock(mu_);
    room_.wait(lock, [&] { return jobs_.size() < max_ || shutdown_; });
    if (shutdown_) {  // serve it here: the connection must still be closed
      lock.unlock();
      fn();
      return;
    }
    jobs_.push_back(std::move(fn));
    ready_.notify_one();
  }
  void shutdown() override {
    {
      std::lock_guard lock(mu_);
      shutdown_ = true;
    }
    ready_.notify_all();
    room_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

 private:
  void Work() {
    for (;;) {
      std::function<void()> fn;
      {
        std::unique_lock lock(mu_);
        ready_.wait(lock, [&] { return !jobs_.empty() || shutdown_; });
        if (jobs_.empty()) return;  // shut down and drained
        fn = std::move(jobs_.front());
        jobs_.pop_front();
      }
      room_.notify_one();
      fn();
    }
  }
  const size_t max_;
  std::mutex mu_;
  std::condition_variable ready_, room_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  bool shutdown_ = false;
};

int HttpStatus(vigil::ErrorCode code) {
  switch (code) {
    case vigil::ErrorCode::kInvalidArgument:
      return 400;
    case vigil::ErrorCode::kUnauthenticated:
      return 401;
    case vigil::ErrorCode::kPermissionDenied:
      return 403;
    case vigil::ErrorCode::kNotFound:
      return 404;
    case vigil::ErrorCode::kAlreadyExists:
    case vigil::ErrorCode::kFailedPrecondition:
      return 409;
    case vigil::ErrorCode::kResourceExhausted:
      return 429;
    case vigil::ErrorCode::kDataLoss:  // e.g. a software update whose bytes fail their hashes
      return 422;
    case vigil::ErrorCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

void Send(httplib::Response& res, int status, const Value& body) {
  res.status = status;
  res.set_content(vigil::json::Write(body) + "\n", "application/json");
}

void SendError(httplib::Response& res, const vigil::Error& e) {
  Send(res, HttpStatus(e.code()),
       Value::MakeObject(
           {{"error", std::string(vigil::ErrorCodeName(e.code()))}, {"message", e.message()}}));
}

// "<client certificate CN>@<address>", an identifier the audit log accepts.
std::string Source(const httplib::Request& req) {
  Result<vigil::net::PeerCertificate> cert = vigil::net::PeerCertificate::Read(req.ssl);
  const std::string cn = cert ? cert->CommonName() : "";
  std::string source = cn.empty() ? req.remote_addr : cn + "@" + req.remote_addr;
  for (char& c : source) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == ':' || c == '@' || c == '/' || c == '-';
    if (!ok) c = '_';
  }
  return source.substr(0, 128);
}

Value StatusJson(const TherapyStatus& s, uint64_t alerts) {
  return Value::MakeObject({{"state", StateName(s.state)},
                            {"alarm", AlarmName(s.alarm)},
                            {"drug_id", s.drug_id},
                            {"rate_ul_h", s.rate_ul_h},
                            {"volume_ul", s.volume_ul},
                            {"delivered_ul", s.delivered_ul},
                            {"library_version", s.library_version},
                            {"alerts", alerts}});
}

}  // namespace

class ManagementApi::Impl {
 public:
  Impl(Device& device, vigil::audit::EventSink& audit, TherapyController& therapy,
       SecurityFaults& faults, vigil::access::AccessControl& access, ApiOptions options)
      : device_(device),
        audit_(audit),
        therapy_(therapy),
        faults_(faults),
        access_(access),
        options_(std::move(options)),
        limiter_(options_.requests_per_second, options_.burst) {}

  ~Impl() { Stop(); }

  Result<int> Start();
  void Stop() {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
  }

 private:
  // What a handler gets: the request, its source, and the session when the route needs one.
  struct Call {
    const httplib::Request& req;
    std::string source;
    vigil::identity::Session session;
  };
  using Handler = std::function<Result<Value>(Call&)>;

  Status SetUpTls();
  void Routes();
  // Registers `handler` at `path`; `permission` empty means no session is needed.
  void Route(const char* method, const char* path, std::string permission, Handler handler);
  Result<vigil::identity::Session> Authorize(const httplib::Request& req, const std::string& source,
                                             const std::string& permission);
  Status Audit(audit::Action action, const Call& call, std::vector<std::string> objects);

  Result<Value> Login(Call& call);
  Result<Value> BreakGlass(Call& call);
  Result<Value> Reviews();
  Result<Value> CreateAccount(Call& call);
  // Accepts a critical command's tag, or audits and alerts a replay and refuses it.
  Status Fresh(const Call& call, const vigil::net::CommandTag& tag);
  Status RecordedFirst(Status recorded, PrivilegedAction action);
  Result<Value> StartTherapy(Call& call);
  Result<Value> UpdateLibrary(Call& call);
  Result<Value> ChangeTherapy(Call& call);
  Result<Value> SafetyAction(Call& call, Status (TherapyController::*action)(),
                             audit::Action recorded_as);
  Result<Value> Alerts();
  // Keeps the program started (and the patient it is for) as the vault's therapy record.
  void KeepTherapyRecord(const Call& call, const ProgramCommand& c);
  Result<Value> TherapyRecord();
  Result<Value> Loop(const Call& call);
  Result<Value> Decommission(Call& call);
  Result<Value> InstallUpdate(Call& call);
  Result<Value> UpdateStatus();
  Result<Value> AcknowledgeClock(Call& call);

  Device& device_;
  vigil::audit::EventSink& audit_;
  TherapyController& therapy_;
  SecurityFaults& faults_;
  vigil::access::AccessControl& access_;
  const ApiOptions options_;
  vigil::net::RateLimiter limiter_;
  vigil::net::ReplayGuard replay_;
  // Set once the pump is decommissioned: every request is then refused before routing.
  std::atomic<bool> decommissioned_{false};
  std::unique_ptr<httplib::SSLServer> server_;
  std::thread thread_;
};

// TLS 1.3 only, mutual: a client certificate chaining to the manufacturer CA (net/tls_server.h).
Status ManagementApi::Impl::SetUpTls() {
  const DeviceLayout& l = device_.layout();
  const vigil::net::TlsServerFiles files{l.device_cert(), l.device_key(), l.ca_cert()};
  Status configured = vigil::OkStatus();
  server_ = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) {
    configured = vigil::net::ConfigureTlsServer(ctx, files);
    return configured.has_value();
  });
  if (!configured) {
    return vigil::UnavailableError("management API: cannot set up TLS: " +
                                   configured.error().message());
  }
  if (!server_->is_valid()) {
    return vigil::UnavailableError("management API: OpenSSL could not make a server context");
  }
  return vigil::OkStatus();
}

Result<int> ManagementApi::Impl::Start() {
  VIGIL_RETURN_IF_ERROR(SetUpTls());
  const int workers = options_.workers;
  const size_t queued = static_cast<size_t>(options_.queued);
  server_->new_task_queue = [workers, queued] { return new BoundedTaskQueue(workers, queued); };
  server_->set_read_timeout(options_.read_timeout.count(), 0);
  server_->set_write_timeout(options_.read_timeout.count(), 0);
  server_->set_keep_alive_timeout(options_.read_timeout.count());
  server_->set_keep_alive_max_count(20);
  // An answer's header and body are separate writes: without TCP_NODELAY, Nagle holds the body
  // until the client acknowledges the header, which a delayed ACK puts off by up to 40 ms.
  server_->set_tcp_nodelay(true);
  server_->set_payload_max_length(kMaxLibraryBodyBytes);  // other bodies: kMaxBodyBytes
  server_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (decommissioned_) {
      SendError(res, vigil::FailedPreconditionError(
                         "pump " + device_.device_id() +
                         " is decommissioned: no login or therapy until it is provisioned again"));
      return httplib::Server::HandlerResponse::Handled;
    }
    const int64_t wait = limiter_.RetryAfter(req.remote_addr, device_.env().NowMonotonicNanos());
    if (wait == 0) return httplib::Server::HandlerResponse::Unhandled;
    res.set_header("Retry-After", std::to_string(wait));
    SendError(res, vigil::ResourceExhaustedError("rate limit: too many requests from " +
                                                 req.remote_addr));
    return httplib::Server::HandlerResponse::Handled;
  });
  Routes();
  int port = options_.port;
  if (port == 0) {
    port = server_->bind_to_any_port(options_.host);
  } else if (!server_->bind_to_port(options_.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    return vigil::UnavailableError("management API: cannot listen on " + options_.host + ":" +
                                   std::to_string(options_.port));
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return port;
}

void ManagementApi::Impl::Route(const char* method, const char* path, std::string permission,
                                Handler handler) {
  auto serve = [this, permission, handler](const httplib::Request& req, httplib::Response& res) {
    Call call{req, Source(req), {}};
    if (!permission.empty()) {
      Result<vigil::identity::Session> session = Authorize(req, call.source, permission);
      if (!session) return SendError(res, session.error());
      call.session = std::move(*session);
    }
    Result<Value> reply = handler(call);
    if (!reply) return SendError(res, reply.error());
    Send(res, 200, *reply);
  };
  if (std::string_view(method) == "GET") {
    server_->Get(path, serve);
  } else {
    server_->Post(path, serve);
  }
}

Result<vigil::identity::Session> ManagementApi::Impl::Authorize(const httplib::Request& req,
                                                                const std::string& source,
                                                                const std::string& permission) {
  const std::string header = req.get_header_value("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (header.rfind(kBearer, 0) != 0) {
    return vigil::UnauthenticatedError(
        "no session: log in and send \"Authorization: Bearer <session>\"");
  }
  VIGIL_ASSIGN_OR_RETURN(vigil::identity::Session session,
                         device_.identity().Touch(header.substr(kBearer.size())));
  vigil::access::Subject who{session.account, session.role, session.break_glass,
                             audit::Interface::kNetwork};
  vigil::access::Decision decision = access_.Decide(who, permission);
  if (!decision.allowed) {
    return vigil::PermissionDeniedError(permission + ": denied (" + decision.reason + ")");
  }
  (void)source;
  return session;
}

Status ManagementApi::Impl::Audit(audit::Action action, const Call& call,
                                  std::vector<std::string> objects) {
  audit::Event e;
  e.device_id = device_.device_id();
  e.actor_id = call.session.account;
  e.actor_role = call.session.role;
  e.action = action;
  e.purpose = call.session.break_glass ? audit::Purpose::kBreakGlass : audit::Purpose::kTreatment;
  e.reason = call.session.break_glass ? "break-glass session" : "";
  e.interface = audit::Interface::kNetwork;
  e.source = call.source;
  e.object_ids = std::move(objects);
  return audit_.Record(std::move(e));
}

void ManagementApi::Impl::Routes() {
  Route("POST", "/api/v1/login", "", [this](Call& c) { return Login(c); });
  Route("POST", "/api/v1/logout", "therapy.view", [this](Call& c) -> Result<Value> {
    VIGIL_RETURN_IF_ERROR(device_.identity().Logout(c.session.id));
    replay_.Forget(c.session.id);
    return Value::MakeObject({{"logged_out", true}});
  });
  Route("POST", "/api/v1/accounts/confirm", "", [this](Call& c) -> Result<Value> {
    VIGIL_ASSIGN_OR_RETURN(ConfirmRequest r, ParseConfirmRequest(c.req.body));
    VIGIL_RETURN_IF_ERROR(device_.identity().ConfirmEnrolment(r.account, r.code));
    return Value::MakeObject({{"confirmed", r.account}});
  });
  Route("POST", "/api/v1/accounts", "account.create", [this](Call& c) { return CreateAccount(c); });
  Route("POST", "/api/v1/break-glass", "", [this](Call& c) { return BreakGlass(c); });
  Route("GET", "/api/v1/break-glass/reviews", "account.review",
        [this](Call&) { return Reviews(); });
  Route("POST", "/api/v1/break-glass/reviews/close", "account.review",
        [this](Call& c) -> Result<Value> {
          VIGIL_ASSIGN_OR_RETURN(uint64_t review, ParseReviewClose(c.req.body));
          VIGIL_RETURN_IF_ERROR(device_.identity().CloseReview(c.session.id, review));
          return Value::MakeObject({{"closed", review}});
        });
  Route("GET", "/api/v1/status", "monitor.therapy", [this](Call&) -> Result<Value> {
    return StatusJson(therapy_.Status(), faults_.AlertsAfter(0).size());
  });
  Route("GET", "/api/v1/alerts", "monitor.therapy", [this](Call&) { return Alerts(); });
  Route("GET", "/api/v1/loop", "monitor.therapy", [this](Call& c) { return Loop(c); });
  Route("GET", "/api/v1/therapy/record", "therapy.view", [this](Call&) { return TherapyRecord(); });
  Route("POST", "/api/v1/decommission", "device.decommission",
        [this](Call& c) { return Decommission(c); });
  Route("POST", "/api/v1/therapy/start", "therapy.start",
        [this](Call& c) { return StartTherapy(c); });
  Route("POST", "/api/v1/therapy/change", "therapy.configure",
        [this](Call& c) { return ChangeTherapy(c); });
  Route("POST", "/api/v1/therapy/pause", "therapy.stop", [this](Call& c) {
    return SafetyAction(c, &TherapyController::Pause, audit::Action::kTherapyStop);
  });
  Route("POST", "/api/v1/therapy/stop", "therapy.stop", [this](Call& c) {
    return SafetyAction(c, &TherapyController::Stop, audit::Action::kTherapyStop);
  });
  Route("POST", "/api/v1/therapy/resume", "therapy.start", [this](Call& c) {
    return SafetyAction(c, &TherapyController::Resume, audit::Action::kTherapyStart);
  });
  Route("POST", "/api/v1/drug-library", "drug_library.update",
        [this](Call& c) { return UpdateLibrary(c); });
  Route("POST", "/api/v1/update", "service.firmware_update",
        [this](Call& c) { return InstallUpdate(c); });
  Route("GET", "/api/v1/update", "therapy.view", [this](Call&) { return UpdateStatus(); });
  Route("POST", "/api/v1/faults/clock/acknowledge", "service.clock_acknowledge",
        [this](Call& c) { return AcknowledgeClock(c); });
  Route("POST", "/api/v1/audit/checkpoint", "audit.export", [this](Call&) -> Result<Value> {
    VIGIL_ASSIGN_OR_RETURN(std::string note, device_.CheckpointAudit());
    return Value::MakeObject({{"checkpoint", note}});
  });
}

Result<Value> ManagementApi::Impl::Login(Call& call) {
  VIGIL_ASSIGN_OR_RETURN(LoginRequest r, ParseLoginRequest(call.req.body));
  VIGIL_ASSIGN_OR_RETURN(vigil::identity::Session s,
                         device_.identity().Login(r.account, r.password, r.totp, call.source));
  return Value::MakeObject({{"session", s.id}, {"role", std::string(audit::RoleCode(s.role))}});
}

// A clinician who cannot give the second factor: identity opens a time-boxed session limited by
// the policy to its break-glass grants, audits it (BTG), alerts and queues it for review.
Result<Value> ManagementApi::Impl::BreakGlass(Call& call) {
  VIGIL_ASSIGN_OR_RETURN(BreakGlassRequest r, ParseBreakGlassRequest(call.req.body));
  VIGIL_ASSIGN_OR_RETURN(
      vigil::identity::Session s,
      device_.identity().OpenBreakGlass(r.account, r.password, r.reason, call.source));
  const int64_t seconds = (s.expires_ns - s.created_ns) / 1'000'000'000;
  return Value::MakeObject({{"session", s.id},
                            {"role", std::string(audit::RoleCode(s.role))},
                            {"break_glass", true},
                            {"expires_in_s", seconds}});
}

Result<Value> ManagementApi::Impl::Reviews() {
  Value list = Value::MakeArray();
  for (const vigil::identity::Review& r : device_.identity().PendingReviews()) {
    list.Push(Value::MakeObject({{"review", r.id},
                                 {"account", r.account},
                                 {"reason", r.reason},
                                 {"opened_unix_s", r.opened_unix_micros / 1'000'000}}));
  }
  return Value::MakeObject({{"pending", std::move(list)}});
}

Result<Value> ManagementApi::Impl::CreateAccount(Call& call) {
  VIGIL_ASSIGN_OR_RETURN(AccountRequest r, ParseAccountRequest(call.req.body));
  VIGIL_ASSIGN_OR_RETURN(std::optional<vigil::identity::Enrolment> enrolment,
                         device_.identity().CreateAccount(call.session.id, r.account, r.role,
                                                          r.password, /*with_totp=*/true));
  Value reply = Value::MakeObject({{"account", r.account}});
  // Every account made over the network gets a second factor, whatever its role. The enrolment
  // goes to the new user's authenticator once, over this mutually
  // authenticated channel; the pump keeps the secret sealed.
  if (enrolment) reply.Set("totp_uri", enrolment->provisioning_uri);
  return reply;
}

Status ManagementApi::Impl::Fresh(const Call& call, const vigil::net::CommandTag& tag) {
  Status fresh = replay_.Accept(call.session.id, tag);
  if (fresh) return fresh;
  audit::Event e;
  e.device_id = device_.device_id();
  e.actor_id = call.session.account;
  e.actor_role = call.session.role;
  e.action = audit::Action::kIntegrityViolation;
  e.outcome = audit::Outcome::kSeriousFailure;
  e.purpose = audit::Purpose::kSecurity;
  e.reason = "replayed command refused";
  e.interface = audit::Interface::kNetwork;
  e.source = call.source;
  e.object_ids = {call.req.path};
  (void)audit_.Record(std::move(e));  // a failure is reported by the sink
  faults_.Raise("api",
                fresh.error().message() + " (" + call.req.path + " from " + call.source + ")");
  return fresh;
}

// A privileged action is recorded before it happens. When the log cannot record it, the fault
// policy (security_faults.h) decides as for an audit fault: an infusion's start or change goes on,
// alerted as unrecorded (essential performance); the others do not happen (fail closed).
Status ManagementApi::Impl::RecordedFirst(Status recorded, PrivilegedAction action) {
  if (recorded || FaultDenies("audit", action)) return recorded;
  faults_.Raise("therapy", std::string(ActionName(action)) +
                               " not recorded in the audit log: " + recorded.error().message());
  return vigil::OkStatus();
}

Result<Value> ManagementApi::Impl::StartTherapy(Call& call) {
  VIGIL_ASSIGN_OR_RETURN(ProgramCommand c, ParseProgramCommand(call.req.body));
  VIGIL_RETURN_IF_ERROR(Fresh(call, c.tag));
  VIGIL_RETURN_IF_ERROR(
      RecordedFirst(Audit(audit::Action::kTherapyStart, call, {c.program.drug_id}),
                    PrivilegedAction::kInfusionStart));
  VIGIL_RETURN_IF_ERROR(therapy_.Start(c.program));
  KeepTherapyRecord(call, c);
  return StatusJson(therapy_.Status(), faults_.AlertsAfter(0).size());
}

Result<Value> ManagementApi::Impl::ChangeTherapy(Call& call) {
  VIGIL_ASSIGN_OR_RETURN(ProgramCommand c, ParseProgramCommand(call.req.body));
  VIGIL_RETURN_IF_ERROR(Fresh(call, c.tag));
  VIGIL_RETURN_IF_ERROR(
      RecordedFirst(Audit(audit::Action::kConfigChange, call, {c.program.drug_id}),
                    PrivilegedAction::kInfusionChange));
  VIGIL_RETURN_IF_ERROR(therapy_.Change(c.program));
  return StatusJson(therapy_.Status(), faults_.AlertsAfter(0).size());
}

// The new library is checked (form, limits, a higher version), installed, then sealed under
// this pump's library key and written where the pump loads it at boot. The two files are
// replaced one after the other: a power cut between them leaves a tag that does not match,
// which the next boot refuses (no library, therapy cannot start) rather than trusting it.
Result<Value> ManagementApi::Impl::UpdateLibrary(Call& call) {
  VIGIL_ASSIGN_OR_RETURN(LibraryCommand c, ParseLibraryCommand(call.req.body));
  VIGIL_RETURN_IF_ERROR(Fresh(call, c.tag));
  VIGIL_ASSIGN_OR_RETURN(DrugLibrary library,
                         DrugLibrary::Parse(c.library, "request body: $.library"));
  const uint64_t version = library.version();
  VIGIL_RETURN_IF_ERROR(RecordedFirst(Audit(audit::Action::kConfigChange, call,
                                            {"drug-library", "version:" + std::to_string(version)}),
                                      PrivilegedAction::kDrugLibraryInstall));
  VIGIL_RETURN_IF_ERROR(therapy_.InstallLibrary(std::move(library)));
  VIGIL_ASSIGN_OR_RETURN(vigil::crypto::SecretBytes key, device_.LibraryKey());
  VIGIL_ASSIGN_OR_RETURN(std::string tag, DrugLibrary::Seal(key, vigil::AsBytes(c.library)));
  vigil::Env& env = device_.env();
  VIGIL_RETURN_IF_ERROR(env.WriteFileAtomic(options_.library_path, vigil::AsBytes(c.library)));
  VIGIL_RETURN_IF_ERROR(
      env.WriteFileAtomic(options_.library_path + ".mac", vigil::AsBytes(tag + "\n")));
  return Value::MakeObject({{"library_version", version}});
}

// Pause, stop and resume act first and are audited after: making the pump safe never waits for
// the audit log (a failure to record raises a fault instead).
Result<Value> ManagementApi::Impl::SafetyAction(Call& call, Status (TherapyController::*action)(),
                                                audit::Action recorded_as) {
  VIGIL_RETURN_IF_ERROR((therapy_.*action)());
  (void)Audit(recorded_as, call, {std::string(StateName(therapy_.Status().state))});
  return StatusJson(therapy_.Status(), faults_.AlertsAfter(0).size());
}

// A jump of the wall clock stays a fault, refusing software updates (TUF expiry is judged on the
// wall clock), until someone who checked the time says the clock is right now. The
// acknowledgement is a security decision: recorded first, refused when it cannot be attributed.
Result<Value> ManagementApi::Impl::AcknowledgeClock(Call& call) {
  VIGIL_ASSIGN_OR_RETURN(vigil::net::CommandTag tag, ParseTagOnlyCommand(call.req.body));
  VIGIL_RETURN_IF_ERROR(Fresh(call, tag));
  const std::map<std::string, std::string> active = faults_.Active();
  const auto clock = active.find("clock");
  if (clock == active.end()) {
    return vigil::FailedPreconditionError("no clock fault to acknowledge");
  }
  VIGIL_RETURN_IF_ERROR(Audit(audit::Action::kTimeChange, call, {"clock", "acknowledged"}));
  faults_.Clear("clock");
  return Value::MakeObject({{"acknowledged", clock->second}});
}

Result<Value> ManagementApi::Impl::Alerts() {
  Value list = Value::MakeArray();
  for (const Alert& a : faults_.AlertsAfter(0)) {
    list.Push(Value::MakeObject(
        {{"sequence", a.sequence}, {"component", a.component}, {"message", a.message}}));
  }
  Value active = Value::MakeObject();
  for (const auto& [component, detail] : faults_.Active()) active.Set(component, detail);
  return Value::MakeObject({{"alerts", std::move(list)}, {"faults", std::move(active)}});
}

// After the start: an infusion never waits for, nor fails on, its record (a vault that cannot
// keep it raises a fault instead).
void ManagementApi::Impl::KeepTherapyRecord(const Call& call, const ProgramCommand& c) {
  const TherapyStatus s = therapy_.Status();
  Value record = Value::MakeObject({{"drug_id", s.drug_id},
                                    {"rate_ul_h", s.rate_ul_h},
                                    {"volume_ul", s.volume_ul},
                                    {"clinician", call.session.account},
                                    {"patient", c.patient}});
  Status kept = device_.vault().Put(kTherapyTable, kTherapyRecordId,
                                    vigil::AsBytes(vigil::json::Write(record)));
  if (!kept) faults_.Raise("vault", "therapy record not kept: " + kept.error().message());
}

// The delivery loop's timing: its period and the lateness of its wake-ups, over the run or,
// with ?since=MARK (an earlier answer's "wakeups"), over the window after that mark.
Result<Value> ManagementApi::Impl::Loop(const Call& call) {
  uint64_t mark = 0;
  if (call.req.has_param("since")) {
    const std::string since = call.req.get_param_value("since");
    const bool ok =
        !since.empty() && since.size() <= 19 &&
        std::all_of(since.begin(), since.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!ok) return vigil::InvalidArgumentError("query: since: expected a wake-up count (digits)");
    mark = std::stoull(since);
  }
  const JitterStats j =
      call.req.has_param("since") ? therapy_.JitterSince(mark) : therapy_.Jitter();
  return Value::MakeObject({{"period_us", static_cast<int64_t>(therapy_.period().count())},
                            {"wakeups", j.wakeups},
                            {"ticks", j.ticks},
                            {"late_ticks", j.late_ticks},
                            {"p50_us", j.p50_us},
                            {"p99_us", j.p99_us},
                            {"max_us", j.max_us}});
}

Result<Value> ManagementApi::Impl::TherapyRecord() {
  VIGIL_ASSIGN_OR_RETURN(vigil::vault::Record record,
                         device_.vault().Get(kTherapyTable, kTherapyRecordId));
  Result<Value> doc = vigil::json::Parse(vigil::AsStringView(record.plaintext), "therapy record");
  vigil::crypto::SecureZero(record.plaintext);
  return doc;
}

// Refused while an infusion is under way (a pump is decommissioned idle, never mid-therapy);
// requests stop being served before the erase begins.
Result<Value> ManagementApi::Impl::Decommission(Call& call) {
  VIGIL_ASSIGN_OR_RETURN(DecommissionCommand c, ParseDecommissionCommand(call.req.body));
  if (c.device_id != device_.device_id()) {
    return vigil::InvalidArgumentError("request body: $.device_id: expected \"" +
                                       device_.device_id() + "\", the pump addressed");
  }
  VIGIL_RETURN_IF_ERROR(Fresh(call, c.tag));
  const InfusionState state = therapy_.Status().state;
  if (state == InfusionState::kRunning || state == InfusionState::kPaused ||
      state == InfusionState::kOccluded) {
    return vigil::FailedPreconditionError(std::string("decommission: the infusion is ") +
                                          StateName(state) + "; stop it first");
  }
  if (decommissioned_.exchange(true)) {
    return vigil::FailedPreconditionError("decommission: already done");
  }
  VIGIL_ASSIGN_OR_RETURN(
      std::string checkpoint,
      device_.Decommission(call.session.account, call.session.role, call.source));
  faults_.Raise("device", "decommissioned by " + call.session.account);
  Value erased = Value::MakeArray();
  for (const char* what : {"vault", "identity", "device-key"}) erased.Push(what);
  return Value::MakeObject(
      {{"decommissioned", device_.device_id()}, {"erased", erased}, {"checkpoint", checkpoint}});
}

namespace {

Value SlotJson(const std::string& slot, const vigil::update::SlotRecord& r) {
  return Value::MakeObject({{"slot", slot},
                            {"target", r.target},
                            {"release", r.release},
                            {"security_version", r.security_version},
                            {"status", std::string(vigil::update::SlotStatusName(r.status))}});
}

vigil::Status UpdatesConfigured(const UpdateAgent* updates) {
  if (updates != nullptr) return vigil::OkStatus();
  return vigil::FailedPreconditionError(
      "software updates: this pump does not run from A/B slots (start it with pumpd run)");
}

}  // namespace

// The release is installed before the answer (the infusion, on its own thread, goes on); its
// activation follows the agent's policy and shows in GET /api/v1/update.
Result<Value> ManagementApi::Impl::InstallUpdate(Call& call) {
  VIGIL_ASSIGN_OR_RETURN(UpdateCommand c, ParseUpdateCommand(call.req.body));
  VIGIL_RETURN_IF_ERROR(Fresh(call, c.tag));
  VIGIL_RETURN_IF_ERROR(UpdatesConfigured(options_.updates));
  UpdateActor actor{call.session.account, call.session.role, call.source,
                    audit::Interface::kNetwork};
  VIGIL_ASSIGN_OR_RETURN(vigil::update::SlotRecord record,
                         options_.updates->Install(c.target, actor));
  const UpdateSnapshot u = options_.updates->Snapshot();
  return Value::MakeObject(
      {{"installed", SlotJson(u.pending_slot.value_or(""), record)}, {"activation", u.activation}});
}

Result<Value> ManagementApi::Impl::UpdateStatus() {
  VIGIL_RETURN_IF_ERROR(UpdatesConfigured(options_.updates));
  const UpdateSnapshot u = options_.updates->Snapshot();
  Value reply = Value::MakeObject({{"running", SlotJson(u.running_slot, u.running)},
                                   {"trial", u.trial},
                                   {"anti_rollback_counter", u.counter},
                                   {"activation", u.activation},
                                   {"last", u.last}});
  reply.Set("pending", u.pending_slot ? SlotJson(*u.pending_slot, u.pending) : Value());
  reply.Set("policy",
            "a new release is installed while therapy runs and activated (the pump restarts into "
            "it for a trial boot) only when no infusion is under way");
  return reply;
}

ManagementApi::ManagementApi(Device& device, vigil::audit::EventSink& audit,
                             TherapyController& therapy, SecurityFaults& faults,
                             vigil::access::AccessControl& access, ApiOptions options)
    : impl_(std::make_unique<Impl>(device, audit, therapy, faults, access, std::move(options))) {}

ManagementApi::~ManagementApi() = default;

Result<int> ManagementApi::Start() { return impl_->Start(); }
void ManagementApi::Stop() { impl_->Stop(); }

}  // namespace pump
