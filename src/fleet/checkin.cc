// Check-ins: the body parser and the verification of what a device reports against what the
// fleet last accepted from it (checkin.h). Verification never stops at the first problem: every
// alert a check-in deserves is raised, so an operator sees a fork and a counter rollback together.
#include "vigil/fleet/checkin.h"

#include <algorithm>
#include <optional>
#include <set>
#include <span>
#include <utility>

#include "internal/fleet_impl.h"
#include "vigil/audit/checkpoint.h"
#include "vigil/core/encoding.h"
#include "vigil/core/json.h"

namespace vigil::fleet {
namespace {

constexpr size_t kMaxProofHashes = 64;  // a proof of a tree of 2^64 leaves has at most 128; 64
                                        // covers every log a device can hold (2^32 entries)

Result<std::vector<audit::Hash>> ReadProof(const json::Node& proof) {
  std::vector<audit::Hash> out;
  if (!proof.present()) return out;
  VIGIL_ASSIGN_OR_RETURN(std::vector<json::Node> items, proof.Elements());
  if (items.size() > kMaxProofHashes) {
    return ResourceExhaustedError(proof.name() + ": " + proof.path() + ": " +
                                  std::to_string(items.size()) + " hashes, over the limit of " +
                                  std::to_string(kMaxProofHashes));
  }
  for (const json::Node& item : items) {
    VIGIL_ASSIGN_OR_RETURN(std::string_view text, item.StringView());
    auto bytes = Base64Decode(text);
    if (!bytes || bytes->size() != 32) {
      return item.Invalid("expected the base64 of a 32-byte SHA-256 hash");
    }
    audit::Hash h;
    std::copy(bytes->begin(), bytes->end(), h.begin());
    out.push_back(h);
  }
  return out;
}

Result<std::string> ReadSlot(const json::Node& root) {
  json::Node n = root.Get("slot");
  VIGIL_ASSIGN_OR_RETURN(std::string slot, n.String());
  if (slot != "a" && slot != "b") return n.Invalid("expected \"a\" or \"b\", got '" + slot + "'");
  return slot;
}

Result<std::string> ReadSlotStatus(const json::Node& root) {
  json::Node n = root.Get("slot_status");
  VIGIL_ASSIGN_OR_RETURN(std::string status, n.String());
  if (!IsSlotStatus(status)) {
    return n.Invalid("expected " + std::string(kSlotStatuses) + ", got '" + status + "'");
  }
  return status;
}

// The note opened with `key`: its checkpoint, or an error whose message is the bad_signature
// alert's detail.
Result<audit::Checkpoint> OpenCheckpoint(std::string_view note, audit::NoteVerifier& key) {
  audit::NoteVerifier* known[] = {&key};
  VIGIL_ASSIGN_OR_RETURN(audit::OpenedNote opened, audit::OpenNote(note, known));
  auto cp = audit::ParseCheckpoint(opened.text);
  if (!cp) return UnauthenticatedError("signed note is not a checkpoint: " + cp.error().message());
  return cp;
}

}  // namespace

Result<CheckinReport> ParseCheckin(std::string_view body, std::string_view source) {
  if (body.size() > kMaxCheckinBytes) {
    return ResourceExhaustedError(std::string(source) + ": " + std::to_string(body.size()) +
                                  " bytes, over the limit of " + std::to_string(kMaxCheckinBytes) +
                                  " for a check-in");
  }
  VIGIL_ASSIGN_OR_RETURN(json::Value doc, json::Parse(body, source));
  json::Node root(doc, source);
  VIGIL_RETURN_IF_ERROR(root.ExpectObject());
  VIGIL_RETURN_IF_ERROR(root.RefuseUnknown(
      {"release", "slot", "slot_status", "security_counter", "checkpoint", "consistency_proof"}));
  CheckinReport r;
  VIGIL_ASSIGN_OR_RETURN(r.release, root.Get("release").String());
  if (r.release.empty()) return root.Get("release").Invalid("must not be empty");
  VIGIL_ASSIGN_OR_RETURN(r.slot, ReadSlot(root));
  VIGIL_ASSIGN_OR_RETURN(r.slot_status, ReadSlotStatus(root));
  VIGIL_ASSIGN_OR_RETURN(r.security_counter, root.Get("security_counter").UInt());
  if (r.security_counter > static_cast<uint64_t>(INT64_MAX)) {
    return root.Get("security_counter").Invalid("over 2^63 - 1");
  }
  VIGIL_ASSIGN_OR_RETURN(r.checkpoint, root.Get("checkpoint").String());
  VIGIL_ASSIGN_OR_RETURN(r.consistency, ReadProof(root.Get("consistency_proof")));
  return r;
}

void OpenReportedCheckpoint(CheckinReport& report, std::string_view log_key,
                            audit::NoteVerifier& key) {
  report.opened = OpenedCheckpoint{std::string(log_key), OpenCheckpoint(report.checkpoint, key)};
}

std::vector<std::string> EncodeProof(const std::vector<audit::Hash>& proof) {
  std::vector<std::string> out;
  out.reserve(proof.size());
  for (const audit::Hash& h : proof) out.push_back(Base64Encode(h));
  return out;
}

namespace {

struct Problem {
  std::string kind, detail;
};

// The reported checkpoint opened with the device's key: what OpenReportedCheckpoint found when
// it used that key, else opened here. The outer error: the stored key does not parse.
Result<Result<audit::Checkpoint>> ReportedCheckpoint(const Device& device,
                                                     const CheckinReport& report) {
  if (report.opened && report.opened->log_key == device.log_key) return report.opened->checkpoint;
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<audit::NoteVerifier> key,
                         audit::NoteVerifier::Parse(device.log_key));
  return OpenCheckpoint(report.checkpoint, *key);
}

// Verifies the reported checkpoint against the device's key and the accepted checkpoint. Returns
// the new checkpoint when it may be accepted, and adds a Problem for each thing that fails.
Result<std::optional<audit::Checkpoint>> VerifyCheckpoint(const Device& device,
                                                          const CheckinReport& report,
                                                          std::vector<Problem>& problems) {
  VIGIL_ASSIGN_OR_RETURN(Result<audit::Checkpoint> cp, ReportedCheckpoint(device, report));
  if (!cp) {
    problems.push_back({"bad_signature", cp.error().message()});
    return std::nullopt;
  }
  if (!device.checkpoint) return std::optional<audit::Checkpoint>(*cp);  // trusted on first use
  const StoredCheckpoint& old = *device.checkpoint;
  const std::string sizes =
      "accepted size " + std::to_string(old.size) + ", reported " + std::to_string(cp->size);
  if (cp->origin != old.origin) {
    problems.push_back({"origin_changed", "checkpoint origin '" + cp->origin +
                                              "', accepted checkpoints were of '" + old.origin +
                                              "'"});
    return std::nullopt;
  }
  VIGIL_ASSIGN_OR_RETURN(Bytes old_root_bytes, HexDecode(old.root_hex));
  audit::Hash old_root{};
  if (old_root_bytes.size() != old_root.size()) {
    return DataLossError("device " + device.serial + ": stored checkpoint root is not 32 bytes");
  }
  std::copy(old_root_bytes.begin(), old_root_bytes.end(), old_root.begin());
  if (cp->size < old.size) {
    problems.push_back({"rolled_back", "audit log is smaller than before (" + sizes + ")"});
    return std::nullopt;
  }
  if (cp->size == old.size) {
    if (cp->root == old_root) return std::optional<audit::Checkpoint>(*cp);
    problems.push_back({"forked", "same tree size with another root (" + sizes + ", root " +
                                      HexEncode(cp->root) + " instead of " + old.root_hex + ")"});
    return std::nullopt;
  }
  if (old.size == 0)
    return std::optional<audit::Checkpoint>(*cp);  // the empty tree is a prefix of every tree
  if (Status s =
          audit::VerifyConsistency(old.size, cp->size, old_root, cp->root, report.consistency);
      !s) {
    problems.push_back(
        {"forked", "consistency proof does not verify (" + sizes + "): " + s.error().message()});
    return std::nullopt;
  }
  return std::optional<audit::Checkpoint>(*cp);
}

// What a check-in comes to before anything is written: the reported checkpoint when it
// verified, and every problem (each an alert).
struct Verdict {
  std::optional<audit::Checkpoint> cp;
  std::vector<Problem> problems;
};

// Verifies only, against the device as the batch so far left it: an error here (an unreadable
// stored key) leaves nothing written.
Result<Verdict> Judge(Fleet& fleet, Fleet::Impl& im, const Device& device,
                      const CheckinReport& report) {
  Verdict v;
  VIGIL_ASSIGN_OR_RETURN(bool known, im.KnownRelease(fleet, device.product, report.release));
  if (!known) {
    v.problems.push_back({"unknown_release", "reported release '" + report.release +
                                                 "' is not a release of '" + device.product + "'"});
  }
  VIGIL_ASSIGN_OR_RETURN(v.cp, VerifyCheckpoint(device, report, v.problems));
  if (report.security_counter < device.security_counter) {
    v.problems.push_back({"counter_rollback", "security counter went down from " +
                                                  std::to_string(device.security_counter) + " to " +
                                                  std::to_string(report.security_counter)});
  }
  return v;
}

// One row of fleet_checkins, written with the batch's others at its end.
struct HistoryRow {
  std::string serial, at;
  const CheckinReport* report;
  std::optional<audit::Checkpoint> cp;  // the reported checkpoint, when it verified
  bool accepted;
};

// A batch's writes, gathered while its check-ins are judged in order and written at its end with
// a few multi-row statements (WriteBatch): on a server engine each statement is a round trip
// under the server's lock, so three per check-in were most of a check-in's time there.
struct Batch {
  DeviceMap devices;  // read at the start, then as the batch's accepted check-ins leave them
  std::set<std::string, std::less<>> touched;  // serials whose row is written back
  std::vector<HistoryRow> history;
};

// The device's new accepted state, in the batch (and its release's device counts, at once).
Status Accept(Fleet::Impl& im, Device& device, const CheckinReport& report,
              const audit::Checkpoint& cp) {
  if (report.release != device.release) {
    VIGIL_RETURN_IF_ERROR(im.AdjustCount(device.product, device.release, device.site, -1));
    VIGIL_RETURN_IF_ERROR(im.AdjustCount(device.product, report.release, device.site, 1));
  }
  device.release = report.release;
  device.slot = report.slot;
  device.slot_status = report.slot_status;
  device.security_counter = report.security_counter;
  device.checkpoint = StoredCheckpoint{cp.origin, cp.size, HexEncode(cp.root), report.checkpoint};
  return OkStatus();
}

// Records what the verdict says: the history row and the device's new state (or only its last
// check-in time) in the batch, the alerts at once. An error here is the database's.
Result<CheckinResult> Record(Fleet::Impl& im, Batch& batch, Device& device, Verdict& v,
                             const CheckinReport& report) {
  const bool accepted = v.problems.empty();
  std::string now = im.Now();
  batch.history.push_back({device.serial, now, &report, v.cp, accepted});
  batch.touched.insert(device.serial);
  device.last_checkin = std::move(now);
  if (accepted) VIGIL_RETURN_IF_ERROR(Accept(im, device, report, *v.cp));
  CheckinResult result;
  result.accepted = accepted;
  for (Problem& p : v.problems) {
    VIGIL_ASSIGN_OR_RETURN(Alert a, im.RaiseAlert(device.serial, p.kind, std::move(p.detail)));
    result.alerts.push_back(std::move(a));
  }
  return result;
}

// One check-in of a batch. The inner error is the check-in's own (an unknown serial), found
// before it recorded anything; the outer one is the database's.
Result<Result<CheckinResult>> CheckinOne(Fleet& fleet, Fleet::Impl& im, Batch& batch,
                                         std::string_view serial, const CheckinReport& report) {
  auto it = batch.devices.find(serial);
  if (it == batch.devices.end()) {
    return Result<CheckinResult>(
        NotFoundError(im.name + ": no device '" + std::string(serial) + "'"));
  }
  Result<Verdict> v = Judge(fleet, im, it->second, report);
  if (!v) return Result<CheckinResult>(v.error());
  VIGIL_ASSIGN_OR_RETURN(CheckinResult r, Record(im, batch, it->second, *v, report));
  return Result<CheckinResult>(std::move(r));
}

// Binds one history row as a row of InsertHistory's VALUES, from parameter `p` + 1 on; `offset`
// is its place in the statement.
Status BindHistoryRow(storage::Statement& s, int& p, const HistoryRow& row, size_t offset) {
  VIGIL_RETURN_IF_ERROR(s.BindInt(++p, static_cast<int64_t>(offset)));
  const std::string_view texts[] = {row.serial, row.at, row.report->release, row.report->slot,
                                    row.report->slot_status};
  for (std::string_view t : texts) VIGIL_RETURN_IF_ERROR(s.BindText(++p, t));
  VIGIL_RETURN_IF_ERROR(s.BindInt(++p, static_cast<int64_t>(row.report->security_counter)));
  if (row.cp) {
    VIGIL_RETURN_IF_ERROR(s.BindInt(++p, static_cast<int64_t>(row.cp->size)));
    VIGIL_RETURN_IF_ERROR(s.BindText(++p, HexEncode(row.cp->root)));
  } else {
    VIGIL_RETURN_IF_ERROR(s.BindNull(++p));
    VIGIL_RETURN_IF_ERROR(s.BindNull(++p));
  }
  return s.BindInt(++p, row.accepted ? 1 : 0);
}

// The batch's history rows, numbered in the batch's order from the table's next sequence
// number, which each statement reads itself (one round trip less than reading it first).
Status InsertHistory(Fleet::Impl& im, std::span<const HistoryRow> rows) {
  auto sql = [](size_t n) {
    return "INSERT INTO fleet_checkins (seq, serial, at, reported_release, slot, slot_status,"
           " security_counter, tree_size, tree_root, accepted) SELECT n.next + v.column1,"
           " v.column2, v.column3, v.column4, v.column5, v.column6, v.column7, v.column8,"
           " v.column9, v.column10 FROM (VALUES " +
           RepeatRows(n,
                      "(CAST(? AS BIGINT), ?, ?, ?, ?, ?, CAST(? AS BIGINT),"
                      " CAST(? AS BIGINT), ?, CAST(? AS BIGINT))") +
           ") AS v, (SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM fleet_checkins) AS n";
  };
  return InChunks(im.db, rows.size(), sql,
                  [&](storage::Statement& s, size_t start, size_t n) -> Status {
                    int p = 0;
                    for (size_t i = 0; i < n; ++i)
                      VIGIL_RETURN_IF_ERROR(BindHistoryRow(s, p, rows[start + i], i));
                    return s.Send();
                  });
}

// Binds one device's state as a row of UpdateDevices' VALUES, from parameter `p` + 1 on.
Status BindDeviceState(storage::Statement& s, int& p, const Device& d) {
  const std::string_view texts[] = {d.serial, d.release, d.slot, d.slot_status};
  for (std::string_view t : texts) VIGIL_RETURN_IF_ERROR(s.BindText(++p, t));
  VIGIL_RETURN_IF_ERROR(s.BindInt(++p, static_cast<int64_t>(d.security_counter)));
  VIGIL_RETURN_IF_ERROR(s.BindText(++p, d.last_checkin));
  if (!d.checkpoint) {
    for (int i = 0; i < 4; ++i) VIGIL_RETURN_IF_ERROR(s.BindNull(++p));
    return OkStatus();
  }
  VIGIL_RETURN_IF_ERROR(s.BindText(++p, d.checkpoint->origin));
  VIGIL_RETURN_IF_ERROR(s.BindInt(++p, static_cast<int64_t>(d.checkpoint->size)));
  VIGIL_RETURN_IF_ERROR(s.BindText(++p, d.checkpoint->root_hex));
  return s.BindText(++p, d.checkpoint->note);
}

// Writes back the state the batch left each touched device in. VALUES names its columns
// column1, column2… on both engines; PostgreSQL types a VALUES column from its values, so the
// integers are cast (text otherwise).
Status UpdateDevices(Fleet::Impl& im, const Batch& batch) {
  std::vector<const Device*> touched;
  for (const std::string& serial : batch.touched) {
    touched.push_back(&batch.devices.find(serial)->second);
  }
  auto sql = [](size_t n) {
    return "UPDATE fleet_devices SET installed_release = v.column2, slot = v.column3,"
           " slot_status = v.column4, security_counter = v.column5, last_checkin = v.column6,"
           " checkpoint_origin = v.column7, checkpoint_size = v.column8,"
           " checkpoint_root = v.column9, checkpoint_note = v.column10 FROM (VALUES " +
           RepeatRows(n, "(?, ?, ?, ?, CAST(? AS BIGINT), ?, ?, CAST(? AS BIGINT), ?, ?)") +
           ") AS v WHERE fleet_devices.serial = v.column1";
  };
  return InChunks(im.db, touched.size(), sql,
                  [&](storage::Statement& s, size_t start, size_t n) -> Status {
                    int p = 0;
                    for (size_t i = start; i < start + n; ++i) {
                      VIGIL_RETURN_IF_ERROR(BindDeviceState(s, p, *touched[i]));
                    }
                    return s.Send();
                  });
}

}  // namespace

Result<CheckinResult> Fleet::Checkin(std::string_view serial, const CheckinReport& report) {
  const DeviceCheckin one[] = {{std::string(serial), report}};
  VIGIL_ASSIGN_OR_RETURN(std::vector<Result<CheckinResult>> results, CheckinMany(one));
  return std::move(results.front());
}

Result<std::vector<Result<CheckinResult>>> Fleet::CheckinMany(
    std::span<const DeviceCheckin> checkins) {
  // No savepoint per check-in: one that fails does so before recording anything (an unknown
  // serial, Judge), and a failed write fails the batch (PostgreSQL would abort the transaction
  // anyway). The devices are read together first and written back together last: a batch is a
  // handful of statements whatever its size (fleet.h). The writes are sent (Statement::Send)
  // and go with the COMMIT: on PostgreSQL a batch is two round trips, BEGIN with the read and
  // the writes with the COMMIT, unless an alert or a new release needs an answer between.
  VIGIL_ASSIGN_OR_RETURN(storage::Transaction tx, storage::Transaction::Begin(impl_->db));
  std::vector<std::string_view> serials;
  serials.reserve(checkins.size());
  for (const DeviceCheckin& c : checkins) serials.push_back(c.serial);
  Batch batch;
  VIGIL_ASSIGN_OR_RETURN(batch.devices, impl_->LoadDevices(serials));
  std::vector<Result<CheckinResult>> results;
  results.reserve(checkins.size());
  for (const DeviceCheckin& c : checkins) {
    VIGIL_ASSIGN_OR_RETURN(Result<CheckinResult> r,
                           CheckinOne(*this, *impl_, batch, c.serial, c.report));
    results.push_back(std::move(r));
  }
  VIGIL_RETURN_IF_ERROR(InsertHistory(*impl_, batch.history));
  VIGIL_RETURN_IF_ERROR(UpdateDevices(*impl_, batch));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return results;
}

Result<bool> Fleet::Impl::KnownRelease(Fleet& fleet, std::string_view product,
                                       std::string_view version) {
  std::pair<std::string, std::string> key{product, version};
  if (known_releases.contains(key)) return true;
  VIGIL_ASSIGN_OR_RETURN(std::optional<Release> r, fleet.FindRelease(product, version));
  if (r) known_releases.insert(std::move(key));
  return r.has_value();
}

}  // namespace vigil::fleet
