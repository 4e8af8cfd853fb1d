#include "device.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "vigil/audit/log_check.h"
#include "vigil/crypto/key_file.h"
#include "vigil/identity/device_cert.h"

namespace pump {
namespace {

using vigil::ErrorCode;
using vigil::crypto::SecretBytes;

SecretBytes Secret(std::string_view s) { return SecretBytes::CopyFrom(vigil::AsBytes(s)); }

// The lowest Argon2id cost identity accepts: these tests check the flow, not key strength.
const vigil::identity::Argon2Params& FastArgon() {
  static const auto params = *vigil::identity::Argon2Params::Create(19 * 1024, 2, 1);
  return params;
}

class DeviceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/pump_device_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto key = vigil::crypto::GenerateSigningKey(vigil::crypto::AlgorithmId::kEcdsaP256Sha256);
    ASSERT_TRUE(key);
    ca_key_ = std::move(*key);
    const int64_t now = env_.NowUnixMicros() / 1'000'000;
    auto cert = vigil::identity::CreateCaCertificate(*ca_key_, "Test Manufacturer CA",
                                                     {now - 60, now + 86400}, env_);
    ASSERT_TRUE(cert) << cert.error().ToString();
    ca_cert_ = *cert;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string State() const { return dir_ + "/state"; }
  vigil::Result<SecretBytes> Manufacture(const std::string& id = "PUMP-0001") {
    return Device::Manufacture(env_, State(), id, *ca_key_, ca_cert_, 30, &FastArgon());
  }
  std::unique_ptr<Device> Open() {
    auto device = Device::Open(env_, State(), &FastArgon());
    EXPECT_TRUE(device) << device.error().ToString();
    return device ? std::move(*device) : nullptr;
  }
  static uint32_t Mode(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0 ? (st.st_mode & 0777) : 0;
  }

  vigil::Env& env_ = *vigil::Env::Default();
  std::string dir_;
  std::unique_ptr<vigil::crypto::SigningKey> ca_key_;
  std::string ca_cert_;
};

TEST_F(DeviceTest, AManufacturedPumpHasNoUsableCredentialUntilProvisioned) {
  auto secret = Manufacture();
  ASSERT_TRUE(secret) << secret.error().ToString();
  EXPECT_EQ(secret->size(), 32u);
  auto device = Open();
  ASSERT_TRUE(device);
  EXPECT_EQ(device->device_id(), "PUMP-0001");
  EXPECT_FALSE(device->identity().provisioned());
  EXPECT_EQ(device->LibraryKey().error().code(), ErrorCode::kNotFound);
  // No account exists, so no default password opens anything.
  for (const char* id : {"admin", "root", "service"}) {
    auto login = device->identity().Login(id, Secret("admin"), std::nullopt, "test");
    ASSERT_FALSE(login);
    EXPECT_EQ(login.error().code(), ErrorCode::kUnauthenticated);
  }
  // Secrets stay on the device with owner-only modes; the certificates are public.
  const DeviceLayout& l = device->layout();
  EXPECT_EQ(Mode(l.dir), 0700u);
  EXPECT_EQ(Mode(l.device_key()), 0600u);
  EXPECT_EQ(Mode(l.identity()), 0600u);
  EXPECT_EQ(Mode(l.secure_element() + "/vault-kek.key"), 0600u);
  EXPECT_EQ(Mode(l.device_cert()), 0644u);
  auto cert = env_.ReadFile(l.device_cert());
  ASSERT_TRUE(cert);
  EXPECT_TRUE(vigil::identity::VerifyDeviceCertificate(
      vigil::AsStringView(*cert), ca_cert_, "PUMP-0001", env_.NowUnixMicros() / 1000000));
  auto key = vigil::crypto::ReadPrivateKeyFile(env_, l.device_key());
  ASSERT_TRUE(key) << key.error().ToString();
}

TEST_F(DeviceTest, ProvisioningTakesTheSecretOnceAndMakesTheLibraryKey) {
  auto secret = Manufacture();
  ASSERT_TRUE(secret);
  auto device = Open();
  ASSERT_TRUE(device);
  auto wrong = device->Provision(Secret("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), "alice",
                                 Secret("correct horse battery staple"), "test");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code(), ErrorCode::kPermissionDenied);
  auto enrolment =
      device->Provision(*secret, "alice", Secret("correct horse battery staple"), "test");
  ASSERT_TRUE(enrolment) << enrolment.error().ToString();
  EXPECT_EQ(enrolment->account, "alice");
  EXPECT_EQ(enrolment->provisioning_uri.rfind("otpauth://totp/", 0), 0u);
  EXPECT_TRUE(device->identity().provisioned());
  auto again = device->Provision(*secret, "mallory", Secret("another long passphrase"), "test");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kFailedPrecondition);
  auto key = device->LibraryKey();
  ASSERT_TRUE(key) << key.error().ToString();
  EXPECT_EQ(key->size(), 32u);
  // The key is kept (encrypted) in the vault: the same after reopening.
  device.reset();
  auto reopened = Open();
  ASSERT_TRUE(reopened);
  auto same = reopened->LibraryKey();
  ASSERT_TRUE(same);
  EXPECT_TRUE(same->Equals(*key));
  // And a second manufacture of the same folder is refused.
  EXPECT_EQ(Manufacture().error().code(), ErrorCode::kAlreadyExists);
}

TEST_F(DeviceTest, TheAuditLogChecksAgainstItsSignedCheckpoint) {
  auto secret = Manufacture();
  ASSERT_TRUE(secret);
  auto device = Open();
  ASSERT_TRUE(device);
  ASSERT_TRUE(device->Provision(*secret, "alice", Secret("correct horse battery staple"), "test"));
  auto note = device->CheckpointAudit();
  ASSERT_TRUE(note) << note.error().ToString();
  auto vkey = env_.ReadFile(device->layout().vkey());
  ASSERT_TRUE(vkey);
  std::string vkey_text(vigil::AsStringView(*vkey));
  vkey_text.pop_back();
  auto verifier = vigil::audit::NoteVerifier::Parse(vkey_text);
  ASSERT_TRUE(verifier) << verifier.error().ToString();
  vigil::audit::NoteVerifier* known[] = {verifier->get()};
  const std::string cp_path = device->layout().audit() + "/checkpoint";
  auto cp = vigil::audit::ReadSignedCheckpoint(env_, cp_path, known);
  ASSERT_TRUE(cp) << cp.error().ToString();
  EXPECT_EQ(cp->verified_by, 1u);
  EXPECT_EQ(cp->checkpoint.origin, "vigil-pump/PUMP-0001/audit");
  EXPECT_EQ(cp->checkpoint.size, device->audit_log().size());
  auto check = vigil::audit::CheckLog(env_, device->layout().audit(), cp->checkpoint, cp_path,
                                      std::nullopt, "");
  ASSERT_TRUE(check) << check.error().ToString();
  EXPECT_TRUE(check->intact) << check->problem;
  // The vault's KEK, the factory's keys, the provisioning and the library key are all there.
  std::vector<vigil::audit::Action> actions;
  for (uint64_t i = 0; i < device->audit_log().size(); ++i) {
    auto entry = device->audit_log().Entry(i);
    ASSERT_TRUE(entry);
    auto event = vigil::audit::DecodeEvent(*entry);
    ASSERT_TRUE(event);
    actions.push_back(event->action);
  }
  using A = vigil::audit::Action;
  EXPECT_EQ(actions,
            (std::vector<A>{A::kKeyGenerate, A::kKeyGenerate, A::kProvision, A::kKeyGenerate}));
}

// The secure element's slots: what the vault's KEK and identity's key live in.
TEST_F(DeviceTest, TheSimulatedSecureElementLocksValidatesAndZeroises) {
  ASSERT_TRUE(Manufacture());
  auto device = Open();
  ASSERT_TRUE(device);
  const std::string se_dir = device->layout().secure_element();
  SimulatedSecureElement se(env_, se_dir);
  device.reset();
  se.Lock(true);
  auto read = se.ReadKey("vault-kek");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(se.WriteKey("x", Secret("k")).error().code(), ErrorCode::kUnavailable);
  se.Lock(false);
  EXPECT_TRUE(se.ReadKey("vault-kek"));
  // The lock switch's file, as another process sets it.
  const std::string lock_file = vigil::JoinPath(se_dir, SimulatedSecureElement::kLockFile);
  ASSERT_TRUE(env_.WriteFileAtomic(lock_file, vigil::AsBytes("")));
  EXPECT_EQ(se.ReadKey("vault-kek").error().message(),
            se.Name() + ": the secure element does not answer (locked)");
  EXPECT_EQ(se.ZeroizeKey("vault-kek").error().code(), ErrorCode::kUnavailable);
  ASSERT_TRUE(env_.RemoveFile(lock_file));
  EXPECT_TRUE(se.ReadKey("vault-kek"));
  EXPECT_EQ(se.ReadKey("Bad Slot").error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(se.ReadKey("empty").error().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(se.WriteKey("spare", Secret("0123456789abcdef")));
  ASSERT_TRUE(se.ZeroizeKey("spare"));
  EXPECT_EQ(se.ReadKey("spare").error().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(se.ZeroizeKey("spare"));
}

TEST_F(DeviceTest, RefusesABadDeviceIdAndAnEmptyFolder) {
  auto bad = Manufacture("pump 1");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message(), "device id \"pump 1\": expected 1 to 64 of [A-Za-z0-9._-]");
  auto none = Device::Open(env_, State(), &FastArgon());
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(none.error().message(), State() + ": no manufactured pump here");
}

}  // namespace
}  // namespace pump
