#include "vigil/identity/identity_service.h"

#include <gtest/gtest.h>

#include "testing/peak_memory.h"
#include "testing/sparse_file.h"
#include "vigil/core/encoding.h"
#include "vigil/core/fault_env.h"

namespace vigil::identity {
namespace {

using audit::Action;
using audit::Role;

class CapturingSink final : public audit::EventSink {
 public:
  Status Record(audit::Event e) override {
    EXPECT_TRUE(audit::ValidateEvent(e).has_value()) << audit::ActionCode(e.action);
    events.push_back(std::move(e));
    return OkStatus();
  }
  int Count(Action a, audit::Outcome o) const {
    return static_cast<int>(std::count_if(events.begin(), events.end(), [&](const auto& e) {
      return e.action == a && e.outcome == o;
    }));
  }
  std::vector<audit::Event> events;
};

crypto::SecretBytes Secret(std::string_view s) { return crypto::SecretBytes::CopyFrom(AsBytes(s)); }

// A test device's state key (a device takes it from its key store).
crypto::SecretBytes StateKey(uint8_t fill = 0x5a) { return crypto::SecretBytes::CopyFrom(Bytes(32, fill)); }

class IdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.device_id = "pump-1";
    options_.state_key = StateKey();
    options_.argon = *Argon2Params::Create(Argon2Params::kMinMemoryKib, 2, 1);  // fast tests
    options_.alert = [this](const std::string& who, const std::string&) { alerts_.push_back(who); };
    ASSERT_TRUE(env_.CreateDir("/etc").has_value());
    auto secret = IdentityService::Manufacture(env_, "/etc/identity.json", options_);
    ASSERT_TRUE(secret.has_value()) << secret.error().message();
    provisioning_ = std::move(*secret);
    Reopen();
  }
  void Reopen() {
    svc_.reset();
    auto s = IdentityService::Open(env_, "/etc/identity.json", sink_, options_);
    ASSERT_TRUE(s.has_value()) << s.error().message();
    svc_ = std::move(*s);
  }
  std::string Code(const crypto::SecretBytes& secret, int64_t offset_steps = 0) {
    return *TotpCode(secret, options_.totp, env_.NowUnixMicros() / 1'000'000 + 30 * offset_steps);
  }
  // Provisions "admin.1" and returns an admin session.
  std::string ProvisionAdmin() {
    auto e = svc_->Provision(provisioning_, "admin.1", Secret("correct horse battery"), "ui");
    EXPECT_TRUE(e.has_value()) << e.error().message();
    admin_totp_ = e->totp_secret;
    EXPECT_TRUE(svc_->ConfirmEnrolment("admin.1", Code(admin_totp_)).has_value());
    env_.AdvanceClock(31'000'000);  // next time step: a new code
    auto s = svc_->Login("admin.1", Secret("correct horse battery"), Code(admin_totp_), "ui");
    EXPECT_TRUE(s.has_value()) << s.error().message();
    return s ? s->id : "";
  }
  FaultInjectingEnv env_{11};
  CapturingSink sink_;
  IdentityOptions options_;
  crypto::SecretBytes provisioning_, admin_totp_;
  std::unique_ptr<IdentityService> svc_;
  std::vector<std::string> alerts_;
};

TEST_F(IdentityTest, NewDeviceHasNoUsableAccountAndProvisioningIsOneTime) {
  EXPECT_FALSE(svc_->provisioned());
  // Nothing logs in on a fresh device, whatever the guess.
  for (const char* id : {"admin", "root", "service", "manufacturer"}) {
    auto r = svc_->Login(id, Secret("admin123456"), std::string("000000"), "net-scan");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code(), ErrorCode::kUnauthenticated);
  }
  EXPECT_EQ(provisioning_.size(), 32u);  // 160-bit secret in base32
  auto wrong = svc_->Provision(Secret("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), "admin.1",
                               Secret("correct horse battery"), "ui");
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().code(), ErrorCode::kPermissionDenied);
  auto weak = svc_->Provision(provisioning_, "admin.1", Secret("short"), "ui");
  ASSERT_FALSE(weak.has_value());  // the first administrator sets a real password
  auto e = svc_->Provision(provisioning_, "admin.1", Secret("correct horse battery"), "ui");
  ASSERT_TRUE(e.has_value()) << e.error().message();
  EXPECT_EQ(e->provisioning_uri.rfind("otpauth://totp/", 0), 0u);
  EXPECT_TRUE(svc_->provisioned());
  // The secret is spent, also after a restart.
  Reopen();
  auto again = svc_->Provision(provisioning_, "admin.2", Secret("another good password"), "ui");
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code(), ErrorCode::kFailedPrecondition);
  // Before the second factor is confirmed the administrator cannot log in.
  auto early = svc_->Login("admin.1", Secret("correct horse battery"), Code(e->totp_secret), "ui");
  ASSERT_FALSE(early.has_value());
  EXPECT_EQ(early.error().code(), ErrorCode::kPermissionDenied);
  auto confirmed = svc_->ConfirmEnrolment("admin.1", Code(e->totp_secret));
  ASSERT_TRUE(confirmed.has_value()) << confirmed.error().message();
  EXPECT_EQ(sink_.Count(Action::kProvision, audit::Outcome::kSuccess), 1);
  EXPECT_EQ(sink_.Count(Action::kProvision, audit::Outcome::kMinorFailure), 1);
  EXPECT_FALSE(IdentityService::Manufacture(env_, "/etc/identity.json", options_).has_value());
}

TEST_F(IdentityTest, PrivilegedLoginNeedsAFreshSecondFactorCode) {
  std::string admin = ProvisionAdmin();
  ASSERT_FALSE(admin.empty());
  EXPECT_EQ(admin.size(), 32u);
  std::string code = Code(admin_totp_);
  // The code that just opened a session cannot be replayed.
  auto replay = svc_->Login("admin.1", Secret("correct horse battery"), code, "ui");
  ASSERT_FALSE(replay.has_value());
  EXPECT_EQ(replay.error().message(), "invalid credentials");
  auto none = svc_->Login("admin.1", Secret("correct horse battery"), std::nullopt, "ui");
  ASSERT_FALSE(none.has_value());
  env_.AdvanceClock(30'000'000);
  // ±1 step of drift is accepted.
  EXPECT_TRUE(svc_->Login("admin.1", Secret("correct horse battery"), Code(admin_totp_, 1), "ui")
                  .has_value());
  env_.AdvanceClock(120'000'000);
  EXPECT_FALSE(svc_->Login("admin.1", Secret("correct horse battery"), Code(admin_totp_, 3), "ui")
                   .has_value());
}

TEST_F(IdentityTest, ThrottlingBacksOffExponentiallyAndDisablesAfterAHundred) {
  std::string admin = ProvisionAdmin();
  ASSERT_TRUE(svc_->CreateAccount(admin, "clin.1", Role::kClinician, Secret("clinician password 1"))
                  .has_value());
  for (int i = 0; i < options_.free_failures; ++i) {
    auto r = svc_->Login("clin.1", Secret("wrong password"), std::nullopt, "bed-4");
    ASSERT_EQ(r.error().code(), ErrorCode::kUnauthenticated) << i;
  }
  // Now throttled, even with the right password, until the delay passes.
  auto t = svc_->Login("clin.1", Secret("clinician password 1"), std::nullopt, "bed-4");
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_NE(t.error().message().find("retry in 1 s"), std::string::npos)
      << t.error().message() << " / " << ErrorCodeName(t.error().code());
  env_.AdvanceClock(1'100'000);
  ASSERT_TRUE(
      svc_->Login("clin.1", Secret("clinician password 1"), std::nullopt, "bed-4").has_value());
  // Failures reset after success; now fail 100 times (waiting out each back-off).
  int64_t waited = 0;
  for (int i = 0; i < options_.max_consecutive_failures; ++i) {
    auto r =
        svc_->Login("clin.1", Secret("wrong password"), std::nullopt, "bed-" + std::to_string(i));
    if (!r && r.error().code() == ErrorCode::kResourceExhausted) {
      env_.AdvanceClock(options_.max_delay_seconds * 1'000'000);
      waited += options_.max_delay_seconds;
      --i;
      continue;
    }
    ASSERT_EQ(r.error().code(), ErrorCode::kUnauthenticated) << i;
  }
  env_.AdvanceClock(options_.max_delay_seconds * 1'000'000);
  auto disabled = svc_->Login("clin.1", Secret("clinician password 1"), std::nullopt, "bed-x");
  ASSERT_FALSE(disabled.has_value());
  EXPECT_EQ(disabled.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(sink_.Count(Action::kAccountDisable, audit::Outcome::kSeriousFailure), 1);
  EXPECT_GE(sink_.Count(Action::kLogin, audit::Outcome::kMinorFailure), 105);  // every failure
  EXPECT_GT(waited, 0);
  // The count survives a restart, and an administrator can enable the account.
  Reopen();
  ASSERT_FALSE(
      svc_->Login("clin.1", Secret("clinician password 1"), std::nullopt, "bed-x").has_value());
  env_.AdvanceClock(31'000'000);
  auto s = svc_->Login("admin.1", Secret("correct horse battery"), Code(admin_totp_), "ui");
  ASSERT_TRUE(s.has_value());
  ASSERT_TRUE(svc_->EnableAccount(s->id, "clin.1").has_value());
  EXPECT_TRUE(
      svc_->Login("clin.1", Secret("clinician password 1"), std::nullopt, "bed-x").has_value());
}

TEST_F(IdentityTest, SessionsExpireWhenIdleOrOldAndLogoutIsAudited) {
  std::string admin = ProvisionAdmin();
  ASSERT_TRUE(svc_->CreateAccount(admin, "clin.1", Role::kClinician, Secret("clinician password 1"))
                  .has_value());
  auto s = svc_->Login("clin.1", Secret("clinician password 1"), std::nullopt, "ui");
  ASSERT_TRUE(s.has_value());
  const int64_t idle = options_.sessions.at(Role::kClinician).idle_seconds;
  env_.AdvanceClock((idle - 1) * 1'000'000);
  ASSERT_TRUE(svc_->Touch(s->id).has_value());  // activity extends the idle window
  env_.AdvanceClock((idle - 1) * 1'000'000);
  ASSERT_TRUE(svc_->Touch(s->id).has_value());
  env_.AdvanceClock((idle + 1) * 1'000'000);
  auto gone = svc_->Touch(s->id);
  ASSERT_FALSE(gone.has_value());
  EXPECT_NE(gone.error().message().find("idle"), std::string::npos);
  EXPECT_EQ(sink_.Count(Action::kSessionExpired, audit::Outcome::kSuccess), 1);
  // Absolute lifetime: an admin session ends after an hour however active it is.
  env_.AdvanceClock(31'000'000);
  auto a = svc_->Login("admin.1", Secret("correct horse battery"), Code(admin_totp_), "ui");
  ASSERT_TRUE(a.has_value());
  for (int i = 0; i < 12; ++i) {
    env_.AdvanceClock(5 * 60 * 1'000'000LL);
    if (!svc_->Touch(a->id)) break;
  }
  EXPECT_FALSE(svc_->Touch(a->id).has_value());
  auto c = svc_->Login("clin.1", Secret("clinician password 1"), std::nullopt, "ui");
  ASSERT_TRUE(c.has_value());
  ASSERT_TRUE(svc_->Logout(c->id).has_value());
  EXPECT_FALSE(svc_->Touch(c->id).has_value());
  EXPECT_EQ(sink_.Count(Action::kLogout, audit::Outcome::kSuccess), 1);
  // A restart ends every session.
  auto d = svc_->Login("clin.1", Secret("clinician password 1"), std::nullopt, "ui");
  Reopen();
  EXPECT_FALSE(svc_->Touch(d->id).has_value());
}

TEST_F(IdentityTest, BreakGlassIsTimeBoxedAuditedAlertedAndReviewed) {
  std::string admin = ProvisionAdmin();
  ASSERT_TRUE(
      svc_->CreateAccount(admin, "clin.1", Role::kClinician, Secret("clinician password 1"), true)
          .has_value());
  ASSERT_TRUE(
      svc_->CreateAccount(admin, "svc.1", Role::kServiceTechnician, Secret("service password 1"))
          .has_value());
  // The clinician enrolled a second factor but lost the phone: normal login fails...
  ASSERT_FALSE(
      svc_->Login("clin.1", Secret("clinician password 1"), std::nullopt, "ui").has_value());
  // ...break-glass needs a reason and the password, and only clinicians get it.
  EXPECT_FALSE(
      svc_->OpenBreakGlass("clin.1", Secret("clinician password 1"), "", "ui").has_value());
  EXPECT_FALSE(svc_->OpenBreakGlass("clin.1", Secret("wrong"), "code blue", "ui").has_value());
  EXPECT_EQ(
      svc_->OpenBreakGlass("svc.1", Secret("service password 1"), "need it", "ui").error().code(),
      ErrorCode::kPermissionDenied);
  auto bg = svc_->OpenBreakGlass("clin.1", Secret("clinician password 1"),
                                 "second factor unavailable, code blue bed 4", "ui");
  ASSERT_TRUE(bg.has_value()) << bg.error().message();
  EXPECT_TRUE(bg->break_glass);
  EXPECT_EQ(alerts_, std::vector<std::string>{"clin.1"});
  const audit::Event* open = nullptr;
  for (const auto& e : sink_.events) {
    if (e.action == Action::kBreakGlassOpen && e.outcome == audit::Outcome::kSuccess) open = &e;
  }
  ASSERT_NE(open, nullptr);
  EXPECT_EQ(open->purpose, audit::Purpose::kBreakGlass);
  // Not extended by activity; expires by itself after break_glass_minutes.
  for (int m = 0; m < options_.break_glass_minutes - 1; ++m) {
    env_.AdvanceClock(60'000'000);
    ASSERT_TRUE(svc_->Touch(bg->id).has_value()) << m;
  }
  env_.AdvanceClock(61'000'000);
  EXPECT_FALSE(svc_->Touch(bg->id).has_value());
  EXPECT_EQ(sink_.Count(Action::kBreakGlassClose, audit::Outcome::kSuccess), 1);
  // The review stays open until an administrator closes it, across restarts.
  Reopen();
  auto pending = svc_->PendingReviews();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].account, "clin.1");
  env_.AdvanceClock(31'000'000);
  auto a = svc_->Login("admin.1", Secret("correct horse battery"), Code(admin_totp_), "ui");
  ASSERT_TRUE(a.has_value());
  EXPECT_FALSE(svc_->CloseReview(bg->id, pending[0].id).has_value());  // not an admin session
  ASSERT_TRUE(svc_->CloseReview(a->id, pending[0].id).has_value());
  EXPECT_TRUE(svc_->PendingReviews().empty());
  EXPECT_EQ(sink_.Count(Action::kBreakGlassReview, audit::Outcome::kSuccess), 1);
}

TEST_F(IdentityTest, OnlyAdministratorsCreateAccountsAndStateIsValidatedOnLoad) {
  std::string admin = ProvisionAdmin();
  auto enr =
      svc_->CreateAccount(admin, "svc.1", Role::kServiceTechnician, Secret("service password 1"));
  ASSERT_TRUE(enr.has_value());
  ASSERT_TRUE(enr->has_value());  // privileged roles always get a second factor
  ASSERT_TRUE(svc_->CreateAccount(admin, "clin.1", Role::kClinician, Secret("clinician password 1"))
                  .has_value());
  auto c = svc_->Login("clin.1", Secret("clinician password 1"), std::nullopt, "ui");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(svc_->CreateAccount(c->id, "x.1", Role::kAdministrator, Secret("some password 1"))
                .error()
                .code(),
            ErrorCode::kPermissionDenied);
  EXPECT_FALSE(svc_->CreateAccount(admin, "Jane Doe", Role::kPatient, Secret("some password 1"))
                   .has_value());
  EXPECT_FALSE(svc_->CreateAccount(admin, "clin.1", Role::kClinician, Secret("some password 1"))
                   .has_value());
  ASSERT_TRUE(env_.WriteFileAtomic("/etc/identity.json", AsBytes("{\"version\":1}")).has_value());
  auto bad = IdentityService::Open(env_, "/etc/identity.json", sink_, options_);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), ErrorCode::kDataLoss);
  EXPECT_EQ(bad.error().message(),
            "/etc/identity.json: $.provisioning: required field missing (malformed identity state)");
  EXPECT_EQ(IdentityService::Open(env_, "/etc/none.json", sink_, options_).error().code(),
            ErrorCode::kNotFound);
  // Found by fuzz_identity_state: a version of another type (here an array, from a repeated
  // key) threw out of nlohmann's value() and ended the process instead of DataLoss.
  const std::pair<const char*, const char*> docs[] = {
      {R"({"version":[]})", "$.version: expected 1"},
      {R"({"version":"1"})", "$.version: expected 1"},
      {R"({"version":1.5})", "$.version: expected 1"},
      {R"({"version":1,"version":[{"id":2}]})", "$: duplicate object key \"version\""},
  };
  for (const auto& [doc, want] : docs) {
    ASSERT_TRUE(env_.WriteFileAtomic("/etc/identity.json", AsBytes(doc)).has_value());
    auto v = IdentityService::Open(env_, "/etc/identity.json", sink_, options_);
    ASSERT_FALSE(v.has_value()) << doc;
    EXPECT_EQ(v.error().code(), ErrorCode::kDataLoss) << doc;
    EXPECT_EQ(v.error().message(),
              "/etc/identity.json: " + std::string(want) + " (malformed identity state)")
        << doc;
  }
}

// Issue 14 item 7: TOTP secrets are sealed at rest, bound to their account and device; the
// state file alone gives no second factor away, and a wrong key shows at Open.
TEST_F(IdentityTest, TotpSecretsAreSealedAtRestAndBoundToAccountAndDevice) {
  const std::string admin = ProvisionAdmin();
  auto file = env_.ReadFile("/etc/identity.json");
  ASSERT_TRUE(file.has_value());
  const std::string text(AsStringView(*file));
  EXPECT_EQ(text.find(Base64Encode(admin_totp_.Reveal())), std::string::npos);
  EXPECT_EQ(text.find(Base32Encode(admin_totp_.Reveal())), std::string::npos);
  EXPECT_EQ(text.find("\"totp\""), std::string::npos);
  EXPECT_NE(text.find("\"totp_sealed\""), std::string::npos);

  // Without a key, or with a key of the wrong size: refused before anything is read.
  for (size_t n : {size_t{0}, size_t{16}}) {
    IdentityOptions o = options_;
    o.state_key = crypto::SecretBytes::CopyFrom(Bytes(n, 1));
    auto s = IdentityService::Open(env_, "/etc/identity.json", sink_, o);
    ASSERT_FALSE(s.has_value());
    EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(s.error().message(),
              "identity: options.state_key: expected the device's 32-byte key sealing the TOTP "
              "secrets, got " + std::to_string(n) + " bytes");
  }
  // Another key, or the same file on another device: the sealed secret does not open.
  const std::string refused =
      "/etc/identity.json: account admin.1: the sealed TOTP secret does not open under the "
      "state key (a wrong key, another device's file, or an altered file)";
  IdentityOptions other_key = options_;
  other_key.state_key = StateKey(0x5b);
  IdentityOptions other_device = options_;
  other_device.device_id = "pump-2";
  for (const IdentityOptions& o : {other_key, other_device}) {
    auto s = IdentityService::Open(env_, "/etc/identity.json", sink_, o);
    ASSERT_FALSE(s.has_value());
    EXPECT_EQ(s.error().code(), ErrorCode::kDataLoss);
    EXPECT_EQ(s.error().message(), refused);
  }
  // A sealed secret moved to another account does not open there either.
  ASSERT_TRUE(svc_->CreateAccount(admin, "tech.1", Role::kServiceTechnician,
                                  Secret("technician password 1"))
                  .has_value());
  svc_.reset();
  file = env_.ReadFile("/etc/identity.json");
  std::string swapped(AsStringView(*file));
  auto sealed_of = [&](const std::string& id) {
    size_t at = swapped.find("\"id\":\"" + id + "\"");
    size_t from = swapped.find("\"totp_sealed\":\"", at) + 15;
    return std::make_pair(from, swapped.find('"', from) - from);
  };
  auto [a_at, a_len] = sealed_of("admin.1");
  auto [t_at, t_len] = sealed_of("tech.1");
  ASSERT_EQ(a_len, t_len);
  const std::string admin_sealed = swapped.substr(a_at, a_len);
  swapped.replace(a_at, a_len, swapped.substr(t_at, t_len));
  swapped.replace(t_at, t_len, admin_sealed);
  ASSERT_TRUE(env_.WriteFileAtomic("/etc/identity.json", AsBytes(swapped)).has_value());
  auto s = IdentityService::Open(env_, "/etc/identity.json", sink_, options_);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), ErrorCode::kDataLoss);
  EXPECT_EQ(s.error().message(), refused);
  // A state written before sealing (a plaintext "totp" member) is refused, never used.
  const std::string legacy =
      R"({"version":1,"provisioning":"","accounts":[{"id":"admin.1","role":"administrator",)"
      R"("password":"x","totp":"AAAA","totp_confirmed":true,"disabled":false,"failures":0,)"
      R"("totp_last":null}],"reviews":[],"next_review":1})";
  ASSERT_TRUE(env_.WriteFileAtomic("/etc/identity.json", AsBytes(legacy)).has_value());
  s = IdentityService::Open(env_, "/etc/identity.json", sink_, options_);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), ErrorCode::kDataLoss);
  EXPECT_EQ(s.error().message(),
            "/etc/identity.json: $.accounts[0].totp: a plaintext TOTP secret (state written "
            "before secrets were sealed): re-provision the device (malformed identity state)");
}

// Issue 13 item 3: the identity state is read whole; a huge file (corrupted or planted) must
// cost a one-line refusal, not the memory to hold it. A sparse 64 MiB file shows it cheaply.
TEST(IdentityStateLimitTest, AnOversizedStateFileIsRefusedUnreadWithinFourMebibytes) {
  vigil::testing::ScopedSparseFile file("identity.json", 64 << 20);
  const std::string& path = file.path();
  CapturingSink sink;
  auto mem = vigil::testing::PeakMemoryGrowthOfChild([&] {
    auto s = IdentityService::Open(*Env::Default(), path, sink, IdentityOptions{});
    return !s && s.error().code() == ErrorCode::kResourceExhausted &&
           s.error().message() ==
               path + ": 67108864 bytes, over the 16 MiB limit for identity state";
  });
  ASSERT_TRUE(mem.has_value());
  EXPECT_TRUE(mem->fn_returned_true);
  EXPECT_LT(mem->growth_kib, 4 * 1024);
}

}  // namespace
}  // namespace vigil::identity
