// vigil::fleet — the post-market surveillance model: the manufacturer's products, their releases
// (each with its SBOM, its VEX and the triage register's name for it) and the devices in the
// field (serial, site, customer, installed release, slot and anti-rollback counter, the audit-log
// key and last checkpoint, last check-in, end of support).
//
// Storage: one schema on vigil::storage, written in portable SQL only (TEXT, BIGINT, INTEGER;
// INSERT … ON CONFLICT; `?` placeholders; ids generated here, never by the engine; no engine
// date functions), versioned through storage's Migrate, so SQLite (OpenFleetSqlite) and any other
// engine behind storage/backend.h hold the same tables. Every change is one transaction.
//
// Check-ins (checkin.h) verify what a device reports against what the fleet holds; exposure
// (exposure.h) crosses the devices with the triage register's open findings.
//
// Thread-safety: a Fleet belongs to one thread at a time (as its Database).
#ifndef VIGIL_FLEET_FLEET_H_
#define VIGIL_FLEET_FLEET_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vigil/core/env.h"
#include "vigil/core/result.h"
#include "vigil/storage/database.h"

namespace vigil::triage {
class Register;
}  // namespace vigil::triage
namespace vigil::vuln {
class AdvisoryDb;
}  // namespace vigil::vuln

namespace vigil::fleet {

struct Product {
  std::string name;          // unique, e.g. "Infusion pump"
  std::string manufacturer;  // may be empty
  std::string created;       // RFC 3339, set by AddProduct
};

struct Release {
  std::string product;  // an existing product
  std::string version;  // unique within the product, e.g. "2.1.0"
  std::string sbom;     // the release's SBOM (path or document id), may be empty
  std::string vex;      // its VEX document (a path; re-evaluation applies it), may be empty
  // The triage register's product and release for it (vigil scan --register --product
  // --release); empty: the product's name and this version.
  std::string register_product, register_release;
  std::string created;  // RFC 3339, set by AddRelease
};

// The last signed audit checkpoint the fleet accepted from a device (audit/checkpoint.h).
struct StoredCheckpoint {
  std::string origin;
  uint64_t size = 0;
  std::string root_hex;  // 64 hex digits
  std::string note;      // the signed note as received
};

struct Device {
  std::string serial;   // unique
  std::string product;  // an existing product
  std::string release;  // the installed release: an existing release of the product
  std::string site, customer;
  std::string support_end;  // YYYY-MM-DD, may be empty
  // The device's audit-log verifier key (audit/checkpoint.h "vkey": name+hexid+base64 key).
  std::string log_key;
  std::string slot = "a";            // the slot it booted: "a" or "b"
  std::string slot_status = "good";  // update/boot_state.h: empty, writing, verified, good, failed
  uint64_t security_counter = 0;     // anti-rollback counter: never goes down
  std::string last_checkin;          // RFC 3339; empty before the first
  std::optional<StoredCheckpoint> checkpoint;
  std::string created;  // RFC 3339, set by AddDevice
};

struct DeviceFilter {
  std::string product, release, site;  // empty: any
};

// An alert raised by a check-in the fleet refused to accept as it was.
struct Alert {
  int64_t seq = 0;  // order of all alerts
  std::string serial;
  std::string at;    // RFC 3339
  std::string kind;  // "bad_signature", "rolled_back", "forked", "counter_rollback",
                     // "origin_changed", "unknown_release"
  std::string detail;
};

// One check-in as received (accepted or not): the device's history of reported states and the
// checkpoints it signed.
struct CheckinEntry {
  int64_t seq = 0;  // order of all check-ins
  std::string at;   // RFC 3339
  std::string release, slot, slot_status;
  uint64_t security_counter = 0;
  std::optional<uint64_t> tree_size;  // the reported checkpoint's log size, when one was sent
  std::string tree_root_hex;          // its root (64 hex digits), empty without a checkpoint
  bool accepted = false;              // false: the check-in raised alerts and was not trusted
};

struct DeviceCount {
  std::string product, release, site;
  uint64_t devices = 0;
};

// An operator's API token of the fleet server (vigil serve). The token itself is never stored,
// only its SHA-256, so a copy of the database lets nobody in.
struct OperatorToken {
  std::string name;      // unique; an audit identifier ([A-Za-z0-9._:@/-], 1-64 characters)
  std::string role;      // "read-only", "analyst" or "admin"
  std::string hash_hex;  // SHA-256 of the token, 64 lower-case hex digits
  std::string created;   // RFC 3339, set by AddOperatorToken
  std::string revoked;   // RFC 3339 when revoked; empty while it is valid
};

struct CheckinReport;  // checkin.h
struct CheckinResult;  // checkin.h
struct DeviceCheckin;  // checkin.h
struct Webhook;        // webhook.h
struct DeliveryAttempt;     // webhook.h
struct DeliveryOptions;     // webhook.h
struct DeliveryRound;       // webhook.h
class WebhookTransport;     // webhook.h
struct ReevaluationReport;  // reevaluate.h
struct SupportOptions;      // support.h
struct SupportWarning;      // support.h

// Opens (with `create`, creates) an SQLite fleet database, owner-only, with the pragmas the
// fleet wants (busy timeout 5 s; write-ahead log with synchronous EXTRA: a commit is durable
// once it returns and costs one fsync of the log, where a rollback journal costs three or four,
// which bounds how many check-ins a second a server can record). NotFound when missing.
Result<storage::Database> OpenFleetSqlite(const std::string& path, bool create);

class Fleet {
 public:
  // Takes the database and brings its schema to the fleet's version (storage::Migrate); a
  // database written by a newer Vigil is FailedPrecondition. `name` prefixes errors
  // ("fleet database fleet.sqlite"). `env` gives the clock.
  static Result<Fleet> Open(storage::Database db, std::string name, Env& env);
  Fleet(Fleet&&) noexcept;
  Fleet& operator=(Fleet&&) noexcept;
  ~Fleet();

  // Adds a product / release / device. InvalidArgument naming the empty or malformed field,
  // AlreadyExists for a duplicate key, NotFound for an unknown product or release. Returns
  // what was stored (with `created`, and the register names defaulted).
  Result<Product> AddProduct(Product p);
  Result<Release> AddRelease(Release r);
  Result<Device> AddDevice(Device d);
  // Adds many devices in one transaction (onboarding a customer's fleet): all or none. The
  // errors of AddDevice, the message prefixed with the device's index ("devices[12]: …").
  Status AddDevices(std::span<const Device> devices);
  // Deregisters a device (taken out of service, returned, scrapped): it leaves the device list
  // and counts, and its check-ins are refused from then on (NotFound, as an unknown serial's).
  // Its check-in history and alerts stay: what it reported in service remains evidence.
  // Returns the device as it was; NotFound for an unknown serial.
  Result<Device> RemoveDevice(std::string_view serial);

  Result<std::vector<Product>> Products();
  Result<std::optional<Product>> FindProduct(std::string_view name);
  // Releases of `product` (all products when empty), by product then creation.
  Result<std::vector<Release>> Releases(std::string_view product);
  Result<std::optional<Release>> FindRelease(std::string_view product, std::string_view version);
  // The releases filed in the triage register as (register_product, register_release).
  Result<std::vector<Release>> ReleasesFiledAs(std::string_view register_product,
                                               std::string_view register_release);
  // The devices matching `filter` by serial; the first `limit` of them when limit >= 0 (a page of
  // a fleet too large to list whole).
  Result<std::vector<Device>> Devices(const DeviceFilter& filter, int64_t limit = -1);
  Result<std::optional<Device>> FindDevice(std::string_view serial);

  // Alerts of one device (all devices when empty), oldest first.
  Result<std::vector<Alert>> Alerts(std::string_view serial);
  // The last `limit` check-ins of one device, newest first (empty for an unknown serial).
  Result<std::vector<CheckinEntry>> Checkins(std::string_view serial, int64_t limit);

  // Devices per (product, release, site) matching `filter`, by product, release, site: what
  // exposure counts. Read from counts kept as devices are added and check in with another
  // release, so the cost is one row per group, not one per device.
  Result<std::vector<DeviceCount>> CountDevices(const DeviceFilter& filter);
  // The same for many releases at once, each a (product, version) pair, at `site` (empty: any):
  // a few statements (one per 200 releases) instead of one per release, which on a server
  // engine is one round trip each. By product, release, site; a pair given twice counts once.
  Result<std::vector<DeviceCount>> CountDevicesOf(
      std::span<const std::pair<std::string, std::string>> releases, std::string_view site);

  // A device's check-in (checkin.h): verifies it and records it, raising alerts for what does
  // not verify. NotFound for an unknown serial.
  Result<CheckinResult> Checkin(std::string_view serial, const CheckinReport& report);
  // Many devices' check-ins in one transaction: one durable commit for all of them (group commit,
  // what a server answering many devices at once needs when a commit costs a few fsyncs). Each
  // is verified and recorded as Checkin does, in order (a device twice in a batch is judged the
  // second time against what the first recorded). One that fails before writing anything (an
  // unknown serial) has its error as its result, the others go on. An error of the call (a
  // write or the commit failed) means none of them was recorded. A batch costs a few statements
  // whatever its size: the devices read, the history rows, the devices' updates, each one
  // multi-row statement per 100 check-ins (plus one per alert and per release change).
  Result<std::vector<Result<CheckinResult>>> CheckinMany(std::span<const DeviceCheckin> checkins);

  // Operator tokens (operator_tokens.cc). AddOperatorToken: InvalidArgument naming a malformed
  // name, role or hash; AlreadyExists for a name or hash already held (revoked names stay taken,
  // so the audit log's names keep one meaning).
  Result<OperatorToken> AddOperatorToken(OperatorToken t);
  // Every token, revoked ones too, by name.
  Result<std::vector<OperatorToken>> OperatorTokens();
  // The token whose hash is `hash_hex`, revoked or not; nullopt when none.
  Result<std::optional<OperatorToken>> FindOperatorToken(std::string_view hash_hex);
  // Revokes a token: NotFound for an unknown name, FailedPrecondition when already revoked.
  Result<OperatorToken> RevokeOperatorToken(std::string_view name);

  // Webhooks (webhook.h). AddWebhook: InvalidArgument for a URL that is not http(s)://, a
  // secret under 16 bytes or an unknown event kind; returns it with its id. A subscription
  // receives the events raised after it was added.
  Result<Webhook> AddWebhook(Webhook w);
  Result<std::vector<Webhook>> Webhooks();
  // One round: for each subscription, sends its due deliveries oldest first until one fails
  // (that one waits for its back-off; the later ones wait behind it). Each attempt is logged
  // and its outcome committed before the next is sent.
  Result<DeliveryRound> DeliverWebhooks(WebhookTransport& transport,
                                        const DeliveryOptions& options);
  // Attempts of one subscription (all when 0), oldest first.
  Result<std::vector<DeliveryAttempt>> DeliveryLog(int64_t webhook);

  // End of support (support.h): the devices and release components reaching an IMDRF N70 stage
  // within options.warn_days of options.as_of (or past it), soonest first; the first time an
  // (item, stage) is listed a support.warning event is enqueued. InvalidArgument for a bad
  // as_of; an unreadable SBOM names its release.
  Result<std::vector<SupportWarning>> CheckSupport(const SupportOptions& options);

  struct Impl;  // opaque: shared by src/fleet's files

 private:
  // Enqueues its events in the fleet's own transaction (reevaluate.h).
  friend Result<ReevaluationReport> Reevaluate(Fleet& fleet, const vuln::AdvisoryDb& db,
                                               triage::Register& reg,
                                               std::span<const std::string> changed, Env& env);
  explicit Fleet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::fleet

#endif  // VIGIL_FLEET_FLEET_H_
