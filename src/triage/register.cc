// The triage register (register.h): schema, decisions, queries. Observe lives in observe.cc,
// the risk assessment, deadlines and metrics in assess.cc.
#include "vigil/triage/register.h"

#include <algorithm>
#include <iterator>

#include "internal/register_impl.h"
#include "vigil/core/dates.h"
#include "vigil/risk/cvss.h"
#include "vigil/vuln/vex.h"

namespace vigil::triage {
namespace {

using storage::Database;
using storage::Migration;
using storage::Statement;
using storage::Transaction;

constexpr std::array<std::string_view, 4> kStatusNames = {"in_triage", "not_affected",
                                                          "affected", "fixed"};

// The history tables refuse UPDATE and DELETE: a decision, once written, stays what it was.
std::string AppendOnly(storage::Dialect dialect, std::string_view table) {
  std::string t(table);
  if (dialect == storage::Dialect::kPostgres) {
    return "CREATE TRIGGER " + t + "_append_only BEFORE UPDATE OR DELETE ON " + t +
           " FOR EACH ROW EXECUTE FUNCTION triage_append_only();";
  }
  return "CREATE TRIGGER " + t + "_no_update BEFORE UPDATE ON " + t +
         " BEGIN SELECT RAISE(ABORT, '" + t + " is append-only history'); END;"
         "CREATE TRIGGER " + t + "_no_delete BEFORE DELETE ON " + t +
         " BEGIN SELECT RAISE(ABORT, '" + t + " is append-only history'); END;";
}

// The schema in both engines' words: SQLite's rowid tables (INTEGER PRIMARY KEY, WITHOUT
// ROWID) and REAL (8 bytes there) are PostgreSQL's BIGINT keys, plain tables and DOUBLE
// PRECISION. Ids and sequence numbers are always given by the statements, never generated.
std::string SchemaSql(storage::Dialect dialect) {
  const bool pg = dialect == storage::Dialect::kPostgres;
  const std::string id = pg ? "BIGINT PRIMARY KEY" : "INTEGER PRIMARY KEY";
  const std::string integer = pg ? "BIGINT" : "INTEGER";
  const std::string real = pg ? "DOUBLE PRECISION" : "REAL";
  const std::string no_rowid = pg ? "" : " WITHOUT ROWID";
  std::string sql =
      "CREATE TABLE triage_records(id " + id + ", product TEXT NOT NULL,"
      " vulnerability TEXT NOT NULL, component TEXT NOT NULL, discovered TEXT NOT NULL,"
      " release TEXT NOT NULL, component_version TEXT NOT NULL, advisory_id TEXT NOT NULL,"
      " summary TEXT NOT NULL, component_name TEXT NOT NULL, cvss_vector TEXT NOT NULL,"
      " cvss_score " + real + ", kev " + integer + " NOT NULL, kev_due TEXT NOT NULL, epss " +
      real + ", notified TEXT NOT NULL DEFAULT '', current_seq " + integer +
      " NOT NULL DEFAULT 0, UNIQUE(product, vulnerability, component));"
      "CREATE TABLE triage_events(seq " + id + ", record " + integer +
      " NOT NULL REFERENCES triage_records(id), at TEXT NOT NULL,"
      " release TEXT NOT NULL, component_version TEXT NOT NULL, origin TEXT NOT NULL,"
      " status TEXT NOT NULL, justification TEXT NOT NULL, action TEXT NOT NULL,"
      " fixed_in TEXT NOT NULL, reason TEXT NOT NULL, actor TEXT NOT NULL, harm TEXT NOT NULL,"
      " cvss_vector TEXT NOT NULL, compensating_control TEXT NOT NULL);"
      "CREATE INDEX triage_events_by_record ON triage_events(record, seq);"
      "CREATE TABLE triage_sightings(record " + integer + " NOT NULL, release TEXT NOT NULL,"
      " component_version TEXT NOT NULL, PRIMARY KEY(record, release))" + no_rowid + ";"
      "CREATE TABLE triage_releases(product TEXT NOT NULL, release TEXT NOT NULL, seq " +
      integer + " NOT NULL, first_scanned TEXT NOT NULL, fielded TEXT NOT NULL DEFAULT '',"
      " PRIMARY KEY(product, release))" + no_rowid + ";"
      "CREATE TABLE triage_policies(seq " + id + ", at TEXT NOT NULL,"
      " actor TEXT NOT NULL, source TEXT NOT NULL, yaml TEXT NOT NULL);"
      "CREATE TABLE triage_component_harm(seq " + id + ", at TEXT NOT NULL,"
      " product TEXT NOT NULL, component TEXT NOT NULL, harm TEXT NOT NULL,"
      " actor TEXT NOT NULL, reason TEXT NOT NULL);"
      "CREATE INDEX triage_component_harm_by_component ON triage_component_harm(product,"
      " component, seq);"
      "CREATE TABLE triage_advisories(product TEXT NOT NULL, tracking_id TEXT NOT NULL,"
      " revision " + integer + " NOT NULL, issued TEXT NOT NULL, summary TEXT NOT NULL,"
      " PRIMARY KEY(product, tracking_id, revision))" + no_rowid + ";";
  if (pg) {
    sql +=
        "CREATE FUNCTION triage_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " RAISE EXCEPTION '% is append-only history', TG_TABLE_NAME; END $$;";
  }
  for (auto t : {"triage_events", "triage_policies", "triage_component_harm", "triage_advisories"}) {
    sql += AppendOnly(dialect, t);
  }
  return sql;
}

Status CreateSchema(Database& db) { return db.Exec(SchemaSql(db.dialect())); }

// Version 2: the advisory's CWE weaknesses of each record (EncodeWeaknesses), empty in the
// records filed before it until their next scan.
Status AddWeaknesses(Database& db) {
  return db.Exec("ALTER TABLE triage_records ADD COLUMN cwes TEXT NOT NULL DEFAULT ''");
}

// Version 3: a release's first filing as the newest carries the records it finds again unchanged
// with one row (triage_carries, append-only like the events), instead of an event, a sighting
// and an update per record; a sighting may say a record was absent from a release (present = 0)
// where a carry would otherwise imply it, and a record names the release its carries stop
// before (absent_from). Registers filed before it have explicit sightings only, which read alike.
Status AddCarries(Database& db) {
  const bool pg = db.dialect() == storage::Dialect::kPostgres;
  return db.Exec(
      "CREATE TABLE triage_carries(product TEXT NOT NULL, release TEXT NOT NULL,"
      " from_release TEXT NOT NULL, seq BIGINT NOT NULL, at TEXT NOT NULL,"
      " PRIMARY KEY(product, release))" + std::string(pg ? "" : " WITHOUT ROWID") + ";"
      "CREATE INDEX triage_carries_by_seq ON triage_carries(seq);"
      "ALTER TABLE triage_sightings ADD COLUMN present BIGINT NOT NULL DEFAULT 1;"
      "ALTER TABLE triage_records ADD COLUMN absent_from TEXT NOT NULL DEFAULT '';" +
      AppendOnly(db.dialect(), "triage_carries"));
}

// Version 4: a record a filing opens keeps its opening event in its own row (the opened_*
// columns, opened_seq > 0) instead of a triage_events row, and its sighting in the release that
// opened it is implied (no triage_sightings row unless one is written later: an explicit row
// wins). One row per new record instead of three. The opening stays append-only: triggers refuse
// an UPDATE of its columns and a DELETE of a record. Records opened before it keep their events
// row (opened_seq = 0), which read alike.
Status AddOpenings(Database& db) {
  std::string sql;
  for (std::string_view column :
       {"opened_seq BIGINT NOT NULL DEFAULT 0", "opened_at TEXT NOT NULL DEFAULT ''",
        "opened_release TEXT NOT NULL DEFAULT ''", "opened_version TEXT NOT NULL DEFAULT ''",
        "opened_status TEXT NOT NULL DEFAULT ''", "opened_justification TEXT NOT NULL DEFAULT ''",
        "opened_action TEXT NOT NULL DEFAULT ''", "opened_fixed_in TEXT NOT NULL DEFAULT ''",
        "opened_reason TEXT NOT NULL DEFAULT ''"}) {
    sql += "ALTER TABLE triage_records ADD COLUMN " + std::string(column) + ";";
  }
  const std::string opening =
      " opened_seq, opened_at, opened_release, opened_version, opened_status,"
      " opened_justification, opened_action, opened_fixed_in, opened_reason ON triage_records";
  if (db.dialect() == storage::Dialect::kPostgres) {
    sql += "CREATE TRIGGER triage_records_opening BEFORE UPDATE OF" + opening +
           " FOR EACH ROW EXECUTE FUNCTION triage_append_only();"
           "CREATE TRIGGER triage_records_no_delete BEFORE DELETE ON triage_records"
           " FOR EACH ROW EXECUTE FUNCTION triage_append_only();";
  } else {
    sql += "CREATE TRIGGER triage_records_opening BEFORE UPDATE OF" + opening +
           " BEGIN SELECT RAISE(ABORT, 'triage_records: the opening is append-only history');"
           " END;"
           "CREATE TRIGGER triage_records_no_delete BEFORE DELETE ON triage_records"
           " BEGIN SELECT RAISE(ABORT, 'triage_records is append-only history'); END;";
  }
  return db.Exec(sql);
}

const Migration kMigrations[] = {{1, "create the register tables", CreateSchema},
                                 {2, "add the records' CWE weaknesses", AddWeaknesses},
                                 {3, "carry unchanged records with one row a release", AddCarries},
                                 {4, "keep a new record's opening in its row", AddOpenings}};
constexpr int64_t kSchemaVersion = std::size(kMigrations);

Error NoRecord(const RecordKey& key) {
  return NotFoundError("triage register: no record for " + key.vulnerability + " in " +
                       key.component + " of " + key.product);
}

std::string HarmText(const std::optional<risk::Harm>& h) {
  return h ? std::string(risk::HarmName(*h)) : std::string();
}

Status Need(bool ok, std::string_view field, std::string_view what) {
  if (ok) return OkStatus();
  return InvalidArgumentError("triage decision: " + std::string(field) + ": " + std::string(what));
}

// Checks a decision and brings its justification to the CSAF / OpenVEX label.
Status Normalise(Decision& d) {
  VIGIL_RETURN_IF_ERROR(Need(!d.reason.empty(), "reason", "required: say why"));
  VIGIL_RETURN_IF_ERROR(Need(!d.actor.empty(), "actor", "required: who decides"));
  if (d.status == TriageStatus::kNotAffected) {
    if (!vuln::IsCanonicalJustification(d.justification)) {
      auto mapped = vuln::CycloneDxJustificationToCanonical(d.justification);
      VIGIL_RETURN_IF_ERROR(Need(
          mapped.has_value(), "justification",
          "not_affected needs one of component_not_present, vulnerable_code_not_present, "
          "vulnerable_code_cannot_be_controlled_by_adversary, "
          "vulnerable_code_not_in_execute_path, inline_mitigations_already_exist (or a "
          "CycloneDX justification such as code_not_reachable), got \"" +
              d.justification + "\""));
      d.justification = *mapped;
    }
  } else {
    VIGIL_RETURN_IF_ERROR(Need(d.justification.empty(), "justification",
                               "only a not_affected decision has a justification"));
  }
  VIGIL_RETURN_IF_ERROR(Need(d.status != TriageStatus::kAffected || !d.action.empty(), "action",
                             "an affected decision states the action (remediation, mitigation)"));
  VIGIL_RETURN_IF_ERROR(Need(d.status != TriageStatus::kFixed || !d.fixed_in.empty(), "fixed_in",
                             "a fixed decision names the release with the fix"));
  return OkStatus();
}

std::string StripPurlVersion(std::string_view purl) {
  // One pass (find_first_of("?#") searches the set at every character: a third of a filing's
  // keying of 30k findings).
  size_t end = 0;
  while (end < purl.size() && purl[end] != '?' && purl[end] != '#') ++end;
  std::string_view base = purl.substr(0, end);
  size_t slash = base.rfind('/');
  size_t at = base.find('@', slash == std::string_view::npos ? 0 : slash);
  return std::string(at == std::string_view::npos ? base : base.substr(0, at));
}

}  // namespace

std::string_view TriageStatusName(TriageStatus s) { return kStatusNames[static_cast<size_t>(s)]; }

std::optional<TriageStatus> ParseTriageStatus(std::string_view name) {
  for (size_t i = 0; i < kStatusNames.size(); ++i) {
    if (kStatusNames[i] == name) return static_cast<TriageStatus>(i);
  }
  return std::nullopt;
}

bool Record::overdue() const {
  return std::any_of(deadlines.begin(), deadlines.end(), [](const Deadline& d) {
    return d.overdue;
  });
}

std::string EventColumns(std::string_view alias) {
  std::string out;
  std::string_view rest = kEventColumns;
  while (!rest.empty()) {
    size_t comma = rest.find(", ");
    std::string_view col = rest.substr(0, comma);
    out += (out.empty() ? "" : ", ") + std::string(alias) + "." + std::string(col);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
  }
  return out;
}

namespace {

std::vector<std::string_view> SplitColumns(std::string_view list) {
  std::vector<std::string_view> out;
  while (!list.empty()) {
    const size_t comma = std::min(list.find(", "), list.size());
    out.push_back(list.substr(0, comma));
    list.remove_prefix(std::min(comma + 2, list.size()));
  }
  return out;
}

}  // namespace

std::string CurrentEventColumns(std::span<const std::string_view> names) {
  const std::vector<std::string_view> event = SplitColumns(kEventColumns);
  const std::vector<std::string_view> opening = SplitColumns(kOpeningColumns);
  std::string out;
  auto add = [&](size_t i) {
    out += (out.empty() ? "coalesce(e." : ", coalesce(e.") + std::string(event[i]) + ", " +
           std::string(opening[i]) + ")";
  };
  if (names.empty()) {
    for (size_t i = 0; i < event.size(); ++i) add(i);
    return out;
  }
  for (std::string_view name : names) {
    const size_t i = static_cast<size_t>(std::find(event.begin(), event.end(), name) -
                                         event.begin());
    if (i == event.size()) std::abort();  // a caller's constant names a column kEventColumns has
    add(i);
  }
  return out;
}

Event ReadEvent(const Statement& s, int c) {
  Event e;
  e.seq = s.ColumnInt(c);
  e.at = s.ColumnText(c + 1);
  e.release = s.ColumnText(c + 2);
  e.component_version = s.ColumnText(c + 3);
  e.origin = s.ColumnText(c + 4);
  e.decision.status = ParseTriageStatus(s.ColumnText(c + 5)).value_or(TriageStatus::kInTriage);
  e.decision.justification = s.ColumnText(c + 6);
  e.decision.action = s.ColumnText(c + 7);
  e.decision.fixed_in = s.ColumnText(c + 8);
  e.decision.reason = s.ColumnText(c + 9);
  e.decision.actor = s.ColumnText(c + 10);
  e.decision.harm = risk::ParseHarm(s.ColumnText(c + 11));
  e.decision.cvss_vector = s.ColumnText(c + 12);
  e.decision.compensating_control = s.ColumnText(c + 13);
  return e;
}

Result<std::string> Register::Impl::Now() {
  std::string now = FormatRfc3339Seconds(env->NowUnixMicros() / 1000000);
  // Events and carries are appended in time order (this function sees to it), so the last one
  // by seq (an index: no scan of the history) has the latest time.
  // Records are opened in id order (a filing numbers its new records and their openings
  // alike), so the last record has the latest opening.
  for (std::string_view sql : {"SELECT at FROM triage_events ORDER BY seq DESC LIMIT 1",
                               "SELECT at FROM triage_carries ORDER BY seq DESC LIMIT 1",
                               "SELECT opened_at FROM triage_records ORDER BY id DESC LIMIT 1"}) {
    if (schema_version < 3 && sql.find("carries") != std::string_view::npos) break;
    if (schema_version < 4 && sql.find("opened") != std::string_view::npos) break;
    VIGIL_ASSIGN_OR_RETURN(Statement * s, db.Cached(sql));
    ResetOnExit reset_s(s);
    VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
    if (row) now = std::max(now, std::string(s->ColumnText(0)));
  }
  return now;
}

Result<int64_t> Register::Impl::NextSeq() {
  // Events, carries and openings share the sequence; the last record has the latest opening
  // (Now): each is one look-up in an index.
  VIGIL_ASSIGN_OR_RETURN(
      Statement * s,
      db.Cached(schema_version >= 4
                    ? "SELECT (SELECT coalesce(max(seq),0) FROM triage_events),"
                      " (SELECT coalesce(max(seq),0) FROM triage_carries),"
                      " coalesce((SELECT opened_seq FROM triage_records ORDER BY id DESC LIMIT 1),"
                      " 0)"
                    : "SELECT (SELECT coalesce(max(seq),0) FROM triage_events),"
                      " (SELECT coalesce(max(seq),0) FROM triage_carries), 0"));
  ResetOnExit reset_s(s);
  VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return InternalError("triage register: no sequence number");
  return std::max({s->ColumnInt(0), s->ColumnInt(1), s->ColumnInt(2)}) + 1;
}

Result<CarryChain> Register::Impl::LoadCarries(std::string_view product) {
  CarryChain chain;
  if (schema_version < 3) return chain;
  VIGIL_ASSIGN_OR_RETURN(Statement * s, db.Cached("SELECT from_release, release, seq, at FROM"
                                                  " triage_carries WHERE product=?"));
  ResetOnExit reset_s(s);
  VIGIL_RETURN_IF_ERROR(s->BindText(1, product));
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    chain[std::string(s->ColumnText(0))] = {std::string(s->ColumnText(1)), s->ColumnInt(2),
                                            std::string(s->ColumnText(3))};
  }
  return chain;
}

Result<std::vector<Register::Impl::Presence>> Register::Impl::PresenceOf(
    int64_t id, std::string_view product, std::unordered_map<std::string, CarryChain>* chains) {
  CarryChain own;
  VIGIL_ASSIGN_OR_RETURN(const CarryChain* carries, CarriesOf(product, chains, own));
  const CarryChain& chain = *carries;
  std::unordered_map<std::string, std::pair<std::string, const Carry*>> into;  // release → from
  for (const auto& [from, c] : chain) into[c.release] = {from, &c};
  // The sightings, and (present = 2) the one a record's opening implies, which an explicit row
  // of the same release overrides.
  VIGIL_ASSIGN_OR_RETURN(
      Statement * g,
      db.Cached(schema_version >= 4   ? "SELECT release, component_version, present FROM"
                                        " triage_sightings WHERE record=?1 UNION ALL SELECT"
                                        " opened_release, opened_version, 2 FROM triage_records"
                                        " WHERE id=?1 AND opened_seq > 0"
                : schema_version >= 3 ? "SELECT release, component_version, present"
                                        " FROM triage_sightings WHERE record=?1"
                                      : "SELECT release, component_version, 1"
                                        " FROM triage_sightings WHERE record=?1"));
  ResetOnExit reset_g(g);
  VIGIL_RETURN_IF_ERROR(g->BindInt(1, id));
  std::unordered_map<std::string, std::pair<std::string, bool>> explicit_rows;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, g->Step());
    if (!row) break;
    std::pair<std::string, bool> seen(g->ColumnText(1), g->ColumnInt(2) != 0);
    if (g->ColumnInt(2) == 2) {
      explicit_rows.try_emplace(std::string(g->ColumnText(0)), std::move(seen));
    } else {
      explicit_rows[std::string(g->ColumnText(0))] = std::move(seen);
    }
  }
  VIGIL_ASSIGN_OR_RETURN(
      Statement * rs,
      db.Cached("SELECT release FROM triage_releases WHERE product=? ORDER BY seq"));
  ResetOnExit reset_rs(rs);
  VIGIL_RETURN_IF_ERROR(rs->BindText(1, product));
  std::vector<std::string> releases;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, rs->Step());
    if (!row) break;
    releases.emplace_back(rs->ColumnText(0));
  }
  std::vector<Presence> out;
  std::unordered_map<std::string, size_t> at;
  for (std::string& release : releases) {
    Presence p;
    p.release = std::move(release);
    if (auto e = explicit_rows.find(p.release); e != explicit_rows.end()) {
      p.component_version = e->second.first;
      p.present = e->second.second;
    } else if (auto c = into.find(p.release); c != into.end()) {
      auto before = at.find(c->second.first);
      if (before != at.end() && out[before->second].present) {
        p.present = true;
        p.component_version = out[before->second].component_version;
        p.carry = *c->second.second;
        p.from = c->second.first;
      }
    }
    at[p.release] = out.size();
    out.push_back(std::move(p));
  }
  return out;
}

Event CarriedEvent(const Event& in_force, std::string_view from, const Carry& carry,
                   std::string_view version) {
  Event e;
  e.seq = carry.seq;
  e.at = carry.at;
  e.release = carry.release;
  e.component_version = version;
  e.origin = "carried";
  e.decision = in_force.decision;
  e.decision.actor = "vigil scan";
  constexpr std::string_view kFrom = "carried from release ", kVersion = ": component version ",
                             kUnchanged = " unchanged";
  std::string& reason = e.decision.reason;  // one allocation: a filing carries thousands
  reason.clear();
  reason.reserve(kFrom.size() + from.size() + kVersion.size() + version.size() + kUnchanged.size());
  reason.append(kFrom).append(from).append(kVersion).append(version).append(kUnchanged);
  return e;
}

void ApplyCarries(Record& r, const CarryChain& chain, std::string_view absent_from) {
  const Carry* last = nullptr;
  std::string from;
  // Each release is carried from once, and into once: the chain ends (a bound all the same).
  for (size_t hops = 0; hops <= chain.size(); ++hops) {
    auto it = chain.find(r.release);
    if (it == chain.end() || it->second.release == absent_from) break;
    from = std::move(r.release);
    r.release = it->second.release;
    last = &it->second;
  }
  if (last != nullptr && last->seq > r.current.seq) {
    r.current = CarriedEvent(r.current, from, *last, r.component_version);
  }
}

std::string Register::Impl::Today() {
  return FormatDate(env->NowUnixMicros() / 1000000 / 86400);
}

Result<std::optional<int64_t>> Register::Impl::RecordId(const RecordKey& key) {
  VIGIL_ASSIGN_OR_RETURN(
      Statement * s,
      db.Cached("SELECT id FROM triage_records WHERE product=? AND vulnerability=? AND component=?"));
  VIGIL_RETURN_IF_ERROR(s->BindText(1, key.product));
  VIGIL_RETURN_IF_ERROR(s->BindText(2, key.vulnerability));
  VIGIL_RETURN_IF_ERROR(s->BindText(3, key.component));
  ResetOnExit reset_s(s);
  VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<int64_t>();
  return std::optional<int64_t>(s->ColumnInt(0));
}

Status Register::Impl::AppendEvent(int64_t id, const Event& e) {
  VIGIL_ASSIGN_OR_RETURN(
      Statement * s,
      db.Cached("INSERT INTO triage_events(seq, record, at, release, component_version, origin,"
                " status, justification, action, fixed_in, reason, actor, harm, cvss_vector,"
                " compensating_control) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING seq"));
  const Decision& d = e.decision;
  VIGIL_ASSIGN_OR_RETURN(int64_t seq, NextSeq());
  int i = 1;
  VIGIL_RETURN_IF_ERROR(s->BindInt(i++, seq));
  VIGIL_RETURN_IF_ERROR(s->BindInt(i++, id));
  for (std::string_view v : {std::string_view(e.at), std::string_view(e.release),
                             std::string_view(e.component_version), std::string_view(e.origin),
                             TriageStatusName(d.status), std::string_view(d.justification),
                             std::string_view(d.action), std::string_view(d.fixed_in),
                             std::string_view(d.reason), std::string_view(d.actor)}) {
    VIGIL_RETURN_IF_ERROR(s->BindText(i++, v));
  }
  VIGIL_RETURN_IF_ERROR(s->BindText(i++, HarmText(d.harm)));
  VIGIL_RETURN_IF_ERROR(s->BindText(i++, d.cvss_vector));
  VIGIL_RETURN_IF_ERROR(s->BindText(i++, d.compensating_control));
  ResetOnExit reset_s(s);
  VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return InternalError("triage register: appending an event returned no seq");
  s->Reset();
  VIGIL_ASSIGN_OR_RETURN(Statement * u,
                         db.Cached("UPDATE triage_records SET current_seq=? WHERE id=?"));
  VIGIL_RETURN_IF_ERROR(u->BindInt(1, seq));
  VIGIL_RETURN_IF_ERROR(u->BindInt(2, id));
  return u->Run();
}

std::string RecordSelect(std::string_view where, const RecordQuery& query) {
  return "SELECT r.product, r.vulnerability, r.component, r.discovered, r.release,"
         " r.component_version, r.advisory_id, r.summary, r.component_name, r.cvss_vector,"
         " r.cvss_score, r.kev, r.kev_due, r.epss, r.notified, " +
         std::string(query.component_harm
                         ? "(SELECT h.harm FROM triage_component_harm h WHERE"
                           " h.product=r.product AND h.component=r.component ORDER BY"
                           " h.seq DESC LIMIT 1)"
                         : "NULL") +
         ", r.id, " + (query.openings ? CurrentEventColumns() : EventColumns("e")) +
         (query.cwes ? ", r.cwes" : ", ''") + (query.absent_from ? ", r.absent_from" : ", ''") +
         (query.openings ? ", " + std::string(kOpenedInColumn) : std::string(", ''")) +
         std::string(query.extra) + " FROM triage_records r " + (query.openings ? "LEFT " : "") +
         "JOIN triage_events e ON e.seq=r.current_seq " + std::string(where);
}

std::string EncodeWeaknesses(std::span<const vuln::Weakness> list) {
  std::string out;
  for (const vuln::Weakness& w : list) {
    out += w.id;
    if (!w.name.empty()) out += ' ';
    // A name is one line of text; a line break a source put in it would split the entry.
    for (char c : w.name) out += (c == '\n' || c == '\r') ? ' ' : c;
    out += '\n';
  }
  return out;
}

std::vector<vuln::Weakness> DecodeWeaknesses(std::string_view text) {
  std::vector<vuln::Weakness> list;
  while (!text.empty()) {
    const size_t end = std::min(text.find('\n'), text.size());
    const std::string_view line = text.substr(0, end);
    const size_t space = std::min(line.find(' '), line.size());
    vuln::AddWeakness(list, line.substr(0, space), line.substr(std::min(space + 1, line.size())));
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return list;
}

Record ReadRecord(const Statement& s) {
  Record r;
  r.key = {std::string(s.ColumnText(0)), std::string(s.ColumnText(1)),
           std::string(s.ColumnText(2))};
  r.discovered = s.ColumnText(3);
  r.release = s.ColumnText(4);
  r.component_version = s.ColumnText(5);
  r.facts.advisory_id = s.ColumnText(6);
  r.facts.summary = s.ColumnText(7);
  r.facts.component_name = s.ColumnText(8);
  r.facts.cvss_vector = s.ColumnText(9);
  if (!s.ColumnIsNull(10)) r.facts.cvss_score = s.ColumnReal(10);
  r.facts.kev = s.ColumnInt(11) != 0;
  r.facts.kev_due_date = s.ColumnText(12);
  if (!s.ColumnIsNull(13)) r.facts.epss = s.ColumnReal(13);
  r.notified = s.ColumnText(14);
  if (!s.ColumnIsNull(15)) r.component_harm = risk::ParseHarm(s.ColumnText(15));
  r.current = ReadEvent(s, kRecordIdColumn + 1);
  r.facts.weaknesses = DecodeWeaknesses(s.ColumnText(kCwesColumn));
  return r;
}

Result<Record> Register::Impl::LoadRecord(int64_t id,
                                          std::unordered_map<std::string, CarryChain>* chains) {
  if (load_record_sql.empty()) {
    load_record_sql = RecordSelect("WHERE r.id=?", {.cwes = schema_version >= 2,
                                                    .component_harm = true,
                                                    .absent_from = schema_version >= 3,
                                                    .openings = schema_version >= 4,
                                                    .extra = {}});
  }
  VIGIL_ASSIGN_OR_RETURN(Statement * s, db.Cached(load_record_sql));
  VIGIL_RETURN_IF_ERROR(s->BindInt(1, id));
  ResetOnExit reset_s(s);
  VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return InternalError("triage register: record " + std::to_string(id) + " vanished");
  Record r = ReadRecord(*s);
  const std::string absent_from(s->ColumnText(kAbsentFromColumn));
  CarryChain own;
  VIGIL_ASSIGN_OR_RETURN(const CarryChain* chain, CarriesOf(r.key.product, chains, own));
  ApplyCarries(r, *chain, absent_from);
  return r;
}

Result<const CarryChain*> Register::Impl::CarriesOf(
    std::string_view product, std::unordered_map<std::string, CarryChain>* chains,
    CarryChain& own) {
  if (chains == nullptr) {
    VIGIL_ASSIGN_OR_RETURN(own, LoadCarries(product));
    return &own;
  }
  auto it = chains->find(std::string(product));
  if (it == chains->end()) {
    VIGIL_ASSIGN_OR_RETURN(CarryChain chain, LoadCarries(product));
    it = chains->emplace(std::string(product), std::move(chain)).first;
  }
  return &it->second;
}

Result<std::optional<risk::RiskPolicy>> Register::Impl::LoadPolicy() {
  VIGIL_ASSIGN_OR_RETURN(
      Statement * s, db.Cached("SELECT source, yaml FROM triage_policies ORDER BY seq DESC LIMIT 1"));
  ResetOnExit reset_s(s);
  VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<risk::RiskPolicy>();
  VIGIL_ASSIGN_OR_RETURN(risk::RiskPolicy p,
                         risk::ParseRiskPolicy(s->ColumnText(1), s->ColumnText(0)));
  return std::optional<risk::RiskPolicy>(std::move(p));
}

Register::Register(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Register::Register(Register&&) noexcept = default;
Register& Register::operator=(Register&&) noexcept = default;
Register::~Register() = default;

namespace {

Result<Database> OpenSqliteRegister(const RegisterOptions& options) {
  storage::SqliteOptions sqlite{.path = options.path,
                                .create = options.create && !options.read_only,
                                .read_only = options.read_only,
                                .vfs = options.sqlite_vfs};
  VIGIL_ASSIGN_OR_RETURN(Database db, Database::OpenSqlite(sqlite));
  // DELETE journal + synchronous=EXTRA: a committed decision survives a power cut (as the
  // vault, vault.h); foreign keys keep events tied to their records. A 64 MiB page cache holds
  // a whole scan's filing (tens of thousands of records) without spilling mid-transaction.
  // temp_store=MEMORY keeps each statement's journal in memory: a multi-row INSERT inside the
  // filing's transaction journals every page it touches that the transaction had already
  // written (the records' key index takes its rows at random leaves: ~30 pages a statement),
  // and past 64 KiB SQLite spilled that journal to a temporary file, 65k page writes (pwrite)
  // per first filing of the 10k-component bench SBOM. Nothing durable lives there: the
  // rollback journal still protects the commit.
  VIGIL_RETURN_IF_ERROR(db.Exec(options.read_only
                                    ? "PRAGMA busy_timeout=5000; PRAGMA query_only=1;"
                                    : "PRAGMA busy_timeout=5000; PRAGMA journal_mode=DELETE;"
                                      " PRAGMA synchronous=EXTRA; PRAGMA foreign_keys=ON;"
                                      " PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"));
  return db;
}

// The server keeps the foreign keys and the durability; read-only is the session's default.
Result<Database> OpenPostgresRegister(const RegisterOptions& options) {
  storage::PostgresOptions pg;
  pg.url = options.postgres_url;
  VIGIL_ASSIGN_OR_RETURN(Database db, Database::OpenPostgres(pg));
  if (options.read_only) {
    VIGIL_RETURN_IF_ERROR(db.Exec("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"));
  }
  return db;
}

}  // namespace

Result<Register> Register::Open(const RegisterOptions& options, Env& env) {
  const bool pg = !options.postgres_url.empty();
  VIGIL_ASSIGN_OR_RETURN(Database db,
                         pg ? OpenPostgresRegister(options) : OpenSqliteRegister(options));
  // The connection string may hold a password: errors name the engine only.
  const std::string name =
      pg ? std::string("triage register (PostgreSQL)") : "triage register " + options.path;
  int64_t version = options.schema_version == 0 ? kSchemaVersion : options.schema_version;
  if (version < 3 || version > kSchemaVersion) {
    return InvalidArgumentError(name + ": schema_version: expected 3 to " +
                                std::to_string(kSchemaVersion) + " (or 0: the current), got " +
                                std::to_string(version));
  }
  if (options.read_only) {
    // Read-only opens never migrate: a register of version 1 (before the CWE column) is read
    // as it is, its records without weaknesses; one of version 2 has no carries.
    VIGIL_ASSIGN_OR_RETURN(version, db.SchemaVersion());
    if (version < 1 || version > kSchemaVersion) {
      return FailedPreconditionError(name + ": not a triage register (schema version " +
                                     std::to_string(version) + ")");
    }
  } else {
    VIGIL_RETURN_IF_ERROR(storage::Migrate(
        db, name, std::span<const Migration>(kMigrations).first(static_cast<size_t>(version))));
  }
  auto impl = std::make_unique<Impl>(std::move(db));
  impl->schema_version = version;
  impl->env = &env;
  impl->path = options.path;
  impl->read_only = options.read_only;
  return Register(std::move(impl));
}

Result<std::optional<Transaction>> Register::Impl::BeginRead() {
  if (snapshot) return std::optional<Transaction>();
  VIGIL_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db, Transaction::Mode::kRead));
  return std::optional<Transaction>(std::move(tx));
}

Status Register::Impl::Writable(std::string_view what) const {
  if (!snapshot) return OkStatus();
  return FailedPreconditionError("triage register: " + std::string(what) +
                                 ": a snapshot of the register is open (end it first)");
}

Register::Snapshot::Snapshot(Snapshot&& other) noexcept
    : impl_(std::exchange(other.impl_, nullptr)) {}

Register::Snapshot::~Snapshot() { (void)End(); }

Status Register::Snapshot::End() {
  Impl* impl = std::exchange(impl_, nullptr);
  if (impl == nullptr || !impl->snapshot) return OkStatus();
  Status s = impl->snapshot->Commit();
  impl->snapshot.reset();  // after a failed COMMIT its destructor rolls back
  return s;
}

Result<Register::Snapshot> Register::BeginSnapshot() {
  if (impl_->snapshot) {
    return FailedPreconditionError("triage register: a snapshot of the register is already open");
  }
  VIGIL_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(impl_->db, Transaction::Mode::kRead));
  impl_->snapshot.emplace(std::move(tx));
  return Snapshot(impl_.get());
}

Status Register::SetPolicy(std::string_view yaml, std::string_view source, std::string_view actor) {
  VIGIL_RETURN_IF_ERROR(impl_->Writable("setting the policy"));
  VIGIL_RETURN_IF_ERROR(risk::ParseRiskPolicy(yaml, source));
  VIGIL_RETURN_IF_ERROR(Need(!actor.empty(), "actor", "required: who sets the policy"));
  VIGIL_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(impl_->db));
  VIGIL_ASSIGN_OR_RETURN(std::string now, impl_->Now());
  VIGIL_ASSIGN_OR_RETURN(
      Statement * s,
      impl_->db.Cached("INSERT INTO triage_policies(seq, at, actor, source, yaml) VALUES((SELECT"
                       " coalesce(max(seq),0)+1 FROM triage_policies),?,?,?,?)"));
  VIGIL_RETURN_IF_ERROR(s->BindText(1, now));
  VIGIL_RETURN_IF_ERROR(s->BindText(2, actor));
  VIGIL_RETURN_IF_ERROR(s->BindText(3, source));
  VIGIL_RETURN_IF_ERROR(s->BindText(4, yaml));
  VIGIL_RETURN_IF_ERROR(s->Run());
  return tx.Commit();
}

Result<std::optional<risk::RiskPolicy>> Register::Policy() { return impl_->LoadPolicy(); }

Status Register::SetComponentHarm(std::string_view product, std::string_view component,
                                  risk::Harm harm, std::string_view actor,
                                  std::string_view reason) {
  VIGIL_RETURN_IF_ERROR(impl_->Writable("setting a component harm"));
  VIGIL_RETURN_IF_ERROR(Need(!product.empty() && !component.empty(), "component",
                             "a product and a component are required"));
  VIGIL_RETURN_IF_ERROR(Need(!actor.empty(), "actor", "required: who assesses the harm"));
  VIGIL_RETURN_IF_ERROR(Need(!reason.empty(), "reason", "required: say why"));
  VIGIL_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(impl_->db));
  VIGIL_ASSIGN_OR_RETURN(std::string now, impl_->Now());
  VIGIL_ASSIGN_OR_RETURN(
      Statement * s,
      impl_->db.Cached("INSERT INTO triage_component_harm(seq, at, product, component, harm,"
                       " actor, reason) VALUES((SELECT coalesce(max(seq),0)+1 FROM"
                       " triage_component_harm),?,?,?,?,?,?)"));
  int i = 1;
  for (std::string_view v : {std::string_view(now), product, component, risk::HarmName(harm),
                             actor, reason}) {
    VIGIL_RETURN_IF_ERROR(s->BindText(i++, v));
  }
  VIGIL_RETURN_IF_ERROR(s->Run());
  return tx.Commit();
}

Result<Record> Register::Set(const RecordKey& key, std::string_view release,
                             const Decision& decision) {
  VIGIL_RETURN_IF_ERROR(impl_->Writable("a decision"));
  Decision d = decision;
  VIGIL_RETURN_IF_ERROR(Normalise(d));
  if (!d.cvss_vector.empty()) {
    VIGIL_RETURN_IF_ERROR(risk::cvss::Evaluate(d.cvss_vector));
  }
  VIGIL_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(impl_->db));
  VIGIL_ASSIGN_OR_RETURN(std::optional<int64_t> id, impl_->RecordId(key));
  if (!id) {
    return NotFoundError("triage register: no record for " + key.vulnerability + " in " +
                         key.component + " of " + key.product +
                         " (records are opened by `vigil scan --register`)");
  }
  VIGIL_ASSIGN_OR_RETURN(Record current, impl_->LoadRecord(*id));
  Event e;
  VIGIL_ASSIGN_OR_RETURN(e.at, impl_->Now());
  e.release = release.empty() ? current.release : std::string(release);
  e.component_version = current.component_version;
  e.origin = "set";
  e.decision = std::move(d);
  // Facts a person stated once stay until restated: the harm, the device vector, the control.
  const Decision& prev = current.current.decision;
  if (!e.decision.harm) e.decision.harm = prev.harm;
  if (e.decision.cvss_vector.empty()) e.decision.cvss_vector = prev.cvss_vector;
  if (e.decision.compensating_control.empty()) {
    e.decision.compensating_control = prev.compensating_control;
  }
  VIGIL_RETURN_IF_ERROR(impl_->AppendEvent(*id, e));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  VIGIL_ASSIGN_OR_RETURN(std::optional<Record> r, Find(key));
  return std::move(*r);
}

Result<std::optional<Record>> Register::Find(const RecordKey& key, std::string_view as_of) {
  VIGIL_ASSIGN_OR_RETURN(auto found, FindMany(std::span<const RecordKey>(&key, 1), as_of));
  return std::move(found.front());
}

Result<std::vector<std::optional<Record>>> Register::FindMany(std::span<const RecordKey> keys,
                                                              std::string_view as_of) {
  auto day = as_of.empty() ? ParseDate(impl_->Today()) : ParseDate(as_of);
  if (!day) {
    return InvalidArgumentError("--as-of: expected a date YYYY-MM-DD, got \"" +
                                std::string(as_of) + "\"");
  }
  VIGIL_ASSIGN_OR_RETURN(auto policy, Policy());
  // One read transaction: every record as of the same moment.
  VIGIL_ASSIGN_OR_RETURN(std::optional<Transaction> tx, impl_->BeginRead());
  std::vector<std::optional<Record>> out;
  out.reserve(keys.size());
  for (const RecordKey& key : keys) {
    VIGIL_ASSIGN_OR_RETURN(std::optional<int64_t> id, impl_->RecordId(key));
    if (!id) {
      out.emplace_back();
      continue;
    }
    VIGIL_ASSIGN_OR_RETURN(Record r, impl_->LoadRecord(*id));
    impl_->Assess(r, policy, *day);
    out.emplace_back(std::move(r));
  }
  if (tx) VIGIL_RETURN_IF_ERROR(tx->Commit());
  return out;
}

Result<std::vector<Record>> Register::List(const ListFilter& f) {
  auto day = f.as_of.empty() ? ParseDate(impl_->Today()) : ParseDate(f.as_of);
  if (!day) return InvalidArgumentError("--as-of: expected a date YYYY-MM-DD, got " + f.as_of);
  // One read transaction: every record as of the same moment (a filing committing meanwhile
  // shows whole or not at all), and SQLite takes its file locks once, not around each of the
  // ~3 statements a record costs (123k fcntl and 92k stat calls for `vigil triage metrics` of
  // the bench SBOM's 30k records: 0.60 -> 0.40 s; `triage list --release R --status S` 1.36 ->
  // 0.57 s, `triage export` 1.79 -> 0.97 s).
  VIGIL_ASSIGN_OR_RETURN(std::optional<Transaction> tx, impl_->BeginRead());
  VIGIL_ASSIGN_OR_RETURN(auto policy, Policy());
  VIGIL_ASSIGN_OR_RETURN(std::vector<Record> out, impl_->ListRecords(f, policy, *day));
  if (tx) VIGIL_RETURN_IF_ERROR(tx->Commit());
  return out;
}

Result<std::vector<Record>> Register::Impl::ListRecords(
    const ListFilter& f, const std::optional<risk::RiskPolicy>& policy, int64_t day) {
  VIGIL_ASSIGN_OR_RETURN(
      Statement s,
      db.Prepare("SELECT r.id FROM triage_records r WHERE (?1='' OR r.product=?1) AND"
                 " (?2='' OR r.vulnerability=?2 OR r.advisory_id=?2)"
                 " ORDER BY r.product, r.vulnerability, r.component"));
  VIGIL_RETURN_IF_ERROR(s.BindText(1, f.product));
  VIGIL_RETURN_IF_ERROR(s.BindText(2, f.vulnerability));
  std::vector<int64_t> ids;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    ids.push_back(s.ColumnInt(0));
  }
  std::vector<Record> out;
  std::unordered_map<std::string, CarryChain> chains;  // the products' carries, read once each
  for (int64_t id : ids) {
    VIGIL_ASSIGN_OR_RETURN(Record r, LoadRecord(id, &chains));
    if (!f.release.empty()) {  // seen in that release: a sighting, or carried into it
      VIGIL_ASSIGN_OR_RETURN(auto presence, PresenceOf(id, r.key.product, &chains));
      if (std::none_of(presence.begin(), presence.end(), [&](const Presence& p) {
            return p.present && p.release == f.release;
          })) {
        continue;
      }
    }
    if (f.status && r.current.decision.status != *f.status) continue;
    Assess(r, policy, day);
    if (f.overdue_only && !r.overdue()) continue;
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<Event>> Register::History(const RecordKey& key) {
  VIGIL_ASSIGN_OR_RETURN(std::optional<int64_t> id, impl_->RecordId(key));
  if (!id) return NoRecord(key);
  // The record's events, after its opening when its own row holds that (schema version 4).
  // Prepared once a connection (metrics read the history of every fixed record).
  static const std::string kSelect[2] = {
      "SELECT " + std::string(kEventColumns) + " FROM triage_events WHERE record=?1 ORDER BY 1",
      "SELECT " + std::string(kEventColumns) + " FROM triage_events WHERE record=?1" +
          " UNION ALL SELECT " + std::string(kOpeningColumns) +
          " FROM triage_records r WHERE r.id=?1 AND r.opened_seq > 0 ORDER BY 1"};
  VIGIL_ASSIGN_OR_RETURN(Statement * s, impl_->db.Cached(kSelect[impl_->schema_version >= 4]));
  ResetOnExit reset_s(s);
  VIGIL_RETURN_IF_ERROR(s->BindInt(1, *id));
  std::vector<Event> events;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    events.push_back(ReadEvent(*s, 0));
  }
  // The releases that carried the record without a row of its own, each as the event the
  // carry gives it, in the history's order (carries and events share the sequence).
  VIGIL_ASSIGN_OR_RETURN(std::vector<Impl::Presence> presence,
                         impl_->PresenceOf(*id, key.product));
  std::vector<const Impl::Presence*> carried;
  for (const Impl::Presence& p : presence) {
    if (p.carry) carried.push_back(&p);
  }
  std::sort(carried.begin(), carried.end(),
            [](const auto* a, const auto* b) { return a->carry->seq < b->carry->seq; });
  std::vector<Event> out;
  auto next = events.begin();
  for (const Impl::Presence* p : carried) {
    while (next != events.end() && next->seq < p->carry->seq) out.push_back(std::move(*next++));
    if (out.empty()) continue;  // never carried before it was opened
    out.push_back(CarriedEvent(out.back(), p->from, *p->carry, p->component_version));
  }
  for (; next != events.end(); ++next) out.push_back(std::move(*next));
  return out;
}

Result<std::vector<std::string>> Register::SightedIn(const RecordKey& key) {
  VIGIL_ASSIGN_OR_RETURN(std::optional<int64_t> id, impl_->RecordId(key));
  if (!id) return NoRecord(key);
  VIGIL_ASSIGN_OR_RETURN(std::vector<Impl::Presence> presence,
                         impl_->PresenceOf(*id, key.product));
  std::vector<std::string> out;
  for (Impl::Presence& p : presence) {
    if (p.present) out.push_back(std::move(p.release));
  }
  std::sort(out.begin(), out.end());
  return out;
}

Status Register::MarkFielded(std::string_view product, std::string_view release,
                             std::string_view date) {
  VIGIL_RETURN_IF_ERROR(impl_->Writable("marking a release fielded"));
  if (!ParseDate(date)) {
    return InvalidArgumentError("fielded date: expected YYYY-MM-DD, got \"" + std::string(date) +
                                "\"");
  }
  VIGIL_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(impl_->db));
  VIGIL_ASSIGN_OR_RETURN(
      Statement * s,
      impl_->db.Cached("UPDATE triage_releases SET fielded=? WHERE product=? AND release=?"));
  VIGIL_RETURN_IF_ERROR(s->BindText(1, date));
  VIGIL_RETURN_IF_ERROR(s->BindText(2, product));
  VIGIL_RETURN_IF_ERROR(s->BindText(3, release));
  VIGIL_RETURN_IF_ERROR(s->Run());
  if (impl_->db.Changes() == 0) {
    return NotFoundError("triage register: " + std::string(product) + " release " +
                         std::string(release) + " was never scanned into the register");
  }
  return tx.Commit();
}

Result<std::vector<Release>> Register::Releases(std::string_view product) {
  VIGIL_ASSIGN_OR_RETURN(
      Statement s, impl_->db.Prepare("SELECT product, release, first_scanned, fielded FROM"
                                     " triage_releases WHERE ?1='' OR product=?1 ORDER BY product, seq"));
  VIGIL_RETURN_IF_ERROR(s.BindText(1, product));
  std::vector<Release> out;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back({std::string(s.ColumnText(0)), std::string(s.ColumnText(1)),
                   std::string(s.ColumnText(2)), std::string(s.ColumnText(3))});
  }
  return out;
}

Result<std::vector<AdvisoryIssue>> Register::Advisories(std::string_view product,
                                                        std::string_view tracking_id) {
  VIGIL_ASSIGN_OR_RETURN(
      Statement s,
      impl_->db.Prepare("SELECT product, tracking_id, revision, issued, summary FROM"
                        " triage_advisories WHERE product=? AND tracking_id=? ORDER BY revision"));
  VIGIL_RETURN_IF_ERROR(s.BindText(1, product));
  VIGIL_RETURN_IF_ERROR(s.BindText(2, tracking_id));
  std::vector<AdvisoryIssue> out;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back({std::string(s.ColumnText(0)), std::string(s.ColumnText(1)), s.ColumnInt(2),
                   std::string(s.ColumnText(3)), std::string(s.ColumnText(4))});
  }
  return out;
}

Status Register::RecordAdvisory(const AdvisoryIssue& issue, std::span<const RecordKey> covered) {
  VIGIL_RETURN_IF_ERROR(impl_->Writable("recording an advisory"));
  VIGIL_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(impl_->db));
  VIGIL_ASSIGN_OR_RETURN(
      Statement * s,
      impl_->db.Cached("INSERT INTO triage_advisories(product, tracking_id, revision, issued,"
                       " summary) VALUES(?,?,?,?,?)"));
  VIGIL_RETURN_IF_ERROR(s->BindText(1, issue.product));
  VIGIL_RETURN_IF_ERROR(s->BindText(2, issue.tracking_id));
  VIGIL_RETURN_IF_ERROR(s->BindInt(3, issue.revision));
  VIGIL_RETURN_IF_ERROR(s->BindText(4, issue.issued));
  VIGIL_RETURN_IF_ERROR(s->BindText(5, issue.summary));
  VIGIL_RETURN_IF_ERROR(s->Run());
  const std::string day = issue.issued.substr(0, 10);
  for (const RecordKey& k : covered) {
    VIGIL_ASSIGN_OR_RETURN(
        Statement * u,
        impl_->db.Cached("UPDATE triage_records SET notified=? WHERE notified='' AND product=? AND"
                         " vulnerability=? AND component=?"));
    VIGIL_RETURN_IF_ERROR(u->BindText(1, day));
    VIGIL_RETURN_IF_ERROR(u->BindText(2, k.product));
    VIGIL_RETURN_IF_ERROR(u->BindText(3, k.vulnerability));
    VIGIL_RETURN_IF_ERROR(u->BindText(4, k.component));
    VIGIL_RETURN_IF_ERROR(u->Run());
  }
  return tx.Commit();
}

std::string Register::VulnerabilityOf(const vuln::Finding& f) {
  if (f.advisory_id.starts_with("CVE-")) return f.advisory_id;
  for (const std::string& a : f.aliases) {
    if (a.starts_with("CVE-")) return a;
  }
  return f.advisory_id;
}

std::string Register::ComponentOf(const vuln::Finding& f) {
  if (!f.component_purl.empty()) return StripPurlVersion(f.component_purl);
  return f.component_name;
}

}  // namespace vigil::triage
