#include "internal/gcm_long_iv.h"

#include <openssl/evp.h>

#include <array>
#include <cstring>

#include "internal/openssl_util.h"

namespace vigil::crypto::internal {
namespace {

using Block = std::array<uint8_t, 16>;

// X · Y in GF(2^128) with GCM's bit order (SP 800-38D §6.3, Algorithm 1), branch-free.
Block GfMul(const Block& x, const Block& y) {
  uint64_t zh = 0, zl = 0;
  uint64_t vh = 0, vl = 0;
  for (int i = 0; i < 8; ++i) vh = (vh << 8) | y[i];
  for (int i = 8; i < 16; ++i) vl = (vl << 8) | y[i];
  for (int i = 0; i < 128; ++i) {
    uint64_t bit = (x[i / 8] >> (7 - i % 8)) & 1;
    uint64_t mask = 0 - bit;
    zh ^= vh & mask;
    zl ^= vl & mask;
    uint64_t lsb = vl & 1;
    vl = (vl >> 1) | (vh << 63);
    vh = (vh >> 1) ^ ((0 - lsb) & 0xe100000000000000ULL);
  }
  Block z;
  for (int i = 0; i < 8; ++i) z[i] = static_cast<uint8_t>(zh >> (56 - 8 * i));
  for (int i = 0; i < 8; ++i) z[8 + i] = static_cast<uint8_t>(zl >> (56 - 8 * i));
  return z;
}

void GhashUpdate(Block& y, const Block& h, ByteView data) {
  for (size_t off = 0; off < data.size(); off += 16) {
    size_t n = std::min<size_t>(16, data.size() - off);
    for (size_t i = 0; i < n; ++i) y[i] ^= data[off + i];
    y = GfMul(y, h);
  }
}

void GhashLengths(Block& y, const Block& h, uint64_t a_bits, uint64_t b_bits) {
  Block len{};
  for (int i = 0; i < 8; ++i) len[i] = static_cast<uint8_t>(a_bits >> (56 - 8 * i));
  for (int i = 0; i < 8; ++i) len[8 + i] = static_cast<uint8_t>(b_bits >> (56 - 8 * i));
  GhashUpdate(y, h, len);
}

Result<Bytes> AesEcb(const SecretBytes& key, ByteView blocks) {
  const char* name = key.size() == 16 ? "AES-128-ECB" : key.size() == 24 ? "AES-192-ECB"
                                                                         : "AES-256-ECB";
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, name, nullptr);
  Bytes out(blocks.size() + 16);
  int len = 0;
  bool ok = ctx && cipher &&
            EVP_EncryptInit_ex(ctx.get(), cipher, nullptr, key.Reveal().data(), nullptr) == 1 &&
            EVP_CIPHER_CTX_set_padding(ctx.get(), 0) == 1 &&
            EVP_EncryptUpdate(ctx.get(), out.data(), &len, blocks.data(),
                              static_cast<int>(blocks.size())) == 1;
  EVP_CIPHER_free(cipher);
  if (!ok) return OpensslError("aes-ecb");
  out.resize(static_cast<size_t>(len));
  return out;
}

// Encrypts or decrypts `in` with GCTR from inc32(J0), and returns E_K(J0) for the tag.
Result<std::pair<Bytes, Block>> Gctr(const SecretBytes& key, const Block& j0, ByteView in) {
  const size_t blocks = (in.size() + 15) / 16 + 1;
  Bytes counters(blocks * 16);
  uint32_t ctr = (uint32_t{j0[12]} << 24) | (uint32_t{j0[13]} << 16) | (uint32_t{j0[14]} << 8) | j0[15];
  for (size_t b = 0; b < blocks; ++b) {
    std::memcpy(counters.data() + 16 * b, j0.data(), 12);
    uint32_t c = ctr + static_cast<uint32_t>(b);  // inc32: wraps modulo 2^32
    for (int i = 0; i < 4; ++i) counters[16 * b + 12 + i] = static_cast<uint8_t>(c >> (24 - 8 * i));
  }
  VIGIL_ASSIGN_OR_RETURN(Bytes stream, AesEcb(key, counters));
  Block ek_j0;
  std::memcpy(ek_j0.data(), stream.data(), 16);
  Bytes out(in.size());
  for (size_t i = 0; i < in.size(); ++i) out[i] = in[i] ^ stream[16 + i];
  return std::make_pair(std::move(out), ek_j0);
}

Result<std::pair<Block, Block>> HashKeyAndJ0(const SecretBytes& key, ByteView iv) {
  VIGIL_ASSIGN_OR_RETURN(Bytes h_bytes, AesEcb(key, Bytes(16, 0)));
  Block h;
  std::memcpy(h.data(), h_bytes.data(), 16);
  Block j0{};
  GhashUpdate(j0, h, iv);
  GhashLengths(j0, h, 0, static_cast<uint64_t>(iv.size()) * 8);
  return std::make_pair(h, j0);
}

Block Tag(const Block& h, const Block& ek_j0, ByteView aad, ByteView ct) {
  Block s{};
  GhashUpdate(s, h, aad);
  GhashUpdate(s, h, ct);
  GhashLengths(s, h, static_cast<uint64_t>(aad.size()) * 8, static_cast<uint64_t>(ct.size()) * 8);
  for (int i = 0; i < 16; ++i) s[i] ^= ek_j0[i];
  return s;
}

}  // namespace

Result<Bytes> GcmLongIvSeal(const SecretBytes& key, ByteView iv, ByteView plaintext, ByteView aad) {
  VIGIL_ASSIGN_OR_RETURN(auto hj, HashKeyAndJ0(key, iv));
  VIGIL_ASSIGN_OR_RETURN(auto ct, Gctr(key, hj.second, plaintext));
  Block tag = Tag(hj.first, ct.second, aad, ct.first);
  Bytes out = std::move(ct.first);
  out.insert(out.end(), tag.begin(), tag.end());
  return out;
}

Result<Bytes> GcmLongIvOpen(const SecretBytes& key, ByteView iv, ByteView sealed, ByteView aad) {
  if (sealed.size() < 16) return UnauthenticatedError("aes-gcm: ciphertext shorter than the tag");
  ByteView ct = sealed.first(sealed.size() - 16);
  VIGIL_ASSIGN_OR_RETURN(auto hj, HashKeyAndJ0(key, iv));
  VIGIL_ASSIGN_OR_RETURN(auto pt, Gctr(key, hj.second, ct));
  Block tag = Tag(hj.first, pt.second, aad, ct);
  if (CRYPTO_memcmp(tag.data(), sealed.data() + ct.size(), 16) != 0) {
    SecureZero(pt.first);
    return UnauthenticatedError("aead: authentication tag does not verify");
  }
  return std::move(pt.first);
}

}  // namespace vigil::crypto::internal
