#include "device.h"

#include <algorithm>

#include "drug_library.h"
#include "vigil/core/encoding.h"
#include "vigil/core/json.h"
#include "vigil/core/json_writer.h"
#include "vigil/crypto/ed25519.h"
#include "vigil/crypto/key_file.h"
#include "vigil/identity/device_cert.h"

namespace pump {
namespace {

using vigil::Env;
using vigil::Result;
using vigil::Status;
using vigil::crypto::SecretBytes;
namespace audit = vigil::audit;

constexpr const char* kIdentityKeySlot = "identity-key";
constexpr const char* kDeviceFormat = "vigil-pump-device/1";

Status CheckDeviceId(const std::string& id) {
  const bool ok = !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
  if (ok) return vigil::OkStatus();
  return vigil::InvalidArgumentError("device id \"" + vigil::OneLine(id) +
                                     "\": expected 1 to 64 of [A-Za-z0-9._-]");
}

std::string Origin(const std::string& device_id) { return "vigil-pump/" + device_id + "/audit"; }

Status Record(audit::EventSink& sink, const std::string& device_id, audit::Action action,
              const std::string& actor, audit::Role role, std::vector<std::string> objects,
              audit::Interface interface = audit::Interface::kServicePort,
              const std::string& source = "") {
  audit::Event e;
  e.device_id = device_id;
  e.actor_id = actor;
  e.actor_role = role;
  e.action = action;
  e.interface = interface;
  e.source = source;
  e.object_ids = std::move(objects);
  return sink.Record(std::move(e));
}

Result<std::string> ReadDeviceId(Env& env, const DeviceLayout& layout) {
  const std::string path = layout.device_json();
  if (!env.FileExists(path))
    return vigil::NotFoundError(layout.dir + ": no manufactured pump here");
  VIGIL_ASSIGN_OR_RETURN(vigil::Bytes text, env.ReadFileLimited(path, 4096, "a pump device file"));
  VIGIL_ASSIGN_OR_RETURN(vigil::json::Value doc,
                         vigil::json::Parse(vigil::AsStringView(text), path));
  vigil::json::Node root(doc, path);
  VIGIL_RETURN_IF_ERROR(root.RefuseUnknown({"format", "device_id"}));
  VIGIL_ASSIGN_OR_RETURN(std::string format, root.Get("format").String());
  if (format != kDeviceFormat)
    return root.Get("format").Invalid("expected \"" + std::string(kDeviceFormat) + "\"");
  VIGIL_ASSIGN_OR_RETURN(std::string id, root.Get("device_id").String());
  VIGIL_RETURN_IF_ERROR(CheckDeviceId(id));
  return id;
}

// The device key and certificate, and the CA certificate the pump trusts.
Status WriteTls(Env& env, const DeviceLayout& layout, const std::string& device_id,
                const vigil::crypto::SigningKey& ca_key, const std::string& ca_cert_pem,
                int validity_days, const vigil::identity::DeviceCertOptions& cert_options) {
  VIGIL_ASSIGN_OR_RETURN(
      auto key, vigil::crypto::GenerateSigningKey(vigil::crypto::AlgorithmId::kEcdsaP256Sha256));
  const int64_t now = env.NowUnixMicros() / 1'000'000;
  vigil::identity::CertValidity validity{now - 3600, now + int64_t{validity_days} * 86400};
  VIGIL_ASSIGN_OR_RETURN(std::string cert, vigil::identity::IssueDeviceCertificate(
                                               ca_key, ca_cert_pem, *key->PublicKey(), device_id,
                                               validity, env, cert_options));
  VIGIL_RETURN_IF_ERROR(env.CreateDir(vigil::DirName(layout.device_key())));
  VIGIL_RETURN_IF_ERROR(vigil::crypto::WritePrivateKeyFile(env, layout.device_key(), *key));
  VIGIL_RETURN_IF_ERROR(env.WriteFileAtomic(layout.device_cert(), vigil::AsBytes(cert)));
  VIGIL_RETURN_IF_ERROR(env.WriteFileAtomic(layout.ca_cert(), vigil::AsBytes(ca_cert_pem)));
  VIGIL_RETURN_IF_ERROR(env.SetFileMode(layout.device_cert(), 0644));
  return env.SetFileMode(layout.ca_cert(), 0644);
}

Result<std::unique_ptr<audit::NoteSigner>> CheckpointSigner(vigil::vault::Vault& vault,
                                                            const std::string& device_id) {
  VIGIL_ASSIGN_OR_RETURN(vigil::vault::Record seed, vault.Get(kKeysTable, kCheckpointKeyId));
  SecretBytes secret = SecretBytes::CopyFrom(seed.plaintext);
  vigil::crypto::SecureZero(seed.plaintext);
  VIGIL_ASSIGN_OR_RETURN(auto key, vigil::crypto::Ed25519FromSeed(secret));
  return audit::NoteSigner::Create(Origin(device_id), std::move(key));
}

Result<SecretBytes> NewKey(Env& env, size_t n) {
  SecretBytes key(n);
  VIGIL_RETURN_IF_ERROR(env.FillRandom(key.MutableReveal()));
  return key;
}

}  // namespace

vigil::identity::IdentityOptions DefaultIdentityOptions(const std::string& device_id) {
  vigil::identity::IdentityOptions options;
  options.device_id = device_id;
  options.issuer = "Vigil pump " + device_id;
  return options;
}

Result<SecretBytes> Device::Manufacture(Env& env, const std::string& dir,
                                        const std::string& device_id,
                                        const vigil::crypto::SigningKey& ca_key,
                                        const std::string& ca_cert_pem, int validity_days,
                                        const vigil::identity::Argon2Params* argon,
                                        const vigil::identity::DeviceCertOptions& cert_options) {
  DeviceLayout layout(dir);
  VIGIL_RETURN_IF_ERROR(CheckDeviceId(device_id));
  if (env.FileExists(layout.device_json()) || env.FileExists(layout.identity())) {
    return vigil::AlreadyExistsError(dir + ": already holds a manufactured pump");
  }
  VIGIL_RETURN_IF_ERROR(env.CreateDir(dir));
  VIGIL_RETURN_IF_ERROR(env.SetFileMode(dir, 0700));
  SimulatedSecureElement se(env, layout.secure_element());
  VIGIL_ASSIGN_OR_RETURN(SecretBytes identity_key, NewKey(env, 32));
  VIGIL_RETURN_IF_ERROR(se.WriteKey(kIdentityKeySlot, identity_key));
  VIGIL_RETURN_IF_ERROR(
      WriteTls(env, layout, device_id, ca_key, ca_cert_pem, validity_days, cert_options));

  VIGIL_ASSIGN_OR_RETURN(auto log, audit::TileLog::Open(env, layout.audit()));
  audit::AuditLogSink sink(*log, env);
  vigil::vault::HardwareKekSource kek(se, kVaultKekSlot);
  vigil::vault::VaultOptions vault_options;
  vault_options.path = layout.vault();
  vault_options.device_id = device_id;
  VIGIL_ASSIGN_OR_RETURN(auto vault, vigil::vault::Vault::Create(vault_options, kek, sink, env));
  VIGIL_ASSIGN_OR_RETURN(auto checkpoint_key,
                         vigil::crypto::GenerateSigningKey(vigil::crypto::AlgorithmId::kEd25519));
  VIGIL_ASSIGN_OR_RETURN(SecretBytes seed, vigil::crypto::Ed25519Seed(*checkpoint_key));
  VIGIL_RETURN_IF_ERROR(vault->Put(kKeysTable, kCheckpointKeyId, seed.Reveal()));
  VIGIL_ASSIGN_OR_RETURN(auto signer,
                         audit::NoteSigner::Create(Origin(device_id), std::move(checkpoint_key)));
  VIGIL_RETURN_IF_ERROR(
      env.WriteFileAtomic(layout.vkey(), vigil::AsBytes(signer->VerifierKey() + "\n")));
  VIGIL_RETURN_IF_ERROR(env.SetFileMode(layout.vkey(), 0644));
  VIGIL_RETURN_IF_ERROR(Record(sink, device_id, audit::Action::kKeyGenerate, "factory",
                               audit::Role::kManufacturerService,
                               {"device-key", "device-cert", kCheckpointKeyId}));

  vigil::identity::IdentityOptions options = DefaultIdentityOptions(device_id);
  if (argon != nullptr) options.argon = *argon;
  VIGIL_ASSIGN_OR_RETURN(SecretBytes secret, vigil::identity::IdentityService::Manufacture(
                                                 env, layout.identity(), options));
  // device.json last: a folder without it is a manufacture that did not finish.
  vigil::json::Value doc =
      vigil::json::Value::MakeObject({{"format", kDeviceFormat}, {"device_id", device_id}});
  VIGIL_RETURN_IF_ERROR(
      env.WriteFileAtomic(layout.device_json(), vigil::AsBytes(vigil::json::Write(doc, 2) + "\n")));
  return secret;
}

Result<std::unique_ptr<Device>> Device::Open(Env& env, const std::string& dir,
                                             const vigil::identity::Argon2Params* argon,
                                             const BreakGlassOptions& break_glass) {
  std::unique_ptr<Device> device(new Device(env, DeviceLayout(dir)));
  VIGIL_ASSIGN_OR_RETURN(device->device_id_, ReadDeviceId(env, device->layout_));
  if (env.FileExists(device->layout_.decommissioned())) {
    return vigil::FailedPreconditionError(
        dir + ": pump " + device->device_id_ +
        " was decommissioned (its keys crypto-erased); manufacture it again into a new state "
        "folder (pumpd factory device) and provision it");
  }
  VIGIL_RETURN_IF_ERROR(device->OpenComponents(argon, break_glass));
  return device;
}

Status Device::OpenComponents(const vigil::identity::Argon2Params* argon,
                              const BreakGlassOptions& break_glass) {
  se_ = std::make_unique<SimulatedSecureElement>(env_, layout_.secure_element());
  VIGIL_ASSIGN_OR_RETURN(log_, audit::TileLog::Open(env_, layout_.audit()));
  sink_ = std::make_unique<audit::AuditLogSink>(*log_, env_);
  kek_ = std::make_unique<vigil::vault::HardwareKekSource>(*se_, kVaultKekSlot);
  vigil::vault::VaultOptions vault_options;
  vault_options.path = layout_.vault();
  vault_options.device_id = device_id_;
  VIGIL_ASSIGN_OR_RETURN(vault_, vigil::vault::Vault::Open(vault_options, *kek_, *sink_, env_));
  vigil::identity::IdentityOptions options = DefaultIdentityOptions(device_id_);
  if (argon != nullptr) options.argon = *argon;
  options.break_glass_minutes = break_glass.minutes;
  options.alert = break_glass.alert;
  VIGIL_ASSIGN_OR_RETURN(options.state_key, se_->ReadKey(kIdentityKeySlot));
  VIGIL_ASSIGN_OR_RETURN(identity_, vigil::identity::IdentityService::Open(
                                        env_, layout_.identity(), *sink_, std::move(options)));
  return vigil::OkStatus();
}

Device::~Device() = default;

Result<vigil::identity::Enrolment> Device::Provision(const SecretBytes& secret,
                                                     const std::string& admin_id,
                                                     const SecretBytes& password,
                                                     const std::string& source) {
  VIGIL_ASSIGN_OR_RETURN(vigil::identity::Enrolment enrolment,
                         identity_->Provision(secret, admin_id, password, source));
  Result<vigil::vault::Record> existing = vault_->Get(kKeysTable, kLibraryKeyId);
  if (existing) return vigil::FailedPreconditionError("drug-library key: already generated");
  if (existing.error().code() != vigil::ErrorCode::kNotFound) return existing.error();
  VIGIL_ASSIGN_OR_RETURN(SecretBytes library_key, NewKey(env_, DrugLibrary::kKeyBytes));
  VIGIL_RETURN_IF_ERROR(vault_->Put(kKeysTable, kLibraryKeyId, library_key.Reveal()));
  VIGIL_RETURN_IF_ERROR(Record(*sink_, device_id_, audit::Action::kKeyGenerate, admin_id,
                               audit::Role::kAdministrator, {kLibraryKeyId}));
  return enrolment;
}

Result<SecretBytes> Device::LibraryKey() {
  VIGIL_ASSIGN_OR_RETURN(vigil::vault::Record record, vault_->Get(kKeysTable, kLibraryKeyId));
  SecretBytes key = SecretBytes::CopyFrom(record.plaintext);
  vigil::crypto::SecureZero(record.plaintext);
  return key;
}

Result<std::string> Device::CheckpointAudit() {
  std::lock_guard lock(checkpoint_mu_);
  VIGIL_ASSIGN_OR_RETURN(auto signer, CheckpointSigner(*vault_, device_id_));
  return SignCheckpoint(*signer);
}

Result<std::string> Device::SignCheckpoint(audit::NoteSigner& signer) {
  VIGIL_RETURN_IF_ERROR(log_->PublishPartialTiles());
  audit::CheckpointWriter writer(env_, vigil::JoinPath(layout_.audit(), "checkpoint"),
                                 Origin(device_id_), {&signer});
  VIGIL_ASSIGN_OR_RETURN(vigil::audit::Hash root, log_->Root());
  return writer.Sign(log_->size(), root, [&](uint64_t n) { return log_->RootAt(n); });
}

Result<std::string> Device::Decommission(const std::string& actor, audit::Role role,
                                         const std::string& source) {
  std::lock_guard lock(checkpoint_mu_);
  // The checkpoint key lives in the vault: read before the erase, it signs the last checkpoint,
  // which covers the erase itself, and goes with this object.
  VIGIL_ASSIGN_OR_RETURN(auto signer, CheckpointSigner(*vault_, device_id_));
  const audit::Interface network = audit::Interface::kNetwork;
  VIGIL_RETURN_IF_ERROR(Record(*sink_, device_id_, audit::Action::kDecommission, actor, role,
                               {device_id_}, network, source));
  VIGIL_RETURN_IF_ERROR(vault_->CryptoErase());  // records its own kCryptoErase
  VIGIL_RETURN_IF_ERROR(se_->ZeroizeKey(kIdentityKeySlot));
  VIGIL_RETURN_IF_ERROR(env_.RemoveFile(layout_.identity()));
  VIGIL_RETURN_IF_ERROR(env_.RemoveFile(layout_.device_key()));
  VIGIL_RETURN_IF_ERROR(Record(*sink_, device_id_, audit::Action::kCryptoErase, actor, role,
                               {kIdentityKeySlot, "identity-store", "device-key"}, network,
                               source));
  vigil::json::Value marker =
      vigil::json::Value::MakeObject({{"device_id", device_id_},
                                      {"decommissioned_by", actor},
                                      {"unix_seconds", env_.NowUnixMicros() / 1'000'000}});
  VIGIL_RETURN_IF_ERROR(env_.WriteFileAtomic(layout_.decommissioned(),
                                             vigil::AsBytes(vigil::json::Write(marker, 2) + "\n")));
  return SignCheckpoint(*signer);
}

}  // namespace pump
