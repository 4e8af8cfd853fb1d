// What the parts of the register (register.cc, observe.cc, assess.cc) share: the connection,
// the clock, and the row readers and writers of the history.
#ifndef VIGIL_TRIAGE_INTERNAL_REGISTER_IMPL_H_
#define VIGIL_TRIAGE_INTERNAL_REGISTER_IMPL_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/storage/database.h"
#include "vigil/triage/register.h"

namespace vigil::triage {

// The columns of an event, in the order ReadEvent reads them.
inline constexpr std::string_view kEventColumns =
    "seq, at, release, component_version, origin, status, justification, action, fixed_in, "
    "reason, actor, harm, cvss_vector, compensating_control";
// The same, each qualified by a table alias ("e.seq, e.at, …") for joins.
std::string EventColumns(std::string_view alias);

struct Register::Impl {
  explicit Impl(storage::Database database) : db(std::move(database)) {}
  storage::Database db;
  Env* env = nullptr;
  std::string path;
  bool read_only = false;
  int64_t schema_version = 0;  // 2 once migrated; a read-only open may find 1

  // RFC 3339 now, never before the last event (a clock set back does not reorder history).
  Result<std::string> Now();
  std::string Today();  // YYYY-MM-DD of the clock

  Result<std::optional<int64_t>> RecordId(const RecordKey& key);
  // Appends one event to record `id` (the record's current view is updated by the caller).
  Status AppendEvent(int64_t id, const Event& e);
  // The record at `id` with its current event, facts and component harm (risk not filled).
  Result<Record> LoadRecord(int64_t id);
  Result<std::optional<risk::RiskPolicy>> LoadPolicy();
  // Fills Record::risk and Record::deadlines under `policy` as of `as_of` (days).
  void Assess(Record& r, const std::optional<risk::RiskPolicy>& policy, int64_t as_of) const;
};

Event ReadEvent(const storage::Statement& s, int first);

// "SELECT <record columns> FROM triage_records r JOIN triage_events e … <where>": a record with
// its current event; ReadRecord reads a row of it (the record's id at kRecordIdColumn).
struct RecordQuery {
  bool cwes = true;            // false reads a register of schema version 1 (no weaknesses)
  bool component_harm = true;  // false leaves the harm out (NULL), for a caller that knows it
  std::string_view extra;      // ", further columns" after kCwesColumn
};
std::string RecordSelect(std::string_view where, const RecordQuery& query = {});
Record ReadRecord(const storage::Statement& s);
inline constexpr int kRecordIdColumn = 16;
inline constexpr int kCwesColumn = 31;  // after the 14 event columns

// ScanFacts::weaknesses in the records' `cwes` column: one "CWE-N NAME" line each (the name may
// be empty). Decoding keeps only CWE ids (vuln::AddWeakness).
std::string EncodeWeaknesses(std::span<const vuln::Weakness> list);
std::vector<vuln::Weakness> DecodeWeaknesses(std::string_view text);

// Resets a cached statement when a read is done with it: a statement left on a row holds
// SQLite's shared lock, which would keep other processes' writers waiting.
class ResetOnExit {
 public:
  explicit ResetOnExit(storage::Statement* s) : s_(s) {}
  ~ResetOnExit() { s_->Reset(); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  storage::Statement* s_;
};

}  // namespace vigil::triage

#endif  // VIGIL_TRIAGE_INTERNAL_REGISTER_IMPL_H_
