// Fleet notifications as signed JSON webhooks with an outbox: nothing is lost while a receiver
// is down, and each receiver gets its events once, in order.
//
// An event (a check-in alert, a new finding from re-evaluation, an end-of-support warning) is
// written to the fleet's outbox in the SAME transaction as the change that causes it, one
// outbox row per subscription whose kinds match. Fleet::DeliverWebhooks then POSTs them:
//
//   POST <url>
//   Content-Type: application/json
//   Idempotency-Key: vigil-<event seq>-<webhook id>   (the same on every retry of a delivery)
//   X-Vigil-Event: <kind>
//   X-Vigil-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>
//   body: {"id": <event seq>, "kind": "...", "at": "<RFC 3339>", "data": {...}}
//
// A 2xx answer delivers it; anything else (no answer, 3xx, 4xx, 5xx) is a failed attempt that
// blocks the later events of that subscription (strict order) and is retried after an
// exponential back-off with jitter (base × 2^(attempt-1), capped, then a random point in its
// upper half), forever: an event is never dropped. Every attempt is logged (status, time,
// error). A receiver should drop a repeated Idempotency-Key (an answer lost on the way back
// makes the same delivery arrive again) and refuse a signature whose t is too old
// (VerifyWebhookSignature).
//
// Thread-safety: SignWebhook and VerifyWebhookSignature are pure; a transport belongs to one
// thread at a time.
#ifndef VIGIL_FLEET_WEBHOOK_H_
#define VIGIL_FLEET_WEBHOOK_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vigil/core/result.h"

namespace vigil::fleet {

// The event kinds a subscription may choose (none chosen: all of them).
inline constexpr std::string_view kEventCheckinAlert = "checkin.alert";
inline constexpr std::string_view kEventNewFinding = "finding.new";
inline constexpr std::string_view kEventSupportWarning = "support.warning";
inline constexpr std::string_view kEventKinds[] = {kEventCheckinAlert, kEventNewFinding,
                                                   kEventSupportWarning};

struct Webhook {
  int64_t id = 0;                   // given by AddWebhook
  std::string url;                  // http://… or https://… (certificate verified)
  std::string secret;               // the HMAC key (at least 16 bytes); never printed
  std::vector<std::string> events;  // kinds of kEventKinds; empty: all
  std::string created;              // RFC 3339, set by AddWebhook
};

// One delivery attempt, as logged.
struct DeliveryAttempt {
  int64_t seq = 0;  // order of all attempts
  int64_t webhook = 0;
  int64_t event = 0;
  std::string at;       // RFC 3339
  int64_t attempt = 0;  // 1 for the first try of this (webhook, event)
  int64_t status = 0;   // HTTP status; 0 when there was no answer
  std::string error;    // empty when delivered
};

struct WebhookRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Sends a webhook request: the HTTP status, or Unavailable when no answer came (refused,
// timed out, TLS failure).
class WebhookTransport {
 public:
  virtual ~WebhookTransport() = default;
  virtual Result<int> Post(const WebhookRequest& request) = 0;
};

struct HttpTransportOptions {
  std::string ca_file;  // PEM CA bundle for https; empty: the system's
  int timeout_seconds = 10;
};
// The transport over HTTP/1.1 (and HTTPS, verifying the server's certificate and host name).
std::unique_ptr<WebhookTransport> NewHttpWebhookTransport(const HttpTransportOptions& options);

struct DeliveryOptions {
  int64_t base_delay_seconds = 10;   // first retry after about this
  int64_t max_delay_seconds = 3600;  // the back-off's cap
  int64_t max_per_webhook = 1000;    // deliveries per subscription per round
};

struct DeliveryRound {
  int64_t delivered = 0;
  int64_t failed = 0;   // failed attempts this round
  int64_t pending = 0;  // still waiting after the round
  // When the earliest waiting delivery is due (unix micros), if any waits.
  std::optional<int64_t> next_due_unix_micros;
};

// "t=<timestamp>,v1=<hex HMAC-SHA256(secret, "<timestamp>." + body)>".
std::string SignWebhook(std::string_view secret, int64_t timestamp, std::string_view body);
// Checks a X-Vigil-Signature header: Unauthenticated when malformed, when no v1 matches, or
// when t is more than `tolerance_seconds` away from `now_seconds`.
Status VerifyWebhookSignature(std::string_view secret, std::string_view header,
                              std::string_view body, int64_t now_seconds,
                              int64_t tolerance_seconds = 300);

}  // namespace vigil::fleet

#endif  // VIGIL_FLEET_WEBHOOK_H_
