// What the parts of the register (register.cc, observe.cc, assess.cc) share: the connection,
// the clock, and the row readers and writers of the history.
#ifndef VIGIL_TRIAGE_INTERNAL_REGISTER_IMPL_H_
#define VIGIL_TRIAGE_INTERNAL_REGISTER_IMPL_H_

#include <optional>
#include <span>
#include <string>
#include <unordered_map>
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
// The opening a record's own row holds (schema version 4, opened_seq > 0) as the same columns
// of `triage_records r`: origin "opened", actor "vigil scan", no harm, vector or control (what
// observe.cc's Opening states).
inline constexpr std::string_view kOpeningColumns =
    "r.opened_seq, r.opened_at, r.opened_release, r.opened_version, 'opened', r.opened_status, "
    "r.opened_justification, r.opened_action, r.opened_fixed_in, r.opened_reason, 'vigil scan', "
    "'', '', ''";
// The current event of `triage_records r LEFT JOIN triage_events e ON e.seq=r.current_seq`:
// the event row's columns, or the opening's when the record has no event row of its own; all of
// kEventColumns in order, or the ones `names` lists (each one of kEventColumns).
std::string CurrentEventColumns(std::span<const std::string_view> names = {});
// The release a record's opening implies it was seen in, '' when its opening is an event row
// (a triage_sightings row of that release overrides it).
inline constexpr std::string_view kOpenedInColumn =
    "CASE WHEN r.opened_seq > 0 THEN r.opened_release ELSE '' END";

// A release's first filing as the newest of its product carries, without a row per record, every
// record seen in the release before it that it finds again at the same component version
// (triage_carries, schema version 3). Keyed by that earlier release (`from`): each release is
// carried from at most once, since only a release's first filing makes it the newest.
struct Carry {
  std::string release;  // the carrying release
  int64_t seq = 0;      // in the events' order: a carried event has this seq
  std::string at;       // when it was filed
};
using CarryChain = std::unordered_map<std::string, Carry>;  // from release → carry

// What a record's rows say and the carries imply: the last release it was seen in (following the
// carries from its last explicit sighting until the release it was absent from), and its current
// event, a carried one when the last carry is newer than its last event.
void ApplyCarries(Record& r, const CarryChain& chain, std::string_view absent_from);
// The event a carry gives a record whose decision `in_force` it carries from release `from`.
Event CarriedEvent(const Event& in_force, std::string_view from, const Carry& carry,
                   std::string_view version);

struct Register::Impl {
  explicit Impl(storage::Database database) : db(std::move(database)) {}
  storage::Database db;
  Env* env = nullptr;
  std::string path;
  bool read_only = false;
  int64_t schema_version = 0;  // 4 once migrated; a read-only open may find 1 to 3
  // Register::Snapshot's read transaction while one is open.
  std::optional<storage::Transaction> snapshot;
  // A read transaction for one call's reads, unless a Snapshot holds one (nullopt then).
  Result<std::optional<storage::Transaction>> BeginRead();
  // FailedPrecondition while a Snapshot is open: `what` cannot write then.
  Status Writable(std::string_view what) const;

  // RFC 3339 now, never before the last event (a clock set back does not reorder history).
  Result<std::string> Now();
  std::string Today();  // YYYY-MM-DD of the clock

  Result<std::optional<int64_t>> RecordId(const RecordKey& key);
  // Appends one event to record `id` (the record's current view is updated by the caller).
  Status AppendEvent(int64_t id, const Event& e);
  // The record at `id` with its current event, facts and component harm (risk not filled).
  // `chains`, when given, keeps each product's carries for the next records read (List).
  Result<Record> LoadRecord(int64_t id,
                            std::unordered_map<std::string, CarryChain>* chains = nullptr);
  std::string load_record_sql;  // LoadRecord's statement, built at the first
  Result<std::optional<risk::RiskPolicy>> LoadPolicy();
  // The carries of a product (none before schema version 3).
  Result<CarryChain> LoadCarries(std::string_view product);
  // The next sequence number of the history (events and carries share it).
  Result<int64_t> NextSeq();
  // Whether record `id` of `product` was seen in each release of the product, in filing order:
  // its explicit sightings, and the carries from a release it was seen in.
  struct Presence {
    std::string release, component_version;
    bool present = false;
    std::optional<Carry> carry;  // present by this carry (no row of its own)
    std::string from;            // the release carried from
  };
  // `chains` as for LoadRecord.
  Result<std::vector<Presence>> PresenceOf(
      int64_t id, std::string_view product,
      std::unordered_map<std::string, CarryChain>* chains = nullptr);
  // The product's carries, read once into `chains` (or every time without it).
  Result<const CarryChain*> CarriesOf(std::string_view product,
                                      std::unordered_map<std::string, CarryChain>* chains,
                                      CarryChain& own);
  // Fills Record::risk and Record::deadlines under `policy` as of `as_of` (days).
  void Assess(Record& r, const std::optional<risk::RiskPolicy>& policy, int64_t as_of) const;
  // Register::List's records, assessed as of `day`, read inside the caller's read transaction.
  Result<std::vector<Record>> ListRecords(const ListFilter& f,
                                          const std::optional<risk::RiskPolicy>& policy,
                                          int64_t day);
};

// Register::Impl::Assess for the many records of a filing, under one policy and date: records
// whose inputs are equal (a scan's findings share a few scores, harms and decisions) are assessed
// once and the outcome copied. Holds at most kMaxOutcomes outcomes.
class AssessCache {
 public:
  void Assess(const Register::Impl& impl, Record& r, const std::optional<risk::RiskPolicy>& policy,
              int64_t as_of);

 private:
  static constexpr size_t kMaxOutcomes = 4096;
  struct Outcome {
    risk::RiskDecision risk, unmitigated_risk;
    risk::SsvcDecision ssvc;
    std::vector<Deadline> deadlines;
  };
  std::unordered_map<std::string, Outcome> outcomes_;
  std::string key_;
};

Event ReadEvent(const storage::Statement& s, int first);

// "SELECT <record columns> FROM triage_records r LEFT JOIN triage_events e … <where>": a record
// with its current event (CurrentEventColumns); ReadRecord reads a row of it (the record's id at
// kRecordIdColumn).
struct RecordQuery {
  bool cwes = true;            // false reads a register of schema version 1 (no weaknesses)
  bool component_harm = true;  // false leaves the harm out (NULL), for a caller that knows it
  bool absent_from = true;     // false reads a register before schema version 3 ('')
  bool openings = true;        // false reads a register before schema version 4 (inner join)
  std::string_view extra;      // ", further columns" after kOpenedInIndex
};
std::string RecordSelect(std::string_view where, const RecordQuery& query = {});
Record ReadRecord(const storage::Statement& s);
inline constexpr int kRecordIdColumn = 16;
inline constexpr int kCwesColumn = 31;  // after the 14 event columns
inline constexpr int kAbsentFromColumn = 32;  // the release the record's carries stop before
inline constexpr int kOpenedInIndex = 33;     // kOpenedInColumn ('' before schema version 4)

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
