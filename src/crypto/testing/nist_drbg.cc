#include "testing/nist_drbg.h"

#include <openssl/evp.h>

#include <cstring>

namespace vigil::crypto::testing {
namespace {

void AesEcb(const uint8_t key[32], const uint8_t in[16], uint8_t out[16]) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0;
  EVP_EncryptInit_ex(ctx, EVP_aes_256_ecb(), nullptr, key, nullptr);
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  EVP_EncryptUpdate(ctx, out, &len, in, 16);
  EVP_CIPHER_CTX_free(ctx);
}

void Increment(std::array<uint8_t, 16>& v) {
  for (int i = 15; i >= 0; --i) {
    if (++v[i] != 0) break;
  }
}

}  // namespace

NistKatDrbg::NistKatDrbg(ByteView seed48) { Update(seed48.data()); }

void NistKatDrbg::Update(const uint8_t* provided) {
  uint8_t temp[48];
  for (int i = 0; i < 3; ++i) {
    Increment(v_);
    AesEcb(key_.data(), v_.data(), temp + 16 * i);
  }
  if (provided != nullptr) {
    for (int i = 0; i < 48; ++i) temp[i] ^= provided[i];
  }
  std::memcpy(key_.data(), temp, 32);
  std::memcpy(v_.data(), temp + 32, 16);
}

Bytes NistKatDrbg::Generate(size_t n) {
  Bytes out;
  uint8_t block[16];
  while (out.size() < n) {
    Increment(v_);
    AesEcb(key_.data(), v_.data(), block);
    out.insert(out.end(), block, block + std::min<size_t>(16, n - out.size()));
  }
  Update(nullptr);
  return out;
}

}  // namespace vigil::crypto::testing
