// SecretBytes: key material and other secrets. Zeroised on destruction and on move-from, never
// printable (no operator<<, no implicit conversion to bytes or strings); reading the bytes is an
// explicit, greppable call: secret.Reveal().
//
// Thread-safety: a value type; distinct objects may be used from distinct threads.
#ifndef VIGIL_CRYPTO_SECRET_BYTES_H_
#define VIGIL_CRYPTO_SECRET_BYTES_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "vigil/core/bytes.h"

namespace vigil::crypto {

class SecretBytes {
 public:
  SecretBytes() = default;
  // `n` zero bytes, to be filled through MutableReveal().
  explicit SecretBytes(size_t n);
  // Copies `data` in. The caller remains responsible for wiping its own copy.
  static SecretBytes CopyFrom(ByteView data);
  ~SecretBytes();

  SecretBytes(const SecretBytes& other);
  SecretBytes& operator=(const SecretBytes& other);
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;

  size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }

  // Explicit access to the secret. Do not log, print or store the result.
  ByteView Reveal() const { return {data_.data(), data_.size()}; }
  std::span<uint8_t> MutableReveal() { return {data_.data(), data_.size()}; }

  // Constant-time equality (length is not secret).
  bool Equals(const SecretBytes& other) const;

 private:
  void Wipe();
  std::vector<uint8_t> data_;
};

// Overwrites `buf` with zeros in a way the compiler may not elide (OPENSSL_cleanse).
void SecureZero(std::span<uint8_t> buf);

// Constant-time comparison: time depends on the lengths only, not on the contents.
bool ConstantTimeEquals(ByteView a, ByteView b);

}  // namespace vigil::crypto

#endif  // VIGIL_CRYPTO_SECRET_BYTES_H_
