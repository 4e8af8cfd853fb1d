#include "vigil/crypto/secret_bytes.h"

#include <openssl/crypto.h>

namespace vigil::crypto {

SecretBytes::SecretBytes(size_t n) : data_(n, 0) {}

SecretBytes SecretBytes::CopyFrom(ByteView data) {
  SecretBytes s(data.size());
  std::copy(data.begin(), data.end(), s.data_.begin());
  return s;
}

SecretBytes::~SecretBytes() { Wipe(); }

SecretBytes::SecretBytes(const SecretBytes& other) : data_(other.data_) {}

SecretBytes& SecretBytes::operator=(const SecretBytes& other) {
  if (this != &other) {
    Wipe();
    data_ = other.data_;
  }
  return *this;
}

// A moved-from vector may keep its buffer in some implementations; take the buffer by swap and
// wipe what we leave behind, so no copy of the secret outlives its owner.
SecretBytes::SecretBytes(SecretBytes&& other) noexcept { data_.swap(other.data_); }

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Wipe();
    data_.swap(other.data_);
    other.Wipe();
  }
  return *this;
}

bool SecretBytes::Equals(const SecretBytes& other) const {
  return ConstantTimeEquals(Reveal(), other.Reveal());
}

void SecretBytes::Wipe() {
  if (!data_.empty()) OPENSSL_cleanse(data_.data(), data_.size());
  data_.clear();
}

void SecureZero(std::span<uint8_t> buf) {
  if (!buf.empty()) OPENSSL_cleanse(buf.data(), buf.size());
}

bool ConstantTimeEquals(ByteView a, ByteView b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace vigil::crypto
