// Check-ins: the body parser and the verification of what a device reports against what the
// fleet last accepted from it (checkin.h). Verification never stops at the first problem: every
// alert a check-in deserves is raised, so an operator sees a fork and a counter rollback together.
#include "vigil/fleet/checkin.h"

#include <algorithm>
#include <optional>
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

// What a check-in comes to before anything is written: the device as the fleet holds it, the
// reported checkpoint when it verified, and every problem (each an alert).
struct Verdict {
  Device device;
  std::optional<audit::Checkpoint> cp;
  std::vector<Problem> problems;
};

// Reads and verifies only: an error here (an unknown serial, an unreadable stored key) leaves
// nothing written.
Result<Verdict> Judge(Fleet& fleet, Fleet::Impl& im, std::string_view serial,
                      const CheckinReport& report) {
  VIGIL_ASSIGN_OR_RETURN(std::optional<Device> device, im.LoadDevice(serial));
  if (!device) return NotFoundError(im.name + ": no device '" + std::string(serial) + "'");
  Verdict v{std::move(*device), std::nullopt, {}};
  VIGIL_ASSIGN_OR_RETURN(bool known, im.KnownRelease(fleet, v.device.product, report.release));
  if (!known) {
    v.problems.push_back({"unknown_release", "reported release '" + report.release +
                                                 "' is not a release of '" + v.device.product +
                                                 "'"});
  }
  VIGIL_ASSIGN_OR_RETURN(v.cp, VerifyCheckpoint(v.device, report, v.problems));
  if (report.security_counter < v.device.security_counter) {
    v.problems.push_back({"counter_rollback", "security counter went down from " +
                                                  std::to_string(v.device.security_counter) +
                                                  " to " +
                                                  std::to_string(report.security_counter)});
  }
  return v;
}

// Writes what the verdict says: the history row, the device's new state (or its last check-in
// time) and the alerts. An error here is the database's.
Result<CheckinResult> Record(Fleet::Impl& im, Verdict& v, const CheckinReport& report,
                             std::optional<int64_t>& next_seq) {
  const bool accepted = v.problems.empty();
  const std::string now = im.Now();
  VIGIL_RETURN_IF_ERROR(im.RecordCheckin(v.device, report, v.cp, accepted, now, next_seq));
  if (accepted) {
    VIGIL_RETURN_IF_ERROR(im.AcceptCheckin(v.device, report, *v.cp, now));
  } else {
    VIGIL_RETURN_IF_ERROR(im.TouchDevice(v.device.serial, now));
  }
  CheckinResult result;
  result.accepted = accepted;
  for (Problem& p : v.problems) {
    VIGIL_ASSIGN_OR_RETURN(Alert a, im.RaiseAlert(v.device.serial, p.kind, std::move(p.detail)));
    result.alerts.push_back(std::move(a));
  }
  return result;
}

}  // namespace

Result<CheckinResult> Fleet::Checkin(std::string_view serial, const CheckinReport& report) {
  VIGIL_ASSIGN_OR_RETURN(storage::Transaction tx, storage::Transaction::Begin(impl_->db));
  std::optional<int64_t> next_seq;
  VIGIL_ASSIGN_OR_RETURN(Result<CheckinResult> result,
                         CheckinInTransaction(serial, report, next_seq));
  if (!result) return result;  // nothing written
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return result;
}

Result<std::vector<Result<CheckinResult>>> Fleet::CheckinMany(
    std::span<const DeviceCheckin> checkins) {
  // No savepoint per check-in: one that fails does so before writing (Judge), and a failed
  // write fails the batch (PostgreSQL would abort the transaction anyway). Two statements less
  // per check-in, which on a server engine are two round trips under the server's lock.
  VIGIL_ASSIGN_OR_RETURN(storage::Transaction tx, storage::Transaction::Begin(impl_->db));
  std::optional<int64_t> next_seq;
  std::vector<Result<CheckinResult>> results;
  results.reserve(checkins.size());
  for (const DeviceCheckin& c : checkins) {
    VIGIL_ASSIGN_OR_RETURN(Result<CheckinResult> r,
                           CheckinInTransaction(c.serial, c.report, next_seq));
    results.push_back(std::move(r));
  }
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return results;
}

Result<Result<CheckinResult>> Fleet::CheckinInTransaction(std::string_view serial,
                                                          const CheckinReport& report,
                                                          std::optional<int64_t>& next_seq) {
  Result<Verdict> v = Judge(*this, *impl_, serial, report);
  if (!v) return Result<CheckinResult>(v.error());
  VIGIL_ASSIGN_OR_RETURN(CheckinResult r, Record(*impl_, *v, report, next_seq));
  return Result<CheckinResult>(std::move(r));
}

Result<bool> Fleet::Impl::KnownRelease(Fleet& fleet, std::string_view product,
                                       std::string_view version) {
  std::pair<std::string, std::string> key{product, version};
  if (known_releases.contains(key)) return true;
  VIGIL_ASSIGN_OR_RETURN(std::optional<Release> r, fleet.FindRelease(product, version));
  if (r) known_releases.insert(std::move(key));
  return r.has_value();
}

Status Fleet::Impl::RecordCheckin(const Device& device, const CheckinReport& report,
                                  const std::optional<audit::Checkpoint>& cp, bool accepted,
                                  const std::string& at, std::optional<int64_t>& next_seq) {
  // Read once per transaction: it holds the write lock (SQLite's BEGIN IMMEDIATE; PostgreSQL's
  // SERIALIZABLE fails a concurrent writer that read the same maximum, as before).
  if (!next_seq) {
    VIGIL_ASSIGN_OR_RETURN(next_seq, NextSeq("fleet_checkins"));
  }
  const int64_t seq = (*next_seq)++;
  VIGIL_ASSIGN_OR_RETURN(
      storage::Statement * s,
      db.Cached("INSERT INTO fleet_checkins (seq, serial, at, reported_release, slot, slot_status,"
                " security_counter, tree_size, tree_root, accepted)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  VIGIL_RETURN_IF_ERROR(s->BindInt(1, seq));
  const std::string_view texts[] = {device.serial, at, report.release, report.slot,
                                    report.slot_status};
  for (int i = 0; i < 5; ++i) VIGIL_RETURN_IF_ERROR(s->BindText(i + 2, texts[i]));
  VIGIL_RETURN_IF_ERROR(s->BindInt(7, static_cast<int64_t>(report.security_counter)));
  if (cp) {
    VIGIL_RETURN_IF_ERROR(s->BindInt(8, static_cast<int64_t>(cp->size)));
    VIGIL_RETURN_IF_ERROR(s->BindText(9, HexEncode(cp->root)));
  } else {
    VIGIL_RETURN_IF_ERROR(s->BindNull(8));
    VIGIL_RETURN_IF_ERROR(s->BindNull(9));
  }
  VIGIL_RETURN_IF_ERROR(s->BindInt(10, accepted ? 1 : 0));
  return s->Run();
}

Status Fleet::Impl::AcceptCheckin(const Device& device, const CheckinReport& report,
                                  const audit::Checkpoint& cp, const std::string& at) {
  VIGIL_ASSIGN_OR_RETURN(
      storage::Statement * s,
      db.Cached("UPDATE fleet_devices SET installed_release = ?, slot = ?, slot_status = ?,"
                " security_counter = ?, last_checkin = ?, checkpoint_origin = ?,"
                " checkpoint_size = ?, checkpoint_root = ?, checkpoint_note = ? WHERE serial = ?"));
  VIGIL_RETURN_IF_ERROR(s->BindText(1, report.release));
  VIGIL_RETURN_IF_ERROR(s->BindText(2, report.slot));
  VIGIL_RETURN_IF_ERROR(s->BindText(3, report.slot_status));
  VIGIL_RETURN_IF_ERROR(s->BindInt(4, static_cast<int64_t>(report.security_counter)));
  VIGIL_RETURN_IF_ERROR(s->BindText(5, at));
  VIGIL_RETURN_IF_ERROR(s->BindText(6, cp.origin));
  VIGIL_RETURN_IF_ERROR(s->BindInt(7, static_cast<int64_t>(cp.size)));
  VIGIL_RETURN_IF_ERROR(s->BindText(8, HexEncode(cp.root)));
  VIGIL_RETURN_IF_ERROR(s->BindText(9, report.checkpoint));
  VIGIL_RETURN_IF_ERROR(s->BindText(10, device.serial));
  VIGIL_RETURN_IF_ERROR(s->Run());
  if (report.release == device.release) return OkStatus();
  VIGIL_RETURN_IF_ERROR(AdjustCount(device.product, device.release, device.site, -1));
  return AdjustCount(device.product, report.release, device.site, 1);
}

Status Fleet::Impl::TouchDevice(std::string_view serial, const std::string& at) {
  VIGIL_ASSIGN_OR_RETURN(storage::Statement * s,
                         db.Cached("UPDATE fleet_devices SET last_checkin = ? WHERE serial = ?"));
  VIGIL_RETURN_IF_ERROR(s->BindText(1, at));
  VIGIL_RETURN_IF_ERROR(s->BindText(2, serial));
  return s->Run();
}

}  // namespace vigil::fleet
