// Register::Observe: a scan of one release filed into the register (register.h, "How records
// come and go"). One write transaction: a scan is filed whole or not at all.
#include <set>
#include <unordered_set>

#include "internal/register_impl.h"
#include "vigil/core/dates.h"

namespace vigil::triage {
namespace {

using storage::Statement;
using storage::Transaction;

struct Seen {
  int64_t id;
  std::string version;
};

std::string VexReason(const vuln::Finding& f) {
  return "from VEX " + (f.vex_trace.empty() ? std::string("statement") : f.vex_trace) +
         (f.vex_detail.empty() ? "" : ": " + f.vex_detail);
}

// The decision a new record opens with: in triage, or what a VEX statement applied by the scan
// already says about it.
Decision Opening(const vuln::Finding& f, std::string_view release) {
  Decision d;
  d.actor = "vigil scan";
  d.reason = "found by the scan of release " + std::string(release) + " (" + f.match_reason + ")";
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

class Observer {
 public:
  Observer(Register::Impl& impl, std::string_view product, std::string_view release,
           std::string now)
      : impl_(impl), product_(product), release_(release), now_(std::move(now)) {}

  Result<bool> NoteRelease() {
    VIGIL_ASSIGN_OR_RETURN(
        Statement * s, impl_.db.Cached("INSERT OR IGNORE INTO triage_releases(product, release,"
                                       " seq, first_scanned) SELECT ?1, ?2, coalesce(max(seq),0)+1,"
                                       " ?3 FROM triage_releases WHERE product=?1"));
    VIGIL_RETURN_IF_ERROR(s->BindText(1, product_));
    VIGIL_RETURN_IF_ERROR(s->BindText(2, release_));
    VIGIL_RETURN_IF_ERROR(s->BindText(3, now_));
    VIGIL_RETURN_IF_ERROR(s->Run());
    // Only the newest release decides what a missing finding means.
    VIGIL_ASSIGN_OR_RETURN(
        Statement * q, impl_.db.Cached("SELECT release FROM triage_releases WHERE product=?"
                                       " ORDER BY seq DESC LIMIT 1"));
    VIGIL_RETURN_IF_ERROR(q->BindText(1, product_));
    ResetOnExit reset_q(q);
    VIGIL_ASSIGN_OR_RETURN(bool row, q->Step());
    return row && q->ColumnText(0) == release_;
  }

  Status File(const vuln::Finding& f, ObserveSummary& sum) {
    RecordKey key{product_, Register::VulnerabilityOf(f), Register::ComponentOf(f)};
    if (!filed_.insert(key.vulnerability + '\n' + key.component).second) return OkStatus();
    VIGIL_ASSIGN_OR_RETURN(std::optional<int64_t> id, impl_.RecordId(key));
    if (!id) {
      VIGIL_ASSIGN_OR_RETURN(int64_t nid, Insert(key, f));
      VIGIL_RETURN_IF_ERROR(Append(nid, f.component_version, "opened", Opening(f, release_)));
      ++sum.opened;
      return Sight(nid, f.component_version);
    }
    VIGIL_RETURN_IF_ERROR(UpdateFacts(*id, f));
    VIGIL_ASSIGN_OR_RETURN(bool sighted, Sighted(*id));
    if (sighted) {
      ++sum.unchanged;
      return OkStatus();
    }
    VIGIL_ASSIGN_OR_RETURN(std::optional<Event> cur, impl_.CurrentEvent(*id));
    Decision d = cur->decision;
    d.actor = "vigil scan";
    const std::string& was = cur->component_version;
    if (was == f.component_version || d.status == TriageStatus::kInTriage) {
      d.reason = "carried from release " + cur->release + ": component version " +
                 f.component_version + (was == f.component_version ? " unchanged" : "");
      VIGIL_RETURN_IF_ERROR(Append(*id, f.component_version, "carried", d));
      ++sum.carried;
    } else {
      d = Restated(d, TriageStatus::kInTriage,
                   "re-opened: component version changed from " + was + " (release " +
                       cur->release + ") to " + f.component_version + "; the decision on " + was +
                       " does not speak about " + f.component_version);
      VIGIL_RETURN_IF_ERROR(Append(*id, f.component_version, "re-opened", d));
      ++sum.reopened;
    }
    return Sight(*id, f.component_version);
  }

  // Records open in an earlier release and absent from this scan of the newest one.
  Status CloseMissing(ObserveSummary& sum) {
    VIGIL_ASSIGN_OR_RETURN(
        Statement s,
        impl_.db.Prepare("SELECT r.id, r.release, r.component_version FROM triage_records r"
                         " JOIN triage_events e ON e.seq=r.current_seq WHERE r.product=? AND"
                         " r.release<>? AND e.status IN ('in_triage','affected')"));
    VIGIL_RETURN_IF_ERROR(s.BindText(1, product_));
    VIGIL_RETURN_IF_ERROR(s.BindText(2, release_));
    struct Missing {
      int64_t id;
      std::string release, version;
    };
    std::vector<Missing> missing;
    for (;;) {
      VIGIL_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      missing.push_back({s.ColumnInt(0), std::string(s.ColumnText(1)), std::string(s.ColumnText(2))});
    }
    for (const Missing& m : missing) {
      VIGIL_ASSIGN_OR_RETURN(std::optional<Event> cur, impl_.CurrentEvent(m.id));
      Decision d = Restated(cur->decision, TriageStatus::kFixed,
                            "not found in the scan of release " + release_ + " (last seen in " +
                                m.release + " at component version " + m.version + ")");
      d.fixed_in = release_;
      VIGIL_RETURN_IF_ERROR(Append(m.id, m.version, "not found", d));
      ++sum.not_found;
    }
    return OkStatus();
  }

 private:
  Result<int64_t> Insert(const RecordKey& key, const vuln::Finding& f) {
    VIGIL_ASSIGN_OR_RETURN(
        Statement * s,
        impl_.db.Cached("INSERT INTO triage_records(product, vulnerability, component, discovered,"
                        " release, component_version, advisory_id, summary, component_name,"
                        " cvss_vector, cvss_score, kev, kev_due, epss)"
                        " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id"));
    int i = 1;
    for (std::string_view v :
         {std::string_view(key.product), std::string_view(key.vulnerability),
          std::string_view(key.component), std::string_view(now_).substr(0, 10),
          std::string_view(release_), std::string_view(f.component_version),
          std::string_view(f.advisory_id), std::string_view(f.summary),
          std::string_view(f.component_name), std::string_view(f.cvss_vector)}) {
      VIGIL_RETURN_IF_ERROR(s->BindText(i++, v));
    }
    VIGIL_RETURN_IF_ERROR(BindFactsTail(*s, i, f));
    ResetOnExit reset_s(s);
    VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return InternalError("triage register: INSERT … RETURNING gave no id");
    const int64_t id = s->ColumnInt(0);
    s->Reset();
    return id;
  }

  Status BindFactsTail(Statement& s, int i, const vuln::Finding& f) {
    if (f.cvss_score) {
      VIGIL_RETURN_IF_ERROR(s.BindReal(i, *f.cvss_score));
    } else {
      VIGIL_RETURN_IF_ERROR(s.BindNull(i));
    }
    VIGIL_RETURN_IF_ERROR(s.BindInt(i + 1, f.kev ? 1 : 0));
    VIGIL_RETURN_IF_ERROR(s.BindText(i + 2, f.kev_due_date));
    if (f.epss_score) return s.BindReal(i + 3, *f.epss_score);
    return s.BindNull(i + 3);
  }

  Status UpdateFacts(int64_t id, const vuln::Finding& f) {
    VIGIL_ASSIGN_OR_RETURN(
        Statement * s,
        impl_.db.Cached("UPDATE triage_records SET release=?, component_version=?, advisory_id=?,"
                        " summary=?, component_name=?, cvss_vector=?, cvss_score=?, kev=?,"
                        " kev_due=?, epss=? WHERE id=?"));
    int i = 1;
    for (std::string_view v : {std::string_view(release_), std::string_view(f.component_version),
                               std::string_view(f.advisory_id), std::string_view(f.summary),
                               std::string_view(f.component_name),
                               std::string_view(f.cvss_vector)}) {
      VIGIL_RETURN_IF_ERROR(s->BindText(i++, v));
    }
    VIGIL_RETURN_IF_ERROR(BindFactsTail(*s, i, f));
    VIGIL_RETURN_IF_ERROR(s->BindInt(i + 4, id));
    return s->Run();
  }

  Result<bool> Sighted(int64_t id) {
    VIGIL_ASSIGN_OR_RETURN(
        Statement * s, impl_.db.Cached("SELECT 1 FROM triage_sightings WHERE record=? AND release=?"));
    VIGIL_RETURN_IF_ERROR(s->BindInt(1, id));
    VIGIL_RETURN_IF_ERROR(s->BindText(2, release_));
    ResetOnExit reset_s(s);
    return s->Step();
  }

  Status Sight(int64_t id, std::string_view version) {
    VIGIL_ASSIGN_OR_RETURN(
        Statement * s, impl_.db.Cached("INSERT OR IGNORE INTO triage_sightings(record, release,"
                                       " component_version) VALUES(?,?,?)"));
    VIGIL_RETURN_IF_ERROR(s->BindInt(1, id));
    VIGIL_RETURN_IF_ERROR(s->BindText(2, release_));
    VIGIL_RETURN_IF_ERROR(s->BindText(3, version));
    return s->Run();
  }

  Status Append(int64_t id, std::string_view version, std::string_view origin, Decision d) {
    Event e;
    e.at = now_;
    e.release = release_;
    e.component_version = version;
    e.origin = origin;
    e.decision = std::move(d);
    return impl_.AppendEvent(id, e);
  }

  Register::Impl& impl_;
  std::string product_, release_, now_;
  std::unordered_set<std::string> filed_;
};

Status CheckName(std::string_view what, std::string_view v) {
  if (!v.empty() && v.size() <= 256 && v.find_first_of("\n\r") == std::string_view::npos) {
    return OkStatus();
  }
  return InvalidArgumentError("triage register: " + std::string(what) +
                              ": expected 1-256 characters on one line");
}

}  // namespace

Result<ObserveSummary> Register::Observe(std::string_view product, std::string_view release,
                                         std::span<const vuln::Finding> findings) {
  VIGIL_RETURN_IF_ERROR(CheckName("product", product));
  VIGIL_RETURN_IF_ERROR(CheckName("release", release));
  VIGIL_ASSIGN_OR_RETURN(storage::Transaction tx, Transaction::Begin(impl_->db));
  VIGIL_ASSIGN_OR_RETURN(std::string now, impl_->Now());
  Observer o(*impl_, product, release, now);
  VIGIL_ASSIGN_OR_RETURN(bool newest, o.NoteRelease());
  ObserveSummary sum;
  for (const vuln::Finding& f : findings) {
    if (f.unassessed) continue;  // not a finding: no source gives versions to decide it
    VIGIL_RETURN_IF_ERROR(o.File(f, sum));
  }
  if (newest) VIGIL_RETURN_IF_ERROR(o.CloseMissing(sum));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return sum;
}

}  // namespace vigil::triage
