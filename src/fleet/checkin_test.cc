// Check-ins on every engine of testing/database_engines.h, with real audit logs written by the
// audit module (TileLog, signed C2SP checkpoints, RFC 9162 proofs from log_check.h): an honest
// device is accepted; a rolled-back log, a forked log (same size other root, or a proof that does
// not verify), a counter that went down, a bad signature, another origin and an unknown release
// each raise an alert, and none replaces what the fleet holds.
#include "vigil/fleet/checkin.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "testing/database_engines.h"
#include "vigil/audit/checkpoint.h"
#include "vigil/audit/event.h"
#include "vigil/audit/log_check.h"
#include "vigil/audit/tile_log.h"
#include "vigil/core/json.h"
#include "vigil/crypto/signature.h"

namespace vigil::fleet {
namespace {

using audit::TileLog;
using testing::FleetEngineTest;

constexpr char kOrigin[] = "pump.example/SN-1/audit";

audit::Event Sample(uint64_t i, std::string_view actor) {
  audit::Event e;
  e.sequence = i;
  e.time_unix_micros = 1763840000000000 + static_cast<int64_t>(i);
  e.device_id = "SN-1";
  e.actor_id = std::string(actor);
  e.actor_role = audit::Role::kClinician;
  e.action = audit::Action::kLogin;
  e.outcome = audit::Outcome::kSuccess;
  e.interface = audit::Interface::kLocalUi;
  return e;
}

std::unique_ptr<audit::NoteSigner> NewSigner(const std::string& name) {
  auto key = crypto::GenerateSigningKey(crypto::AlgorithmId::kEd25519);
  EXPECT_TRUE(key);
  auto signer = audit::NoteSigner::Create(name, std::move(*key));
  EXPECT_TRUE(signer);
  return std::move(*signer);
}

class CheckinTest : public FleetEngineTest {
 protected:
  void SetUp() override {
    FleetEngineTest::SetUp();
    ASSERT_TRUE(fleet().AddProduct({"Infusion pump", "", ""}));
    ASSERT_TRUE(fleet().AddRelease({"Infusion pump", "1.0", "", "", "", "", ""}));
    ASSERT_TRUE(fleet().AddRelease({"Infusion pump", "1.1", "", "", "", "", ""}));
    Device d;
    d.serial = "SN-1";
    d.product = "Infusion pump";
    d.release = "1.0";
    d.site = "ICU";
    d.log_key = signer_->VerifierKey();
    d.security_counter = 3;
    ASSERT_TRUE(fleet().AddDevice(d));
    log_ = OpenLog("log");
  }
  void TearDown() override {
    log_.reset();
    FleetEngineTest::TearDown();
  }

  std::unique_ptr<TileLog> OpenLog(const std::string& name) {
    auto log = TileLog::Open(*Env::Default(), dir_ + "/" + name);
    EXPECT_TRUE(log) << log.error().ToString();
    return std::move(*log);
  }
  // Appends events up to `size`, the actor naming the log (so two logs differ where they do).
  static void Grow(TileLog& log, uint64_t size, std::string_view actor = "clin.jdoe") {
    while (log.size() < size) {
      auto entry = audit::EncodeEvent(Sample(log.size(), actor));
      ASSERT_TRUE(entry);
      ASSERT_TRUE(log.Append(*entry));
    }
  }
  // The log's current state as a signed checkpoint note.
  std::string Note(const TileLog& log, audit::NoteSigner& signer,
                   const std::string& origin = kOrigin) {
    audit::Checkpoint c{origin, log.size(), *log.Root(), {}};
    audit::NoteSigner* signers[] = {&signer};
    auto note = audit::SignNote(*audit::FormatCheckpoint(c), signers);
    EXPECT_TRUE(note);
    return *note;
  }
  // A log sharing the first `shared` events with the device's, then another history up to `size`.
  std::unique_ptr<TileLog> Fork(const std::string& name, uint64_t shared, uint64_t size) {
    auto fork = OpenLog(name);
    Grow(*fork, shared);
    Grow(*fork, size, "intruder");
    return fork;
  }
  // A check-in body as a device sends it, parsed as the server does.
  CheckinReport Body(const std::string& note, uint64_t counter,
                     const std::vector<audit::Hash>& proof = {},
                     const std::string& release = "1.1") {
    json::Value body = json::Value::MakeObject({{"release", release},
                                                {"slot", "b"},
                                                {"slot_status", "good"},
                                                {"security_counter", counter},
                                                {"checkpoint", note}});
    json::Value p = json::Value::MakeArray();
    for (const std::string& h : EncodeProof(proof)) p.Push(h);
    body.Set("consistency_proof", std::move(p));
    auto parsed = ParseCheckin(json::Write(body), "checkin.json");
    EXPECT_TRUE(parsed) << parsed.error().ToString();
    return *parsed;
  }
  std::vector<audit::Hash> ProofFrom(const TileLog& log, uint64_t from) {
    auto evidence = audit::ProveConsistency(log, from);
    EXPECT_TRUE(evidence) << evidence.error().ToString();
    return evidence->proof;
  }
  CheckinResult Checkin(const CheckinReport& r) {
    auto result = fleet().Checkin("SN-1", r);
    EXPECT_TRUE(result) << result.error().ToString();
    return *result;
  }
  // The first check-in: the log at `size`, trusted on first use.
  void FirstCheckin(uint64_t size) {
    Grow(*log_, size);
    CheckinResult r = Checkin(Body(Note(*log_, *signer_), 5));
    ASSERT_TRUE(r.accepted);
  }
  Device Stored() {
    auto d = fleet().FindDevice("SN-1");
    EXPECT_TRUE(d && *d);
    return **d;
  }
  static std::vector<std::string> Kinds(const CheckinResult& r) {
    std::vector<std::string> kinds;
    for (const Alert& a : r.alerts) kinds.push_back(a.kind);
    return kinds;
  }
  // What the fleet held before a refused check-in is what it holds after it.
  void ExpectUnchanged(const Device& before) {
    Device after = Stored();
    ASSERT_TRUE(after.checkpoint && before.checkpoint);
    EXPECT_EQ(after.checkpoint->size, before.checkpoint->size);
    EXPECT_EQ(after.checkpoint->root_hex, before.checkpoint->root_hex);
    EXPECT_EQ(after.checkpoint->note, before.checkpoint->note);
    EXPECT_EQ(after.security_counter, before.security_counter);
    EXPECT_EQ(after.release, before.release);
    EXPECT_FALSE(after.last_checkin.empty());
  }

  std::unique_ptr<audit::NoteSigner> signer_ = NewSigner("pump.example/SN-1");
  std::unique_ptr<TileLog> log_;
};

TEST_P(CheckinTest, AnHonestDeviceIsAcceptedAndItsStateKept) {
  Grow(*log_, 10);
  // The device's own CheckpointWriter signs; the fleet trusts the first checkpoint it sees.
  audit::CheckpointWriter writer(*Env::Default(), dir_ + "/cp-state", kOrigin, {signer_.get()});
  auto root_at = [&](uint64_t size) { return log_->RootAt(size); };
  auto first = writer.Sign(log_->size(), *log_->Root(), root_at);
  ASSERT_TRUE(first) << first.error().ToString();
  CheckinResult r1 = Checkin(Body(*first, 5));
  EXPECT_TRUE(r1.accepted);
  EXPECT_TRUE(r1.alerts.empty());
  Device d = Stored();
  ASSERT_TRUE(d.checkpoint);
  EXPECT_EQ(d.checkpoint->size, 10u);
  EXPECT_EQ(d.checkpoint->origin, kOrigin);
  EXPECT_EQ(d.checkpoint->note, *first);
  EXPECT_EQ(d.release, "1.1");
  EXPECT_EQ(d.slot, "b");
  EXPECT_EQ(d.security_counter, 5u);
  EXPECT_FALSE(d.last_checkin.empty());
  // The device moved from 1.0 to 1.1: the kept counts follow it.
  auto counts = fleet().CountDevices({});
  ASSERT_TRUE(counts);
  ASSERT_EQ(counts->size(), 1u);
  EXPECT_EQ((*counts)[0].release, "1.1");
  EXPECT_EQ((*counts)[0].devices, 1u);

  // The log grows past a tile boundary; the proof from 10 to 300 verifies.
  Grow(*log_, 300);
  auto second = writer.Sign(log_->size(), *log_->Root(), root_at);
  ASSERT_TRUE(second);
  CheckinResult r2 = Checkin(Body(*second, 6, ProofFrom(*log_, 10)));
  EXPECT_TRUE(r2.accepted) << (r2.alerts.empty() ? "" : r2.alerts[0].detail);
  EXPECT_EQ(Stored().checkpoint->size, 300u);
  EXPECT_EQ(Stored().security_counter, 6u);
  // The same checkpoint again (nothing logged since): accepted without a proof.
  EXPECT_TRUE(Checkin(Body(*second, 6)).accepted);
  auto alerts = fleet().Alerts("SN-1");
  ASSERT_TRUE(alerts);
  EXPECT_TRUE(alerts->empty());
}

TEST_P(CheckinTest, ARolledBackLogIsAnAlert) {
  FirstCheckin(20);
  Device before = Stored();
  // The device's log restored from an older copy: the same first 12 events, nothing after.
  auto restored = Fork("restored", 12, 12);
  CheckinResult r = Checkin(Body(Note(*restored, *signer_), 5));
  EXPECT_FALSE(r.accepted);
  EXPECT_EQ(Kinds(r), std::vector<std::string>{"rolled_back"});
  EXPECT_NE(r.alerts[0].detail.find("accepted size 20, reported 12"), std::string::npos);
  ExpectUnchanged(before);
  auto listed = fleet().Alerts("SN-1");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].kind, "rolled_back");
  EXPECT_EQ((*listed)[0].serial, "SN-1");
  // The history keeps both check-ins, newest first: the refused one without a checkpoint (its
  // checkpoint was not trusted), the accepted one with the checkpoint it signed.
  auto history = fleet().Checkins("SN-1", 10);
  ASSERT_TRUE(history) << history.error().ToString();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_FALSE((*history)[0].accepted);
  EXPECT_FALSE((*history)[0].tree_size);
  EXPECT_TRUE((*history)[0].tree_root_hex.empty());
  EXPECT_TRUE((*history)[1].accepted);
  EXPECT_EQ((*history)[1].tree_size, std::optional<uint64_t>(20));
  EXPECT_EQ((*history)[1].tree_root_hex.size(), 64u);
  EXPECT_GT((*history)[0].seq, (*history)[1].seq);
  auto last = fleet().Checkins("SN-1", 1);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->size(), 1u);
  auto none = fleet().Checkins("SN-404", 10);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_P(CheckinTest, AForkAtTheSameSizeIsAnAlert) {
  FirstCheckin(20);
  Device before = Stored();
  // Another history of the same length: events 0-7 shared, 8-19 rewritten.
  auto fork = Fork("fork", 8, 20);
  CheckinResult r = Checkin(Body(Note(*fork, *signer_), 5));
  EXPECT_FALSE(r.accepted);
  EXPECT_EQ(Kinds(r), std::vector<std::string>{"forked"});
  EXPECT_NE(r.alerts[0].detail.find("same tree size with another root"), std::string::npos);
  ExpectUnchanged(before);
}

TEST_P(CheckinTest, AForkThatGrewFailsItsConsistencyProof) {
  FirstCheckin(20);
  Device before = Stored();
  auto fork = Fork("fork", 8, 40);
  // The fork's own proof from 20 is consistent with the fork, not with what the fleet holds.
  CheckinResult r = Checkin(Body(Note(*fork, *signer_), 5, ProofFrom(*fork, 20)));
  EXPECT_FALSE(r.accepted);
  EXPECT_EQ(Kinds(r), std::vector<std::string>{"forked"});
  EXPECT_NE(r.alerts[0].detail.find("consistency proof does not verify (accepted size 20, "
                                    "reported 40)"),
            std::string::npos);
  ExpectUnchanged(before);
  // An honest growth without its proof, or with the proof of other sizes, is refused as well.
  Grow(*log_, 40);
  EXPECT_EQ(Kinds(Checkin(Body(Note(*log_, *signer_), 5))), std::vector<std::string>{"forked"});
  EXPECT_EQ(Kinds(Checkin(Body(Note(*log_, *signer_), 5, ProofFrom(*log_, 19)))),
            std::vector<std::string>{"forked"});
  ExpectUnchanged(before);
  // With the right proof it is accepted.
  EXPECT_TRUE(Checkin(Body(Note(*log_, *signer_), 5, ProofFrom(*log_, 20))).accepted);
  EXPECT_EQ(Stored().checkpoint->size, 40u);
}

TEST_P(CheckinTest, ACounterThatWentDownIsAnAlert) {
  FirstCheckin(10);
  Device before = Stored();
  Grow(*log_, 11);
  CheckinResult r = Checkin(Body(Note(*log_, *signer_), 4, ProofFrom(*log_, 10)));
  EXPECT_FALSE(r.accepted);
  EXPECT_EQ(Kinds(r), std::vector<std::string>{"counter_rollback"});
  EXPECT_EQ(r.alerts[0].detail, "security counter went down from 5 to 4");
  ExpectUnchanged(before);  // the good checkpoint of that check-in is not taken either
}

TEST_P(CheckinTest, ABadSignatureIsAnAlert) {
  FirstCheckin(10);
  Device before = Stored();
  Grow(*log_, 12);
  auto other = NewSigner("pump.example/SN-1");  // same name, another key
  CheckinResult r = Checkin(Body(Note(*log_, *other), 5, ProofFrom(*log_, 10)));
  EXPECT_FALSE(r.accepted);
  EXPECT_EQ(Kinds(r), std::vector<std::string>{"bad_signature"});
  // A note whose body was edited after signing (the size changed).
  std::string note = Note(*log_, *signer_);
  note.replace(note.find("\n12\n"), 4, "\n13\n");
  EXPECT_EQ(Kinds(Checkin(Body(note, 5, ProofFrom(*log_, 10)))),
            std::vector<std::string>{"bad_signature"});
  EXPECT_EQ(Kinds(Checkin(Body("not a note", 5))), std::vector<std::string>{"bad_signature"});
  ExpectUnchanged(before);
}

TEST_P(CheckinTest, AnotherOriginIsAnAlert) {
  FirstCheckin(10);
  Device before = Stored();
  CheckinResult r = Checkin(Body(Note(*log_, *signer_, "pump.example/SN-2/audit"), 5));
  EXPECT_EQ(Kinds(r), std::vector<std::string>{"origin_changed"});
  ExpectUnchanged(before);
}

TEST_P(CheckinTest, EveryProblemOfOneCheckinIsRaised) {
  FirstCheckin(20);
  Device before = Stored();
  auto restored = Fork("restored", 5, 5);
  CheckinResult r = Checkin(Body(Note(*restored, *signer_), 1, {}, "0.9"));
  EXPECT_FALSE(r.accepted);
  EXPECT_EQ(Kinds(r),
            (std::vector<std::string>{"unknown_release", "rolled_back", "counter_rollback"}));
  ExpectUnchanged(before);
  auto counts = fleet().CountDevices({});  // a refused check-in moves no count
  ASSERT_TRUE(counts);
  ASSERT_EQ(counts->size(), 1u);
  EXPECT_EQ((*counts)[0].release, "1.1");
  auto all = fleet().Alerts("");
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_LT((*all)[0].seq, (*all)[2].seq);
  auto other = fleet().Alerts("SN-9");
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->empty());
}

TEST_P(CheckinTest, AnUnknownDeviceIsNotFound) {
  Grow(*log_, 3);
  auto r = fleet().Checkin("SN-404", Body(Note(*log_, *signer_), 5));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(r.error().message(), "fleet database: no device 'SN-404'");
}

TEST_P(CheckinTest, ARemovedDeviceIsRefusedAndItsHistoryKept) {
  FirstCheckin(4);
  auto removed = fleet().RemoveDevice("SN-1");
  ASSERT_TRUE(removed) << removed.error().ToString();
  EXPECT_EQ(removed->release, "1.1");
  auto found = fleet().FindDevice("SN-1");
  ASSERT_TRUE(found);
  EXPECT_FALSE(*found);
  auto counts = fleet().CountDevices({});
  ASSERT_TRUE(counts);
  EXPECT_TRUE(counts->empty());
  Grow(*log_, 6);
  auto refused = fleet().Checkin("SN-1", Body(Note(*log_, *signer_), 6, ProofFrom(*log_, 4)));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kNotFound);
  auto history = fleet().Checkins("SN-1", 10);  // what it reported in service stays
  ASSERT_TRUE(history);
  EXPECT_EQ(history->size(), 1u);
  auto again = fleet().RemoveDevice("SN-1");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(again.error().message(), "fleet database: no device 'SN-1'");
}

// A note opened before the transaction (OpenReportedCheckpoint, as the server does outside its
// lock) is taken only when it was opened with the device's registered key: one opened with
// another key, whatever it concluded, is opened again with the right one.
TEST_P(CheckinTest, ANoteOpenedBeforehandCountsOnlyWithTheRegisteredKey) {
  FirstCheckin(4);
  Grow(*log_, 6);
  auto other = NewSigner("pump.example/SN-1");
  auto other_key = audit::NoteVerifier::Parse(other->VerifierKey());
  ASSERT_TRUE(other_key);
  // Signed by the other key and opened with it: a valid checkpoint, but not for this device.
  CheckinReport forged = Body(Note(*log_, *other), 6, ProofFrom(*log_, 4));
  OpenReportedCheckpoint(forged, other->VerifierKey(), **other_key);
  ASSERT_TRUE(forged.opened && forged.opened->checkpoint);
  EXPECT_EQ(Kinds(Checkin(forged)), std::vector<std::string>{"bad_signature"});
  // The honest note opened with the registered key: taken as opened.
  auto key = audit::NoteVerifier::Parse(signer_->VerifierKey());
  ASSERT_TRUE(key);
  CheckinReport honest = Body(Note(*log_, *signer_), 6, ProofFrom(*log_, 4));
  OpenReportedCheckpoint(honest, signer_->VerifierKey(), **key);
  ASSERT_TRUE(honest.opened && honest.opened->checkpoint);
  EXPECT_TRUE(Checkin(honest).accepted);
  // A note that does not open with the registered key is a bad_signature alert with its reason.
  Grow(*log_, 7);
  CheckinReport edited = Body(Note(*log_, *signer_), 6, ProofFrom(*log_, 6));
  edited.checkpoint.replace(edited.checkpoint.find("\n7\n"), 3, "\n8\n");
  OpenReportedCheckpoint(edited, signer_->VerifierKey(), **key);
  ASSERT_TRUE(edited.opened);
  EXPECT_FALSE(edited.opened->checkpoint);
  CheckinResult r = Checkin(edited);
  EXPECT_EQ(Kinds(r), std::vector<std::string>{"bad_signature"});
  EXPECT_EQ(r.alerts[0].detail, edited.opened->checkpoint.error().message());
  EXPECT_EQ(Stored().checkpoint->size, 6u);
}

// Group commit: check-ins of one batch are each verified as alone and recorded together; an
// unknown serial fails alone, and a forked report in the same batch is an alert as ever.
TEST_P(CheckinTest, ManyCheckinsInOneTransactionEachAnswerAsAlone) {
  FirstCheckin(4);
  const Device before = Stored();
  auto fork = Fork("fork", 2, 4);
  Grow(*log_, 6);
  const std::vector<DeviceCheckin> batch = {
      {"SN-1", Body(Note(*fork, *signer_), 6)},
      {"SN-404", Body(Note(*log_, *signer_), 6)},
  };
  auto results = fleet().CheckinMany(batch);
  ASSERT_TRUE(results) << results.error().ToString();
  ASSERT_EQ(results->size(), 2u);
  ASSERT_TRUE((*results)[0]);
  EXPECT_FALSE((*results)[0]->accepted);
  EXPECT_EQ(Kinds(*(*results)[0]), std::vector<std::string>{"forked"});
  ASSERT_FALSE((*results)[1]);
  EXPECT_EQ((*results)[1].error().code(), ErrorCode::kNotFound);
  ExpectUnchanged(before);
  const std::vector<DeviceCheckin> honest = {
      {"SN-1", Body(Note(*log_, *signer_), 6, ProofFrom(*log_, 4))}};
  results = fleet().CheckinMany(honest);
  ASSERT_TRUE(results && (*results)[0]) << (results ? "" : results.error().ToString());
  EXPECT_TRUE((*results)[0]->accepted);
  EXPECT_EQ(Stored().checkpoint->size, 6u);
  auto alerts = fleet().Alerts("SN-1");
  ASSERT_TRUE(alerts);
  EXPECT_EQ(alerts->size(), 1u);
}

// A device twice in one batch (two connections) is judged the second time against what its
// first check-in recorded, and the batch's history rows take consecutive sequence numbers.
TEST_P(CheckinTest, ADeviceTwiceInABatchIsJudgedAgainstItsFirstCheckin) {
  FirstCheckin(4);
  Grow(*log_, 6);
  const std::string note6 = Note(*log_, *signer_);
  const std::vector<audit::Hash> proof6 = ProofFrom(*log_, 4);
  Grow(*log_, 8);
  const std::vector<DeviceCheckin> batch = {
      {"SN-1", Body(note6, 6, proof6)},
      {"SN-1", Body(Note(*log_, *signer_), 7, ProofFrom(*log_, 6))},  // proven from 6, not 4
      {"SN-1", Body(note6, 7)},                                       // 6 again: rolled back
  };
  auto results = fleet().CheckinMany(batch);
  ASSERT_TRUE(results) << results.error().ToString();
  ASSERT_EQ(results->size(), 3u);
  EXPECT_TRUE((*results)[0] && (*results)[0]->accepted);
  EXPECT_TRUE((*results)[1] && (*results)[1]->accepted);
  ASSERT_TRUE((*results)[2]);
  EXPECT_EQ(Kinds(*(*results)[2]), std::vector<std::string>{"rolled_back"});
  EXPECT_EQ(Stored().checkpoint->size, 8u);
  EXPECT_EQ(Stored().security_counter, 7u);
  auto history = fleet().Checkins("SN-1", 10);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 4u);
  for (size_t i = 0; i + 1 < history->size(); ++i) {
    EXPECT_EQ((*history)[i].seq, (*history)[i + 1].seq + 1);
  }
}

// A batch larger than one multi-row statement (100 rows, fleet_impl.h): every device's new state
// is written back, the history rows are numbered in the batch's order across statements, the
// devices that moved are counted under their new release, and a refused check-in among them
// leaves its device as it was.
TEST_P(CheckinTest, ABatchLargerThanOneStatementRecordsEveryCheckin) {
  constexpr size_t kDevices = 150;
  std::vector<Device> more;
  for (size_t i = 2; i <= kDevices; ++i) {
    Device d;
    d.serial = "SN-" + std::to_string(i);
    d.product = "Infusion pump";
    d.release = "1.0";
    d.site = i % 2 ? "ICU" : "Ward";
    d.log_key = signer_->VerifierKey();
    more.push_back(std::move(d));
  }
  ASSERT_TRUE(fleet().AddDevices(more));
  FirstCheckin(4);  // SN-1: release 1.1, counter 5, history seq 1
  const Device before = Stored();
  Grow(*log_, 6);
  const std::string note = Note(*log_, *signer_);
  std::vector<DeviceCheckin> batch = {{"SN-1", Body(note, 2, ProofFrom(*log_, 4))}};
  for (size_t i = 2; i <= kDevices; ++i) {
    batch.push_back({"SN-" + std::to_string(i), Body(note, i)});
  }
  auto results = fleet().CheckinMany(batch);
  ASSERT_TRUE(results) << results.error().ToString();
  ASSERT_EQ(results->size(), kDevices);
  ASSERT_TRUE((*results)[0]);
  EXPECT_EQ(Kinds(*(*results)[0]), std::vector<std::string>{"counter_rollback"});
  ExpectUnchanged(before);
  for (size_t i = 2; i <= kDevices; ++i) {
    const std::string serial = "SN-" + std::to_string(i);
    EXPECT_TRUE((*results)[i - 1] && (*results)[i - 1]->accepted) << serial;
    auto d = fleet().FindDevice(serial);
    ASSERT_TRUE(d && *d) << serial;
    EXPECT_EQ((*d)->release, "1.1");
    EXPECT_EQ((*d)->slot, "b");
    EXPECT_EQ((*d)->security_counter, i);
    ASSERT_TRUE((*d)->checkpoint) << serial;
    EXPECT_EQ((*d)->checkpoint->size, 6u);
    EXPECT_EQ((*d)->checkpoint->note, note);
    auto history = fleet().Checkins(serial, 10);
    ASSERT_TRUE(history && history->size() == 1u) << serial;
    EXPECT_EQ((*history)[0].seq, static_cast<int64_t>(i + 1));  // SN-1's two rows come first
    EXPECT_EQ((*history)[0].tree_size, 6u);
    EXPECT_TRUE((*history)[0].accepted);
  }
  for (const char* release : {"1.0", "1.1"}) {
    auto counts = fleet().CountDevices({"Infusion pump", release, ""});
    ASSERT_TRUE(counts);
    uint64_t devices = 0;
    for (const DeviceCount& c : *counts) devices += c.devices;
    EXPECT_EQ(devices, std::string(release) == "1.1" ? kDevices : 0u) << release;
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, CheckinTest, ::testing::ValuesIn(testing::kEngines),
                         testing::EngineName);

// The body parser on its own: every member's rule, one line naming the JSON path.
struct BadBody {
  const char* body;
  const char* error;
};

class CheckinBodyTest : public ::testing::TestWithParam<BadBody> {};

TEST_P(CheckinBodyTest, IsRefusedNamingWhere) {
  auto r = ParseCheckin(GetParam().body, "c.json");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), GetParam().error);
}

INSTANTIATE_TEST_SUITE_P(
    Bodies, CheckinBodyTest,
    ::testing::Values(
        BadBody{"[]", "c.json: $: expected an object, found an array"},
        BadBody{R"({"slot":"a","slot_status":"good","security_counter":1,"checkpoint":"x"})",
                "c.json: $.release: required field missing"},
        BadBody{R"({"release":"","slot":"a","slot_status":"good","security_counter":1,)"
                R"("checkpoint":"x"})",
                "c.json: $.release: must not be empty"},
        BadBody{R"({"release":"1","slot":"c","slot_status":"good","security_counter":1,)"
                R"("checkpoint":"x"})",
                "c.json: $.slot: expected \"a\" or \"b\", got 'c'"},
        BadBody{R"({"release":"1","slot":"a","slot_status":"ok","security_counter":1,)"
                R"("checkpoint":"x"})",
                "c.json: $.slot_status: expected empty, writing, verified, good or failed, got "
                "'ok'"},
        BadBody{R"({"release":"1","slot":"a","slot_status":"good","security_counter":-1,)"
                R"("checkpoint":"x"})",
                "c.json: $.security_counter: expected an integer >= 0, found -1"},
        BadBody{R"({"release":"1","slot":"a","slot_status":"good","security_counter":1})",
                "c.json: $.checkpoint: required field missing"},
        BadBody{R"({"release":"1","slot":"a","slot_status":"good","security_counter":1,)"
                R"("checkpoint":"x","consistency_proof":["AAAA"]})",
                "c.json: $.consistency_proof[0]: expected the base64 of a 32-byte SHA-256 hash"},
        BadBody{R"({"release":"1","slot":"a","slot_status":"good","security_counter":1,)"
                R"("checkpoint":"x","consistency_proof":"AAAA"})",
                "c.json: $.consistency_proof: expected an array, found a string"},
        BadBody{R"({"release":"1","slot":"a","slot_status":"good","security_counter":1,)"
                R"("checkpoint":"x","device":"SN-2"})",
                "c.json: $: unknown member \"device\" (allowed: release, slot, slot_status, "
                "security_counter, checkpoint, consistency_proof)"}));

TEST(CheckinBodyLimitsTest, SizeAndProofLengthAreBounded) {
  std::string big(kMaxCheckinBytes + 1, ' ');
  auto r = ParseCheckin(big, "c.json");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kResourceExhausted);
  std::string proof = "[";
  for (int i = 0; i < 65; ++i) {
    proof += std::string(i ? "," : "") + "\"" + std::string(43, 'A') + "=\"";
  }
  proof += "]";
  auto long_proof = ParseCheckin(R"({"release":"1","slot":"a","slot_status":"good",)"
                                 R"("security_counter":1,"checkpoint":"x","consistency_proof":)" +
                                     proof + "}",
                                 "c.json");
  ASSERT_FALSE(long_proof);
  EXPECT_EQ(long_proof.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_NE(long_proof.error().message().find("65 hashes, over the limit of 64"),
            std::string::npos);
}

}  // namespace
}  // namespace vigil::fleet
