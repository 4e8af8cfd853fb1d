#include "vigil/vault/passphrase_kek_file.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "testing/peak_memory.h"
#include "testing/sparse_file.h"
#include "testing/simulated_key_store.h"
#include "vigil/core/encoding.h"
#include "vigil/core/fault_env.h"
#include "vigil/crypto/aead.h"
#include "vigil/vault/vault.h"

namespace vigil::vault {
namespace {

constexpr char kPath[] = "/keys/vault.kek";

KdfParams Fast() { return KdfParams::Create(19 * 1024, 2, 1).value(); }

crypto::SecretBytes Secret(std::string_view s) { return crypto::SecretBytes::CopyFrom(AsBytes(s)); }

crypto::SecretBytes Kek(uint8_t fill) {
  crypto::SecretBytes k(32);
  for (auto& b : k.MutableReveal()) b = fill;
  return k;
}

class PassphraseKekFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(env_.CreateDir("/keys"));
    ASSERT_TRUE(env_.SyncDir("/"));
  }
  PassphraseKekFile File(std::string_view passphrase) {
    return PassphraseKekFile::Create(kPath, Secret(passphrase), Fast(), env_).value();
  }
  FaultInjectingEnv env_;
};

TEST(KdfParamsTest, EnforcesTheOwaspMinimumAndSaneMaximum) {
  EXPECT_TRUE(KdfParams::Create(19 * 1024, 2, 1));
  EXPECT_FALSE(KdfParams::Create(19 * 1024 - 1, 2, 1));
  EXPECT_FALSE(KdfParams::Create(19 * 1024, 1, 1));
  EXPECT_FALSE(KdfParams::Create(19 * 1024, 2, 0));
  EXPECT_FALSE(KdfParams::Create(4u * 1024 * 1024 + 1, 2, 1));
  EXPECT_FALSE(KdfParams::Create(19 * 1024, 65, 1));
  EXPECT_FALSE(KdfParams::Create(19 * 1024, 2, 17));
  EXPECT_EQ(KdfParams::Default().memory_kib(), 64u * 1024);
}

TEST_F(PassphraseKekFileTest, StoresAndLoadsTheKek) {
  auto file = File("correct horse battery");
  EXPECT_EQ(file.LoadKek().error().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(file.StoreKek(Kek(7)));
  auto kek = file.LoadKek();
  ASSERT_TRUE(kek) << kek.error().ToString();
  EXPECT_TRUE(kek->Equals(Kek(7)));
  Bytes raw = env_.ReadFile(kPath).value();
  EXPECT_EQ(AsStringView(raw).find(std::string(32, '\7')), std::string_view::npos);
  EXPECT_EQ(File("wrong horse battery").LoadKek().error().code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(file.StoreKek(crypto::SecretBytes(16)).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(PassphraseKekFile::Create(kPath, Secret("short"), Fast(), env_).error().code(),
            ErrorCode::kInvalidArgument);
}

// A KEK file sealed under a key that the `argon2` command derives (same passphrase, salt and
// parameters) opens: the file's key derivation is Argon2id exactly as RFC 9106 specifies.
TEST_F(PassphraseKekFileTest, DifferentialAgainstTheArgon2Command) {
  const std::string salt = "vigil-salt-0123456789";  // printable, so it can go through argv
  FILE* p = popen(
      ("printf '%s' 'differential pass' | argon2 '" + salt + "' -id -t 2 -k 19456 -p 1 -l 32 -r")
          .c_str(),
      "r");
  ASSERT_NE(p, nullptr);
  char buf[128] = {0};
  ASSERT_NE(fgets(buf, sizeof buf, p), nullptr) << "is the argon2 command installed?";
  ASSERT_EQ(pclose(p), 0);
  std::string hex(buf);
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == ' ')) hex.pop_back();
  auto key = crypto::SecretBytes::CopyFrom(HexDecode(hex).value());
  ASSERT_EQ(key.size(), 32u);

  SealedKek s;
  s.params = Fast();
  s.salt = ToBytes(salt);
  s.nonce.fill(9);
  auto aead = crypto::Aead::Create(crypto::AlgorithmId::kAes256Gcm, key).value();
  ASSERT_TRUE(aead.SealInto(s.nonce, Kek(0x42).Reveal(), s.EncodeHeader(), s.sealed));
  ASSERT_TRUE(env_.WriteFileAtomic(kPath, s.Encode()));
  auto kek = File("differential pass").LoadKek();
  ASSERT_TRUE(kek) << kek.error().ToString();
  EXPECT_TRUE(kek->Equals(Kek(0x42)));
  EXPECT_EQ(File("differential pasS").LoadKek().error().code(), ErrorCode::kUnauthenticated);
}

TEST_F(PassphraseKekFileTest, RefusesMalformedOrAlteredFiles) {
  auto file = File("correct horse battery");
  ASSERT_TRUE(file.StoreKek(Kek(1)));
  Bytes good = env_.ReadFile(kPath).value();
  auto parsed = SealedKek::Parse(good);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->Encode(), good);

  struct Case {
    const char* what;
    Bytes bytes;
    ErrorCode code;
  };
  std::vector<Case> cases;
  Bytes b = good;
  b[0] = 'X';
  cases.push_back({"magic", b, ErrorCode::kDataLoss});
  b = good;
  b[8 + 2] = 0x40;  // memory_kib 0x4C00 (19456) -> 0x4000: below the minimum
  cases.push_back({"weak memory", b, ErrorCode::kDataLoss});
  b = good;
  b[8 + 2] ^= 0x01;  // memory_kib + 256: still valid, but bound as associated data
  cases.push_back({"changed memory", b, ErrorCode::kUnauthenticated});
  b = good;
  b[20] = 8;  // salt length below 16
  cases.push_back({"short salt", b, ErrorCode::kDataLoss});
  b = good;
  b.back() ^= 1;
  cases.push_back({"tag", b, ErrorCode::kUnauthenticated});
  b = good;
  b.pop_back();
  cases.push_back({"truncated", b, ErrorCode::kDataLoss});
  b = good;
  b.push_back(0);
  cases.push_back({"trailing", b, ErrorCode::kDataLoss});
  cases.push_back({"empty", Bytes(), ErrorCode::kDataLoss});
  cases.push_back({"longer than any sealed KEK", Bytes(SealedKek::kMaxEncodedSize + 1, 0),
                   ErrorCode::kResourceExhausted});
  for (const Case& c : cases) {
    ASSERT_TRUE(env_.WriteFileAtomic(kPath, c.bytes));
    auto kek = file.LoadKek();
    ASSERT_FALSE(kek) << c.what;
    EXPECT_EQ(kek.error().code(), c.code) << c.what << ": " << kek.error().ToString();
  }
  std::printf("sealed KEK file: %zu altered cases refused\n", cases.size());
}

TEST_F(PassphraseKekFileTest, DestroyRemovesTheKeyForGood) {
  auto file = File("correct horse battery");
  ASSERT_TRUE(file.StoreKek(Kek(3)));
  ASSERT_TRUE(file.DestroyKek());
  EXPECT_FALSE(env_.FileExists(kPath));
  EXPECT_EQ(file.LoadKek().error().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(file.DestroyKek());  // idempotent
  env_.SimulatePowerLoss();
  EXPECT_EQ(file.LoadKek().error().code(), ErrorCode::kNotFound);
}

// Issue 13 item 3: the KEK file was read whole, whatever its size. A file larger than any
// sealed KEK is now refused unread, and crypto-erase overwrites it in blocks: both stay within
// a few MiB for a (sparse) 64 MiB file.
TEST(PassphraseKekFileLimitTest, AnOversizedKekFileIsRefusedAndErasedWithinFourMebibytes) {
  vigil::testing::ScopedSparseFile sparse("vault.kek", 64 << 20);
  const std::string& path = sparse.path();
  auto file =
      PassphraseKekFile::Create(path, Secret("correct horse battery"), Fast(), *Env::Default());
  ASSERT_TRUE(file);
  auto load = vigil::testing::PeakMemoryGrowthOfChild([&] {
    auto kek = file->LoadKek();
    return !kek && kek.error().code() == ErrorCode::kResourceExhausted &&
           kek.error().message() ==
               path + ": 67108864 bytes, over the 145 bytes limit for a sealed KEK file";
  });
  ASSERT_TRUE(load.has_value());
  EXPECT_TRUE(load->fn_returned_true);
  EXPECT_LT(load->growth_kib, 4 * 1024);
  auto erase = vigil::testing::PeakMemoryGrowthOfChild(
      [&] { return file->DestroyKek().has_value() && !std::filesystem::exists(path); });
  ASSERT_TRUE(erase.has_value());
  EXPECT_TRUE(erase->fn_returned_true);
  EXPECT_LT(erase->growth_kib, 4 * 1024);
}

TEST_F(PassphraseKekFileTest, PowerLossDuringStoreKeepsTheOldOrTheNewKek) {
  auto file = File("correct horse battery");
  ASSERT_TRUE(file.StoreKek(Kek(1)));
  int cuts = 0, old_kek = 0, new_kek = 0;
  for (int n = 1; n < 100; ++n) {
    ASSERT_TRUE(file.StoreKek(Kek(1)));
    env_.CrashAfter(n);
    Status s = file.StoreKek(Kek(2));
    env_.SimulatePowerLoss();
    if (s) break;
    ++cuts;
    auto kek = file.LoadKek();
    ASSERT_TRUE(kek) << "cut " << n << ": " << kek.error().ToString();
    ASSERT_TRUE(kek->Equals(Kek(1)) || kek->Equals(Kek(2))) << "cut " << n;
    (kek->Equals(Kek(1)) ? old_kek : new_kek)++;
  }
  std::printf("KEK file store: %d cut points (old %d, new %d)\n", cuts, old_kek, new_kek);
  EXPECT_GE(cuts, 3);
  EXPECT_GT(old_kek, 0);
}

TEST_F(PassphraseKekFileTest, VaultOnAPassphraseKek) {
  // The database itself lives on the real file system (SQLite does not use Env).
  std::string db = ::testing::TempDir() + "/vault-passphrase-" + std::to_string(::getpid()) + ".db";
  std::remove(db.c_str());
  auto file = File("correct horse battery");
  testing::CapturingSink sink;
  VaultOptions options;
  options.path = db;
  {
    auto v = Vault::Create(options, file, sink, env_);
    ASSERT_TRUE(v) << v.error().ToString();
    ASSERT_TRUE((*v)->Put("notes", "a", AsBytes("secret note")));
    ASSERT_TRUE((*v)->RotateKek());
  }
  auto v = Vault::Open(options, file, sink, env_);
  ASSERT_TRUE(v) << v.error().ToString();
  EXPECT_EQ(AsStringView((*v)->Get("notes", "a")->plaintext), "secret note");
  auto wrong = File("not the passphrase");
  EXPECT_EQ(Vault::Open(options, wrong, sink, env_).error().code(), ErrorCode::kUnauthenticated);
  ASSERT_TRUE((*v)->CryptoErase());
  EXPECT_FALSE(env_.FileExists(kPath));
  v->reset();
  std::remove(db.c_str());
}

}  // namespace
}  // namespace vigil::vault
