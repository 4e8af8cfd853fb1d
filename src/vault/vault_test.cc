#include "vigil/vault/vault.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "testing/simulated_key_store.h"

namespace vigil::vault {
namespace {

using testing::CapturingSink;
using testing::SimulatedKeyStore;

std::string Plaintext(int i) {
  return "PHI-RECORD patient=Jane Doe " + std::to_string(i) + " mrn=MRN-77-" +
         std::to_string(1000 + i) + " dose=12.5 mL/h heparin";
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Runs one SQL statement directly on the vault file, bypassing the vault (the attacker's view).
void Sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << msg;
}

Bytes Column(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), SQLITE_OK);
  Bytes out;
  while (sqlite3_step(s) == SQLITE_ROW) {
    auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(s, 0));
    out.insert(out.end(), p, p + sqlite3_column_bytes(s, 0));
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

class VaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("vigil-vault-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    options_.path = (dir_ / "vault.db").string();
    options_.rotation_batch = 7;  // several batches with the few records of a test
  }
  void TearDown() override {
    vault_.reset();
    std::filesystem::remove_all(dir_);
  }

  void CreateWith(int n) {
    auto v = Vault::Create(options_, source_, sink_, *Env::Default());
    ASSERT_TRUE(v) << v.error().ToString();
    vault_ = std::move(*v);
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(vault_->Put("notes", "r" + std::to_string(i), AsBytes(Plaintext(i))));
    }
  }
  void Reopen() {
    vault_.reset();
    auto v = Vault::Open(options_, source_, sink_, *Env::Default());
    ASSERT_TRUE(v) << v.error().ToString();
    vault_ = std::move(*v);
  }
  void ExpectAllReadable(int n) {
    for (int i = 0; i < n; ++i) {
      auto r = vault_->Get("notes", "r" + std::to_string(i));
      ASSERT_TRUE(r) << r.error().ToString();
      EXPECT_EQ(AsStringView(r->plaintext), Plaintext(i));
    }
  }
  // Every file SQLite may leave next to the database.
  std::string DiskImage() const {
    std::string all;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
      all += ReadAll(options_.path + suffix);
    }
    return all;
  }

  std::filesystem::path dir_;
  VaultOptions options_;
  SimulatedKeyStore store_;
  HardwareKekSource source_{store_, "vault-kek"};
  CapturingSink sink_;
  std::unique_ptr<Vault> vault_;
};

TEST_F(VaultTest, PutGetVersionsAndDelete) {
  CreateWith(3);
  auto r = vault_->Get("notes", "r1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->version, 1u);
  ASSERT_TRUE(vault_->Put("notes", "r1", AsBytes("second")));
  r = vault_->Get("notes", "r1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->version, 2u);
  EXPECT_EQ(AsStringView(r->plaintext), "second");
  ASSERT_TRUE(vault_->Put("notes", "empty", {}));
  EXPECT_TRUE(vault_->Get("notes", "empty")->plaintext.empty());
  EXPECT_EQ(*vault_->Count(), 4u);
  ASSERT_TRUE(vault_->Delete("notes", "r1"));
  EXPECT_EQ(vault_->Get("notes", "r1").error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(vault_->Delete("notes", "r1").error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(vault_->Get("other", "r0").error().code(), ErrorCode::kNotFound);
  Reopen();
  EXPECT_EQ(AsStringView(vault_->Get("notes", "r2")->plaintext), Plaintext(2));
}

TEST_F(VaultTest, PutBatchIsOneTransaction) {
  CreateWith(0);
  std::vector<RecordInput> batch = {{"a", AsBytes("1")}, {"b", AsBytes("2")}, {"bad id", {}}};
  EXPECT_EQ(vault_->PutBatch("notes", batch).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(*vault_->Count(), 0u);
  batch.pop_back();
  ASSERT_TRUE(vault_->PutBatch("notes", batch));
  EXPECT_EQ(*vault_->Count(), 2u);
}

TEST_F(VaultTest, RejectsBadNames) {
  CreateWith(0);
  EXPECT_EQ(vault_->Put("Notes", "a", {}).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(vault_->Put("", "a", {}).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(vault_->Put("notes", "", {}).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(vault_->Put("notes", "Jane Doe", {}).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(vault_->Put("notes", std::string(129, 'a'), {}).error().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(vault_->Get("notes", "a\n").error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(VaultTest, CreateRefusesExistingVaultAndOpenRefusesMissingOne) {
  CreateWith(1);
  vault_.reset();
  EXPECT_EQ(Vault::Create(options_, source_, sink_, *Env::Default()).error().code(),
            ErrorCode::kAlreadyExists);
  VaultOptions missing = options_;
  missing.path = (dir_ / "nothing.db").string();
  EXPECT_EQ(Vault::Open(missing, source_, sink_, *Env::Default()).error().code(),
            ErrorCode::kNotFound);
  Sql((dir_ / "plain.db").string(), "CREATE TABLE t(x)");
  missing.path = (dir_ / "plain.db").string();
  EXPECT_EQ(Vault::Open(missing, source_, sink_, *Env::Default()).error().code(),
            ErrorCode::kNotFound);
}

TEST_F(VaultTest, RecordSwappedToAnotherIdFailsToOpen) {
  CreateWith(2);
  vault_.reset();
  Sql(options_.path,
      "UPDATE vault_records SET (wrapped_dek, sealed) = (SELECT wrapped_dek, sealed FROM "
      "vault_records WHERE id='r0') WHERE id='r1'");
  Reopen();
  EXPECT_TRUE(vault_->Get("notes", "r0"));
  EXPECT_EQ(vault_->Get("notes", "r1").error().code(), ErrorCode::kDataLoss);
  EXPECT_EQ(sink_.Count(audit::Action::kIntegrityViolation), 1);
}

TEST_F(VaultTest, RecordMovedToAnotherTableFailsToOpen) {
  CreateWith(1);
  vault_.reset();
  Sql(options_.path, "UPDATE vault_records SET tbl='billing' WHERE id='r0'");
  Reopen();
  EXPECT_EQ(vault_->Get("billing", "r0").error().code(), ErrorCode::kDataLoss);
}

TEST_F(VaultTest, EditedVersionFailsToOpen) {
  CreateWith(1);
  vault_.reset();
  Sql(options_.path, "UPDATE vault_records SET version=version+1");
  Reopen();
  EXPECT_EQ(vault_->Get("notes", "r0").error().code(), ErrorCode::kDataLoss);
}

TEST_F(VaultTest, FlippedCiphertextOrWrappedKeyFailsToOpen) {
  CreateWith(2);
  vault_.reset();
  Sql(options_.path,
      "UPDATE vault_records SET sealed = substr(sealed, 1, 20) || x'00' || substr(sealed, 22)"
      " WHERE id='r0'");
  Sql(options_.path, "UPDATE vault_records SET wrapped_dek = zeroblob(40) WHERE id='r1'");
  Reopen();
  EXPECT_EQ(vault_->Get("notes", "r0").error().code(), ErrorCode::kDataLoss);
  EXPECT_EQ(vault_->Get("notes", "r1").error().code(), ErrorCode::kDataLoss);
  vault_.reset();
  Sql(options_.path, "UPDATE vault_records SET sealed = x'0102' WHERE id='r0'");
  Reopen();
  EXPECT_EQ(vault_->Get("notes", "r0").error().code(), ErrorCode::kDataLoss);
}

TEST_F(VaultTest, RolledBackRecordIsCaughtAgainstTheLastVersionWritten) {
  CreateWith(1);
  vault_.reset();
  Sql(options_.path, "CREATE TABLE saved AS SELECT * FROM vault_records");
  Reopen();
  ASSERT_TRUE(vault_->Put("notes", "r0", AsBytes("corrected dose")));
  vault_.reset();
  Sql(options_.path, "DELETE FROM vault_records; INSERT INTO vault_records SELECT * FROM saved");
  Reopen();
  // The old row is authentic for version 1, so only the caller's memory of version 2 catches it.
  EXPECT_EQ(vault_->Get("notes", "r0")->version, 1u);
  auto r = vault_->Get("notes", "r0", /*min_version=*/2);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kDataLoss);
  EXPECT_NE(r.error().message().find("rolled back"), std::string::npos);
}

TEST_F(VaultTest, AnotherKekIsRefused) {
  CreateWith(1);
  vault_.reset();
  crypto::SecretBytes other(32);
  other.MutableReveal()[0] = 1;
  ASSERT_TRUE(source_.StoreKek(other));
  auto v = Vault::Open(options_, source_, sink_, *Env::Default());
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(sink_.Count(audit::Action::kIntegrityViolation), 1);
}

TEST_F(VaultTest, KekRotationRewrapsWithoutTouchingData) {
  CreateWith(20);
  Bytes sealed_before = Column(options_.path, "SELECT sealed FROM vault_records ORDER BY rid");
  Bytes wrapped_before =
      Column(options_.path, "SELECT wrapped_dek FROM vault_records ORDER BY rid");
  auto old_kek = source_.LoadKek();
  ASSERT_TRUE(old_kek);
  ASSERT_TRUE(vault_->RotateKek());
  EXPECT_EQ(vault_->kek_generation(), 2u);
  EXPECT_EQ(Column(options_.path, "SELECT sealed FROM vault_records ORDER BY rid"), sealed_before);
  EXPECT_NE(Column(options_.path, "SELECT wrapped_dek FROM vault_records ORDER BY rid"),
            wrapped_before);
  EXPECT_FALSE(source_.LoadKek()->Equals(*old_kek));
  EXPECT_TRUE(
      Column(options_.path, "SELECT value FROM vault_meta WHERE name='pending_kek'").empty());
  ExpectAllReadable(20);
  Reopen();
  ExpectAllReadable(20);
  EXPECT_EQ(sink_.Count(audit::Action::kKeyRotate), 1);
  EXPECT_EQ(sink_.Count(audit::Action::kKeyGenerate), 1);
}

TEST_F(VaultTest, DataKeyRotationReencryptsEveryRecord) {
  CreateWith(20);
  Bytes sealed_before = Column(options_.path, "SELECT sealed FROM vault_records ORDER BY rid");
  ASSERT_TRUE(vault_->RotateDataKeys());
  EXPECT_EQ(vault_->data_key_epoch(), 1u);
  Bytes sealed_after = Column(options_.path, "SELECT sealed FROM vault_records ORDER BY rid");
  ASSERT_EQ(sealed_after.size(), sealed_before.size());
  EXPECT_NE(sealed_after, sealed_before);
  EXPECT_TRUE(Column(options_.path, "SELECT sealed FROM vault_records WHERE dek_epoch<>1").empty());
  ExpectAllReadable(20);
  Reopen();
  ExpectAllReadable(20);
  EXPECT_EQ(vault_->data_key_epoch(), 1u);
  EXPECT_EQ(sink_.Count(audit::Action::kKeyRotate), 1);
}

TEST_F(VaultTest, NoPlaintextEverReachesTheDiskAndEraseLeavesNoKeys) {
  CreateWith(30);
  ASSERT_TRUE(vault_->Put("notes", "r3", AsBytes(Plaintext(3) + " amended")));
  ASSERT_TRUE(vault_->Delete("notes", "r4"));
  ASSERT_TRUE(vault_->RotateKek());
  ASSERT_TRUE(vault_->RotateDataKeys());
  std::string image = DiskImage();
  ASSERT_GT(image.size(), 30u * 100);
  for (const char* fragment : {"Jane Doe", "MRN-77-", "heparin", "PHI-RECORD", "amended"}) {
    EXPECT_EQ(image.find(fragment), std::string::npos) << fragment << " found on disk";
  }
  Bytes wrapped = Column(options_.path, "SELECT wrapped_dek FROM vault_records");
  ASSERT_EQ(wrapped.size(), 29u * 40);
  auto kek = source_.LoadKek();
  ASSERT_TRUE(kek);
  EXPECT_EQ(image.find(std::string(AsStringView(kek->Reveal()))), std::string::npos);

  ASSERT_TRUE(vault_->CryptoErase());
  EXPECT_EQ(sink_.Count(audit::Action::kCryptoErase), 1);
  EXPECT_EQ(vault_->Get("notes", "r0").error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(vault_->RotateKek().error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(vault_->CryptoErase().error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(source_.LoadKek().error().code(), ErrorCode::kNotFound);
  vault_.reset();
  image = DiskImage();
  // No wrapped data key survives anywhere in the files (secure_delete zeroed the old cells).
  for (size_t i = 0; i < wrapped.size(); i += 40) {
    std::string one(AsStringView(ByteView(wrapped).subspan(i, 40)));
    ASSERT_EQ(image.find(one), std::string::npos) << "wrapped key " << i / 40 << " survived";
  }
  for (const char* fragment : {"Jane Doe", "MRN-77-", "heparin"}) {
    EXPECT_EQ(image.find(fragment), std::string::npos);
  }
  EXPECT_TRUE(Column(options_.path, "SELECT value FROM vault_meta WHERE name='kek_check'").empty());
  auto v = Vault::Open(options_, source_, sink_, *Env::Default());
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code(), ErrorCode::kFailedPrecondition);
}

TEST_F(VaultTest, EventsNameTheDeviceAndASinkFailureIsReported) {
  options_.device_id = "pump-0042";
  CreateWith(1);
  auto events = sink_.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].action, audit::Action::kKeyGenerate);
  EXPECT_EQ(events[0].device_id, "pump-0042");
  EXPECT_EQ(events[0].actor_role, audit::Role::kSystem);
  sink_.set_fail(true);
  EXPECT_EQ(vault_->RotateKek().error().code(), ErrorCode::kUnavailable);
  sink_.set_fail(false);
  ExpectAllReadable(1);  // the rotation itself happened
  EXPECT_EQ(vault_->kek_generation(), 2u);
}

}  // namespace
}  // namespace vigil::vault
