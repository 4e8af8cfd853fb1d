#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "vigil/core/encoding.h"
#include "vigil/crypto/key_wrap.h"

namespace vigil::crypto {
namespace {

Bytes Hex(const std::string& s) { return HexDecode(s).value(); }

TEST(AesKeyWrapperTest, Rfc3394Section4_6) {
  // RFC 3394 §4.6: 256 bits of key data with a 256-bit KEK.
  auto kek = SecretBytes::CopyFrom(
      Hex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"));
  auto cipher = AesKeyWrapper::Create(kek);
  ASSERT_TRUE(cipher);
  Bytes key = Hex("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F");
  Bytes expected =
      Hex("28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21");
  EXPECT_EQ(*cipher->Wrap(key), expected);
  auto back = cipher->Unwrap(expected);
  ASSERT_TRUE(back);
  EXPECT_EQ(Bytes(back->Reveal().begin(), back->Reveal().end()), key);
}

// Every Wycheproof aes_wrap case, all three KEK sizes, through the keyed wrapper (the free
// functions are the same code; key_wrap_wycheproof_test runs them too).
TEST(AesKeyWrapperTest, WycheproofAesWrapEveryKeySize) {
  std::ifstream in(std::string(VIGIL_DATA_DIR) + "/crypto/wycheproof/aes_wrap_test.json");
  ASSERT_TRUE(in) << "missing Wycheproof aes_wrap_test.json";
  auto doc = nlohmann::json::parse(in);
  int valid = 0, invalid = 0, acceptable = 0;
  for (const auto& group : doc["testGroups"]) {
    for (const auto& t : group["tests"]) {
      auto kek = SecretBytes::CopyFrom(Hex(t["key"]));
      auto cipher = AesKeyWrapper::Create(kek);
      ASSERT_TRUE(cipher);
      Bytes msg = Hex(t["msg"]);
      Bytes ct = Hex(t["ct"]);
      auto wrapped = cipher->Wrap(msg);
      auto unwrapped = cipher->Unwrap(ct);
      bool wrap_matches = wrapped && *wrapped == ct;
      bool unwrap_matches =
          unwrapped && Bytes(unwrapped->Reveal().begin(), unwrapped->Reveal().end()) == msg;
      std::string result = t["result"];
      int id = t["tcId"];
      if (result == "valid") {
        ++valid;
        EXPECT_TRUE(wrap_matches) << "tcId " << id;
        EXPECT_TRUE(unwrap_matches) << "tcId " << id;
      } else if (result == "invalid") {
        ++invalid;
        EXPECT_FALSE(unwrap_matches) << "tcId " << id;
        EXPECT_FALSE(wrap_matches && !ct.empty()) << "tcId " << id;
      } else {
        ++acceptable;
        EXPECT_TRUE(!wrapped || wrap_matches) << "tcId " << id;
        EXPECT_TRUE(!unwrapped || unwrap_matches) << "tcId " << id;
      }
    }
  }
  std::printf("aes_wrap_test.json: %d cases (valid %d, invalid %d, acceptable %d)\n",
              valid + invalid + acceptable, valid, invalid, acceptable);
  EXPECT_GT(valid, 0);
  EXPECT_GT(invalid, 0);
}

// OpenSSL's own AES-WRAP cipher (its RFC 3394 implementation, independent of ours).
Bytes OpensslWrap(const SecretBytes& kek, ByteView key) {
  const char* names[] = {"AES-128-WRAP", "AES-192-WRAP", "AES-256-WRAP"};
  EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, names[(kek.size() - 16) / 8], nullptr);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  Bytes out(key.size() + 8);
  int len = 0, fin = 0;
  bool ok = EVP_EncryptInit_ex(ctx, cipher, nullptr, kek.Reveal().data(), nullptr) == 1 &&
            EVP_EncryptUpdate(ctx, out.data(), &len, key.data(), static_cast<int>(key.size())) ==
                1 &&
            EVP_EncryptFinal_ex(ctx, out.data() + len, &fin) == 1;
  EVP_CIPHER_CTX_free(ctx);
  EVP_CIPHER_free(cipher);
  EXPECT_TRUE(ok);
  out.resize(static_cast<size_t>(len + fin));
  return out;
}

TEST(AesKeyWrapperTest, MatchesOpensslAesWrapOnRandomKeys) {
  std::mt19937 rng(7);
  int cases = 0;
  for (size_t kek_len : {16u, 24u, 32u}) {
    for (size_t len = 16; len <= 64; len += 8) {
      for (int rep = 0; rep < 20; ++rep, ++cases) {
        SecretBytes kek(kek_len), key(len);
        for (auto& b : kek.MutableReveal()) b = static_cast<uint8_t>(rng());
        for (auto& b : key.MutableReveal()) b = static_cast<uint8_t>(rng());
        auto wrapper = AesKeyWrapper::Create(kek);
        ASSERT_TRUE(wrapper);
        Bytes ours = *wrapper->Wrap(key.Reveal());
        ASSERT_EQ(ours, OpensslWrap(kek, key.Reveal()));
        ASSERT_EQ(ours, *AesKeyWrap(kek, key));
        auto back = wrapper->Unwrap(ours);
        ASSERT_TRUE(back && back->Equals(key));
      }
    }
  }
  EXPECT_EQ(cases, 420);
}

TEST(AesKeyWrapperTest, RejectsBadSizesAndWrongKek) {
  EXPECT_EQ(AesKeyWrapper::Create(SecretBytes(20)).error().code(), ErrorCode::kInvalidArgument);
  auto cipher = AesKeyWrapper::Create(SecretBytes(32));
  ASSERT_TRUE(cipher);
  EXPECT_EQ(cipher->Wrap(Bytes(8)).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(cipher->Wrap(Bytes(20)).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(cipher->Unwrap(Bytes(16)).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(cipher->Unwrap(Bytes(41)).error().code(), ErrorCode::kInvalidArgument);
  Bytes wrapped = *cipher->Wrap(Bytes(32, 9));
  SecretBytes other(32);
  other.MutableReveal()[31] = 1;
  EXPECT_EQ(AesKeyWrapper::Create(other)->Unwrap(wrapped).error().code(), ErrorCode::kUnauthenticated);
}

}  // namespace
}  // namespace vigil::crypto
