// Filing a scan into the register (register.h, "How records come and go"; Filing). One write
// transaction from BeginFiling to Commit: a scan is filed whole or not at all.
//
// Speed: the component harms and the policy are read once at the start, and so, for the newest
// release, are the product's records (with their current decisions, narrowly: kKnownSelect) and
// the records already seen in it; an earlier release's filing reads a record (one query) when a
// finding first names it.
// (Reading the newest release's records one by one when first named instead, tried for issue
// 15, cost twice the instructions per record, 48k against 21k, when the history is the one
// release before, as in bench_vuln: it only pays for a history much larger than the scan.)
// Ids and event sequence numbers are allocated here. A new finding then costs one row: the
// record's, holding its opening event and implying its sighting in this release (schema version
// 4; before, an event row and a sighting row as well, Opened). A release's first filing as the
// newest writes one carry row (triage_carries) for every record seen in the release before it that
// it finds again at the same version: such a record costs no row at all (its carried event is
// derived from the carry, register_impl.h ApplyCarries), unless the advisory's facts changed. A
// re-opened record, one carried to another version or seen again after an absence costs two rows
// and an update of the record's release, version and current event; a record the carry would
// wrongly imply (not found, or opened by an earlier release's filing) an absence row. One already
// filed in this release costs nothing unless its facts changed. New rows are written 32 to an
// INSERT (Flush): a statement's start and reset cost about as much as a row. Whole INSERTs run on
// a writer thread (SerialWorker) beside the filing, which meanwhile decides the next findings'
// records; the rest, and every other statement, on the filing's thread once the writer is done
// (Direct).
#include <cstdint>
#include <functional>
#include <map>
#include <initializer_list>
#include <optional>
#include <mutex>
#include <unordered_map>

#include "internal/register_impl.h"
#include "vigil/core/dates.h"
#include "vigil/core/serial_worker.h"

namespace vigil::triage {
namespace {

using storage::Statement;
using storage::Transaction;

std::string VexReason(const vuln::Finding& f) {
  return "from VEX " + (f.vex_trace.empty() ? std::string("statement") : f.vex_trace) +
         (f.vex_detail.empty() ? "" : ": " + f.vex_detail);
}

// The decision a new record opens with: in triage, or what a VEX statement applied by the scan
// already says about it.
Decision Opening(const vuln::Finding& f, std::string_view release) {
  Decision d;
  d.actor = "vigil scan";
  constexpr std::string_view kFound = "found by the scan of release ";
  d.reason.reserve(kFound.size() + release.size() + f.match_reason.size() + 3);  // one allocation
  d.reason.append(kFound).append(release).append(" (").append(f.match_reason).append(")");
  switch (f.vex_status) {
    case vuln::VexStatus::kNotAffected:
      if (f.vex_justification.empty()) break;
      d.status = TriageStatus::kNotAffected;
      d.justification = f.vex_justification;
      d.reason = VexReason(f);
      break;
    case vuln::VexStatus::kAffected:
      d.status = TriageStatus::kAffected;
      d.action = f.vex_detail.empty() ? "see the VEX statement" : f.vex_detail;
      d.reason = VexReason(f);
      break;
    case vuln::VexStatus::kFixed:
      d.status = TriageStatus::kFixed;
      d.fixed_in = std::string(release);
      d.reason = VexReason(f);
      break;
    default:
      break;
  }
  return d;
}

// A decision the scan states, keeping the facts people stated (harm, device vector, control).
Decision Restated(const Decision& prev, TriageStatus status, std::string reason) {
  Decision d;
  d.status = status;
  d.reason = std::move(reason);
  d.actor = "vigil scan";
  d.harm = prev.harm;
  d.cvss_vector = prev.cvss_vector;
  d.compensating_control = prev.compensating_control;
  return d;
}

Status CheckName(std::string_view what, std::string_view v) {
  if (!v.empty() && v.size() <= 256 && v.find_first_of("\n\r") == std::string_view::npos) {
    return OkStatus();
  }
  return InvalidArgumentError("triage register: " + std::string(what) +
                              ": expected 1-256 characters on one line");
}

std::string MapKey(std::string_view vulnerability, std::string_view component) {
  std::string k(vulnerability);
  k += '\n';
  k += component;
  return k;
}

ScanFacts FactsOf(const vuln::Finding& f) {
  ScanFacts s;
  s.advisory_id = f.advisory_id;
  s.summary = f.summary;
  s.component_name = f.component_name;
  s.cvss_vector = f.cvss_vector;
  s.cvss_score = f.cvss_score;
  s.kev = f.kev;
  s.kev_due_date = f.kev_due_date;
  s.epss = f.epss_score;
  s.weaknesses = f.weaknesses;
  return s;
}

// The advisory's facts as one string compared whole (Known::facts_key): equal when SameFacts
// finds them equal, the texts length-prefixed, the scores by value (-0 as 0) and the weaknesses
// as the register stores them.
void AppendFactsKey(std::string& out, std::initializer_list<std::string_view> texts,
                    std::optional<double> cvss_score, bool kev, std::optional<double> epss) {
  for (std::string_view t : texts) {
    const uint32_t n = static_cast<uint32_t>(t.size());  // a text of the register is short
    out.append(reinterpret_cast<const char*>(&n), sizeof n);
    out += t;
  }
  for (const std::optional<double>& v : {cvss_score, epss}) {
    out += v ? '+' : '-';
    const double d = v && *v != 0 ? *v : 0.0;
    out.append(reinterpret_cast<const char*>(&d), sizeof d);
  }
  out += kev ? '1' : '0';
}

void AppendFactsKey(std::string& out, const ScanFacts& f) {
  const std::string cwes = f.weaknesses.empty() ? std::string() : EncodeWeaknesses(f.weaknesses);
  AppendFactsKey(out,
                 {f.advisory_id, f.summary, f.component_name, f.cvss_vector, f.kev_due_date, cwes},
                 f.cvss_score, f.kev, f.epss);
}

bool SameFacts(const ScanFacts& a, const ScanFacts& b) {
  return a.advisory_id == b.advisory_id && a.summary == b.summary &&
         a.component_name == b.component_name && a.cvss_vector == b.cvss_vector &&
         a.cvss_score == b.cvss_score && a.kev == b.kev && a.kev_due_date == b.kev_due_date &&
         a.epss == b.epss && a.weaknesses == b.weaknesses;
}

// Whether a record last sighted explicitly in `start` is, carries followed, seen in `target`.
bool Reaches(const CarryChain& chain, const std::string& start, std::string_view absent_from,
             std::string_view target) {
  const std::string* at = &start;
  for (size_t hops = 0; !at->empty() && hops <= chain.size(); ++hops) {
    if (*at == target) return true;
    auto next = chain.find(*at);
    if (next == chain.end() || next->second.release == absent_from) return false;
    at = &next->second.release;
  }
  return false;
}

// Rows per multi-row INSERT: 32 events are 480 parameters (SQLite allows 32,766, PostgreSQL
// 65,535).
constexpr size_t kRowsPerInsert = 32;

// A new record's row. On SQLite with OR FAIL: a failing row stops its statement there,
// keeping the statement's rows before it, instead of undoing the statement (ABORT). So SQLite
// keeps no statement journal for a records INSERT; with ABORT it copied every page the
// statement touched that the filing had already written (the key index takes rows at random
// leaves), ~120 M instructions for a first filing of the 10k-component bench SBOM, a tenth of
// the register's. The rows a failed statement leaves are never committed: a failed batch fails
// the filing (Filing::FileViews, Commit). Events keep ABORT: their foreign key is checked at
// the statement's end, which needs the journal whatever the conflict clause.
constexpr std::string_view kRecordsVerb[2] = {"INSERT INTO", "INSERT OR FAIL INTO"};
// From schema version 4, the row of a record this filing opens (kRecordsColumns then
// kRecordOpeningColumns) takes the filing's product, discovery date, release (its last release
// and its opening's) and time (its opening's) from parameters bound once a statement
// (?1 … ?4), and its current event is its opening (current_seq = opened_seq, opened_version =
// component_version): 20 parameters a row instead of 27, a quarter fewer bindings
// (BindNewRecordRow checks each row against them).
constexpr int kNewRecordConstants = 4, kNewRecordParameters = 20;
std::string NewRecordRow(int first) {
  auto p = [first](int i) { return "?" + std::to_string(first + i); };
  // Own parameters: 0 id, 1 vulnerability, 2 component, 3 component_version, 4 absent_from,
  // 5 seq, 6-14 the facts (BindFacts), 15 status, 16 justification, 17 action, 18 fixed_in,
  // 19 reason.
  std::string row = "(" + p(0) + ",?1," + p(1) + "," + p(2) + ",?2,?3," + p(3) + "," + p(4) +
                     "," + p(5);
  for (int i = 6; i <= 14; ++i) row += "," + p(i);
  row += "," + p(5) + ",?4,?3," + p(3);
  for (int i = 15; i <= 19; ++i) row += "," + p(i);
  return row + ")";
}
constexpr const char* kRecordsColumns =
    " triage_records(id, product, vulnerability, component, discovered, release,"
    " component_version, absent_from, current_seq, advisory_id, summary, component_name,"
    " cvss_vector, cvss_score, kev, kev_due, epss, cwes";
constexpr const char* kRecordOpeningColumns =
    ", opened_seq, opened_at, opened_release, opened_version, opened_status,"
    " opened_justification, opened_action, opened_fixed_in, opened_reason";

// An INSERT of kRowsPerInsert rows and of one: "HEAD VALUES(?,?),(?,?)TAIL", `columns`
// parameters a row. Or, with `row`, the statement's first `constants` parameters are the same
// for every row (?1 … ?constants, bound once a statement with its first row) and `row(first)`
// writes a row whose own parameters are numbered from `first`.
struct RowInsert {
  RowInsert(std::string_view head, int n, std::string_view tail) : columns(n) {
    std::string one_row = "(?";
    for (int c = 1; c < columns; ++c) one_row += ",?";
    one_row += ')';
    Build(head, tail, [&](int) { return one_row; });
  }
  RowInsert(std::string_view head, int n_constants, int n,
            const std::function<std::string(int)>& row)
      : constants(n_constants), columns(n) {
    Build(head, "", row);
  }
  int constants = 0, columns;
  std::string one, many;

 private:
  void Build(std::string_view head, std::string_view tail,
             const std::function<std::string(int)>& row) {
    one = std::string(head) + " VALUES" + row(constants + 1) + std::string(tail);
    many = std::string(head) + " VALUES";
    for (size_t r = 0; r < kRowsPerInsert; ++r) {
      if (r > 0) many += ',';
      many += row(constants + 1 + static_cast<int>(r) * columns);
    }
    many += tail;
  }
};

}  // namespace

struct Filing::State {
  State(Register::Impl& i, storage::Transaction t) : impl(i), tx(std::move(t)) {}

  Register::Impl& impl;
  storage::Transaction tx;
  std::string product, release, now;
  bool newest = false;
  int64_t next_id = 0, next_seq = 0, as_of = 0;
  // The product's carries before this filing, and this filing's own: set when it is the
  // release's first filing and an earlier release was the newest (`carry.release` empty else).
  CarryChain chain;
  std::string carry_from;
  Carry carry;
  std::unordered_map<std::string, int64_t> release_seq;  // the product's releases in order
  std::optional<risk::RiskPolicy> policy;
  struct Known {
    int64_t id = 0;
    Record record;  // its release the last one seen in, carries followed (ApplyCarries)
    std::string stored_release;  // the record's release column: its last explicit sighting
    std::string absent_from;     // the release its carries stop before ('' none)
    // The release its opening implies it was seen in: '' when the opening is an event row
    // (before schema version 4). No absence is ever written there (Absent).
    std::string opened_in;
    bool sighted = false;  // seen in this release (before or during this filing)
    bool filed = false;    // by this filing (a second advisory of the same CVE adds nothing)
    // Read by LoadAll: the record's facts are only their key (AppendFactsKey), its current
    // event has no time, reason or actor (a filing that files it replaces that event; one that
    // keeps it reads the record whole first, Complete).
    bool partial = false;
    std::string facts_key;
  };
  // vulnerability \n component. The newest release's filing reads every record of the product
  // (its commit marks the open ones it did not see as not found); an earlier release's reads
  // only those its findings name, when first named (Find), so filing a release costs its own
  // findings, not the product's history.
  // An ordered map, not a hash table: freeing a filing's 30k records returns their small blocks
  // to glibc's fast bins, and freeing a hash table's bucket array after them (a large block)
  // made glibc consolidate those bins on the committing thread, ~35 ms of a next release's
  // tail; a tree has no large block. Its look-ups cost ~1 % more instructions. Also: Commit
  // marks the records not found in key order, not in hash order.
  std::map<std::string, Known, std::less<>> known;
  bool all_known = false;
  // How many of the records LoadAll read this release has not seen: Commit looks for the ones
  // not found only when there are some (walking 30k records' scattered nodes cost 10 ms).
  int64_t unsighted = 0;
  void Sight(Known& k) {
    if (!k.sighted && all_known) --unsighted;
    k.sighted = true;
  }
  std::unordered_map<std::string, risk::Harm> harms;  // component → harm
  AssessCache assess;
  ObserveSummary summary;

  Status Load();
  Status LoadAll();
  // The entry of (vulnerability, component), read from the database when not all are known;
  // `fresh` when the register has no such record.
  Result<Known*> Find(const std::string& vulnerability, const std::string& component,
                      bool& fresh);
  Status BindFacts(Statement& s, int first, const Record& r);
  Status UpdateFacts(const Known& k);
  Status MoveRecord(const Known& k, bool facts);
  // Reads a record's row (RecordSelect's columns) into `k`, carries followed.
  void ReadKnown(const Statement& s, Known& k);
  // The same from a row of LoadAll's narrower query (kKnownSelect): `k` partial.
  void ReadPartial(const Statement& s, Known& k);
  // Reads a partial record whole.
  Status Complete(Known& k);
  // Takes the finding's facts into the record (whole from then on); true when they differ from
  // the stored ones.
  bool TakeFacts(Known& k, const vuln::Finding& f);
  // A record now seen in this release explicitly (an event and a sighting of its own): where its
  // carries stop from here, and the absence that says so (PresenceOf).
  void SeenHere(Known& k);
  // New rows wait here (each entry's record as it stands: a record's row, its current event, its
  // sighting in this release) and are written kRowsPerInsert to a statement by Flush, the rest
  // by Flush(true) before the commit. Nothing reads them back from the database meanwhile:
  // `known` holds them, and a record gets one event per filing.
  std::vector<const Known*> new_records, new_events, new_sightings;
  std::vector<std::pair<const Known*, std::string>> new_absences;  // and the release
  // A record this filing opens: from schema version 4 its row holds the opening and implies its
  // sighting here; before, an event and a sighting of their own.
  void Opened(Known& k) {
    new_records.push_back(&k);
    if (impl.schema_version >= 4) {
      k.opened_in = release;
      return;
    }
    new_events.push_back(&k);
    new_sightings.push_back(&k);
  }
  // Queues an absence of `k` from release `in`, except where its opening implies a sighting: an
  // absence never overrides a sighting (kAbsences), explicit or implied.
  void Absent(const Known& k, const std::string& in) {
    if (in != k.opened_in) new_absences.push_back({&k, in});
  }
  Status Flush(bool all);
  using RowBinder = std::function<Status(Statement&, int first, size_t row)>;
  Result<size_t> InsertRows(const RowInsert& sql, size_t count, bool all, const RowBinder& bind);
  // The first `ready` rows of `rows` to `sql`: whole INSERTs posted to `writer` (their rows
  // copied into the write), or with `all` every one written here (after writer.Sync()).
  template <typename Row>
  Status WriteRows(const RowInsert& sql, std::vector<Row>& rows, size_t ready, bool all,
                   std::function<Status(Statement&, int first, const Row&)> bind);
  // A statement of the connection for this thread's own use: waits for the writer first.
  Result<Statement*> Direct(std::string_view sql) {
    VIGIL_RETURN_IF_ERROR(writer.Sync());
    return impl.db.Cached(sql);
  }
  // A record this filing opened: before schema version 4, and from it (NewRecordRow).
  Status BindRecordRow(Statement& s, int first, const Known& k);
  Status BindNewRecordRow(Statement& s, int first, const Known& k);
  std::string discovered;  // today, YYYY-MM-DD: the discovery date of the records it opens
  Status BindEventRow(Statement& s, int first, int64_t id, const Event& e);
  // The finding's record as it now stands (`known` holds it until the commit).
  Result<Record*> FileOne(const vuln::Finding& f);
  // Filing::FileViews's and Commit's work.
  Result<std::vector<const Record*>> FileBatch(std::span<const vuln::Finding> batch);
  Result<ObserveSummary> CommitAll();
  // The first failure of a batch or of the commit: kept, and the transaction rolled back (once
  // the writer is done), so that nothing of the filing is ever committed after it.
  Status failure;
  void Fail(Error e) {
    failure = std::move(e);
    (void)writer.Sync();
    if (tx.open()) (void)tx.Rollback();
  }
  Error Failed() const {
    return failure.error().WithContext("triage filing: an earlier step failed, nothing was filed");
  }
  Status NotFound(Known& k);
  Event Next(std::string_view version, std::string_view origin, Decision d) {
    Event e;
    e.seq = ++next_seq;
    e.at = now;
    e.release = release;
    e.component_version = version;
    e.origin = origin;
    e.decision = std::move(d);
    return e;
  }
  // The records FileViews assessed in place for its caller: their risk, SSVC and deadlines are
  // dropped at the next File (a filing holds every record until its commit; the assessments
  // would double what they hold).
  std::vector<Record*> lent;
  void Unlend() {
    for (Record* r : lent) {
      r->risk = {};
      r->unmitigated_risk = {};
      r->ssvc = {};
      std::vector<Deadline>().swap(r->deadlines);
    }
    lent.clear();
  }
  // Runs Flush's whole INSERTs beside the filing (mostly SQLite inserting rows: about half of
  // the filing's instructions for the 10k-component bench SBOM), on the core the matcher leaves
  // free. The connection is used by one thread at a time: the filing calls writer.Sync()
  // before it uses the connection itself (Direct), and the rows a posted INSERT binds stay
  // unchanged until it ran. Last: joined before the transaction ends (dropping the INSERTs not
  // started: a filing left without Commit rolls back what ran).
  SerialWorker writer;
};

// The newest release of the product ("" when none).
Result<std::string> NewestRelease(Register::Impl& impl, std::string_view product) {
  VIGIL_ASSIGN_OR_RETURN(Statement * q,
                         impl.db.Cached("SELECT release FROM triage_releases WHERE"
                                        " product=? ORDER BY seq DESC LIMIT 1"));
  ResetOnExit reset_q(q);
  VIGIL_RETURN_IF_ERROR(q->BindText(1, product));
  VIGIL_ASSIGN_OR_RETURN(bool row, q->Step());
  return row ? std::string(q->ColumnText(0)) : std::string();
}

Status Filing::State::Load() {
  VIGIL_ASSIGN_OR_RETURN(std::string before, NewestRelease(impl, product));
  VIGIL_ASSIGN_OR_RETURN(
      Statement * s, impl.db.Cached("INSERT INTO triage_releases(product, release, seq,"
                                    " first_scanned) SELECT ?1, ?2, coalesce(max(seq),0)+1, ?3"
                                    " FROM triage_releases WHERE product=?1"
                                    " ON CONFLICT DO NOTHING"));
  VIGIL_RETURN_IF_ERROR(s->BindText(1, product));
  VIGIL_RETURN_IF_ERROR(s->BindText(2, release));
  VIGIL_RETURN_IF_ERROR(s->BindText(3, now));
  VIGIL_RETURN_IF_ERROR(s->Run());
  const bool first_filing = impl.db.Changes() > 0;
  // Only the newest release decides what a missing finding means.
  VIGIL_ASSIGN_OR_RETURN(std::string newest_release, NewestRelease(impl, product));
  newest = newest_release == release;
  VIGIL_ASSIGN_OR_RETURN(Statement ids, impl.db.Prepare(
      "SELECT coalesce(max(id),0) FROM triage_records"));
  VIGIL_ASSIGN_OR_RETURN(bool row, ids.Step());
  next_id = row ? ids.ColumnInt(0) : 0;
  VIGIL_ASSIGN_OR_RETURN(next_seq, impl.NextSeq());
  --next_seq;
  VIGIL_ASSIGN_OR_RETURN(chain, impl.LoadCarries(product));
  VIGIL_ASSIGN_OR_RETURN(Statement order, impl.db.Prepare("SELECT release, seq FROM"
                                                          " triage_releases WHERE product=?"));
  VIGIL_RETURN_IF_ERROR(order.BindText(1, product));
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool more, order.Step());
    if (!more) break;
    release_seq[std::string(order.ColumnText(0))] = order.ColumnInt(1);
  }
  if (first_filing && !before.empty()) {  // its carry comes first in the history's order
    carry_from = before;
    carry = {release, ++next_seq, now};
  }
  VIGIL_ASSIGN_OR_RETURN(Statement hs, impl.db.Prepare("SELECT component, harm FROM"
                                                       " triage_component_harm WHERE product=?"
                                                       " ORDER BY seq"));
  VIGIL_RETURN_IF_ERROR(hs.BindText(1, product));
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool more, hs.Step());
    if (!more) break;
    if (auto h = risk::ParseHarm(hs.ColumnText(1))) harms[std::string(hs.ColumnText(0))] = *h;
  }
  VIGIL_ASSIGN_OR_RETURN(policy, impl.LoadPolicy());
  as_of = impl.env->NowUnixMicros() / 1000000 / 86400;
  return newest ? LoadAll() : OkStatus();
}

// The columns of the product's records a filing needs to carry, re-open or compare them
// (ReadPartial): the current event without its time, reason and actor, the facts for their key.
// Reading every column whole cost half again as many instructions as the plain scan's filing.
// From schema version 4 the current event is the opening in the record's row when it has no
// event row (CurrentEventColumns), and the last column is the release the opening implies.
// `table_order`: read the table in rowid order, not through the records' key index (SQLite).
std::string KnownSelect(bool openings, bool table_order) {
  static constexpr std::string_view kDecision[] = {
      "release", "component_version", "origin", "status", "justification", "action",
      "fixed_in", "harm", "cvss_vector", "compensating_control"};
  std::string decision;
  if (openings) {
    decision = "r.current_seq, " + CurrentEventColumns(kDecision);
  } else {
    decision = "e.seq";
    for (std::string_view c : kDecision) decision += ", e." + std::string(c);
  }
  return "SELECT r.id, r.vulnerability, r.component, r.discovered, r.release,"
         " r.component_version, r.notified, r.absent_from, " +
         decision +
         ", r.advisory_id, r.summary, r.component_name, r.cvss_vector, r.kev_due, r.cwes,"
         " r.cvss_score, r.kev, r.epss, " +
         std::string(openings ? kOpenedInColumn : "''") + " FROM triage_records r " +
         (table_order ? "NOT INDEXED " : "") + (openings ? "LEFT " : "") +
         "JOIN triage_events e ON e.seq=r.current_seq WHERE r.product=?";
}

void Filing::State::ReadPartial(const Statement& s, Known& k) {
  Record& r = k.record;
  k.id = s.ColumnInt(0);
  r.key = {product, std::string(s.ColumnText(1)), std::string(s.ColumnText(2))};
  r.discovered = s.ColumnText(3);
  r.release = s.ColumnText(4);
  r.component_version = s.ColumnText(5);
  r.notified = s.ColumnText(6);
  k.absent_from = s.ColumnText(7);
  Event& e = r.current;
  e.seq = s.ColumnInt(8);
  e.release = s.ColumnText(9);
  e.component_version = s.ColumnText(10);
  e.origin = s.ColumnText(11);
  Decision& d = e.decision;
  d.status = ParseTriageStatus(s.ColumnText(12)).value_or(TriageStatus::kInTriage);
  d.justification = s.ColumnText(13);
  d.action = s.ColumnText(14);
  d.fixed_in = s.ColumnText(15);
  d.harm = risk::ParseHarm(s.ColumnText(16));
  d.cvss_vector = s.ColumnText(17);
  d.compensating_control = s.ColumnText(18);
  auto real = [&](int c) {
    return s.ColumnIsNull(c) ? std::nullopt : std::optional<double>(s.ColumnReal(c));
  };
  AppendFactsKey(k.facts_key,
                 {s.ColumnText(19), s.ColumnText(20), s.ColumnText(21), s.ColumnText(22),
                  s.ColumnText(23), s.ColumnText(24)},
                 real(25), s.ColumnInt(26) != 0, real(27));
  k.opened_in = s.ColumnText(28);
  k.partial = true;
  k.stored_release = r.release;
  ApplyCarries(r, chain, k.absent_from);
}

Status Filing::State::Complete(Known& k) {
  if (!k.partial) return OkStatus();
  static const std::string kById[2] = {
      RecordSelect("WHERE r.id=?", {.component_harm = false, .openings = false, .extra = {}}),
      RecordSelect("WHERE r.id=?", {.component_harm = false, .openings = true, .extra = {}})};
  VIGIL_ASSIGN_OR_RETURN(Statement * s, Direct(kById[impl.schema_version >= 4 ? 1 : 0]));
  ResetOnExit reset_s(s);
  VIGIL_RETURN_IF_ERROR(s->BindInt(1, k.id));
  VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return InternalError("triage register: record " + std::to_string(k.id) + " vanished");
  ReadKnown(*s, k);
  k.partial = false;
  k.facts_key.clear();
  return OkStatus();
}

bool Filing::State::TakeFacts(Known& k, const vuln::Finding& f) {
  ScanFacts facts = FactsOf(f);
  bool changed = false;
  if (k.partial) {
    std::string key;
    AppendFactsKey(key, facts);
    changed = key != k.facts_key;
    k.partial = false;
    k.facts_key = std::string();
  } else {
    changed = !SameFacts(facts, k.record.facts);
  }
  k.record.facts = std::move(facts);
  return changed;
}

// Whether the register holds records of another product than this filing's.
Result<bool> OtherProducts(Register::Impl& impl, std::string_view product) {
  VIGIL_ASSIGN_OR_RETURN(Statement * q, impl.db.Cached("SELECT 1 FROM triage_releases WHERE"
                                                       " product<>? LIMIT 1"));
  ResetOnExit reset_q(q);
  VIGIL_RETURN_IF_ERROR(q->BindText(1, product));
  return q->Step();
}

Status Filing::State::LoadAll() {
  all_known = true;
  // A SQLite register of this product alone is read in table order: through the records' key
  // index, which the product leads, each row costs a look-up in the table as well (2-3x the
  // time for the 30k records of the bench SBOM).
  VIGIL_ASSIGN_OR_RETURN(bool others, OtherProducts(impl, product));
  const bool table_order = !others && impl.db.dialect() == storage::Dialect::kSqlite;
  VIGIL_ASSIGN_OR_RETURN(Statement rs,
                         impl.db.Prepare(KnownSelect(impl.schema_version >= 4, table_order)));
  VIGIL_RETURN_IF_ERROR(rs.BindText(1, product));
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool more, rs.Step());
    if (!more) break;
    Known k;
    ReadPartial(rs, k);
    k.sighted = k.record.release == release || k.opened_in == release;  // carried, or opened
    if (!k.sighted) ++unsighted;
    known.emplace(MapKey(k.record.key.vulnerability, k.record.key.component), std::move(k));
  }
  VIGIL_ASSIGN_OR_RETURN(
      Statement seen, impl.db.Prepare("SELECT r.vulnerability, r.component FROM triage_sightings g"
                                      " JOIN triage_records r ON r.id=g.record WHERE r.product=?"
                                      " AND g.release=? AND g.present=1"));
  VIGIL_RETURN_IF_ERROR(seen.BindText(1, product));
  VIGIL_RETURN_IF_ERROR(seen.BindText(2, release));
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool more, seen.Step());
    if (!more) break;
    auto it = known.find(MapKey(seen.ColumnText(0), seen.ColumnText(1)));
    if (it != known.end()) Sight(it->second);
  }
  return OkStatus();
}

Result<Filing::State::Known*> Filing::State::Find(const std::string& vulnerability,
                                                  const std::string& component, bool& fresh) {
  auto [it, added] = known.try_emplace(MapKey(vulnerability, component));
  fresh = false;
  if (!added) return &it->second;
  if (all_known) {
    fresh = true;
    return &it->second;
  }
  // One query: the record with its current decision, and whether this release saw it already.
  // (A sighting the opening implies is never overridden by an absence: Absent.)
  static constexpr std::string_view kWhere =
      "WHERE r.product=?1 AND r.vulnerability=?2 AND r.component=?3";
  static const std::string kFind[2] = {
      RecordSelect(kWhere, {.component_harm = false,
                            .openings = false,
                            .extra = ", EXISTS(SELECT 1 FROM triage_sightings g WHERE"
                                     " g.record=r.id AND g.release=?4 AND g.present=1)"}),
      RecordSelect(kWhere, {.component_harm = false,
                            .openings = true,
                            .extra = ", EXISTS(SELECT 1 FROM triage_sightings g WHERE"
                                     " g.record=r.id AND g.release=?4 AND g.present=1) OR"
                                     " (r.opened_seq > 0 AND r.opened_release=?4)"})};
  VIGIL_ASSIGN_OR_RETURN(Statement * rs, Direct(kFind[impl.schema_version >= 4 ? 1 : 0]));
  ResetOnExit reset_rs(rs);
  VIGIL_RETURN_IF_ERROR(rs->BindText(1, product));
  VIGIL_RETURN_IF_ERROR(rs->BindText(2, vulnerability));
  VIGIL_RETURN_IF_ERROR(rs->BindText(3, component));
  VIGIL_RETURN_IF_ERROR(rs->BindText(4, release));
  VIGIL_ASSIGN_OR_RETURN(bool row, rs->Step());
  Known& k = it->second;
  fresh = !row;
  if (row) {
    ReadKnown(*rs, k);
    k.sighted = rs->ColumnInt(kOpenedInIndex + 1) != 0 ||
                Reaches(chain, k.stored_release, k.absent_from, release);
  }
  return &k;
}

void Filing::State::ReadKnown(const Statement& s, Known& k) {
  k.id = s.ColumnInt(kRecordIdColumn);
  k.record = ReadRecord(s);
  k.stored_release = k.record.release;
  k.absent_from = s.ColumnText(kAbsentFromColumn);
  k.opened_in = s.ColumnText(kOpenedInIndex);
  ApplyCarries(k.record, chain, k.absent_from);
}

void Filing::State::SeenHere(Known& k) {
  auto next = chain.find(release);
  auto order = [&](const std::string& r) {
    auto it = release_seq.find(r);
    return it == release_seq.end() ? 0 : it->second;
  };
  if (!k.stored_release.empty() && order(k.stored_release) > order(release)) {
    // Sighted explicitly in a later release already: that stays its last, and the carry from
    // here must not imply it was seen in the next release (a sighting there stands).
    if (next != chain.end()) Absent(k, next->second.release);
    return;
  }
  // Not seen here before, so not in the release carried from here either.
  k.stored_release = release;
  k.absent_from = next == chain.end() ? std::string() : next->second.release;
  if (next != chain.end()) Absent(k, next->second.release);
}

// The advisory's facts: advisory_id, summary, component_name, cvss_vector, cvss_score, kev,
// kev_due, epss, cwes. The row binders bind texts as views (no copy): a record stays in `known`,
// unchanged, until the statement it was bound to runs.
Status Filing::State::BindFacts(Statement& s, int i, const Record& r) {
  const ScanFacts& f = r.facts;
  for (std::string_view v : {std::string_view(f.advisory_id), std::string_view(f.summary),
                             std::string_view(f.component_name), std::string_view(f.cvss_vector)}) {
    VIGIL_RETURN_IF_ERROR(s.BindTextView(i++, v));
  }
  VIGIL_RETURN_IF_ERROR(f.cvss_score ? s.BindReal(i, *f.cvss_score) : s.BindNull(i));
  VIGIL_RETURN_IF_ERROR(s.BindInt(i + 1, f.kev ? 1 : 0));
  VIGIL_RETURN_IF_ERROR(s.BindTextView(i + 2, f.kev_due_date));
  VIGIL_RETURN_IF_ERROR(f.epss ? s.BindReal(i + 3, *f.epss) : s.BindNull(i + 3));
  if (f.weaknesses.empty()) return s.BindTextView(i + 4, "");
  return s.BindText(i + 4, EncodeWeaknesses(f.weaknesses));
}

// A new record's row before schema version 4 (its opening an event row of its own).
Status Filing::State::BindRecordRow(Statement& s, int i, const Known& k) {
  const Record& r = k.record;
  VIGIL_RETURN_IF_ERROR(s.BindInt(i, k.id));
  int c = i + 1;
  for (std::string_view v : {std::string_view(r.key.product), std::string_view(r.key.vulnerability),
                             std::string_view(r.key.component), std::string_view(r.discovered),
                             std::string_view(k.stored_release),
                             std::string_view(r.component_version),
                             std::string_view(k.absent_from)}) {
    VIGIL_RETURN_IF_ERROR(s.BindTextView(c++, v));
  }
  VIGIL_RETURN_IF_ERROR(s.BindInt(c++, r.current.seq));
  return BindFacts(s, c, r);
}

Status Filing::State::BindNewRecordRow(Statement& s, int i, const Known& k) {
  const Record& r = k.record;
  const Event& e = r.current;
  const Decision& d = e.decision;
  if (r.key.product != product || r.discovered != discovered || k.stored_release != release ||
      e.at != now || e.release != release || e.component_version != r.component_version) {
    return InternalError("triage filing: record " + std::to_string(k.id) +
                         " is not one this filing opened");
  }
  if (i == kNewRecordConstants + 1) {  // the statement's first row
    VIGIL_RETURN_IF_ERROR(s.BindTextView(1, product));
    VIGIL_RETURN_IF_ERROR(s.BindTextView(2, discovered));
    VIGIL_RETURN_IF_ERROR(s.BindTextView(3, release));
    VIGIL_RETURN_IF_ERROR(s.BindTextView(4, now));
  }
  VIGIL_RETURN_IF_ERROR(s.BindInt(i, k.id));
  VIGIL_RETURN_IF_ERROR(s.BindTextView(i + 1, r.key.vulnerability));
  VIGIL_RETURN_IF_ERROR(s.BindTextView(i + 2, r.key.component));
  VIGIL_RETURN_IF_ERROR(s.BindTextView(i + 3, r.component_version));
  VIGIL_RETURN_IF_ERROR(s.BindTextView(i + 4, k.absent_from));
  VIGIL_RETURN_IF_ERROR(s.BindInt(i + 5, e.seq));
  VIGIL_RETURN_IF_ERROR(BindFacts(s, i + 6, r));
  int c = i + 15;
  for (std::string_view v : {TriageStatusName(d.status), std::string_view(d.justification),
                             std::string_view(d.action), std::string_view(d.fixed_in),
                             std::string_view(d.reason)}) {
    VIGIL_RETURN_IF_ERROR(s.BindTextView(c++, v));
  }
  return OkStatus();
}

Status Filing::State::UpdateFacts(const Known& k) {
  VIGIL_ASSIGN_OR_RETURN(
      Statement * s,
      Direct("UPDATE triage_records SET advisory_id=?, summary=?, component_name=?,"
             " cvss_vector=?, cvss_score=?, kev=?, kev_due=?, epss=?, cwes=? WHERE id=?"));
  VIGIL_RETURN_IF_ERROR(BindFacts(*s, 1, k.record));
  VIGIL_RETURN_IF_ERROR(s->BindInt(10, k.id));
  return s->Run();
}

// A record seen here explicitly: the columns a sighting moves, and the facts when they changed.
Status Filing::State::MoveRecord(const Known& k, bool facts) {
  VIGIL_ASSIGN_OR_RETURN(Statement * s,
                         Direct("UPDATE triage_records SET release=?, component_version=?,"
                                " current_seq=?, absent_from=? WHERE id=?"));
  VIGIL_RETURN_IF_ERROR(s->BindText(1, k.stored_release));
  VIGIL_RETURN_IF_ERROR(s->BindText(2, k.record.component_version));
  VIGIL_RETURN_IF_ERROR(s->BindInt(3, k.record.current.seq));
  VIGIL_RETURN_IF_ERROR(s->BindText(4, k.absent_from));
  VIGIL_RETURN_IF_ERROR(s->BindInt(5, k.id));
  VIGIL_RETURN_IF_ERROR(s->Run());
  return facts ? UpdateFacts(k) : OkStatus();
}

Status Filing::State::BindEventRow(Statement& s, int i, int64_t id, const Event& e) {
  const Decision& d = e.decision;
  VIGIL_RETURN_IF_ERROR(s.BindInt(i++, e.seq));
  VIGIL_RETURN_IF_ERROR(s.BindInt(i++, id));
  for (std::string_view v : {std::string_view(e.at), std::string_view(e.release),
                             std::string_view(e.component_version), std::string_view(e.origin),
                             TriageStatusName(d.status), std::string_view(d.justification),
                             std::string_view(d.action), std::string_view(d.fixed_in),
                             std::string_view(d.reason), std::string_view(d.actor),
                             d.harm ? risk::HarmName(*d.harm) : std::string_view(""),
                             std::string_view(d.cvss_vector),
                             std::string_view(d.compensating_control)}) {
    VIGIL_RETURN_IF_ERROR(s.BindTextView(i++, v));
  }
  return OkStatus();
}

// One statement per kRowsPerInsert rows (a statement's start, cursors and reset cost about as
// much as a row's insert); with `all` the rest one by one, else it stays for the next Flush.
// Returns the number of rows written, the first ones of `count`.
Result<size_t> Filing::State::InsertRows(const RowInsert& sql, size_t count, bool all,
                                         const RowBinder& bind) {
  size_t done = 0;
  while (count - done >= (all ? 1 : kRowsPerInsert)) {
    const size_t n = count - done >= kRowsPerInsert ? kRowsPerInsert : 1;
    VIGIL_ASSIGN_OR_RETURN(Statement * s, impl.db.Cached(n == 1 ? sql.one : sql.many));
    for (size_t i = 0; i < n; ++i) {
      VIGIL_RETURN_IF_ERROR(
          bind(*s, 1 + sql.constants + static_cast<int>(i) * sql.columns, done + i));
    }
    VIGIL_RETURN_IF_ERROR(s->Run());
    done += n;
  }
  return done;
}

template <typename Row>
Status Filing::State::WriteRows(const RowInsert& sql, std::vector<Row>& rows, size_t ready,
                                bool all,
                                std::function<Status(Statement&, int first, const Row&)> bind) {
  size_t taken = 0;
  if (all) {
    VIGIL_ASSIGN_OR_RETURN(taken,
                           InsertRows(sql, ready, true, [&](Statement& s, int first, size_t i) {
                             return bind(s, first, rows[i]);
                           }));
  }
  for (; !all && ready - taken >= kRowsPerInsert; taken += kRowsPerInsert) {
    const auto from = rows.begin() + static_cast<ptrdiff_t>(taken);
    std::vector<Row> chunk(from, from + kRowsPerInsert);
    VIGIL_RETURN_IF_ERROR(writer.Post([this, &sql, bind, chunk = std::move(chunk)]() -> Status {
      VIGIL_ASSIGN_OR_RETURN(
          size_t n, InsertRows(sql, chunk.size(), false, [&](Statement& s, int first, size_t i) {
            return bind(s, first, chunk[i]);
          }));
      (void)n;
      return OkStatus();
    }));
  }
  rows.erase(rows.begin(), rows.begin() + static_cast<ptrdiff_t>(taken));
  return OkStatus();
}

// Records first: an event names its record (a foreign key). A record this filing opens has its
// opening in its row (BindNewRecordRow), no event or sighting row (Opened). Whole INSERTs go to
// the writer thread; the rest waits for the next Flush, and Flush(true), after the writer is done,
// writes it here. A Known's row is bound on the writer thread while this one decides the next
// findings: a record is filed once per filing, so nothing changes a Known after it is queued.
Status Filing::State::Flush(bool all) {
  // From schema version 4 with the opening (BindNewRecordRow, NewRecordRow); on SQLite OR FAIL
  // (kRecordsVerb).
  static const RowInsert kRecords[2][2] = {
      {{std::string(kRecordsVerb[0]) + kRecordsColumns + ")", 18, ""},
       {std::string(kRecordsVerb[1]) + kRecordsColumns + ")", 18, ""}},
      {{std::string(kRecordsVerb[0]) + kRecordsColumns + kRecordOpeningColumns + ")",
        kNewRecordConstants, kNewRecordParameters, NewRecordRow},
       {std::string(kRecordsVerb[1]) + kRecordsColumns + kRecordOpeningColumns + ")",
        kNewRecordConstants, kNewRecordParameters, NewRecordRow}}};
  static const RowInsert kEvents(
      "INSERT INTO triage_events(seq, record, at, release, component_version, origin, status,"
      " justification, action, fixed_in, reason, actor, harm, cvss_vector, compensating_control)",
      15, "");
  // A sighting in this release (over an absence recorded before); an absence (present = 0)
  // where a carry would imply a sighting, never over one.
  static const RowInsert kSightings(
      "INSERT INTO triage_sightings(record, release, component_version, present)", 4,
      " ON CONFLICT (record, release) DO UPDATE SET present=1,"
      " component_version=excluded.component_version");
  static const RowInsert kAbsences(
      "INSERT INTO triage_sightings(record, release, component_version, present)", 4,
      " ON CONFLICT (record, release) DO NOTHING");
  if (all) VIGIL_RETURN_IF_ERROR(writer.Sync());
  using Row = const Known*;
  VIGIL_RETURN_IF_ERROR(WriteRows<Row>(
      kRecords[impl.schema_version >= 4 ? 1 : 0][impl.db.dialect() == storage::Dialect::kSqlite],
      new_records, new_records.size(), all,
      [this](Statement& s, int first, const Row& k) {
        return impl.schema_version >= 4 ? BindNewRecordRow(s, first, *k)
                                        : BindRecordRow(s, first, *k);
      }));
  // An event waits while its record does (new records' ids rise, so those still waiting have
  // the highest).
  const int64_t waiting = new_records.empty() ? INT64_MAX : new_records.front()->id;
  size_t ready = 0;
  while (ready < new_events.size() && new_events[ready]->id < waiting) ++ready;
  VIGIL_RETURN_IF_ERROR(WriteRows<Row>(kEvents, new_events, ready, all,
                                       [this](Statement& s, int first, const Row& k) {
                                         return BindEventRow(s, first, k->id, k->record.current);
                                       }));
  auto bind = [](Statement& s, int first, const Known& k, std::string_view in,
                 bool present) -> Status {
    VIGIL_RETURN_IF_ERROR(s.BindInt(first, k.id));
    VIGIL_RETURN_IF_ERROR(s.BindTextView(first + 1, in));
    VIGIL_RETURN_IF_ERROR(s.BindTextView(first + 2, k.record.component_version));
    return s.BindInt(first + 3, present ? 1 : 0);
  };
  VIGIL_RETURN_IF_ERROR(WriteRows<Row>(kSightings, new_sightings, new_sightings.size(), all,
                                       [this, bind](Statement& s, int first, const Row& k) {
                                         return bind(s, first, *k, release, true);
                                       }));
  using Absence = std::pair<const Known*, std::string>;
  return WriteRows<Absence>(kAbsences, new_absences, new_absences.size(), all,
                            [bind](Statement& s, int first, const Absence& a) {
                              return bind(s, first, *a.first, a.second, false);
                            });
}

Result<Record*> Filing::State::FileOne(const vuln::Finding& f) {
  const std::string vulnerability = Register::VulnerabilityOf(f);
  const std::string component = Register::ComponentOf(f);
  bool fresh = false;
  VIGIL_ASSIGN_OR_RETURN(Known * found, Find(vulnerability, component, fresh));
  Known& k = *found;
  if (k.filed) return &k.record;
  k.filed = true;
  if (fresh) {
    k.id = ++next_id;
    k.sighted = true;
    Record& r = k.record;
    r.key = {product, vulnerability, component};
    r.discovered = discovered;
    r.release = release;
    r.component_version = f.component_version;
    r.facts = FactsOf(f);
    r.current = Next(f.component_version, "opened", Opening(f, release));
    SeenHere(k);
    Opened(k);
    ++summary.opened;
    return &r;
  }
  Record& r = k.record;
  if (k.sighted) {  // already filed in this release: only the advisory's facts may change
    VIGIL_RETURN_IF_ERROR(Complete(k));
    ScanFacts facts = FactsOf(f);
    if (r.release == release && !SameFacts(facts, r.facts)) {
      r.facts = std::move(facts);
      VIGIL_RETURN_IF_ERROR(UpdateFacts(k));
    }
    ++summary.unchanged;
    return &r;
  }
  const Event& cur = r.current;
  const std::string& was = cur.component_version;
  if (!carry_from.empty() && r.release == carry_from && was == f.component_version) {
    // Seen in the release this one carries from, at the same version: this filing's carry row
    // says so for all such records; nothing of its own is written unless the facts changed.
    r.current = CarriedEvent(cur, carry_from, carry, was);
    r.release = release;
    Sight(k);
    if (TakeFacts(k, f)) VIGIL_RETURN_IF_ERROR(UpdateFacts(k));
    ++summary.carried;
    return &r;
  }
  Decision d = cur.decision;
  d.actor = "vigil scan";
  if (was == f.component_version || d.status == TriageStatus::kInTriage) {
    d.reason = "carried from release " + cur.release + ": component version " +
               f.component_version + (was == f.component_version ? " unchanged" : "");
    r.current = Next(f.component_version, "carried", std::move(d));
    ++summary.carried;
  } else {
    d = Restated(d, TriageStatus::kInTriage,
                 "re-opened: component version changed from " + was + " (release " + cur.release +
                     ") to " + f.component_version + "; the decision on " + was +
                     " does not speak about " + f.component_version);
    r.current = Next(f.component_version, "re-opened", std::move(d));
    ++summary.reopened;
  }
  Sight(k);
  // An earlier release filed again leaves the record's last release the later one it has.
  SeenHere(k);
  r.release = k.stored_release;
  ApplyCarries(r, chain, k.absent_from);  // the event just made is newer than every carry
  if (k.stored_release == release) r.component_version = f.component_version;
  const bool changed = TakeFacts(k, f);
  new_events.push_back(&k);
  new_sightings.push_back(&k);
  VIGIL_RETURN_IF_ERROR(MoveRecord(k, changed));
  return &r;
}

Filing::Filing(std::unique_ptr<State> state) : state_(std::move(state)) {}
Filing::~Filing() = default;

// The records are assessed where `known` holds them: the writer thread may meanwhile bind a
// record's key, facts and event, which assessing does not touch (risk, SSVC, deadlines, harm).
// A batch that fails leaves the filing failed: the batches after it and its Commit return that
// failure, and nothing is filed (a failed statement may have left some of its rows in the
// transaction, kRecordsVerb).
Result<std::vector<const Record*>> Filing::FileViews(std::span<const vuln::Finding> batch) {
  State& st = *state_;
  if (!st.failure) return st.Failed();
  if (!st.tx.open()) return FailedPreconditionError("triage filing: already committed");
  auto out = st.FileBatch(batch);
  if (!out) st.Fail(out.error());
  return out;
}

Result<std::vector<const Record*>> Filing::State::FileBatch(std::span<const vuln::Finding> batch) {
  State& st = *this;
  st.Unlend();
  std::vector<const Record*> out;
  out.reserve(batch.size());
  for (const vuln::Finding& f : batch) {
    if (f.unassessed) {  // not a finding: no source gives versions to decide it
      out.push_back(nullptr);
      continue;
    }
    VIGIL_ASSIGN_OR_RETURN(Record * r, st.FileOne(f));
    auto h = st.harms.find(r->key.component);
    r->component_harm = h == st.harms.end() ? std::nullopt : std::optional<risk::Harm>(h->second);
    st.assess.Assess(st.impl, *r, st.policy, st.as_of);
    st.lent.push_back(r);
    out.push_back(r);
  }
  VIGIL_RETURN_IF_ERROR(st.Flush(false));
  return out;
}

Result<std::vector<std::optional<Record>>> Filing::File(std::span<const vuln::Finding> batch) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<const Record*> views, FileViews(batch));
  std::vector<std::optional<Record>> out;
  out.reserve(views.size());
  for (const Record* r : views) {
    if (r == nullptr) {
      out.emplace_back();
    } else {
      out.emplace_back(*r);
    }
  }
  return out;
}

Result<ObserveSummary> Filing::Commit() {
  State& st = *state_;
  if (!st.failure) return st.Failed();
  if (!st.tx.open()) return FailedPreconditionError("triage filing: already committed");
  auto done = st.CommitAll();
  if (!done) st.Fail(done.error());
  return done;
}

Result<ObserveSummary> Filing::State::CommitAll() {
  State& st = *this;
  VIGIL_RETURN_IF_ERROR(st.writer.Sync());  // from here on this thread writes alone
  if (st.newest && st.unsighted > 0) {
    for (auto& [key, k] : st.known) {
      if (k.sighted) continue;
      VIGIL_RETURN_IF_ERROR(st.NotFound(k));
    }
  }
  if (!st.carry_from.empty()) {
    VIGIL_ASSIGN_OR_RETURN(Statement * c, st.Direct("INSERT INTO triage_carries(product, release,"
                                                    " from_release, seq, at) VALUES(?,?,?,?,?)"));
    VIGIL_RETURN_IF_ERROR(c->BindText(1, st.product));
    VIGIL_RETURN_IF_ERROR(c->BindText(2, st.release));
    VIGIL_RETURN_IF_ERROR(c->BindText(3, st.carry_from));
    VIGIL_RETURN_IF_ERROR(c->BindInt(4, st.carry.seq));
    VIGIL_RETURN_IF_ERROR(c->BindText(5, st.carry.at));
    VIGIL_RETURN_IF_ERROR(c->Run());
  }
  VIGIL_RETURN_IF_ERROR(st.Flush(true));
  st.lent.clear();
  VIGIL_RETURN_IF_ERROR(st.tx.Commit());
  return st.summary;
}

void Filing::LeaveRecordsToExit() {
  State& st = *state_;
  st.lent.clear();
  // Reachable from here until the process ends (so leak checkers do not report them).
  static auto* left = new std::vector<std::map<std::string, State::Known, std::less<>>>();
  static std::mutex mu;
  std::lock_guard lock(mu);
  left->push_back(std::move(st.known));
  st.known.clear();
}

// A record the newest release's filing did not find: absent from it where the carry from the
// release it was last seen in would imply it, and marked fixed when it was open.
Status Filing::State::NotFound(Known& k) {
  Record& r = k.record;
  const bool absent = !carry_from.empty() && r.release == carry_from;
  if (absent) {
    k.absent_from = release;
    Absent(k, release);
  }
  const TriageStatus s = r.current.decision.status;
  const bool open = r.release != release &&
                    (s == TriageStatus::kInTriage || s == TriageStatus::kAffected);
  if (open) {
    Decision d = Restated(r.current.decision, TriageStatus::kFixed,
                          "not found in the scan of release " + release + " (last seen in " +
                              r.release + " at component version " + r.component_version + ")");
    d.fixed_in = release;
    r.current = Next(r.component_version, "not found", std::move(d));
    new_events.push_back(&k);
    ++summary.not_found;
  }
  if (!absent && !open) return OkStatus();
  // The current event is a stored one unless the record was carried and stays so.
  VIGIL_ASSIGN_OR_RETURN(
      Statement * u, Direct("UPDATE triage_records SET current_seq=CASE WHEN ?1 > 0 THEN ?1 ELSE"
                            " current_seq END, absent_from=?2 WHERE id=?3"));
  VIGIL_RETURN_IF_ERROR(u->BindInt(1, open ? r.current.seq : 0));
  VIGIL_RETURN_IF_ERROR(u->BindText(2, k.absent_from));
  VIGIL_RETURN_IF_ERROR(u->BindInt(3, k.id));
  return u->Run();
}

Result<std::unique_ptr<Filing>> Register::BeginFiling(std::string_view product,
                                                       std::string_view release) {
  VIGIL_RETURN_IF_ERROR(impl_->Writable("filing a scan"));
  VIGIL_RETURN_IF_ERROR(CheckName("product", product));
  VIGIL_RETURN_IF_ERROR(CheckName("release", release));
  VIGIL_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(impl_->db));
  auto state = std::make_unique<Filing::State>(*impl_, std::move(tx));
  state->product = product;
  state->release = release;
  VIGIL_ASSIGN_OR_RETURN(state->now, impl_->Now());
  state->discovered = state->now.substr(0, 10);
  VIGIL_RETURN_IF_ERROR(state->Load());
  return std::unique_ptr<Filing>(new Filing(std::move(state)));
}

Result<ObserveSummary> Register::Observe(std::string_view product, std::string_view release,
                                         std::span<const vuln::Finding> findings) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<Filing> filing, BeginFiling(product, release));
  VIGIL_RETURN_IF_ERROR(filing->File(findings));
  return filing->Commit();
}

}  // namespace vigil::triage
