// Power loss during KEK rotation, data-key rotation, crypto-erase and a batch write, at every
// I/O point each operation has (sweep over N = 1, 2, … until the operation completes before the
// N-th point): after reboot the vault opens fully old or fully new and every record reads back,
// or — only once crypto-erase has committed its intent — it is erased for good. At each cut the
// whole simulated disk (visible and durable content of the database and its journal) is scanned
// for plaintext.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <functional>

#include "testing/simulated_key_store.h"
#include "vigil/storage/power_loss_vfs.h"
#include "vigil/vault/vault.h"

namespace vigil::vault {
namespace {

using testing::CapturingSink;
using storage::testing::PowerLossVfs;
using testing::SimulatedKeyStore;

constexpr int kRecords = 10;

std::string Plaintext(int i, int version) {
  return "PHI patient=John Roe " + std::to_string(i) + " v" + std::to_string(version) +
         " allergy=penicillin";
}

struct Outcomes {
  int cuts = 0;
  int old_state = 0;
  int new_state = 0;
  int erased = 0;
};

class PowerLossTest : public ::testing::Test {
 protected:
  PowerLossTest()
      : vfs_("powerloss-" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    options_.path = "/disk/vault.db";
    options_.sqlite_vfs = vfs_.name();
    options_.rotation_batch = 4;  // three batches for ten records
  }

  // A fresh disk with a vault of kRecords records, record 0 at version 2.
  std::unique_ptr<Vault> Fresh() {
    vfs_.Wipe();
    auto v = Vault::Create(options_, source_, sink_, *Env::Default());
    EXPECT_TRUE(v) << v.error().ToString();
    if (!v) return nullptr;
    std::vector<std::string> texts;
    for (int i = 0; i < kRecords; ++i) texts.push_back(Plaintext(i, 1));
    std::vector<std::string> ids;
    for (int i = 0; i < kRecords; ++i) ids.push_back("rec-" + std::to_string(i));
    std::vector<RecordInput> batch;
    for (int i = 0; i < kRecords; ++i) batch.push_back({ids[i], AsBytes(texts[i])});
    EXPECT_TRUE((*v)->PutBatch("chart", batch));
    EXPECT_TRUE((*v)->Put("chart", "rec-0", AsBytes(Plaintext(0, 2))));
    return std::move(*v);
  }

  void ExpectNoPlaintextOnDisk() {
    for (const auto& [name, f] : vfs_.files()) {
      for (const Bytes* content : {&f.visible, &f.durable}) {
        std::string_view s = AsStringView(*content);
        ASSERT_EQ(s.find("John Roe"), std::string_view::npos) << name;
        ASSERT_EQ(s.find("penicillin"), std::string_view::npos) << name;
      }
    }
  }

  // Every record holds one of the versions it may legitimately hold.
  void ExpectRecordsReadable(Vault& v, bool allow_version_3) {
    for (int i = 0; i < kRecords; ++i) {
      auto r = v.Get("chart", "rec-" + std::to_string(i));
      ASSERT_TRUE(r) << "rec-" << i << ": " << r.error().ToString();
      int base = i == 0 ? 2 : 1;
      bool ok = static_cast<int>(r->version) == base ||
                (allow_version_3 && static_cast<int>(r->version) == base + 1);
      ASSERT_TRUE(ok) << "rec-" << i << " at version " << r->version;
      EXPECT_EQ(AsStringView(r->plaintext), Plaintext(i, static_cast<int>(r->version)));
    }
  }

  // Runs `op` on fresh vaults with the power cut before its 1st, 2nd, … I/O point; after each
  // cut, reboots and hands the reopened vault (or the error) to `check`.
  Outcomes Sweep(const std::function<Status(Vault&)>& op,
                 const std::function<void(Result<std::unique_ptr<Vault>>&, Outcomes&)>& check) {
    Outcomes out;
    for (uint64_t n = 1; n < 10000; ++n) {
      std::unique_ptr<Vault> v = Fresh();
      if (v == nullptr) break;
      vfs_.CutPowerAt(vfs_.points() + n);
      Status s = op(*v);
      if (!vfs_.power_lost()) {
        EXPECT_TRUE(s) << s.error().ToString();
        vfs_.Disarm();
        break;
      }
      ++out.cuts;
      EXPECT_FALSE(s) << "operation claimed success although point " << n << " failed";
      ExpectNoPlaintextOnDisk();
      v.reset();
      vfs_.Reboot();
      auto reopened = Vault::Open(options_, source_, sink_, *Env::Default());
      check(reopened, out);
      if (::testing::Test::HasFatalFailure()) {
        ADD_FAILURE() << "at cut point " << n;
        break;
      }
    }
    return out;
  }

  void Print(const char* what, const Outcomes& o) {
    std::printf("%s: %d cut points (old state %d, new state %d, erased %d)\n", what, o.cuts,
                o.old_state, o.new_state, o.erased);
  }

  // The wrapped data keys as stored (read through the VFS with a second, read-only connection).
  std::vector<std::string> WrappedKeys() {
    std::vector<std::string> keys;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(options_.path.c_str(), &db, SQLITE_OPEN_READONLY, vfs_.name().c_str()) ==
        SQLITE_OK) {
      sqlite3_stmt* s = nullptr;
      sqlite3_prepare_v2(db, "SELECT wrapped_dek FROM vault_records", -1, &s, nullptr);
      while (s != nullptr && sqlite3_step(s) == SQLITE_ROW) {
        keys.emplace_back(static_cast<const char*>(sqlite3_column_blob(s, 0)),
                          static_cast<size_t>(sqlite3_column_bytes(s, 0)));
      }
      sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return keys;
  }

  void ExpectNoneOnDisk(const std::vector<std::string>& secrets) {
    for (const auto& [name, f] : vfs_.files()) {
      std::string_view s = AsStringView(f.durable);
      for (const std::string& secret : secrets) {
        ASSERT_EQ(s.find(secret), std::string_view::npos) << "a wrapped key survives in " << name;
      }
    }
  }

  PowerLossVfs vfs_;
  SimulatedKeyStore store_{&vfs_};
  HardwareKekSource source_{store_, "vault-kek"};
  CapturingSink sink_;
  VaultOptions options_;
};

TEST_F(PowerLossTest, KekRotationLeavesTheVaultOldOrNew) {
  Outcomes o = Sweep([](Vault& v) { return v.RotateKek(); },
                     [&](Result<std::unique_ptr<Vault>>& v, Outcomes& out) {
                       ASSERT_TRUE(v) << v.error().ToString();
                       uint64_t gen = (*v)->kek_generation();
                       ASSERT_TRUE(gen == 1 || gen == 2) << gen;
                       (gen == 1 ? out.old_state : out.new_state)++;
                       ExpectRecordsReadable(**v, false);
                       // The source and the database agree: a second open needs no recovery.
                       v->reset();
                       auto again = Vault::Open(options_, source_, sink_, *Env::Default());
                       ASSERT_TRUE(again) << again.error().ToString();
                       EXPECT_EQ((*again)->kek_generation(), gen);
                     });
  Print("KEK rotation", o);
  EXPECT_GE(o.cuts, 20);
  EXPECT_GT(o.old_state, 0);
  EXPECT_GT(o.new_state, 0);
}

TEST_F(PowerLossTest, DataKeyRotationLeavesTheVaultOldOrNew) {
  Outcomes o = Sweep([](Vault& v) { return v.RotateDataKeys(); },
                     [&](Result<std::unique_ptr<Vault>>& v, Outcomes& out) {
                       ASSERT_TRUE(v) << v.error().ToString();
                       uint64_t epoch = (*v)->data_key_epoch();
                       ASSERT_TRUE(epoch == 0 || epoch == 1) << epoch;
                       (epoch == 0 ? out.old_state : out.new_state)++;
                       ExpectRecordsReadable(**v, false);
                     });
  Print("data-key rotation", o);
  EXPECT_GE(o.cuts, 20);
  EXPECT_GT(o.old_state, 0);
  EXPECT_GT(o.new_state, 0);
}

TEST_F(PowerLossTest, CryptoEraseLeavesTheVaultOldOrErased) {
  std::vector<std::string> wrapped;
  Outcomes o = Sweep(
      [&](Vault& v) {
        wrapped = WrappedKeys();  // reads only: no I/O point is spent
        EXPECT_EQ(wrapped.size(), static_cast<size_t>(kRecords));
        return v.CryptoErase();
      },
      [&](Result<std::unique_ptr<Vault>>& v, Outcomes& out) {
        if (v) {
          ++out.old_state;
          ExpectRecordsReadable(**v, false);
          return;
        }
        ASSERT_EQ(v.error().code(), ErrorCode::kFailedPrecondition) << v.error().ToString();
        ++out.erased;
        EXPECT_EQ(source_.LoadKek().error().code(), ErrorCode::kNotFound);
        ExpectNoneOnDisk(wrapped);
        auto again = Vault::Open(options_, source_, sink_, *Env::Default());
        ASSERT_FALSE(again);
        EXPECT_EQ(again.error().code(), ErrorCode::kFailedPrecondition);
      });
  Print("crypto-erase", o);
  EXPECT_GE(o.cuts, 5);
  EXPECT_GT(o.old_state, 0);
  EXPECT_GT(o.erased, 0);
}

TEST_F(PowerLossTest, BatchWriteIsAllOrNothing) {
  std::vector<std::string> texts;
  std::vector<std::string> ids;
  for (int i = 0; i < kRecords; ++i) {
    texts.push_back(Plaintext(i, i == 0 ? 3 : 2));
    ids.push_back("rec-" + std::to_string(i));
  }
  std::vector<RecordInput> batch;
  for (int i = 0; i < kRecords; ++i) batch.push_back({ids[i], AsBytes(texts[i])});
  Outcomes o = Sweep([&](Vault& v) { return v.PutBatch("chart", batch); },
                     [&](Result<std::unique_ptr<Vault>>& v, Outcomes& out) {
                       ASSERT_TRUE(v) << v.error().ToString();
                       ExpectRecordsReadable(**v, true);
                       auto r = (*v)->Get("chart", "rec-5");
                       ASSERT_TRUE(r);
                       bool is_new = r->version == 2;
                       (is_new ? out.new_state : out.old_state)++;
                       for (int i = 0; i < kRecords; ++i) {
                         int base = i == 0 ? 2 : 1;
                         EXPECT_EQ((*v)->Get("chart", ids[i])->version,
                                   static_cast<uint64_t>(base + (is_new ? 1 : 0)))
                             << "a batch was applied in part";
                       }
                     });
  Print("batch write", o);
  EXPECT_GE(o.cuts, 5);
  EXPECT_GT(o.old_state, 0);
}

}  // namespace
}  // namespace vigil::vault
