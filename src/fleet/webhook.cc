// The webhook outbox (webhook.h): subscriptions, events written in the transaction of the change
// that causes them, in-order delivery with back-off, and the delivery log. Portable SQL only.
#include "vigil/fleet/webhook.h"

#include <algorithm>
#include <charconv>

#include "internal/fleet_impl.h"
#include "vigil/core/encoding.h"
#include "vigil/crypto/mac.h"

namespace vigil::fleet {
namespace {

using storage::Statement;
using storage::Transaction;

// Version 2. A delivery is (webhook, event); `pending` 1 until a 2xx answer; `next_attempt` in
// unix micros (the fleet's clock). The log keeps every attempt.
constexpr std::string_view kWebhookSchema[] = {
    "CREATE TABLE fleet_webhooks (id BIGINT PRIMARY KEY, url TEXT NOT NULL, secret TEXT NOT NULL,"
    " events TEXT NOT NULL, created TEXT NOT NULL)",
    "CREATE TABLE fleet_events (seq BIGINT PRIMARY KEY, kind TEXT NOT NULL, at TEXT NOT NULL,"
    " body TEXT NOT NULL)",
    "CREATE TABLE fleet_outbox (webhook BIGINT NOT NULL, event BIGINT NOT NULL,"
    " pending BIGINT NOT NULL, attempts BIGINT NOT NULL, next_attempt BIGINT NOT NULL,"
    " delivered TEXT NOT NULL, PRIMARY KEY (webhook, event))",
    "CREATE INDEX fleet_outbox_pending ON fleet_outbox (webhook, pending, event)",
    "CREATE TABLE fleet_deliveries (seq BIGINT PRIMARY KEY, webhook BIGINT NOT NULL,"
    " event BIGINT NOT NULL, at TEXT NOT NULL, attempt BIGINT NOT NULL, status BIGINT NOT NULL,"
    " error TEXT NOT NULL)",
    "CREATE INDEX fleet_deliveries_webhook ON fleet_deliveries (webhook, seq)",
};

std::vector<std::string> SplitKinds(std::string_view joined) {
  std::vector<std::string> out;
  while (!joined.empty()) {
    const size_t comma = joined.find(',');
    out.emplace_back(joined.substr(0, comma));
    if (comma == std::string_view::npos) break;
    joined.remove_prefix(comma + 1);
  }
  return out;
}

bool Takes(std::string_view joined, std::string_view kind) {
  if (joined.empty()) return true;
  const std::vector<std::string> kinds = SplitKinds(joined);
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

Status CheckWebhook(const Webhook& w) {
  if (!w.url.starts_with("http://") && !w.url.starts_with("https://")) {
    return InvalidArgumentError("webhook url: expected http:// or https://, got '" +
                                OneLine(w.url.substr(0, 64)) + "'");
  }
  if (w.url.size() > 2048 || OneLine(w.url) != w.url || w.url.find(' ') != std::string::npos) {
    return InvalidArgumentError("webhook url: expected one line of at most 2048 characters");
  }
  if (w.secret.size() < 16) {
    return InvalidArgumentError("webhook secret: expected at least 16 bytes, got " +
                                std::to_string(w.secret.size()));
  }
  for (const std::string& kind : w.events) {
    if (std::find(std::begin(kEventKinds), std::end(kEventKinds), kind) == std::end(kEventKinds)) {
      return InvalidArgumentError("webhook events: unknown kind '" + OneLine(kind) +
                                  "' (expected checkin.alert, finding.new or support.warning)");
    }
  }
  return OkStatus();
}

std::string JoinKinds(const std::vector<std::string>& kinds) {
  std::string out;
  for (const std::string& k : kinds) out += (out.empty() ? "" : ",") + k;
  return out;
}

// The oldest pending delivery of one subscription.
struct Due {
  int64_t event = 0, attempts = 0, next_attempt = 0;
  std::string kind, body;
};

Result<std::optional<Due>> OldestPending(storage::Database& db, int64_t webhook) {
  VIGIL_ASSIGN_OR_RETURN(
      Statement * s,
      db.Cached("SELECT o.event, o.attempts, o.next_attempt, e.kind, e.body FROM fleet_outbox o"
                " JOIN fleet_events e ON e.seq = o.event WHERE o.webhook = ? AND o.pending = 1"
                " ORDER BY o.event LIMIT 1"));
  VIGIL_RETURN_IF_ERROR(s->BindInt(1, webhook));
  VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
  std::optional<Due> due;
  if (row) {
    due = Due{s->ColumnInt(0), s->ColumnInt(1), s->ColumnInt(2), std::string(s->ColumnText(3)),
              std::string(s->ColumnText(4))};
  }
  s->Reset();
  return due;
}

// base × 2^(attempts-1) seconds, capped, then a random point in its upper half (in micros).
int64_t BackoffMicros(const DeliveryOptions& o, int64_t attempts, Env& env) {
  const int64_t cap = std::max<int64_t>(o.max_delay_seconds, 0) * 1000000;
  int64_t delay = std::max<int64_t>(o.base_delay_seconds, 0) * 1000000;
  for (int64_t i = 1; i < attempts && delay < cap; ++i) delay *= 2;
  delay = std::min(delay, cap);
  uint64_t r = 0;
  if (!env.FillRandom({reinterpret_cast<uint8_t*>(&r), sizeof r})) r = 0;
  const int64_t half = delay / 2;
  return delay - half + static_cast<int64_t>(r % static_cast<uint64_t>(half + 1));
}

WebhookRequest RequestFor(const Webhook& w, const Due& d, int64_t now_seconds) {
  WebhookRequest r;
  r.url = w.url;
  r.body = d.body;
  r.headers = {{"Idempotency-Key", "vigil-" + std::to_string(d.event) + "-" + std::to_string(w.id)},
               {"X-Vigil-Event", d.kind},
               {"X-Vigil-Signature", SignWebhook(w.secret, now_seconds, d.body)}};
  return r;
}

}  // namespace

Status CreateWebhookTables(storage::Database& db) {
  for (std::string_view sql : kWebhookSchema) VIGIL_RETURN_IF_ERROR(db.Exec(sql));
  return OkStatus();
}

std::string SignWebhook(std::string_view secret, int64_t timestamp, std::string_view body) {
  const std::string t = std::to_string(timestamp);
  const std::string signed_text = t + "." + std::string(body);
  return "t=" + t + ",v1=" + HexEncode(crypto::HmacSha256(AsBytes(secret), AsBytes(signed_text)));
}

Status VerifyWebhookSignature(std::string_view secret, std::string_view header,
                              std::string_view body, int64_t now_seconds,
                              int64_t tolerance_seconds) {
  std::optional<int64_t> t;
  std::vector<std::string> v1;
  for (const std::string& part : SplitKinds(header)) {
    if (part.starts_with("t=")) {
      int64_t value = 0;
      const char* end = part.data() + part.size();
      auto [p, ec] = std::from_chars(part.data() + 2, end, value);
      if (ec != std::errc() || p != end) break;
      t = value;
    } else if (part.starts_with("v1=")) {
      v1.push_back(part.substr(3));
    }
  }
  if (!t || v1.empty()) {
    return UnauthenticatedError("X-Vigil-Signature: expected t=<unix seconds>,v1=<hex>");
  }
  if (*t < now_seconds - tolerance_seconds || *t > now_seconds + tolerance_seconds) {
    return UnauthenticatedError("X-Vigil-Signature: timestamp outside the tolerance");
  }
  const std::string signed_text = std::to_string(*t) + "." + std::string(body);
  for (const std::string& hex : v1) {
    auto tag = HexDecode(hex);
    if (!tag || tag->size() != 32) continue;
    if (crypto::VerifyHmacSha256(AsBytes(secret), AsBytes(signed_text), *tag)) return OkStatus();
  }
  return UnauthenticatedError("X-Vigil-Signature: no v1 signature matches the body");
}

Result<int64_t> Fleet::Impl::Enqueue(std::string_view kind, json::Value data) {
  VIGIL_ASSIGN_OR_RETURN(int64_t seq, NextSeq("fleet_events"));
  const std::string at = Now();
  const std::string body = json::Write(json::Value::MakeObject(
      {{"id", seq}, {"kind", kind}, {"at", at}, {"data", std::move(data)}}));
  VIGIL_ASSIGN_OR_RETURN(Statement * ins, db.Cached("INSERT INTO fleet_events (seq, kind, at, body)"
                                                    " VALUES (?, ?, ?, ?)"));
  VIGIL_RETURN_IF_ERROR(ins->BindInt(1, seq));
  VIGIL_RETURN_IF_ERROR(ins->BindText(2, kind));
  VIGIL_RETURN_IF_ERROR(ins->BindText(3, at));
  VIGIL_RETURN_IF_ERROR(ins->BindText(4, body));
  VIGIL_RETURN_IF_ERROR(ins->Run());
  VIGIL_ASSIGN_OR_RETURN(Statement * subs, db.Cached("SELECT id, events FROM fleet_webhooks"));
  std::vector<int64_t> takers;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, subs->Step());
    if (!row) break;
    if (Takes(subs->ColumnText(1), kind)) takers.push_back(subs->ColumnInt(0));
  }
  subs->Reset();
  VIGIL_ASSIGN_OR_RETURN(
      Statement * out,
      db.Cached("INSERT INTO fleet_outbox (webhook, event, pending, attempts, next_attempt,"
                " delivered) VALUES (?, ?, 1, 0, 0, '')"));
  for (int64_t id : takers) {
    VIGIL_RETURN_IF_ERROR(out->BindInt(1, id));
    VIGIL_RETURN_IF_ERROR(out->BindInt(2, seq));
    VIGIL_RETURN_IF_ERROR(out->Run());
  }
  return seq;
}

Result<Webhook> Fleet::AddWebhook(Webhook w) {
  VIGIL_RETURN_IF_ERROR(CheckWebhook(w));
  w.created = impl_->Now();
  VIGIL_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(impl_->db));
  VIGIL_ASSIGN_OR_RETURN(Statement s, impl_->db.Prepare("SELECT COALESCE(MAX(id), 0) + 1 FROM"
                                                        " fleet_webhooks"));
  VIGIL_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return InternalError(impl_->name + ": fleet_webhooks: no next id");
  w.id = s.ColumnInt(0);
  VIGIL_ASSIGN_OR_RETURN(Statement ins,
                         impl_->db.Prepare("INSERT INTO fleet_webhooks (id, url, secret, events,"
                                           " created) VALUES (?, ?, ?, ?, ?)"));
  VIGIL_RETURN_IF_ERROR(ins.BindInt(1, w.id));
  VIGIL_RETURN_IF_ERROR(ins.BindText(2, w.url));
  VIGIL_RETURN_IF_ERROR(ins.BindText(3, w.secret));
  VIGIL_RETURN_IF_ERROR(ins.BindText(4, JoinKinds(w.events)));
  VIGIL_RETURN_IF_ERROR(ins.BindText(5, w.created));
  VIGIL_RETURN_IF_ERROR(ins.Run());
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return w;
}

Result<std::vector<Webhook>> Fleet::Webhooks() {
  VIGIL_ASSIGN_OR_RETURN(Statement s,
                         impl_->db.Prepare("SELECT id, url, secret, events, created FROM"
                                           " fleet_webhooks ORDER BY id"));
  std::vector<Webhook> out;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    out.push_back(Webhook{s.ColumnInt(0), std::string(s.ColumnText(1)),
                          std::string(s.ColumnText(2)), SplitKinds(s.ColumnText(3)),
                          std::string(s.ColumnText(4))});
  }
}

namespace {

// Logs one attempt and its outcome on the delivery, in one transaction.
Status RecordAttempt(Fleet::Impl& im, const Webhook& w, const Due& d, int64_t status,
                     const std::string& error, int64_t next_attempt) {
  VIGIL_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(im.db));
  VIGIL_ASSIGN_OR_RETURN(int64_t seq, im.NextSeq("fleet_deliveries"));
  const std::string at = im.Now();
  VIGIL_ASSIGN_OR_RETURN(
      Statement * log,
      im.db.Cached("INSERT INTO fleet_deliveries (seq, webhook, event, at, attempt, status, error)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?)"));
  VIGIL_RETURN_IF_ERROR(log->BindInt(1, seq));
  VIGIL_RETURN_IF_ERROR(log->BindInt(2, w.id));
  VIGIL_RETURN_IF_ERROR(log->BindInt(3, d.event));
  VIGIL_RETURN_IF_ERROR(log->BindText(4, at));
  VIGIL_RETURN_IF_ERROR(log->BindInt(5, d.attempts + 1));
  VIGIL_RETURN_IF_ERROR(log->BindInt(6, status));
  VIGIL_RETURN_IF_ERROR(log->BindText(7, error));
  VIGIL_RETURN_IF_ERROR(log->Run());
  VIGIL_ASSIGN_OR_RETURN(
      Statement * up,
      im.db.Cached("UPDATE fleet_outbox SET pending = ?, attempts = attempts + 1,"
                   " next_attempt = ?, delivered = ? WHERE webhook = ? AND event = ?"));
  VIGIL_RETURN_IF_ERROR(up->BindInt(1, error.empty() ? 0 : 1));
  VIGIL_RETURN_IF_ERROR(up->BindInt(2, next_attempt));
  VIGIL_RETURN_IF_ERROR(up->BindText(3, error.empty() ? at : ""));
  VIGIL_RETURN_IF_ERROR(up->BindInt(4, w.id));
  VIGIL_RETURN_IF_ERROR(up->BindInt(5, d.event));
  VIGIL_RETURN_IF_ERROR(up->Run());
  return tx.Commit();
}

// A subscription waits for its oldest pending delivery: the round's next due time is the
// earliest of those.
Status NoteDue(DeliveryRound& round, int64_t at) {
  round.next_due_unix_micros = std::min(round.next_due_unix_micros.value_or(at), at);
  return OkStatus();
}

// Delivers one subscription's due events in order until one fails or none is due.
Status DeliverOne(Fleet::Impl& im, const Webhook& w, WebhookTransport& transport,
                  const DeliveryOptions& o, DeliveryRound& round) {
  for (int64_t n = 0; n < o.max_per_webhook; ++n) {
    VIGIL_ASSIGN_OR_RETURN(std::optional<Due> due, OldestPending(im.db, w.id));
    const int64_t now = im.env->NowUnixMicros();
    if (!due) return OkStatus();
    if (due->next_attempt > now) return NoteDue(round, due->next_attempt);
    Result<int> status = transport.Post(RequestFor(w, *due, now / 1000000));
    std::string error;
    if (!status) {
      error = OneLine(status.error().message());
    } else if (*status < 200 || *status > 299) {
      error = "HTTP " + std::to_string(*status);
    }
    const int64_t next = error.empty() ? 0 : now + BackoffMicros(o, due->attempts + 1, *im.env);
    VIGIL_RETURN_IF_ERROR(RecordAttempt(im, w, *due, status ? *status : 0, error, next));
    if (!error.empty()) {
      ++round.failed;
      return NoteDue(round, next);
    }
    ++round.delivered;
  }
  return OkStatus();
}

}  // namespace

Result<DeliveryRound> Fleet::DeliverWebhooks(WebhookTransport& transport,
                                             const DeliveryOptions& options) {
  DeliveryRound round;
  VIGIL_ASSIGN_OR_RETURN(std::vector<Webhook> hooks, Webhooks());
  for (const Webhook& w : hooks) {
    VIGIL_RETURN_IF_ERROR(DeliverOne(*impl_, w, transport, options, round));
  }
  VIGIL_ASSIGN_OR_RETURN(
      Statement s, impl_->db.Prepare("SELECT count(*) FROM fleet_outbox WHERE pending = 1"));
  VIGIL_ASSIGN_OR_RETURN(bool row, s.Step());
  round.pending = row ? s.ColumnInt(0) : 0;
  if (round.pending == 0) {
    round.next_due_unix_micros.reset();
  } else if (!round.next_due_unix_micros) {
    // More were due than one round sends (max_per_webhook): due now.
    round.next_due_unix_micros = impl_->env->NowUnixMicros();
  }
  return round;
}

Result<std::vector<DeliveryAttempt>> Fleet::DeliveryLog(int64_t webhook) {
  VIGIL_ASSIGN_OR_RETURN(
      Statement s, impl_->db.Prepare("SELECT seq, webhook, event, at, attempt, status, error FROM"
                                     " fleet_deliveries WHERE ? = 0 OR webhook = ? ORDER BY seq"));
  VIGIL_RETURN_IF_ERROR(s.BindInt(1, webhook));
  VIGIL_RETURN_IF_ERROR(s.BindInt(2, webhook));
  std::vector<DeliveryAttempt> out;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    out.push_back(DeliveryAttempt{s.ColumnInt(0), s.ColumnInt(1), s.ColumnInt(2),
                                  std::string(s.ColumnText(3)), s.ColumnInt(4), s.ColumnInt(5),
                                  std::string(s.ColumnText(6))});
  }
}

}  // namespace vigil::fleet
