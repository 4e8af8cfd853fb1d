// The parts of a Fleet that src/fleet's files share: the database, the clock, the name errors
// start with, and the small readers every query needs.
#ifndef VIGIL_FLEET_INTERNAL_FLEET_IMPL_H_
#define VIGIL_FLEET_INTERNAL_FLEET_IMPL_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "vigil/audit/checkpoint.h"
#include "vigil/core/env.h"
#include "vigil/core/json.h"
#include "vigil/core/result.h"
#include "vigil/fleet/checkin.h"
#include "vigil/fleet/fleet.h"
#include "vigil/storage/database.h"

namespace vigil::fleet {

// The boot slot statuses of update/boot_state.h, as a device reports them.
inline constexpr std::string_view kSlotStatuses = "empty, writing, verified, good or failed";
inline bool IsSlotStatus(std::string_view s) {
  return s == "empty" || s == "writing" || s == "verified" || s == "good" || s == "failed";
}

// Schema version 2 (operator_tokens.cc): the fleet server's operator tokens.
Status CreateTokensV2(storage::Database& db);
// Schema version 3 (webhook.cc): subscriptions, events, the outbox and the delivery log.
Status CreateWebhookTables(storage::Database& db);
// Schema version 4 (support.cc): the (item, stage) pairs already warned about.
Status CreateSupportTables(storage::Database& db);
// Schema version 5 (reevaluate.cc): the register openings already announced as finding.new.
Status CreateAnnouncedTable(storage::Database& db);

// Rows per multi-row statement (a check-in batch's device read, history rows and device
// updates): a batch larger than this takes one statement more per chunk. Each row count's
// statement is cached, so a server that sees batches of 1 to 100 prepares at most 100 of each.
inline constexpr size_t kRowsPerStatement = 100;

// "(?, ?), (?, ?)": `rows` copies of `row`, comma-separated, for a multi-row VALUES or IN list.
std::string RepeatRows(size_t rows, std::string_view row);

// Runs `rows` rows through multi-row statements of at most kRowsPerStatement rows each: `sql(n)`
// is the statement for n rows (cached), `run(s, start, n)` binds rows [start, start + n) to it
// and runs it. Stops at the first error.
Status InChunks(storage::Database& db, size_t rows, const std::function<std::string(size_t)>& sql,
                const std::function<Status(storage::Statement&, size_t, size_t)>& run);

// Devices by serial.
using DeviceMap = std::map<std::string, Device, std::less<>>;

struct Fleet::Impl {
  storage::Database db;
  std::string name;
  Env* env;
  // (product, version) of releases found to exist. Releases are never deleted, so a check-in's
  // release is read once, not once per check-in; an unknown one is read every time.
  std::set<std::pair<std::string, std::string>> known_releases;

  // The clock as RFC 3339 UTC to the second.
  std::string Now() const;
  // The next value of a sequence column (`table`.seq): ids are made here, not by the engine, so
  // the schema needs no engine-specific auto-increment. Call inside the write transaction.
  Result<int64_t> NextSeq(std::string_view table);
  // Runs an INSERT … ON CONFLICT DO NOTHING: AlreadyExists "<name>: <what> already exists" when
  // it inserted nothing.
  Status InsertNew(storage::Statement& insert, const std::string& what);
  // Adds `delta` to the kept device count of (product, release, site).
  Status AdjustCount(std::string_view product, std::string_view release, std::string_view site,
                     int64_t delta);
  // Checks and inserts one device (inside the caller's transaction).
  Result<Device> InsertDevice(Fleet& fleet, Device d);
  // Reads the device row of `serial` (inside the caller's transaction).
  Result<std::optional<Device>> LoadDevice(std::string_view serial);
  // Reads the device rows of `serials` (inside the caller's transaction) with one statement
  // per kRowsPerStatement distinct serials; unknown serials are absent from the map.
  Result<DeviceMap> LoadDevices(std::span<const std::string_view> serials);
  // Stores an alert (inside the caller's transaction) and returns it.
  Result<Alert> RaiseAlert(std::string_view serial, std::string_view kind, std::string detail);
  // Writes an event to the webhook outbox (webhook.cc), inside the caller's transaction: the
  // event row and one pending delivery per subscription that takes `kind`. Returns its seq.
  Result<int64_t> Enqueue(std::string_view kind, json::Value data);
  // Whether the release exists (known_releases, else the database).
  Result<bool> KnownRelease(Fleet& fleet, std::string_view product, std::string_view version);
};

}  // namespace vigil::fleet

#endif  // VIGIL_FLEET_INTERNAL_FLEET_IMPL_H_
