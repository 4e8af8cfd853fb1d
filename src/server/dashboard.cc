// The dashboard's routes on the operator listener (server.h): login with a token into a session
// cookie, logout, the pages, and the triage decision form.
//
// Every page but /login needs a live session whose token is still valid (checked again on every
// request, so revoking the token ends its sessions) and the page's permission in the access policy
// (deny by default); without a session the answer is a redirect to /login. Every POST must come
// from this origin (the Origin header, and Sec-Fetch-Site when the browser sends it) and, once
// logged in, carry the session's CSRF token; the cookie is also SameSite=Strict. Pages forbid
// every script and frame by their Content-Security-Policy. Logins, logouts, refusals and decisions
// are audited; a decision or login whose audit fails is an error, a refusal stays a refusal.
#include <httplib.h>

#include "internal/dashboard_pages.h"
#include "internal/dashboard_sessions.h"
#include "internal/dashboard_views.h"
#include "internal/html.h"
#include "internal/server_impl.h"
#include "vigil/core/dates.h"
#include "vigil/core/encoding.h"
#include "vigil/crypto/secret_bytes.h"
#include "vigil/server/api_requests.h"
#include "vigil/server/operator_tokens.h"

namespace vigil::server {
namespace {

using audit::Action;
using audit::Outcome;
using Impl = Server::Impl;

constexpr std::string_view kCookie = "vigil_session";

// Who is asking, once the session, the token and the permission are checked.
struct Visit {
  std::string session_id;
  Session session;
  fleet::OperatorToken token;
  Viewer viewer;
};

void SendHtml(httplib::Response& res, int status, const std::string& html) {
  res.status = status;
  res.set_header("Content-Security-Policy", std::string(kContentSecurityPolicy));
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "same-origin");
  res.set_header("Cache-Control", "no-store");
  res.set_content(html, "text/html; charset=utf-8");
}

void Redirect(httplib::Response& res, const std::string& to) {
  res.status = 303;
  res.set_header("Location", to);
  res.set_header("Cache-Control", "no-store");
}

int StatusOf(const Error& e) { return HttpStatus(e.code()); }

// A POST from this origin: the browser's Origin must be https://<Host>, and Sec-Fetch-Site, when
// sent, same-origin. Refuses what a page elsewhere could make a browser send.
Status SameOrigin(const httplib::Request& req) {
  const std::string origin = req.get_header_value("Origin");
  const std::string host = req.get_header_value("Host");
  if (host.empty() || origin != "https://" + host) {
    return PermissionDeniedError("cross-origin form refused (Origin '" + OneLine(origin) +
                                 "' is not this server)");
  }
  const std::string site = req.get_header_value("Sec-Fetch-Site");
  if (!site.empty() && site != "same-origin") {
    return PermissionDeniedError("cross-site form refused (Sec-Fetch-Site " + OneLine(site) + ")");
  }
  return OkStatus();
}

Status CheckCsrf(const httplib::Request& req, const Session& session) {
  VIGIL_RETURN_IF_ERROR(SameOrigin(req));
  const std::string sent = req.get_param_value("csrf");
  if (sent.empty() || !crypto::ConstantTimeEquals(AsBytes(sent), AsBytes(session.csrf))) {
    return PermissionDeniedError("the form's CSRF token does not match the session");
  }
  return OkStatus();
}

Call CallOf(const httplib::Request& req) { return Call{req, Identifier(req.remote_addr), {}, {}}; }

// The session of the request's cookie with its token still valid, and the token's role allowed
// `permission`; nullopt (after answering) when not.
std::optional<Visit> Admit(Impl& s, std::string_view permission, const httplib::Request& req,
                           httplib::Response& res) {
  Visit v;
  v.session_id = CookieValue(req.get_header_value("Cookie"), kCookie);
  std::optional<Session> session = s.sessions->Find(v.session_id);
  std::optional<fleet::OperatorToken> token;
  if (session) {
    std::lock_guard lock(s.mu);
    auto found = s.fleet->FindOperatorToken(session->token_hash);
    if (found && *found && (*found)->revoked.empty()) token = **found;
  }
  if (!token) {
    if (session) s.sessions->Remove(v.session_id);
    Redirect(res, "/login");
    return std::nullopt;
  }
  v.session = std::move(*session);
  v.token = std::move(*token);
  const audit::Role role = RoleOf(v.token.role);
  v.viewer = {v.token.name, v.token.role, v.session.csrf, s.policy->Allows(role, "triage.decide")};
  if (!s.policy->Allows(role, permission)) {
    (void)s.Audit(Action::kAccessDecision, Outcome::kMinorFailure, v.token.name, role, CallOf(req),
                  {std::string(permission)}, "dashboard: denied by the policy");
    SendHtml(
        res, 403,
        ErrorPage(&v.viewer, 403, std::string(permission) + ": denied to role " + v.token.role));
    return std::nullopt;
  }
  return v;
}

using PageFn = Result<std::string> (*)(Impl&, const Visit&, const httplib::Request&);

// A page's route: admission, then the page built under the databases' mutex.
void Page(Impl& s, httplib::SSLServer& server, const std::string& path, std::string_view permission,
          PageFn fn) {
  server.Get(path, [&s, permission, fn](const httplib::Request& req, httplib::Response& res) {
    std::optional<Visit> v = Admit(s, permission, req, res);
    if (!v) return;
    Result<std::string> html = [&]() -> Result<std::string> {
      std::lock_guard lock(s.mu);
      return fn(s, *v, req);
    }();
    if (!html)
      return SendHtml(res, StatusOf(html.error()),
                      ErrorPage(&v->viewer, StatusOf(html.error()), html.error().message()));
    SendHtml(res, 200, *html);
  });
}

Status NeedRegister(const Impl& s) {
  if (s.reg) return OkStatus();
  return FailedPreconditionError("no triage register: start vigil serve with --register");
}

int64_t Today(Impl& s) { return s.env->NowUnixMicros() / 1000000 / 86400; }

// ---- pages ----

Result<std::string> Portfolio(Impl& s, const Visit& v, const httplib::Request&) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<ProductSummary> products, LoadPortfolio(*s.fleet));
  constexpr int64_t kListed = 200;  // a fleet of a million devices is not one page
  VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::Device> devices, s.fleet->Devices({}, kListed));
  uint64_t total = 0;
  for (const ProductSummary& p : products) total += p.devices;
  return PortfolioPage(v.viewer, products, devices, total);
}

Result<std::string> Exposure(Impl& s, const Visit& v, const httplib::Request& req) {
  VIGIL_RETURN_IF_ERROR(NeedRegister(s));
  VIGIL_ASSIGN_OR_RETURN(ExposureView view,
                         LoadExposure(*s.fleet, *s.reg, req.get_param_value("site")));
  return ExposurePage(v.viewer, view);
}

triage::RecordKey KeyOf(const httplib::Request& req) {
  return {req.get_param_value("product"), req.get_param_value("vulnerability"),
          req.get_param_value("component")};
}

Result<std::string> Finding(Impl& s, const Visit& v, const httplib::Request& req) {
  VIGIL_RETURN_IF_ERROR(NeedRegister(s));
  VIGIL_ASSIGN_OR_RETURN(FindingView view, LoadFinding(*s.fleet, *s.reg, KeyOf(req)));
  const std::string notice = req.get_param_value("recorded").empty() ? "" : "Decision recorded.";
  return FindingPage(v.viewer, view, notice);
}

Result<std::string> Deadlines(Impl& s, const Visit& v, const httplib::Request&) {
  VIGIL_RETURN_IF_ERROR(NeedRegister(s));
  const int64_t today = Today(s);
  VIGIL_ASSIGN_OR_RETURN(std::vector<DeadlineClock> clocks, LoadDeadlines(*s.fleet, *s.reg, today));
  return DeadlinesPage(v.viewer, clocks, FormatDate(today));
}

Result<std::string> Metrics(Impl& s, const Visit& v, const httplib::Request&) {
  VIGIL_RETURN_IF_ERROR(NeedRegister(s));
  VIGIL_ASSIGN_OR_RETURN(std::vector<MonthlyMetrics> m,
                         LoadMetrics(*s.fleet, *s.reg, Today(s), 12));
  return MetricsPage(v.viewer, m);
}

Result<std::string> Device(Impl& s, const Visit& v, const httplib::Request& req) {
  VIGIL_ASSIGN_OR_RETURN(DeviceView view, LoadDevice(*s.fleet, req.get_param_value("serial")));
  return DevicePage(v.viewer, view);
}

// ---- forms ----

// The decision form as the API's decision body, so both go through one parser: each field only
// where its status uses it (a justification with "affected" would be refused).
std::string DecisionBody(const httplib::Request& req) {
  const std::string status = req.get_param_value("status");
  json::Value body =
      json::Value::MakeObject({{"status", status}, {"reason", req.get_param_value("reason")}});
  for (const char* key : {"product", "vulnerability", "component"}) {
    body.Set(key, req.get_param_value(key));
  }
  const std::pair<const char*, const char*> by_status[] = {
      {"not_affected", "justification"}, {"affected", "action"}, {"fixed", "fixed_in"}};
  for (auto [when, key] : by_status) {
    if (status == when) body.Set(key, req.get_param_value(key));
  }
  return json::Write(body);
}

Result<triage::Record> Decide(Impl& s, const Visit& v, const httplib::Request& req) {
  VIGIL_RETURN_IF_ERROR(NeedRegister(s));
  VIGIL_ASSIGN_OR_RETURN(DecisionRequest d, ParseDecisionRequest(DecisionBody(req), "triage form"));
  d.decision.actor = v.token.name;
  std::lock_guard lock(s.mu);
  return s.reg->Set(d.key, d.release, d.decision);
}

void PostDecision(Impl& s, const httplib::Request& req, httplib::Response& res) {
  std::optional<Visit> v = Admit(s, "triage.decide", req, res);
  if (!v) return;
  if (Status ok = CheckCsrf(req, v->session); !ok) {
    (void)s.Audit(Action::kAccessDecision, Outcome::kMinorFailure, v->token.name,
                  RoleOf(v->token.role), CallOf(req), {"triage.decide"},
                  "dashboard: form refused: " + ok.error().message());
    return SendHtml(res, 403, ErrorPage(&v->viewer, 403, ok.error().message()));
  }
  Result<triage::Record> r = Decide(s, *v, req);
  if (!r) {
    const int status = StatusOf(r.error());
    return SendHtml(res, status, ErrorPage(&v->viewer, status, r.error().message()));
  }
  Status audited = s.Audit(
      Action::kConfigChange, Outcome::kSuccess, v->token.name, RoleOf(v->token.role), CallOf(req),
      {Identifier("finding:" + r->key.vulnerability), Identifier("component:" + r->key.component),
       Identifier("product:" + r->key.product)},
      "dashboard: triage decision");
  if (!audited) return SendHtml(res, 500, ErrorPage(&v->viewer, 500, audited.error().message()));
  Redirect(res, "/finding?" + QueryString({{"product", r->key.product},
                                           {"vulnerability", r->key.vulnerability},
                                           {"component", r->key.component},
                                           {"recorded", "1"}}));
}

std::string SessionCookie(const std::string& id, int64_t max_age) {
  return std::string(kCookie) + "=" + id + "; Path=/; Max-Age=" + std::to_string(max_age) +
         "; HttpOnly; Secure; SameSite=Strict";
}

void PostLogin(Impl& s, const httplib::Request& req, httplib::Response& res) {
  if (Status ok = SameOrigin(req); !ok) {
    return SendHtml(res, 403, ErrorPage(nullptr, 403, ok.error().message()));
  }
  Result<fleet::OperatorToken> token = [&] {
    std::lock_guard lock(s.mu);
    return Authenticate(*s.fleet, req.get_param_value("token"));
  }();
  const Call call = CallOf(req);
  if (!token) {
    (void)s.Audit(Action::kLogin, Outcome::kMinorFailure, "", audit::Role::kNone, call, {},
                  "dashboard: " + token.error().message());
    return SendHtml(res, 401, LoginPage("That token is not valid (or was revoked)."));
  }
  Result<NewSession> session = s.sessions->Create(*token);
  if (!session) return SendHtml(res, 500, ErrorPage(nullptr, 500, session.error().message()));
  Status audited = s.Audit(Action::kLogin, Outcome::kSuccess, token->name, RoleOf(token->role),
                           call, {}, "dashboard session");
  if (!audited) return SendHtml(res, 500, ErrorPage(nullptr, 500, audited.error().message()));
  res.set_header("Set-Cookie",
                 SessionCookie(session->id, SessionStore::kAbsoluteNanos / 1000000000));
  Redirect(res, "/portfolio");
}

void PostLogout(Impl& s, const httplib::Request& req, httplib::Response& res) {
  const std::string id = CookieValue(req.get_header_value("Cookie"), kCookie);
  std::optional<Session> session = s.sessions->Find(id);
  if (session) {
    if (Status ok = CheckCsrf(req, *session); !ok) {
      return SendHtml(res, 403, ErrorPage(nullptr, 403, ok.error().message()));
    }
    s.sessions->Remove(id);
    (void)s.Audit(Action::kLogout, Outcome::kSuccess, session->token_name, audit::Role::kNone,
                  CallOf(req), {}, "dashboard session");
  }
  res.set_header("Set-Cookie", SessionCookie("", 0));
  Redirect(res, "/login");
}

}  // namespace

void RegisterDashboard(Server::Impl& s) {
  s.sessions = std::make_unique<SessionStore>(*s.env);
  httplib::SSLServer& server = *s.operators;
  server.Get("/",
             [](const httplib::Request&, httplib::Response& res) { Redirect(res, "/portfolio"); });
  server.Get("/dashboard.css", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_content(std::string(DashboardStylesheet()), "text/css; charset=utf-8");
  });
  server.Get("/login", [](const httplib::Request&, httplib::Response& res) {
    SendHtml(res, 200, LoginPage(""));
  });
  server.Post("/login", [&s](const httplib::Request& req, httplib::Response& res) {
    PostLogin(s, req, res);
  });
  server.Post("/logout", [&s](const httplib::Request& req, httplib::Response& res) {
    PostLogout(s, req, res);
  });
  server.Post("/finding", [&s](const httplib::Request& req, httplib::Response& res) {
    PostDecision(s, req, res);
  });
  Page(s, server, "/portfolio", "fleet.read", Portfolio);
  Page(s, server, "/exposure", "fleet.exposure", Exposure);
  Page(s, server, "/finding", "fleet.exposure", Finding);
  Page(s, server, "/deadlines", "fleet.exposure", Deadlines);
  Page(s, server, "/metrics", "fleet.exposure", Metrics);
  Page(s, server, "/device", "fleet.read", Device);
}

}  // namespace vigil::server
