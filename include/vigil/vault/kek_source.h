// Where the vault's key-encryption key (KEK) lives.
//
// The vault never stores its KEK in the database: it keeps only a check value (an HMAC under the
// KEK) to recognise the right key. A KekSource loads the KEK, replaces it during rotation and
// destroys it for crypto-erase. Two sources ship:
//  - PassphraseKekFile (passphrase_kek_file.h): the KEK sealed in a file under a key derived
//    from a passphrase with Argon2id;
//  - HardwareKekSource (below): the KEK held in a slot of a hardware key store (secure element,
//    TPM NV index, HSM), reached through the HardwareKeyStore interface a platform implements.
//
// Contract every source keeps (the vault's crash safety depends on it):
//  - StoreKek is atomic: after a power cut LoadKek returns either the old or the new key, never
//    a mix and never nothing;
//  - DestroyKek is idempotent and, once it returns OK, LoadKek fails with NotFound for good.
//
// Thread-safety: implementations need not be thread-safe; the vault calls them under its lock.
#ifndef VIGIL_VAULT_KEK_SOURCE_H_
#define VIGIL_VAULT_KEK_SOURCE_H_

#include <string>
#include <string_view>

#include "vigil/core/result.h"
#include "vigil/crypto/secret_bytes.h"

namespace vigil::vault {

class KekSource {
 public:
  static constexpr size_t kKekSize = 32;  // AES-256 key wrap

  virtual ~KekSource() = default;
  // The current KEK (kKekSize bytes). NotFound when none was stored or it was destroyed;
  // Unauthenticated when the source cannot unseal it (wrong passphrase, tampered file);
  // Unavailable on I/O failure.
  virtual Result<crypto::SecretBytes> LoadKek() = 0;
  // Replaces the KEK atomically and durably. InvalidArgument unless kek is kKekSize bytes.
  virtual Status StoreKek(const crypto::SecretBytes& kek) = 0;
  // Destroys the KEK (NIST SP 800-88 cryptographic erase of the key). Idempotent.
  virtual Status DestroyKek() = 0;
  // A short description for messages and audit object ids ("kek-file:/data/vault.kek").
  virtual std::string Describe() const = 0;
};

// A hardware module that stores raw keys in named slots and can zeroise them: the platform's
// secure element, a TPM 2.0 NV index (sealed to the boot state), or an HSM. Implementations live
// with the platform; tests use an in-memory one.
//
// Security property expected of a real module: keys survive reboot, cannot be read by other
// processes, and ZeroizeKey overwrites the key in the module's own storage.
class HardwareKeyStore {
 public:
  virtual ~HardwareKeyStore() = default;
  // NotFound when the slot is empty or zeroised; Unavailable when the module does not answer.
  virtual Result<crypto::SecretBytes> ReadKey(std::string_view slot) = 0;
  // Atomic replacement of the slot's content.
  virtual Status WriteKey(std::string_view slot, const crypto::SecretBytes& key) = 0;
  // Erases the slot; OK when it is already empty.
  virtual Status ZeroizeKey(std::string_view slot) = 0;
  // Identifies the module ("tpm2:/dev/tpmrm0", "se050", "sim").
  virtual std::string Name() const = 0;
};

// The KEK in one slot of a HardwareKeyStore. The store must outlive this object.
class HardwareKekSource final : public KekSource {
 public:
  HardwareKekSource(HardwareKeyStore& store, std::string slot)
      : store_(store), slot_(std::move(slot)) {}

  // DataLoss when the slot holds a key of the wrong size.
  Result<crypto::SecretBytes> LoadKek() override;
  Status StoreKek(const crypto::SecretBytes& kek) override;
  Status DestroyKek() override;
  std::string Describe() const override;

 private:
  HardwareKeyStore& store_;
  std::string slot_;
};

}  // namespace vigil::vault

#endif  // VIGIL_VAULT_KEK_SOURCE_H_
