// The fleet server's routes (server.h): the route table the OpenAPI document is checked against,
// admission (device certificate or token, rate limits, the access policy), the handlers over the
// fleet and triage libraries, and the audit of every change and refusal.
#include <algorithm>

#include "internal/server_impl.h"
#include "vigil/core/encoding.h"
#include "vigil/fleet/checkin.h"
#include "vigil/fleet/exposure.h"
#include "vigil/fleet/views.h"
#include "vigil/identity/device_cert.h"
#include "vigil/net/peer_certificate.h"
#include "vigil/server/api_requests.h"
#include "vigil/server/operator_tokens.h"
#include "vigil/triage/views.h"

namespace vigil::server {

std::string Identifier(std::string_view text) {
  std::string out(text.substr(0, 128));
  for (char& c : out) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == ':' || c == '@' || c == '/' || c == '-';
    if (!ok) c = '_';
  }
  return out.empty() ? "_" : out;
}

namespace {

using audit::Action;
using audit::Outcome;
using fleet::JsonList;
using Impl = Server::Impl;
using Handler = Result<Reply> (*)(Impl&, Call&);

std::string Param(const Call& call, const char* key) { return call.req.get_param_value(key); }
std::string PathPart(const Call& call, size_t i) { return call.req.matches[i].str(); }

// ---- handlers (called with the fleet's mutex held, but for the check-in's batch) ----

Result<Reply> OpenApi(Impl&, Call&) {
  VIGIL_ASSIGN_OR_RETURN(json::Value doc, json::Parse(OpenApiDocument(), "openapi.json"));
  return Reply{200, std::move(doc), {}};
}

Result<Reply> ListProducts(Impl& s, Call&) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::Product> all, s.fleet->Products());
  return Reply{200, JsonList(all, fleet::ProductJson), {}};
}

Result<Reply> CreateProduct(Impl& s, Call& call) {
  VIGIL_ASSIGN_OR_RETURN(fleet::Product p,
                         ParseProductRequest(call.req.body, "POST /api/v1/products"));
  VIGIL_ASSIGN_OR_RETURN(p, s.fleet->AddProduct(std::move(p)));
  return Reply{201, fleet::ProductJson(p), {"product:" + p.name}};
}

Result<Reply> ShowProduct(Impl& s, Call& call) {
  const std::string name = PathPart(call, 1);
  VIGIL_ASSIGN_OR_RETURN(std::optional<fleet::Product> p, s.fleet->FindProduct(name));
  if (!p) return NotFoundError("no product '" + OneLine(name) + "'");
  VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::Release> releases, s.fleet->Releases(name));
  json::Value v = fleet::ProductJson(*p);
  v.Set("releases", JsonList(releases, fleet::ReleaseJson));
  return Reply{200, std::move(v), {}};
}

Result<Reply> ListReleases(Impl& s, Call& call) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::Release> all,
                         s.fleet->Releases(Param(call, "product")));
  return Reply{200, JsonList(all, fleet::ReleaseJson), {}};
}

Result<Reply> CreateRelease(Impl& s, Call& call) {
  VIGIL_ASSIGN_OR_RETURN(fleet::Release r,
                         ParseReleaseRequest(call.req.body, "POST /api/v1/releases"));
  VIGIL_ASSIGN_OR_RETURN(r, s.fleet->AddRelease(std::move(r)));
  return Reply{201, fleet::ReleaseJson(r), {"product:" + r.product, "release:" + r.version}};
}

Result<Reply> ShowRelease(Impl& s, Call& call) {
  const std::string product = PathPart(call, 1), version = PathPart(call, 2);
  VIGIL_ASSIGN_OR_RETURN(std::optional<fleet::Release> r, s.fleet->FindRelease(product, version));
  if (!r) {
    return NotFoundError("no release '" + OneLine(version) + "' of '" + OneLine(product) + "'");
  }
  VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::DeviceCount> counts,
                         s.fleet->CountDevices({product, version, ""}));
  json::Value v = fleet::ReleaseJson(*r);
  json::Value sites = json::Value::MakeObject();
  for (const fleet::DeviceCount& c : counts) sites.Set(c.site, c.devices);
  v.Set("devices_by_site", std::move(sites));
  return Reply{200, std::move(v), {}};
}

Result<Reply> ListDevices(Impl& s, Call& call) {
  VIGIL_ASSIGN_OR_RETURN(
      std::vector<fleet::Device> all,
      s.fleet->Devices({Param(call, "product"), Param(call, "release"), Param(call, "site")}));
  return Reply{200, JsonList(all, fleet::DeviceJson), {}};
}

Result<Reply> CreateDevice(Impl& s, Call& call) {
  VIGIL_ASSIGN_OR_RETURN(fleet::Device d,
                         ParseDeviceRequest(call.req.body, "POST /api/v1/devices"));
  VIGIL_ASSIGN_OR_RETURN(d, s.fleet->AddDevice(std::move(d)));
  return Reply{201, fleet::DeviceJson(d), {"device:" + d.serial}};
}

Result<Reply> ShowDevice(Impl& s, Call& call) {
  const std::string serial = PathPart(call, 1);
  VIGIL_ASSIGN_OR_RETURN(std::optional<fleet::Device> d, s.fleet->FindDevice(serial));
  if (!d) return NotFoundError("no device '" + OneLine(serial) + "'");
  VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::Alert> alerts, s.fleet->Alerts(serial));
  json::Value v = fleet::DeviceJson(*d);
  v.Set("alerts", JsonList(alerts, fleet::AlertJson));
  return Reply{200, std::move(v), {}};
}

// Deregisters a device. Its certificates verified lately are forgotten in the same hold of the
// fleet's mutex, so its very next check-in is refused (KeepRegistered).
Result<Reply> RemoveDevice(Impl& s, Call& call) {
  VIGIL_ASSIGN_OR_RETURN(fleet::Device d, s.fleet->RemoveDevice(PathPart(call, 1)));
  s.verified.Forget(d.serial);
  return Reply{200, fleet::DeviceJson(d), {"device:" + d.serial}};
}

Result<Reply> ListAlerts(Impl& s, Call& call) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::Alert> all, s.fleet->Alerts(Param(call, "device")));
  return Reply{200, JsonList(all, fleet::AlertJson), {}};
}

Status NeedRegister(const Impl& s) {
  if (s.reg) return OkStatus();
  return FailedPreconditionError("no triage register: start vigil serve with --register");
}

Result<Reply> GetExposure(Impl& s, Call& call) {
  VIGIL_RETURN_IF_ERROR(NeedRegister(s));
  VIGIL_ASSIGN_OR_RETURN(
      fleet::Exposure e,
      fleet::ComputeExposure(*s.fleet, *s.reg,
                             {Param(call, "cve"), Param(call, "site"), Param(call, "as_of")}));
  return Reply{200, fleet::ExposureJson(e), {}};
}

Result<Reply> Decide(Impl& s, Call& call) {
  VIGIL_RETURN_IF_ERROR(NeedRegister(s));
  VIGIL_ASSIGN_OR_RETURN(DecisionRequest d,
                         ParseDecisionRequest(call.req.body, "POST /api/v1/triage/decisions"));
  d.decision.actor = call.token->name;
  VIGIL_ASSIGN_OR_RETURN(triage::Record r, s.reg->Set(d.key, d.release, d.decision));
  return Reply{200,
               triage::RecordJson(r),
               {"finding:" + r.key.vulnerability, "component:" + r.key.component,
                "product:" + r.key.product}};
}

Error NotRegistered(std::string_view serial) {
  return PermissionDeniedError("the client certificate is device '" + OneLine(serial) +
                               "', which is not registered");
}

Result<Reply> Checkin(Impl& s, Call& call) {
  const std::string serial = PathPart(call, 1);
  if (serial != call.device.serial) {
    return PermissionDeniedError("the client certificate is device '" +
                                 OneLine(call.device.serial) + "', not '" + OneLine(serial) + "'");
  }
  const std::string source = "POST /api/v1/devices/" + serial + "/checkin";
  auto report = fleet::ParseCheckin(call.req.body, source);
  if (!report) {  // too many proof hashes is bad input here, not a rate limit
    return InvalidArgumentError(report.error().message());
  }
  // The signature is verified here, on this thread, before the batch takes the fleet's lock.
  fleet::OpenReportedCheckpoint(*report, call.device.log_key, *call.device.key);
  Result<fleet::CheckinResult> r = s.checkins->Checkin({serial, std::move(*report)});
  if (!r && r.error().code() == ErrorCode::kNotFound) {  // removed by another process
    s.verified.Forget(serial);
    return NotRegistered(serial);
  }
  if (!r) return r.error();
  std::vector<std::string> kinds;
  for (const fleet::Alert& a : r->alerts) kinds.push_back("alert:" + a.kind);
  return Reply{200, fleet::CheckinResultJson(serial, *r), std::move(kinds)};
}

struct Route {
  RouteInfo info;
  Handler handler;
};

// The API. Paths are OpenAPI templates; openapi.json describes exactly these (server_test.cc).
const Route kRoutes[] = {
    {{"get", "/api/v1/openapi.json", "", false}, OpenApi},
    {{"get", "/api/v1/products", "fleet.read", false}, ListProducts},
    {{"post", "/api/v1/products", "fleet.manage", false}, CreateProduct},
    {{"get", "/api/v1/products/{name}", "fleet.read", false}, ShowProduct},
    {{"get", "/api/v1/products/{product}/releases/{version}", "fleet.read", false}, ShowRelease},
    {{"get", "/api/v1/releases", "fleet.read", false}, ListReleases},
    {{"post", "/api/v1/releases", "fleet.manage", false}, CreateRelease},
    {{"get", "/api/v1/devices", "fleet.read", false}, ListDevices},
    {{"post", "/api/v1/devices", "fleet.manage", false}, CreateDevice},
    {{"get", "/api/v1/devices/{serial}", "fleet.read", false}, ShowDevice},
    {{"delete", "/api/v1/devices/{serial}", "fleet.manage", false}, RemoveDevice},
    {{"get", "/api/v1/alerts", "fleet.read", false}, ListAlerts},
    {{"get", "/api/v1/exposure", "fleet.exposure", false}, GetExposure},
    {{"post", "/api/v1/triage/decisions", "triage.decide", false}, Decide},
    {{"post", "/api/v1/devices/{serial}/checkin", "", true}, Checkin},
};

// "/api/v1/devices/{serial}" → "/api/v1/devices/([^/]+)" (httplib matches the whole path).
std::string PathRegex(std::string_view path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      i = path.find('}', i);
      out += "([^/]+)";
    } else if (path[i] == '.') {
      out += "\\.";
    } else {
      out += path[i];
    }
  }
  return out;
}

// ---- admission ----

Status Limit(Impl& s, const std::string& key, httplib::Response& res) {
  const int64_t wait = s.limiter->RetryAfter(key, s.env->NowMonotonicNanos());
  if (wait == 0) return OkStatus();
  res.set_header("Retry-After", std::to_string(wait));
  return ResourceExhaustedError("rate limit: too many requests from " + key + "; retry in " +
                                std::to_string(wait) + " s");
}

Result<fleet::OperatorToken> Authorize(Impl& s, std::string_view permission, const Call& call,
                                       httplib::Response& res) {
  const std::string header = call.req.get_header_value("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  Result<fleet::OperatorToken> token =
      UnauthenticatedError("missing \"Authorization: Bearer <token>\" (vigil serve token add)");
  if (header.starts_with(kBearer)) {
    std::lock_guard lock(s.mu);
    token = Authenticate(*s.fleet, std::string_view(header).substr(kBearer.size()));
  }
  if (!token) {
    res.set_header("WWW-Authenticate", "Bearer");
    VIGIL_RETURN_IF_ERROR(s.Audit(Action::kLogin, Outcome::kMinorFailure, "", audit::Role::kNone,
                                  call, {}, token.error().message()));
    return token.error();
  }
  VIGIL_RETURN_IF_ERROR(Limit(s, "token " + token->name, res));
  const audit::Role role = RoleOf(token->role);
  if (!s.policy->Allows(role, permission)) {
    VIGIL_RETURN_IF_ERROR(s.Audit(Action::kAccessDecision, Outcome::kMinorFailure, token->name,
                                  role, call, {std::string(permission)}, "denied by the policy"));
    return PermissionDeniedError(std::string(permission) + ": denied to token '" + token->name +
                                 "' (role " + token->role + ")");
  }
  return token;
}

// The registered device `serial` and its log key, looked up under the fleet's mutex and kept
// for the certificate in that same hold: a deregistration (under the mutex too) either comes
// first and the device is refused, or comes after and forgets what was kept.
Result<VerifiedDevice> KeepRegistered(Impl& s, const std::string& serial,
                                      const std::string& fingerprint, int64_t now,
                                      int64_t not_after) {
  std::lock_guard lock(s.mu);
  VIGIL_ASSIGN_OR_RETURN(std::optional<fleet::Device> known, s.fleet->FindDevice(serial));
  if (!known) return NotRegistered(serial);
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<audit::NoteVerifier> key,
                         audit::NoteVerifier::Parse(known->log_key));
  VerifiedDevice device{serial, known->log_key, std::move(key)};
  if (!fingerprint.empty()) s.verified.Keep(fingerprint, device, now, not_after);
  return device;
}

// The device a check-in comes from: the subject of its client certificate (verified at the
// handshake against the manufacturer CA), checked again as a device certificate by identity
// and looked up in the fleet once per certificate and 5 minutes (internal/verified_devices.h).
Result<VerifiedDevice> CertifiedDevice(Impl& s, const httplib::Request& req) {
  VIGIL_ASSIGN_OR_RETURN(net::PeerCertificate cert, net::PeerCertificate::Read(req.ssl));
  const int64_t now = s.env->NowUnixMicros() / 1000000;
  const std::string fingerprint = cert.Sha256();
  if (std::optional<VerifiedDevice> known = s.verified.Find(fingerprint, now)) return *known;
  const std::string serial = cert.CommonName();
  if (serial.empty()) return UnauthenticatedError("the client certificate names no device (no CN)");
  VIGIL_ASSIGN_OR_RETURN(std::string pem, cert.Pem());
  VIGIL_RETURN_IF_ERROR(identity::VerifyDeviceCertificate(pem, s.ca_pem, serial, now));
  return KeepRegistered(s, serial, fingerprint, now, cert.NotAfter());
}

Status AuditReply(Impl& s, const Route& r, const Call& call, const Reply& reply) {
  if (reply.changed.empty()) return OkStatus();
  std::vector<std::string> objects;
  for (const std::string& id : reply.changed) objects.push_back(Identifier(id));
  if (r.info.device_listener) {  // a check-in: only what raised alerts is a security event
    return s.Audit(Action::kIntegrityViolation, Outcome::kSeriousFailure,
                   Identifier(call.device.serial), audit::Role::kSystem, call, std::move(objects),
                   "device check-in raised alerts");
  }
  std::string method(r.info.method);
  for (char& c : method) c = static_cast<char>(c - 'a' + 'A');
  return s.Audit(Action::kConfigChange, Outcome::kSuccess, call.token->name,
                 RoleOf(call.token->role), call, std::move(objects),
                 method + " " + std::string(r.info.path));
}

Result<Reply> Admit(Impl& s, const Route& r, Call& call, httplib::Response& res) {
  if (r.info.device_listener) {
    VIGIL_ASSIGN_OR_RETURN(call.device, CertifiedDevice(s, call.req));
    VIGIL_RETURN_IF_ERROR(Limit(s, "device " + call.device.serial, res));
  } else if (!r.info.permission.empty()) {
    VIGIL_ASSIGN_OR_RETURN(call.token, Authorize(s, r.info.permission, call, res));
  }
  // A check-in takes the fleet's mutex in its batch (group commit, checkin_batcher.h).
  Result<Reply> reply = r.info.device_listener ? r.handler(s, call) : [&] {
    std::lock_guard lock(s.mu);
    return r.handler(s, call);
  }();
  if (!reply) return reply;
  VIGIL_RETURN_IF_ERROR(AuditReply(s, r, call, *reply));
  return reply;
}

void Serve(Impl& s, const Route& r, const httplib::Request& req, httplib::Response& res) {
  Call call{req, Identifier(req.remote_addr), {}, {}};
  Result<Reply> reply = Admit(s, r, call, res);
  if (!reply) return SendError(res, reply.error());
  res.status = reply->status;
  res.set_content(json::Write(reply->body) + "\n", "application/json");
}

// Every error answer is one line of JSON, httplib's own (404, 413, 400) included.
void Answers(Impl& s, httplib::SSLServer& server) {
  server.set_pre_routing_handler([&s](const httplib::Request& req, httplib::Response& res) {
    Status ok = Limit(s, "address " + req.remote_addr, res);
    if (ok) return httplib::Server::HandlerResponse::Unhandled;
    SendError(res, ok.error());
    return httplib::Server::HandlerResponse::Handled;
  });
  const size_t limit =
      &server == s.devices.get() ? fleet::kMaxCheckinBytes : s.options.max_body_bytes;
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [limit](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        std::string message = "HTTP " + std::to_string(res.status);
        if (res.status == 404) {
          message = "no route " + OneLine(req.method) + " " + OneLine(req.path.substr(0, 200));
        } else if (res.status == 413) {
          message = "request body over the limit of " + std::to_string(limit) + " bytes";
        } else if (res.status == 400) {
          message = "malformed HTTP request";
        }
        res.set_content(json::Write(json::Value::MakeObject({{"error", message}})) + "\n",
                        "application/json");
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        SendError(res, InternalError("internal error"));
      });
}

}  // namespace

std::span<const RouteInfo> ApiRoutes() {
  static const std::vector<RouteInfo> infos = [] {
    std::vector<RouteInfo> out;
    for (const Route& r : kRoutes) out.push_back(r.info);
    return out;
  }();
  return infos;
}

void Server::Impl::Routes() {
  for (httplib::SSLServer* server : {operators.get(), devices.get()}) {
    if (server != nullptr) Answers(*this, *server);
  }
  for (const Route& r : kRoutes) {
    httplib::SSLServer* server = r.info.device_listener ? devices.get() : operators.get();
    if (server == nullptr) continue;
    const Route* route = &r;
    auto serve = [this, route](const httplib::Request& req, httplib::Response& res) {
      Serve(*this, *route, req, res);
    };
    const std::string pattern = PathRegex(r.info.path);
    if (r.info.method == "get") {
      server->Get(pattern, serve);
    } else if (r.info.method == "delete") {
      server->Delete(pattern, serve);
    } else {
      server->Post(pattern, serve);
    }
  }
}

}  // namespace vigil::server
