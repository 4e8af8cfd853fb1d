// vigil::triage::Register — the manufacturer's memory of vulnerability decisions: one record per
// (product, vulnerability, component) across the product's releases, each decision appended to
// an append-only history, the patient-harm risk decision (risk/decision.h) beside it, deadlines,
// and the metrics FDA asks a manufacturer to track.
//
// How records come and go. A scan of a release (Observe) opens a record for each new finding
// ("in_triage", discovered today). A finding already in the register whose component version is
// the one its last decision was made on keeps that decision: the decision *carries* to the new
// release (an event says so). When the version changed, the decision no longer speaks about what
// ships: the record is *re-opened* (in_triage again), with the reason naming both versions. A
// record open in the previous release but not found in this one (the component was updated past
// the flaw, or removed) is marked fixed in this release, saying so. People decide with Set.
//
// The component of a record is its package URL without version, qualifiers and subpath
// ("pkg:golang/github.com/wazuh/wazuh"), or its SBOM name when it has no purl; the vulnerability
// is its CVE id when the advisory or one of its aliases has one, else the advisory's id.
//
// History: every change is a new event; nothing updates or deletes an event (the API has no such
// operation; the database refuses UPDATE and DELETE on the history with triggers, so a tool
// writing SQL directly cannot rewrite it either). Events are ordered; a clock that went back is
// recorded as the last event's time, never before it. A decision carried unchanged (same
// component version) into a new newest release is stored once for the whole release (a carry:
// "release 2 carried every record of release 1 it found again unchanged"), not per record; History,
// SightedIn, Find and List show it per record as the "carried" event that carry gives it. A
// record's opening (its first event, and its sighting in the release that opened it) is stored in
// the record's own row (schema version 4: one row per new record; the database refuses an UPDATE
// of those columns and any DELETE of a record); History and SightedIn show it as the "opened"
// event and a sighting like any other. Registers filed before keep their openings as event and
// sighting rows, which read alike.
//
// Crash safety: every operation is one SQLite transaction (journal mode DELETE,
// synchronous=EXTRA, as the vault): an acknowledged Set or Observe survives power loss and
// kill -9; an interrupted one leaves no trace (tested with the power-loss VFS at every write
// point and with kill -9 of a writing process).
//
// Thread-safety: a Register belongs to one thread at a time. Several processes may use one file
// (SQLite locking; a writer waits up to 5 s for another).
#ifndef VIGIL_TRIAGE_REGISTER_H_
#define VIGIL_TRIAGE_REGISTER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/env.h"
#include "vigil/core/result.h"
#include "vigil/risk/decision.h"
#include "vigil/risk/ssvc.h"
#include "vigil/vuln/finding.h"
#include "vigil/vuln/weakness.h"

namespace vigil::triage {

enum class TriageStatus { kInTriage, kNotAffected, kAffected, kFixed };
std::string_view TriageStatusName(
    TriageStatus s);  // "in_triage", "not_affected", "affected", "fixed"
std::optional<TriageStatus> ParseTriageStatus(std::string_view name);

// What a decision states. Required by Set: a reason and an actor; for not_affected a
// justification (the CSAF / OpenVEX labels, or CycloneDX's, which are mapped); for affected an
// action (what the manufacturer does: the remediation or mitigation); for fixed the release.
struct Decision {
  TriageStatus status = TriageStatus::kInTriage;
  std::string justification;  // not_affected: "vulnerable_code_not_in_execute_path", …
  std::string action;         // affected: "update wolfSSL to 5.6.6 in 2.1; disable TLS 1.3 …"
  std::string fixed_in;       // fixed: the release with the fix
  std::string reason;         // why (free text, one line)
  std::string actor;          // who decided ("j.doe@maker.example"; "vigil scan" for Observe)
  std::optional<risk::Harm> harm;  // this finding's severity of harm (overrides the component's)
  std::string cvss_vector;  // a device-specific vector (vigil rubric), overrides the advisory's
  std::string compensating_control;  // documented control (needed for KEV to be controlled)
};

struct Event {
  int64_t seq = 0;      // order of the whole history
  std::string at;       // RFC 3339 UTC
  std::string release;  // the release the event is about
  std::string component_version;
  std::string origin;  // "set", "opened", "carried", "re-opened", "not found"
  Decision decision;
};

struct RecordKey {
  std::string product, vulnerability, component;
};

// The facts the last scan gave (updated by each Observe; not history).
struct ScanFacts {
  std::string advisory_id;  // the advisory that matched (may differ from the vulnerability id)
  std::string summary;
  std::string component_name;
  std::string cvss_vector;
  std::optional<double> cvss_score;
  bool kev = false;
  std::string kev_due_date;
  std::optional<double> epss;
  // The advisory's CWE weaknesses (vuln/weakness.h), for the CSAF advisory's `cwe`.
  std::vector<vuln::Weakness> weaknesses;
};

struct Deadline {
  std::string what;  // "notify customers", "field a fix"
  std::string due;   // YYYY-MM-DD
  bool met = false;
  bool overdue = false;  // not met and past due (as of the date asked)
};

struct Record {
  RecordKey key;
  std::string discovered;  // YYYY-MM-DD
  std::string release;     // the last release it was seen in
  std::string component_version;
  ScanFacts facts;
  Event current;  // the last event: the decision in force
  std::optional<risk::Harm> component_harm;
  std::string notified;  // YYYY-MM-DD of the first advisory covering it, empty when none
  risk::RiskDecision risk;
  // The risk from the facts alone, before a fixed or not_affected decision closed it (the same as
  // `risk` otherwise): what devices still running a release without the fix carry (fleet exposure).
  risk::RiskDecision unmitigated_risk;
  // CISA SSVC deployer priority from the same facts (risk/ssvc.h): how soon to field the fix.
  risk::SsvcDecision ssvc;
  std::vector<Deadline> deadlines;
  bool overdue() const;
};

// One release as the register knows it.
struct Release {
  std::string product, release;
  std::string first_scanned;  // RFC 3339
  std::string fielded;        // YYYY-MM-DD when the release reached the field, empty otherwise
};

struct ObserveSummary {
  size_t opened = 0, carried = 0, reopened = 0, unchanged = 0, not_found = 0;
};

struct ListFilter {
  std::string product;  // empty: every product
  std::string release;  // empty: every release; else records seen in this release
  std::optional<TriageStatus> status;
  bool overdue_only = false;
  std::string as_of;          // YYYY-MM-DD for deadlines; empty: today
  std::string vulnerability;  // empty: every one; else this CVE id (or advisory id)
};

// FDA's postmarket metrics for one product over [from, to] (discovery dates).
struct Metrics {
  std::string product, from, to;
  size_t vulnerabilities = 0;  // records discovered in the period
  size_t not_affected = 0, open = 0, patched = 0;
  double patched_share = 0;  // patched / (vulnerabilities - not_affected)
  // Days from discovery to the fix (the fixed event) and to the field (the fixing release's
  // fielded date), over the patched records that have them.
  std::optional<double> patch_days_median, patch_days_mean, field_days_median, field_days_mean;
  size_t fielded = 0;
  size_t overdue = 0;
};

struct AdvisoryIssue {
  std::string product, tracking_id;
  int64_t revision = 0;
  std::string issued;   // RFC 3339
  std::string summary;  // the revision's summary
};

class Filing;

struct RegisterOptions {
  std::string path;
  bool create = false;     // create the file when missing (NotFound otherwise)
  bool read_only = false;  // never writes (list, history, metrics, scan)
  std::string sqlite_vfs;  // tests: the power-loss VFS
  // When set, the register lives in this PostgreSQL database instead (a libpq connection string,
  // storage::PostgresOptions::url; `path`, `create` and `sqlite_vfs` are then unused: the
  // database exists, its tables are created on first use). For the fleet server.
  std::string postgres_url;
  // Tests: migrate no further than this schema version (3 or later) and write as it did, to build
  // an older register; 0 is the current one.
  int64_t schema_version = 0;
};

class Register {
 public:
  struct Impl;  // opaque: the register's parts in src/triage share it

  // Opens (and with create, creates) a register; `env` gives the clock.
  static Result<Register> Open(const RegisterOptions& options, Env& env);
  Register(Register&&) noexcept;
  Register& operator=(Register&&) noexcept;
  ~Register();

  // The manufacturer's risk policy (risk/decision.h), kept with its text; each SetPolicy is
  // remembered (the latest decides). Without a policy every risk is uncontrolled with FDA's
  // 30/60-day deadlines, and Record::risk says why.
  Status SetPolicy(std::string_view yaml, std::string_view source, std::string_view actor);
  Result<std::optional<risk::RiskPolicy>> Policy();

  // Severity of harm of a component of a product (ISO 14971), for its findings without their own.
  Status SetComponentHarm(std::string_view product, std::string_view component, risk::Harm harm,
                          std::string_view actor, std::string_view reason);

  // Records a scan of `release` of `product` (see the top of this file). One transaction.
  Result<ObserveSummary> Observe(std::string_view product, std::string_view release,
                                 std::span<const vuln::Finding> findings);
  // The same, batch by batch as a streaming matcher finds them (Filing below).
  Result<std::unique_ptr<Filing>> BeginFiling(std::string_view product, std::string_view release);

  // Appends a decision to a record's history (errors: NotFound for an unknown record,
  // InvalidArgument naming the missing or invalid field).
  Result<Record> Set(const RecordKey& key, std::string_view release, const Decision& decision);

  // A read transaction held on the register's connection until End or destruction: every read
  // through the register meanwhile (List, Find, History, SightedIn, Releases, ComputeMetrics)
  // sees it as of one moment, and SQLite takes its file locks once instead of around each
  // statement, which matters to a caller reading thousands of records one by one (an advisory
  // reads each record's history). Without one, List, FindMany and ComputeMetrics each hold
  // their own. Nothing may be written while it lasts (BeginFiling, Set and the other writes
  // fail with FailedPrecondition); one at a time (FailedPrecondition). It must end before the
  // Register is destroyed.
  class Snapshot {
   public:
    Snapshot(Snapshot&& other) noexcept;
    Snapshot& operator=(Snapshot&&) = delete;
    ~Snapshot();
    // Ends the transaction (its error, if the engine gives one); the destructor ends it too.
    Status End();

   private:
    friend class Register;
    explicit Snapshot(Impl* impl) : impl_(impl) {}
    Impl* impl_;
  };
  Result<Snapshot> BeginSnapshot();

  Result<std::vector<Record>> List(const ListFilter& filter);
  Result<std::optional<Record>> Find(const RecordKey& key, std::string_view as_of = {});
  // Find for many keys at once (one policy read), in order.
  Result<std::vector<std::optional<Record>>> FindMany(std::span<const RecordKey> keys,
                                                      std::string_view as_of = {});
  Result<std::vector<Event>> History(const RecordKey& key);
  // The releases a record was seen in by a scan (NotFound for an unknown record), by name.
  Result<std::vector<std::string>> SightedIn(const RecordKey& key);

  // Declares that a release reached the field on `date` (YYYY-MM-DD): the time-to-field metric.
  Status MarkFielded(std::string_view product, std::string_view release, std::string_view date);
  Result<std::vector<Release>> Releases(std::string_view product);

  Result<Metrics> ComputeMetrics(std::string_view product, std::string_view from,
                                 std::string_view to);

  // Advisories issued for a product (vigil advisory): the next revision number of a tracking id,
  // and recording an issue marks its records as notified.
  Result<std::vector<AdvisoryIssue>> Advisories(std::string_view product,
                                                std::string_view tracking_id);
  Status RecordAdvisory(const AdvisoryIssue& issue, std::span<const RecordKey> covered);

  // The vulnerability and component keys a finding is filed under.
  static std::string VulnerabilityOf(const vuln::Finding& f);
  static std::string ComponentOf(const vuln::Finding& f);

 private:
  Result<std::string> FixedSince(const RecordKey& key);
  explicit Register(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A scan being filed: Register::BeginFiling starts one write transaction, File takes the findings
// batch by batch, Commit marks what the newest release no longer has and commits. Destroyed
// without Commit, it files nothing; nor after a batch or its Commit failed: every later call
// returns that failure. The register's records of the product are read once at the start, so
// filing costs a few inserts per finding, not a query each.
class Filing {
 public:
  ~Filing();
  Filing(const Filing&) = delete;
  Filing& operator=(const Filing&) = delete;

  // Files a batch and returns each finding's record as it now stands (same order; nullopt for
  // unassessed findings, which are never filed), risk and deadlines assessed as of today.
  Result<std::vector<std::optional<Record>>> File(std::span<const vuln::Finding> batch);
  // The same without copying the records: each points at the filing's own record (nullptr for
  // an unassessed finding), valid until the next File or FileViews (which drop their risk, SSVC
  // and deadlines) or the Filing's end; Commit keeps them. For a caller that renders each batch
  // before filing the next (vigil scan --register streaming its report).
  Result<std::vector<const Record*>> FileViews(std::span<const vuln::Finding> batch);
  Result<ObserveSummary> Commit();
  // For a process about to exit (vigil scan): the filing's records, held until the Filing is
  // destroyed, are left to the process's end instead of returned to malloc one block at a time
  // (a scan of 30k findings holds ~100 MiB of them: freeing them cost more than the commit).
  void LeaveRecordsToExit();

  struct State;  // opaque: src/triage/observe.cc

 private:
  friend class Register;
  explicit Filing(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace vigil::triage

#endif  // VIGIL_TRIAGE_REGISTER_H_
