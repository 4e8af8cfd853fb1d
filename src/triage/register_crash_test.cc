// The register survives power loss at every write point of filing a scan, of a decision and of
// filing the next release (power-loss VFS: after the cut and a reboot the register holds the
// state before the operation or the state after it, never a part, and every decision
// acknowledged before the operation), and survives kill -9 of a process writing decisions
// without losing one it acknowledged.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <functional>

#include "vigil/core/fault_env.h"
#include "vigil/storage/power_loss_vfs.h"
#include "vigil/triage/register.h"

namespace vigil::triage {
namespace {

using storage::testing::PowerLossVfs;

constexpr int kFindings = 6;
// Enough findings that a filing's rows go to the writer thread (whole INSERTs of 32 rows).
constexpr int kManyFindings = 100;

vuln::Finding MakeFinding(int i, std::string version) {
  vuln::Finding f;
  f.advisory_id = "CVE-2026-" + std::to_string(1000 + i);
  f.component_name = "lib" + std::to_string(i % 3);
  f.component_version = std::move(version);
  f.component_purl = "pkg:generic/" + f.component_name + "@" + f.component_version;
  f.cvss_score = 7.5;
  f.match_reason = "test";
  return f;
}

std::vector<vuln::Finding> Release(std::string version, int findings = kFindings) {
  std::vector<vuln::Finding> out;
  for (int i = 0; i < findings; ++i) out.push_back(MakeFinding(i, i == 0 ? version : "1.0"));
  return out;
}

RecordKey KeyOf(int i) {
  vuln::Finding f = MakeFinding(i, "1.0");
  return {"pump", Register::VulnerabilityOf(f), Register::ComponentOf(f)};
}

// The outcome of an operation as a Status.
template <typename T>
Status StatusOf(const Result<T>& r) {
  return r ? OkStatus() : Status(r.error());
}

Decision Affected(int n) {
  Decision d;
  d.status = TriageStatus::kAffected;
  d.action = "update in 2.0";
  d.reason = "decision " + std::to_string(n);
  d.actor = "psirt";
  return d;
}

// Every event of the register, one line each, in order: the whole observable state.
std::vector<std::string> Snapshot(Register& reg, int findings = kFindings) {
  std::vector<std::string> out;
  for (int i = 0; i < findings; ++i) {
    auto h = reg.History(KeyOf(i));
    if (!h) continue;  // not filed yet
    for (const Event& e : *h) {
      out.push_back(std::to_string(i) + " " + e.release + " " + e.origin + " " +
                    std::string(TriageStatusName(e.decision.status)) + " " + e.decision.reason);
    }
  }
  return out;
}

class PowerLoss : public ::testing::Test {
 protected:
  PowerLoss()
      : vfs_("triage-powerloss-" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    options_.path = "/disk/register.sqlite";
    options_.create = true;
    options_.sqlite_vfs = vfs_.name();
  }

  Result<Register> Open() { return Register::Open(options_, env_); }

  // Runs `setup` then `op` on a fresh disk with the power cut before op's 1st, 2nd, … write
  // point; after each cut, the rebooted register holds exactly the state before or after op.
  void Sweep(const std::function<void(Register&)>& setup, const std::function<Status(Register&)>& op,
             const char* what) {
    std::vector<std::string> before, after;
    {  // the two legitimate outcomes, without a cut
      vfs_.Wipe();
      auto reg = Open();
      ASSERT_TRUE(reg) << reg.error().ToString();
      setup(*reg);
      before = Snapshot(*reg, findings_);
      ASSERT_TRUE(op(*reg));
      after = Snapshot(*reg, findings_);
      ASSERT_NE(before, after);
    }
    int cuts = 0, old_state = 0, new_state = 0;
    for (uint64_t n = 1; n < 5000; ++n) {
      vfs_.Wipe();
      auto reg = Open();
      ASSERT_TRUE(reg);
      setup(*reg);
      vfs_.CutPowerAt(vfs_.points() + n);
      Status s = op(*reg);
      if (!vfs_.power_lost()) {
        ASSERT_TRUE(s) << s.error().ToString();
        vfs_.Disarm();
        break;
      }
      ++cuts;
      EXPECT_FALSE(s) << "the operation claimed success although write point " << n << " failed";
      { Register gone = std::move(*reg); }
      vfs_.Reboot();
      auto reopened = Open();
      ASSERT_TRUE(reopened) << "cut " << n << ": " << reopened.error().ToString();
      std::vector<std::string> now = Snapshot(*reopened, findings_);
      if (now == before) {
        ++old_state;
      } else if (now == after) {
        ++new_state;
      } else {
        ADD_FAILURE() << what << ": cut at point " << n << " left a partial state";
        return;
      }
    }
    std::printf("%s: %d cut points (old state %d, new state %d)\n", what, cuts, old_state,
                new_state);
    EXPECT_GT(cuts, 3);
    EXPECT_GT(old_state, 0);
  }

  PowerLossVfs vfs_;
  RegisterOptions options_;
  FaultInjectingEnv env_;
  int findings_ = kFindings;  // the records Snapshot reads
};

TEST_F(PowerLoss, FilingAScan) {
  Sweep([](Register&) {},
        [](Register& r) { return StatusOf(r.Observe("pump", "1.0", Release("1.0"))); },
        "filing release 1.0");
}

// The rows of this filing are inserted by the writer thread beside it (observe.cc): the commit
// still makes all of them durable or none.
TEST_F(PowerLoss, FilingAScanWrittenBesideTheFiling) {
  findings_ = kManyFindings;
  Sweep(
      [](Register&) {},
      [](Register& r) { return StatusOf(r.Observe("pump", "1.0", Release("1.0", kManyFindings))); },
      "filing release 1.0 (100 findings)");
}

TEST_F(PowerLoss, ADecision) {
  Sweep([](Register& r) { ASSERT_TRUE(r.Observe("pump", "1.0", Release("1.0"))); },
        [](Register& r) { return StatusOf(r.Set(KeyOf(0), "", Affected(1))); }, "a decision");
}

TEST_F(PowerLoss, FilingTheNextRelease) {
  Sweep(
      [](Register& r) {
        ASSERT_TRUE(r.Observe("pump", "1.0", Release("1.0")));
        for (int i = 0; i < kFindings; ++i) ASSERT_TRUE(r.Set(KeyOf(i), "", Affected(i)));
      },
      [](Register& r) {
        std::vector<vuln::Finding> next = Release("1.1");  // lib0 re-opened, the rest carried
        next.pop_back();                                    // and one not found: fixed
        return StatusOf(r.Observe("pump", "1.1", next));
      },
      "filing release 1.1");
}

// An INSERT that fails on the writer thread (here: a trigger planted in the file refuses the
// 40th record, in the second INSERT of 32) fails the filing, which leaves the register as it was
// and usable.
TEST(WriterThread, AFailedInsertFailsTheFilingAndChangesNothing) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("triage-writer-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  RegisterOptions o;
  o.path = (dir / "register.sqlite").string();
  o.create = true;
  ASSERT_TRUE(Register::Open(o, *Env::Default()));
  auto exec = [&](const char* sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(o.path.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  };
  exec(
      "CREATE TRIGGER planted BEFORE INSERT ON triage_records WHEN NEW.id = 40"
      " BEGIN SELECT RAISE(ABORT, 'planted failure'); END;");
  {
    auto reg = Register::Open(o, *Env::Default());
    ASSERT_TRUE(reg) << reg.error().ToString();
    auto filed = reg->Observe("pump", "1.0", Release("1.0", kManyFindings));
    ASSERT_FALSE(filed);
    EXPECT_NE(filed.error().ToString().find("planted failure"), std::string::npos)
        << filed.error().ToString();
    EXPECT_TRUE(Snapshot(*reg, kManyFindings).empty());
  }
  exec("DROP TRIGGER planted;");
  auto reg = Register::Open(o, *Env::Default());
  ASSERT_TRUE(reg);
  EXPECT_TRUE(Snapshot(*reg, kManyFindings).empty());
  auto filed = reg->Observe("pump", "1.0", Release("1.0", kManyFindings));
  ASSERT_TRUE(filed) << filed.error().ToString();
  EXPECT_EQ(filed->opened, static_cast<size_t>(kManyFindings));
  EXPECT_EQ(Snapshot(*reg, kManyFindings).size(), static_cast<size_t>(kManyFindings));
  std::filesystem::remove_all(dir);
}

// A child process writes decisions and reports each acknowledged one on a pipe; the parent
// kills it with SIGKILL at an arbitrary moment, then checks that every acknowledged decision is
// in the register and that the database is intact.
TEST(KillNine, AcknowledgedDecisionsSurvive) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("triage-kill-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  RegisterOptions o;
  o.path = (dir / "register.sqlite").string();
  o.create = true;
  {
    auto reg = Register::Open(o, *Env::Default());
    ASSERT_TRUE(reg);
    ASSERT_TRUE(reg->Observe("pump", "1.0", Release("1.0")));
  }
  int total_acked = 0;
  for (int round = 0; round < 8; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      auto reg = Register::Open(o, *Env::Default());
      if (!reg) _exit(3);
      for (int n = 0;; ++n) {
        if (!reg->Set(KeyOf(n % kFindings), "", Affected(round * 100000 + n))) _exit(4);
        if (write(fds[1], &n, sizeof n) != sizeof n) _exit(5);
      }
    }
    close(fds[1]);
    int acked = -1, n = 0;
    const int stop_after = 20 + round * 7;  // kill at a different point each round
    while (read(fds[0], &n, sizeof n) == sizeof n) {
      acked = n;
      if (acked >= stop_after) break;
    }
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    close(fds[0]);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child ended on its own: " << status;
    ASSERT_GE(acked, stop_after);
    total_acked += acked + 1;

    auto reg = Register::Open(o, *Env::Default());
    ASSERT_TRUE(reg) << reg.error().ToString();
    for (int k = 0; k <= acked; ++k) {
      auto h = reg->History(KeyOf(k % kFindings));
      ASSERT_TRUE(h);
      const std::string reason = "decision " + std::to_string(round * 100000 + k);
      bool found = false;
      for (const Event& e : *h) found = found || e.decision.reason == reason;
      ASSERT_TRUE(found) << "round " << round << ": acknowledged " << reason << " lost";
    }
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(o.path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, nullptr);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "ok");
  sqlite3_finalize(s);
  sqlite3_close(db);
  std::printf("kill -9: 8 rounds, %d acknowledged decisions, none lost\n", total_acked);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vigil::triage
