// The pump's security state and its life from the factory to first use, with no default
// credential at any point (FDA AUTH-5):
//
//  - Manufacture (at the factory): a device key (ECDSA P-256) and its certificate from the
//    manufacturer CA (vigil/identity/device_cert.h), the manufacturer CA certificate the pump
//    will trust for client certificates, an identity store holding only the hash of a one-time
//    provisioning secret (returned once, for the device label), an empty vault whose key-
//    encryption key sits in the secure element, the audit log and its checkpoint signing key
//    (Ed25519, kept in the vault). No account exists.
//  - Provision (at the hospital, first use): the provisioning secret and the first
//    administrator's own password make the administrator account (its TOTP enrolment must then
//    be confirmed with a first code), the secret is destroyed, and the hospital's drug-library
//    key is generated into the vault.
//  - Decommission (end of life, or before the pump leaves the hospital): crypto-erase of the
//    vault (its KEK destroyed in the secure element, every wrapped data key overwritten), of the
//    identity store's key, and removal of the device key; audited and checkpointed. The folder
//    then keeps only what is not secret (device.json, the audit log and its verifier key, the
//    certificates) and Open refuses it: the pump is manufactured again into a new state folder.
//
// Every step is recorded in the audit log; CheckpointAudit() signs a C2SP checkpoint of it, which
// `vigil log verify --dir STATE/audit --vkey "$(cat STATE/audit.vkey)"` checks end to end.
//
// The state folder (mode 0700):
//   device.json             device id (format vigil-pump-device/1)
//   identity.json           accounts, TOTP secrets sealed under the secure element's key
//   vault.sqlite            keys and (later) patient and therapy records, encrypted at rest
//   se/                     the simulated secure element (simulated_secure_element.h)
//   audit/, audit.vkey      the tamper-evident log, its checkpoint, the verifier key
//   tls/ca.pem, tls/device.pem, tls/device.key (0600)
//   decommissioned          written by Decommission: the pump no longer opens
//
// Thread-safety: the components are thread-safe (identity, vault, audit log); Device itself adds
// no state after Open except the checkpoint writer, which CheckpointAudit serialises.
#ifndef PUMP_DEVICE_H_
#define PUMP_DEVICE_H_

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "simulated_secure_element.h"
#include "vigil/audit/checkpoint.h"
#include "vigil/audit/event_sink.h"
#include "vigil/audit/tile_log.h"
#include "vigil/core/env.h"
#include "vigil/crypto/secret_bytes.h"
#include "vigil/crypto/signature.h"
#include "vigil/identity/device_cert.h"
#include "vigil/identity/identity_service.h"
#include "vigil/vault/vault.h"

namespace pump {

// The vault records the pump keeps its own keys in (table "keys").
inline constexpr const char* kKeysTable = "keys";
inline constexpr const char* kLibraryKeyId = "drug-library-mac";
inline constexpr const char* kCheckpointKeyId = "audit-checkpoint-ed25519";
// The secure element's slot holding the vault's key-encryption key.
inline constexpr const char* kVaultKekSlot = "vault-kek";

// Paths inside a state folder.
struct DeviceLayout {
  explicit DeviceLayout(std::string dir) : dir(std::move(dir)) {}
  std::string Path(std::string_view name) const { return vigil::JoinPath(dir, name); }
  std::string device_json() const { return Path("device.json"); }
  std::string identity() const { return Path("identity.json"); }
  std::string vault() const { return Path("vault.sqlite"); }
  std::string secure_element() const { return Path("se"); }
  std::string audit() const { return Path("audit"); }
  std::string vkey() const { return Path("audit.vkey"); }
  std::string ca_cert() const { return Path("tls/ca.pem"); }
  std::string device_cert() const { return Path("tls/device.pem"); }
  std::string device_key() const { return Path("tls/device.key"); }
  std::string decommissioned() const { return Path("decommissioned"); }
  std::string dir;
};

// Emergency access on this pump: how long a break-glass session lasts (the access policy's
// max_minutes at most) and what sounds when one opens.
struct BreakGlassOptions {
  int minutes = 30;
  std::function<void(const std::string& account, const std::string& reason)> alert;
};

// What the identity store is opened with on this pump (the secure element's key is added by
// Device). Tests may lower the Argon2id cost; a real pump keeps the default.
vigil::identity::IdentityOptions DefaultIdentityOptions(const std::string& device_id);

class Device {
 public:
  // Creates the state folder `dir` for device `device_id` (an identifier: [A-Za-z0-9._-], 1..64)
  // with a device certificate from `ca_key`/`ca_cert_pem` valid for `validity_days` from now
  // (825 by default: the longest a TLS server certificate should live; renewal is the
  // manufacturer's to build) carrying `cert_options` (host names, CRL distribution point), and
  // returns the one-time provisioning secret. AlreadyExists if `dir` holds a device already.
  static vigil::Result<vigil::crypto::SecretBytes> Manufacture(
      vigil::Env& env, const std::string& dir, const std::string& device_id,
      const vigil::crypto::SigningKey& ca_key, const std::string& ca_cert_pem,
      int validity_days = 825, const vigil::identity::Argon2Params* argon = nullptr,
      const vigil::identity::DeviceCertOptions& cert_options = {});

  // Opens a manufactured device. NotFound if `dir` holds none; FailedPrecondition if it was
  // decommissioned; the components' own errors (a locked secure element: Unavailable) otherwise.
  static vigil::Result<std::unique_ptr<Device>> Open(
      vigil::Env& env, const std::string& dir, const vigil::identity::Argon2Params* argon = nullptr,
      const BreakGlassOptions& break_glass = {});

  ~Device();

  // First use: identity's Provision (its errors), then the drug-library key into the vault
  // (FailedPrecondition if it already exists). Returns the administrator's TOTP enrolment.
  vigil::Result<vigil::identity::Enrolment> Provision(const vigil::crypto::SecretBytes& secret,
                                                      const std::string& admin_id,
                                                      const vigil::crypto::SecretBytes& password,
                                                      const std::string& source);

  // The drug-library key (NotFound before provisioning).
  vigil::Result<vigil::crypto::SecretBytes> LibraryKey();

  // Signs a checkpoint of the audit log as it is now and returns the signed note (also kept in
  // STATE/audit/checkpoint). The CheckpointWriter refuses a log that was rolled back.
  vigil::Result<std::string> CheckpointAudit();

  // Decommission (see above), on the order of `actor` (role `role`, from `source`): recorded
  // first (kDecommission), then the vault crypto-erased, the identity key zeroised, the identity
  // store and the device key removed (each kCryptoErase), the marker written and a last
  // checkpoint signed with the checkpoint key read before the erase. Returns that checkpoint.
  // Irreversible; afterwards every component fails (the caller stops serving).
  vigil::Result<std::string> Decommission(const std::string& actor, vigil::audit::Role role,
                                          const std::string& source);

  const std::string& device_id() const { return device_id_; }
  vigil::Env& env() { return env_; }
  const DeviceLayout& layout() const { return layout_; }
  vigil::identity::IdentityService& identity() { return *identity_; }
  vigil::vault::Vault& vault() { return *vault_; }
  vigil::audit::EventSink& audit() { return *sink_; }
  vigil::audit::TileLog& audit_log() { return *log_; }
  SimulatedSecureElement& secure_element() { return *se_; }

 private:
  Device(vigil::Env& env, DeviceLayout layout) : env_(env), layout_(std::move(layout)) {}
  vigil::Status OpenComponents(const vigil::identity::Argon2Params* argon,
                               const BreakGlassOptions& break_glass);
  vigil::Result<std::string> SignCheckpoint(vigil::audit::NoteSigner& signer);

  vigil::Env& env_;
  DeviceLayout layout_;
  std::string device_id_;
  std::unique_ptr<SimulatedSecureElement> se_;
  std::unique_ptr<vigil::vault::HardwareKekSource> kek_;
  std::unique_ptr<vigil::audit::TileLog> log_;
  std::unique_ptr<vigil::audit::AuditLogSink> sink_;
  std::unique_ptr<vigil::vault::Vault> vault_;
  std::unique_ptr<vigil::identity::IdentityService> identity_;
  std::mutex checkpoint_mu_;
};

}  // namespace pump

#endif  // PUMP_DEVICE_H_
