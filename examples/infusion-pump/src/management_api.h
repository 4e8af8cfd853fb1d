// The pump's management API: JSON over HTTPS (cpp-httplib on OpenSSL) on a loopback or clinical
// network port.
//
// Transport: TLS 1.3 only, with the device certificate from provisioning; mutual TLS: a client
// must present a certificate chaining to the manufacturer CA the pump was given at the factory,
// or the handshake fails. Requests: a session from POST /api/v1/login (password, and TOTP for
// the privileged roles: identity), presented as "Authorization: Bearer <id>"; every request but
// login and TOTP confirmation is decided by the access policy (deny by default, each decision
// audited). Watching the therapy (status, alerts, loop) is monitor.therapy, which a break-glass
// session may be granted (the access module lets emergency sessions have therapy.start,
// therapy.stop and monitor.* only); the therapy record, which names the patient, is therapy.view.
// Critical commands carry a nonce and a counter bound to the session and are refused, audited
// (integrity.violation) and alerted when replayed (vigil/net/replay_guard.h). Bodies are read
// strictly (api_requests.h) before they reach identity or therapy.
//
// Budget: each client address has a token bucket (vigil/net/rate_limiter.h: 429 with Retry-After
// beyond it); at most `workers` connections are served at once and `queued` more wait, after
// which the accept loop itself waits (the kernel's backlog holds the rest); a connection idle for
// `read_timeout` is closed; bodies over 16 KiB are refused unread. The delivery loop shares none
// of this: a flood costs it CPU time only.
//
//   POST /api/v1/login            {account, password, totp?}        → {session, role}
//   POST /api/v1/logout
//   POST /api/v1/accounts/confirm {account, code}                   (a first TOTP code)
//   POST /api/v1/accounts         {account, role, password}          account.create (+ TOTP)
//   POST /api/v1/break-glass      {account, password, reason}       → {session, expires_in_s}
//   GET  /api/v1/break-glass/reviews                                 account.review
//   POST /api/v1/break-glass/reviews/close {review}                  account.review
//   GET  /api/v1/status                                              monitor.therapy
//   GET  /api/v1/alerts                                              monitor.therapy
//   GET  /api/v1/loop[?since=MARK]  the delivery loop's lateness     monitor.therapy
//   GET  /api/v1/therapy/record                                      therapy.view
//   POST /api/v1/therapy/start    ProgramCommand (nonce, counter)    therapy.start
//   POST /api/v1/therapy/change   ProgramCommand (nonce, counter)    therapy.configure
//   POST /api/v1/drug-library     LibraryCommand (nonce, counter)    drug_library.update
//   POST /api/v1/therapy/pause | resume | stop                       therapy.stop / start / stop
//   POST /api/v1/audit/checkpoint                                    audit.export
//   POST /api/v1/decommission     {nonce, counter, device_id}        device.decommission
//   POST /api/v1/update           {nonce, counter, target}           service.firmware_update
//   GET  /api/v1/update           release running, pending, counter  therapy.view
//   POST /api/v1/faults/clock/acknowledge {nonce, counter}           service.clock_acknowledge
//        the wall clock is right now: clears a clock-jump fault (audited device.time-change; 409 if
//        there is none)
//
// A start keeps the program and the patient it names as the vault's therapy record (encrypted
// at rest; GET therapy/record reads it back). Decommission (refused while an infusion is under
// way) crypto-erases the pump (Device::Decommission); from then on every request is refused
// (409) until the pump is manufactured and provisioned again. A software update (update_agent.h)
// is installed while the request waits (the infusion goes on); it is activated later, when no
// infusion is under way; without slots (ApiOptions::updates) the update routes answer 409.
//
// Thread-safety: Start and Stop from the owning thread; handlers run on the worker threads.
#ifndef PUMP_MANAGEMENT_API_H_
#define PUMP_MANAGEMENT_API_H_

#include <chrono>
#include <memory>
#include <string>

#include "device.h"
#include "security_faults.h"
#include "therapy_controller.h"
#include "vigil/access/policy.h"

namespace pump {

class UpdateAgent;

struct ApiOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port (Start returns it)
  int workers = 4;
  int queued = 16;
  double requests_per_second = 20;
  double burst = 40;
  std::chrono::seconds read_timeout{5};
  std::string library_path;  // where a drug-library update is written (sealed) for the next boot
  UpdateAgent* updates = nullptr;  // software updates, when the pump runs from A/B slots
};

class ManagementApi {
 public:
  // Everything given must outlive the API. `audit` records the API's own events (a
  // ReportingSink over the device's log, so a failure raises the audit fault).
  ManagementApi(Device& device, vigil::audit::EventSink& audit, TherapyController& therapy,
                SecurityFaults& faults, vigil::access::AccessControl& access, ApiOptions options);
  ~ManagementApi();  // stops serving

  // Sets up TLS from the device's state folder and starts serving on a thread; returns the
  // port. Unavailable if the TLS context or the socket cannot be set up.
  vigil::Result<int> Start();
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pump

#endif  // PUMP_MANAGEMENT_API_H_
