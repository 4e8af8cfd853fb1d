#include "vigil/identity/identity_service.h"

#include <algorithm>

#include "vigil/core/encoding.h"
#include "vigil/core/json.h"

namespace vigil::identity {
namespace {

using audit::Action;
using audit::Outcome;
using audit::Role;

bool Privileged(Role r) {
  return r == Role::kAdministrator || r == Role::kServiceTechnician ||
         r == Role::kManufacturerService;
}

constexpr char kInvalid[] = "invalid credentials";

bool IsIdentifier(const std::string& s) {
  audit::Event probe;
  probe.device_id = "x";
  probe.actor_id = s;
  probe.actor_role = Role::kClinician;
  return audit::ValidateEvent(probe).has_value();
}

int64_t Seconds(int64_t ns) { return ns / 1'000'000'000; }

// What a sealed TOTP secret is bound to: its purpose, the device and the account, so that a
// sealed secret copied to another account or device does not open.
Bytes TotpAad(const std::string& device_id, const std::string& account) {
  std::string aad = "vigil identity TOTP secret v1";
  aad.push_back('\0');
  aad += device_id;
  aad.push_back('\0');
  aad += account;
  return Bytes(aad.begin(), aad.end());
}

}  // namespace

struct IdentityService::Account {
  std::string id;
  Role role = Role::kNone;
  std::string password_phc;
  Bytes totp_sealed;  // nonce || ciphertext || tag (SealTotp); empty: no second factor enrolled
  bool totp_confirmed = false;
  std::optional<uint64_t> totp_last_counter;
  bool disabled = false;
  int consecutive_failures = 0;
};

struct IdentityService::State {
  std::string provisioning_phc;  // empty once consumed
  std::map<std::string, Account> accounts;
  std::vector<Review> reviews;
  uint64_t next_review = 1;

  json::Value ToJson() const {
    json::Value accounts_json = json::Value::MakeArray();
    for (const auto& [id, a] : accounts) {
      accounts_json.Push(json::Value::MakeObject(
          {{"id", a.id},
           {"role", audit::RoleCode(a.role)},
           {"password", a.password_phc},
           {"totp_sealed", Base64Encode(a.totp_sealed)},
           {"totp_confirmed", a.totp_confirmed},
           {"disabled", a.disabled},
           {"failures", a.consecutive_failures},
           {"totp_last", a.totp_last_counter ? json::Value(*a.totp_last_counter) : nullptr}}));
    }
    json::Value reviews_json = json::Value::MakeArray();
    for (const auto& r : reviews) {
      reviews_json.Push(json::Value::MakeObject({{"id", r.id},
                                                 {"account", r.account},
                                                 {"reason", r.reason},
                                                 {"opened", r.opened_unix_micros},
                                                 {"closed", r.closed},
                                                 {"closed_by", r.closed_by}}));
    }
    return json::Value::MakeObject({{"version", 1},
                                    {"provisioning", provisioning_phc},
                                    {"accounts", std::move(accounts_json)},
                                    {"reviews", std::move(reviews_json)},
                                    {"next_review", next_review}});
  }

  // The state file as it is written: compact JSON.
  std::string Serialize() const { return json::Write(ToJson()); }

  static Result<Account> ReadAccount(const json::Node& ja) {
    Account a;
    VIGIL_ASSIGN_OR_RETURN(a.id, ja.Get("id").String());
    VIGIL_ASSIGN_OR_RETURN(std::string role_code, ja.Get("role").String());
    auto role = audit::ParseRoleCode(role_code);
    if (!role) return ja.Get("role").Invalid(role.error().message());
    a.role = *role;
    VIGIL_ASSIGN_OR_RETURN(a.password_phc, ja.Get("password").String());
    if (ja.Get("totp").present()) {
      return ja.Get("totp").Invalid(
          "a plaintext TOTP secret (state written before secrets were sealed): re-provision the "
          "device");
    }
    VIGIL_ASSIGN_OR_RETURN(std::string sealed, ja.Get("totp_sealed").String());
    auto bytes = Base64Decode(sealed);
    if (!bytes) return ja.Get("totp_sealed").Invalid("expected base64");
    a.totp_sealed = std::move(*bytes);
    VIGIL_ASSIGN_OR_RETURN(a.totp_confirmed, ja.Get("totp_confirmed").Bool());
    VIGIL_ASSIGN_OR_RETURN(a.disabled, ja.Get("disabled").Bool());
    VIGIL_ASSIGN_OR_RETURN(uint64_t failures, ja.Get("failures").UInt());
    if (failures > 1'000'000) return ja.Get("failures").Invalid("expected at most 1000000");
    a.consecutive_failures = static_cast<int>(failures);
    json::Node last = ja.Get("totp_last");
    if (!last.present() || !last.value().is_null()) {
      VIGIL_ASSIGN_OR_RETURN(uint64_t counter, last.UInt());
      a.totp_last_counter = counter;
    }
    return a;
  }

  static Result<Review> ReadReview(const json::Node& jr) {
    Review r;
    VIGIL_ASSIGN_OR_RETURN(r.id, jr.Get("id").UInt());
    VIGIL_ASSIGN_OR_RETURN(r.account, jr.Get("account").String());
    VIGIL_ASSIGN_OR_RETURN(r.reason, jr.Get("reason").String());
    VIGIL_ASSIGN_OR_RETURN(r.opened_unix_micros, jr.Get("opened").Int());
    VIGIL_ASSIGN_OR_RETURN(r.closed, jr.Get("closed").Bool());
    VIGIL_ASSIGN_OR_RETURN(r.closed_by, jr.Get("closed_by").String());
    return r;
  }

  static Result<std::unique_ptr<State>> Read(const json::Node& j) {
    if (auto version = j.Get("version").Int(); !version || *version != 1) {
      return j.Get("version").Invalid("expected 1");
    }
    auto s = std::make_unique<State>();
    VIGIL_ASSIGN_OR_RETURN(s->provisioning_phc, j.Get("provisioning").String());
    Status accounts = j.Get("accounts").ForEachElement([&](const json::Node& ja) -> Status {
      VIGIL_ASSIGN_OR_RETURN(Account a, ReadAccount(ja));
      s->accounts[a.id] = std::move(a);
      return OkStatus();
    });
    VIGIL_RETURN_IF_ERROR(accounts);
    Status reviews = j.Get("reviews").ForEachElement([&](const json::Node& jr) -> Status {
      VIGIL_ASSIGN_OR_RETURN(s->reviews.emplace_back(), ReadReview(jr));
      return OkStatus();
    });
    VIGIL_RETURN_IF_ERROR(reviews);
    VIGIL_ASSIGN_OR_RETURN(s->next_review, j.Get("next_review").UInt());
    return s;
  }

  // DataLoss naming the file, the JSON path and what was expected: the state is the device's own
  // file, so anything unreadable in it is damage, not user input.
  static Result<std::unique_ptr<State>> FromJson(std::string_view text, const std::string& path) {
    auto state = [&]() -> Result<std::unique_ptr<State>> {
      VIGIL_ASSIGN_OR_RETURN(json::Value doc, json::Parse(text, path));
      return Read(json::Node(doc, path));
    }();
    if (!state) return DataLossError(state.error().message() + " (malformed identity state)");
    return state;
  }
};

IdentityService::IdentityService(Env& env, std::string path, audit::EventSink& sink,
                                 IdentityOptions options)
    : env_(env), path_(std::move(path)), sink_(sink), options_(std::move(options)) {}

IdentityService::~IdentityService() = default;

Result<crypto::SecretBytes> IdentityService::Manufacture(Env& env, const std::string& path,
                                                         const IdentityOptions& options) {
  if (env.FileExists(path)) {
    return AlreadyExistsError(path + ": this device already has identity state");
  }
  VIGIL_ASSIGN_OR_RETURN(Bytes raw, env.RandomBytes(20));
  std::string text = Base32Encode(raw);  // 32 characters, easy to type from a label
  crypto::SecretBytes secret = crypto::SecretBytes::CopyFrom(AsBytes(text));
  std::fill(text.begin(), text.end(), '\0');
  State s;
  VIGIL_ASSIGN_OR_RETURN(s.provisioning_phc, HashPassword(secret, options.argon, env));
  VIGIL_RETURN_IF_ERROR(env.WriteFileAtomic(path, AsBytes(s.Serialize())));
  return secret;
}

Result<std::unique_ptr<IdentityService>> IdentityService::Open(Env& env, const std::string& path,
                                                               audit::EventSink& sink,
                                                               IdentityOptions options) {
  auto data = env.ReadFileLimited(path, kMaxStateBytes, "identity state");
  if (!data && data.error().code() == ErrorCode::kNotFound) {
    return NotFoundError(path +
                         ": no identity state (the device was not manufactured: run "
                         "Manufacture first)");
  }
  if (!data) return data.error();
  if (options.state_key.size() != crypto::Aead::kKeySize) {
    return InvalidArgumentError(
        "identity: options.state_key: expected the device's 32-byte key sealing the TOTP "
        "secrets, got " + std::to_string(options.state_key.size()) + " bytes");
  }
  auto aead = crypto::Aead::Create(crypto::AlgorithmId::kAes256Gcm, options.state_key);
  if (!aead) return aead.error();
  VIGIL_ASSIGN_OR_RETURN(auto state, State::FromJson(AsStringView(*data), path));
  std::unique_ptr<IdentityService> s(new IdentityService(env, path, sink, std::move(options)));
  s->totp_aead_ = std::move(*aead);
  s->state_ = std::move(state);
  // A wrong key (or an altered file) shows now, not at the first login of that account.
  for (const auto& [id, a] : s->state_->accounts) {
    if (a.totp_sealed.empty()) continue;
    if (auto secret = s->UnsealTotp(a); !secret) return secret.error();
  }
  return s;
}

Result<Bytes> IdentityService::SealTotp(const std::string& account,
                                        const crypto::SecretBytes& secret) {
  return totp_aead_->SealRandomNonce(env_, secret.Reveal(), TotpAad(options_.device_id, account));
}

Result<crypto::SecretBytes> IdentityService::UnsealTotp(const Account& a) {
  auto plain = totp_aead_->OpenRandomNonce(a.totp_sealed, TotpAad(options_.device_id, a.id));
  if (!plain) {
    return DataLossError(path_ + ": account " + a.id +
                         ": the sealed TOTP secret does not open under the state key (a wrong "
                         "key, another device's file, or an altered file)");
  }
  crypto::SecretBytes secret = crypto::SecretBytes::CopyFrom(*plain);
  std::fill(plain->begin(), plain->end(), uint8_t{0});
  return secret;
}

Status IdentityService::Save() {
  return env_.WriteFileAtomic(path_, AsBytes(state_->Serialize()));
}

Status IdentityService::Audit(Action action, Outcome outcome, const std::string& actor, Role role,
                              const std::string& reason, const std::string& source,
                              std::vector<std::string> objects, audit::Purpose purpose) {
  audit::Event e;
  e.device_id = options_.device_id;
  e.actor_id = IsIdentifier(actor) ? actor : "";
  e.actor_role = e.actor_id.empty() ? Role::kNone : role;
  e.action = action;
  e.outcome = outcome;
  e.purpose = purpose;
  e.reason = reason;
  e.interface = audit::Interface::kLocalUi;
  e.source = IsIdentifier(source) ? source : "";
  for (auto& o : objects) {
    if (IsIdentifier(o)) e.object_ids.push_back(std::move(o));
  }
  return sink_.Record(std::move(e));
}

bool IdentityService::provisioned() const {
  std::lock_guard l(mu_);
  return state_->provisioning_phc.empty();
}

Status IdentityService::Throttled(const std::string& account, const std::string& source) {
  const int64_t now = env_.NowMonotonicNanos();
  auto wait_for = [&](const Failures& f) -> int64_t {
    if (f.count < options_.free_failures) return 0;
    int shift = std::min(f.count - options_.free_failures, 30);
    int64_t delay = std::min<int64_t>(int64_t{1} << shift, options_.max_delay_seconds);
    int64_t ready = f.last_ns + delay * 1'000'000'000;
    return ready > now ? Seconds(ready - now + 999'999'999) : 0;  // rounded up
  };
  int64_t wait = 0;
  if (auto it = account_failures_.find(account); it != account_failures_.end()) {
    wait = std::max(wait, wait_for(it->second));
  }
  if (auto it = source_failures_.find(source); it != source_failures_.end()) {
    wait = std::max(wait, wait_for(it->second));
  }
  if (wait > 0) {
    return ResourceExhaustedError("throttled after repeated failures; retry in " +
                                  std::to_string(wait) + " s");
  }
  return OkStatus();
}

void IdentityService::RecordFailure(const std::string& account, const std::string& source) {
  const int64_t now = env_.NowMonotonicNanos();
  auto& a = account_failures_[account];
  a.count++;
  a.last_ns = now;
  auto& s = source_failures_[source];
  s.count++;
  s.last_ns = now;
  if (auto it = state_->accounts.find(account); it != state_->accounts.end()) {
    Account& acc = it->second;
    acc.consecutive_failures++;
    if (acc.consecutive_failures >= options_.max_consecutive_failures && !acc.disabled) {
      acc.disabled = true;
      (void)Audit(Action::kAccountDisable, Outcome::kSeriousFailure, acc.id, acc.role,
                  std::to_string(acc.consecutive_failures) +
                      " consecutive failed logins; an administrator must enable it",
                  source, {acc.id});
    }
    (void)Save();
  }
}

Result<Enrolment> IdentityService::Provision(const crypto::SecretBytes& provisioning_secret,
                                             const std::string& admin_id,
                                             const crypto::SecretBytes& password,
                                             const std::string& source) {
  std::lock_guard l(mu_);
  if (state_->provisioning_phc.empty()) {
    return FailedPreconditionError("device is already provisioned");
  }
  VIGIL_RETURN_IF_ERROR(Throttled("(provisioning)", source));
  auto check = VerifyPassword(state_->provisioning_phc, provisioning_secret, options_.argon);
  if (!check || !check->matched) {
    RecordFailure("(provisioning)", source);
    VIGIL_RETURN_IF_ERROR(Audit(Action::kProvision, Outcome::kMinorFailure, "", Role::kNone,
                                "wrong provisioning secret", source));
    return PermissionDeniedError("provisioning secret does not match this device");
  }
  if (!IsIdentifier(admin_id)) {
    return InvalidArgumentError("account id must be 1-128 characters [A-Za-z0-9._:@/-]");
  }
  VIGIL_RETURN_IF_ERROR(CheckPasswordRules(password, admin_id));
  Account a;
  a.id = admin_id;
  a.role = Role::kAdministrator;
  VIGIL_ASSIGN_OR_RETURN(a.password_phc, HashPassword(password, options_.argon, env_));
  VIGIL_ASSIGN_OR_RETURN(crypto::SecretBytes secret, NewTotpSecret(env_));
  VIGIL_ASSIGN_OR_RETURN(a.totp_sealed, SealTotp(a.id, secret));
  VIGIL_ASSIGN_OR_RETURN(std::string uri,
                         ProvisioningUri(options_.issuer, admin_id, secret, options_.totp));
  state_->accounts[a.id] = a;
  state_->provisioning_phc.clear();  // one-time: the secret no longer opens anything
  VIGIL_RETURN_IF_ERROR(Save());
  VIGIL_RETURN_IF_ERROR(Audit(Action::kProvision, Outcome::kSuccess, admin_id, Role::kAdministrator,
                              "first administrator created", source, {admin_id}));
  return Enrolment{admin_id, std::move(secret), std::move(uri)};
}

Status IdentityService::ConfirmEnrolment(const std::string& account, std::string_view code) {
  std::lock_guard l(mu_);
  auto it = state_->accounts.find(account);
  if (it == state_->accounts.end() || it->second.totp_sealed.empty()) {
    return NotFoundError("no pending second-factor enrolment for this account");
  }
  Account& a = it->second;
  VIGIL_ASSIGN_OR_RETURN(crypto::SecretBytes secret, UnsealTotp(a));
  auto counter = VerifyTotp(secret, options_.totp, code,
                            env_.NowUnixMicros() / 1'000'000, a.totp_last_counter);
  if (!counter) {
    (void)Audit(Action::kSecondFactorEnrol, Outcome::kMinorFailure, a.id, a.role,
                "enrolment code rejected", "", {a.id});
    return UnauthenticatedError("the code does not match the enrolled authenticator");
  }
  a.totp_last_counter = *counter;
  a.totp_confirmed = true;
  VIGIL_RETURN_IF_ERROR(Save());
  return Audit(Action::kSecondFactorEnrol, Outcome::kSuccess, a.id, a.role, "", "", {a.id});
}

Result<Session> IdentityService::NewSession(const std::string& account, Role role,
                                            bool break_glass) {
  VIGIL_ASSIGN_OR_RETURN(Bytes id, env_.RandomBytes(16));
  Session s;
  s.id = HexEncode(id);
  s.account = account;
  s.role = role;
  s.break_glass = break_glass;
  s.created_ns = s.last_used_ns = env_.NowMonotonicNanos();
  int64_t life = break_glass ? int64_t{options_.break_glass_minutes} * 60
                             : options_.sessions.at(role).absolute_seconds;
  s.expires_ns = s.created_ns + life * 1'000'000'000;
  sessions_[s.id] = s;
  return s;
}

Result<Session> IdentityService::Login(const std::string& id, const crypto::SecretBytes& password,
                                       std::optional<std::string> totp_code,
                                       const std::string& source) {
  std::lock_guard l(mu_);
  auto fail = [&](const std::string& why, Role role) -> Error {
    RecordFailure(id, source);
    (void)Audit(Action::kLogin, Outcome::kMinorFailure, id, role, why, source);
    return UnauthenticatedError(kInvalid);
  };
  if (Status t = Throttled(id, source); !t) {
    (void)Audit(Action::kLogin, Outcome::kMinorFailure, id, Role::kNone, "throttled", source);
    return t.error();
  }
  auto it = state_->accounts.find(id);
  if (it == state_->accounts.end()) {
    // Same Argon2id work as a real account, so timing does not reveal which ids exist.
    if (dummy_phc_.empty()) {
      VIGIL_ASSIGN_OR_RETURN(
          dummy_phc_, HashPassword(crypto::SecretBytes::CopyFrom(AsBytes("no such account here")),
                                   options_.argon, env_));
    }
    (void)VerifyPassword(dummy_phc_, password, options_.argon);
    return fail("unknown account", Role::kNone);
  }
  Account& a = it->second;
  if (a.disabled) {
    (void)Audit(Action::kLogin, Outcome::kMinorFailure, id, a.role, "account disabled", source);
    return PermissionDeniedError("account is disabled; an administrator must enable it");
  }
  auto check = VerifyPassword(a.password_phc, password, options_.argon);
  if (!check || !check->matched) return fail("wrong password", a.role);
  const bool needs_totp = Privileged(a.role) || !a.totp_sealed.empty();
  if (needs_totp) {
    if (a.totp_sealed.empty() || !a.totp_confirmed) {
      (void)Audit(Action::kLogin, Outcome::kMinorFailure, id, a.role, "second factor not enrolled",
                  source);
      return PermissionDeniedError("the second factor must be enrolled and confirmed first");
    }
    if (!totp_code) return fail("second factor missing", a.role);
    VIGIL_ASSIGN_OR_RETURN(crypto::SecretBytes secret, UnsealTotp(a));
    auto counter = VerifyTotp(secret, options_.totp, *totp_code,
                              env_.NowUnixMicros() / 1'000'000, a.totp_last_counter);
    if (!counter) return fail("wrong or reused second-factor code", a.role);
    a.totp_last_counter = *counter;
  }
  if (!options_.sessions.count(a.role)) {
    (void)Audit(Action::kLogin, Outcome::kMinorFailure, id, a.role, "role cannot log in", source);
    return PermissionDeniedError("this role has no interactive sessions");
  }
  a.consecutive_failures = 0;
  account_failures_.erase(id);
  source_failures_.erase(source);
  if (check->needs_rehash) {
    VIGIL_ASSIGN_OR_RETURN(a.password_phc, HashPassword(password, options_.argon, env_));
  }
  VIGIL_RETURN_IF_ERROR(Save());
  VIGIL_ASSIGN_OR_RETURN(Session s, NewSession(id, a.role, false));
  VIGIL_RETURN_IF_ERROR(Audit(Action::kLogin, Outcome::kSuccess, id, a.role,
                              check->needs_rehash ? "password rehashed" : "", source));
  return s;
}

Result<Session> IdentityService::TouchLocked(const std::string& session_id) {
  auto it = sessions_.find(session_id);
  if (it == sessions_.end()) return UnauthenticatedError("no such session");
  Session& s = it->second;
  const int64_t now = env_.NowMonotonicNanos();
  const int64_t idle = s.break_glass ? 0 : options_.sessions.at(s.role).idle_seconds;
  const bool idle_out = idle > 0 && now - s.last_used_ns > idle * 1'000'000'000;
  if (now >= s.expires_ns || idle_out) {
    Session gone = s;
    sessions_.erase(it);
    if (gone.break_glass) {
      (void)Audit(Action::kBreakGlassClose, Outcome::kSuccess, gone.account, gone.role,
                  "emergency session expired", "", {}, audit::Purpose::kBreakGlass);
    } else {
      (void)Audit(Action::kSessionExpired, Outcome::kSuccess, gone.account, gone.role,
                  idle_out ? "idle timeout" : "absolute lifetime reached", "");
    }
    return UnauthenticatedError(idle_out ? "session timed out (idle)" : "session expired");
  }
  s.last_used_ns = now;
  return s;
}

Result<Session> IdentityService::Touch(const std::string& session_id) {
  std::lock_guard l(mu_);
  return TouchLocked(session_id);
}

Status IdentityService::Logout(const std::string& session_id) {
  std::lock_guard l(mu_);
  auto it = sessions_.find(session_id);
  if (it == sessions_.end()) return NotFoundError("no such session");
  Session s = it->second;
  sessions_.erase(it);
  if (s.break_glass) {
    return Audit(Action::kBreakGlassClose, Outcome::kSuccess, s.account, s.role,
                 "emergency session ended by the user", "", {}, audit::Purpose::kBreakGlass);
  }
  return Audit(Action::kLogout, Outcome::kSuccess, s.account, s.role, "", "");
}

Result<Session> IdentityService::AdminSession(const std::string& session_id) {
  VIGIL_ASSIGN_OR_RETURN(Session s, TouchLocked(session_id));
  if (s.role != Role::kAdministrator || s.break_glass) {
    return PermissionDeniedError("an administrator session is required");
  }
  return s;
}

Result<std::optional<Enrolment>> IdentityService::CreateAccount(const std::string& admin_session,
                                                                const std::string& id, Role role,
                                                                const crypto::SecretBytes& password,
                                                                bool with_totp) {
  std::lock_guard l(mu_);
  VIGIL_ASSIGN_OR_RETURN(Session admin, AdminSession(admin_session));
  if (!IsIdentifier(id)) {
    return InvalidArgumentError("account id must be 1-128 characters [A-Za-z0-9._:@/-]");
  }
  if (!options_.sessions.count(role)) return InvalidArgumentError("role cannot hold accounts");
  if (state_->accounts.count(id)) return AlreadyExistsError("account " + id + " exists");
  VIGIL_RETURN_IF_ERROR(CheckPasswordRules(password, id));
  Account a;
  a.id = id;
  a.role = role;
  VIGIL_ASSIGN_OR_RETURN(a.password_phc, HashPassword(password, options_.argon, env_));
  std::optional<Enrolment> enrolment;
  if (Privileged(role) || with_totp) {
    VIGIL_ASSIGN_OR_RETURN(crypto::SecretBytes secret, NewTotpSecret(env_));
    VIGIL_ASSIGN_OR_RETURN(a.totp_sealed, SealTotp(a.id, secret));
    VIGIL_ASSIGN_OR_RETURN(std::string uri,
                           ProvisioningUri(options_.issuer, id, secret, options_.totp));
    enrolment = Enrolment{id, std::move(secret), std::move(uri)};
  }
  state_->accounts[id] = std::move(a);
  VIGIL_RETURN_IF_ERROR(Save());
  VIGIL_RETURN_IF_ERROR(Audit(Action::kAccountCreate, Outcome::kSuccess, admin.account, admin.role,
                              std::string("role ") + std::string(audit::RoleCode(role)), "", {id}));
  return enrolment;
}

Status IdentityService::EnableAccount(const std::string& admin_session, const std::string& id) {
  std::lock_guard l(mu_);
  VIGIL_ASSIGN_OR_RETURN(Session admin, AdminSession(admin_session));
  auto it = state_->accounts.find(id);
  if (it == state_->accounts.end()) return NotFoundError("no account " + id);
  it->second.disabled = false;
  it->second.consecutive_failures = 0;
  account_failures_.erase(id);
  VIGIL_RETURN_IF_ERROR(Save());
  return Audit(Action::kAccountModify, Outcome::kSuccess, admin.account, admin.role,
               "account enabled", "", {id});
}

Result<Session> IdentityService::OpenBreakGlass(const std::string& id,
                                                const crypto::SecretBytes& password,
                                                const std::string& reason,
                                                const std::string& source) {
  std::lock_guard l(mu_);
  if (reason.empty()) return InvalidArgumentError("break-glass needs a reason");
  audit::Event probe;  // the reason must be loggable (short printable text, no line breaks)
  probe.device_id = "x";
  probe.reason = reason;
  if (Status s = audit::ValidateEvent(probe); !s) return s.error();
  VIGIL_RETURN_IF_ERROR(Throttled(id, source));
  auto it = state_->accounts.find(id);
  if (it == state_->accounts.end() || it->second.disabled) {
    RecordFailure(id, source);
    (void)Audit(Action::kBreakGlassOpen, Outcome::kMinorFailure, id, Role::kNone, reason, source,
                {}, audit::Purpose::kBreakGlass);
    return UnauthenticatedError(kInvalid);
  }
  Account& a = it->second;
  auto check = VerifyPassword(a.password_phc, password, options_.argon);
  if (!check || !check->matched) {
    RecordFailure(id, source);
    (void)Audit(Action::kBreakGlassOpen, Outcome::kMinorFailure, id, a.role, reason, source, {},
                audit::Purpose::kBreakGlass);
    return UnauthenticatedError(kInvalid);
  }
  if (a.role != Role::kClinician) {
    (void)Audit(Action::kBreakGlassOpen, Outcome::kMinorFailure, id, a.role, reason, source, {},
                audit::Purpose::kBreakGlass);
    return PermissionDeniedError("emergency access is for clinicians");
  }
  a.consecutive_failures = 0;
  Review r;
  r.id = state_->next_review++;
  r.account = id;
  r.reason = reason;
  r.opened_unix_micros = env_.NowUnixMicros();
  state_->reviews.push_back(r);
  VIGIL_RETURN_IF_ERROR(Save());
  VIGIL_ASSIGN_OR_RETURN(Session s, NewSession(id, a.role, true));
  VIGIL_RETURN_IF_ERROR(Audit(Action::kBreakGlassOpen, Outcome::kSuccess, id, a.role, reason,
                              source, {"review:" + std::to_string(r.id)},
                              audit::Purpose::kBreakGlass));
  if (options_.alert) options_.alert(id, reason);
  return s;
}

std::vector<Review> IdentityService::PendingReviews() const {
  std::lock_guard l(mu_);
  std::vector<Review> out;
  for (const auto& r : state_->reviews) {
    if (!r.closed) out.push_back(r);
  }
  return out;
}

Status IdentityService::CloseReview(const std::string& admin_session, uint64_t review_id) {
  std::lock_guard l(mu_);
  VIGIL_ASSIGN_OR_RETURN(Session admin, AdminSession(admin_session));
  for (auto& r : state_->reviews) {
    if (r.id != review_id) continue;
    if (r.closed) return FailedPreconditionError("review already closed");
    r.closed = true;
    r.closed_by = admin.account;
    VIGIL_RETURN_IF_ERROR(Save());
    return Audit(Action::kBreakGlassReview, Outcome::kSuccess, admin.account, admin.role,
                 "emergency access reviewed", "", {"review:" + std::to_string(r.id), r.account});
  }
  return NotFoundError("no review " + std::to_string(review_id));
}

}  // namespace vigil::identity
