// Wycheproof AEAD vectors: AES-GCM (all key and nonce sizes in the file, through the engine
// behind Aead), ChaCha20-Poly1305 and XChaCha20-Poly1305. Valid cases must seal to the exact
// ciphertext and tag and open again; invalid cases must not open.
#include <gtest/gtest.h>

#include "internal/aead_cipher.h"
#include "testing/wycheproof.h"
#include "vigil/crypto/aead.h"

namespace vigil::crypto {
namespace {

using internal::AeadCipher;
using internal::AeadKind;
using testing::ForEachWycheproofCase;
using testing::WycheproofCase;

void RunAeadFile(const std::string& file, AeadKind kind) {
  ForEachWycheproofCase(file, [&](const WycheproofCase& c) {
    Bytes key = c.Hex("key"), iv = c.Hex("iv"), aad = c.Hex("aad"), msg = c.Hex("msg");
    Bytes sealed = c.Hex("ct");
    Append(sealed, c.Hex("tag"));
    auto cipher = AeadCipher::Create(kind, SecretBytes::CopyFrom(key));
    if (!cipher) {
      EXPECT_FALSE(c.valid()) << file << " " << c.Describe() << ": " << cipher.error().message();
      return;
    }
    auto opened = cipher->Open(iv, sealed, aad);
    if (c.valid()) {
      ASSERT_TRUE(opened.has_value()) << file << " " << c.Describe() << ": "
                                      << opened.error().message();
      EXPECT_EQ(*opened, msg) << file << " " << c.Describe();
      auto resealed = cipher->Seal(iv, msg, aad);
      ASSERT_TRUE(resealed.has_value()) << file << " " << c.Describe();
      EXPECT_EQ(*resealed, sealed) << file << " " << c.Describe();
      Bytes into(msg.size() + AeadCipher::kTagSize);
      ASSERT_TRUE(cipher->SealInto(iv, msg, aad, into).has_value());
      EXPECT_EQ(into, sealed) << file << " " << c.Describe();
    } else {
      EXPECT_FALSE(opened.has_value()) << file << " " << c.Describe() << ": opened";
    }
  });
}

TEST(AeadWycheproof, AesGcm) { RunAeadFile("aes_gcm_test.json", AeadKind::kAesGcm); }
TEST(AeadWycheproof, ChaCha20Poly1305) {
  RunAeadFile("chacha20_poly1305_test.json", AeadKind::kChaCha20Poly1305);
}
TEST(AeadWycheproof, XChaCha20Poly1305) {
  RunAeadFile("xchacha20_poly1305_test.json", AeadKind::kXChaCha20Poly1305);
}

// The public Aead: approved configurations only, and the nonce-prefixed helpers.
TEST(Aead, PublicApiRestrictsToApprovedShapes) {
  SecretBytes key(32);
  EXPECT_FALSE(Aead::Create(AlgorithmId::kAes256Gcm, SecretBytes(16)).has_value());
  EXPECT_FALSE(Aead::Create(AlgorithmId::kSha256, key).has_value());
  auto aead = Aead::Create(AlgorithmId::kAes256Gcm, key);
  ASSERT_TRUE(aead.has_value());
  EXPECT_EQ(aead->Seal(Bytes(8), ToBytes("x"), {}).error().code(), ErrorCode::kInvalidArgument);
  auto sealed = aead->SealRandomNonce(*Env::Default(), ToBytes("patient record 17"), ToBytes("t1"));
  ASSERT_TRUE(sealed.has_value());
  EXPECT_EQ(AsStringView(*aead->OpenRandomNonce(*sealed, ToBytes("t1"))), "patient record 17");
  EXPECT_EQ(aead->OpenRandomNonce(*sealed, ToBytes("t2")).error().code(),
            ErrorCode::kUnauthenticated);
  (*sealed)[15] ^= 1;
  EXPECT_FALSE(aead->OpenRandomNonce(*sealed, ToBytes("t1")).has_value());
  EXPECT_FALSE(aead->OpenRandomNonce(Bytes(20), {}).has_value());
  auto x = Aead::Create(AlgorithmId::kXChaCha20Poly1305, key);
  ASSERT_TRUE(x.has_value());
  EXPECT_EQ(x->nonce_size(), 24U);
}

}  // namespace
}  // namespace vigil::crypto
