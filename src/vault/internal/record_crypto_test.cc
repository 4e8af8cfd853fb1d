#include "internal/record_crypto.h"

#include <gtest/gtest.h>

namespace vigil::vault::internal {
namespace {

crypto::AesKeyWrapper Cipher(uint8_t fill) {
  crypto::SecretBytes kek(32);
  for (auto& b : kek.MutableReveal()) b = fill;
  return crypto::AesKeyWrapper::Create(kek).value();
}

TEST(RecordCryptoTest, AadSeparatesTableIdAndVersion) {
  EXPECT_NE(RecordAad("ab", "c", 1), RecordAad("a", "bc", 1));
  EXPECT_NE(RecordAad("t", "id", 1), RecordAad("t", "id", 2));
  Bytes aad = RecordAad("t", "id", 0x0102);
  EXPECT_EQ(aad.size(), 21u + 4 + 1 + 4 + 2 + 8);
  EXPECT_EQ(aad.back(), 0x02);
  EXPECT_EQ(aad[aad.size() - 2], 0x01);
}

TEST(RecordCryptoTest, SealOpenRoundTripAndBindings) {
  crypto::AesKeyWrapper kek = Cipher(1);
  Bytes aad = RecordAad("notes", "r1", 1);
  auto sealed = SealRecord(kek, *Env::Default(), aad, AsBytes("hello"));
  ASSERT_TRUE(sealed);
  EXPECT_EQ(sealed->wrapped_dek.size(), kWrappedDekSize);
  EXPECT_EQ(sealed->sealed.size(), kNonceSize + 5 + kTagSize);
  auto plain = OpenRecord(kek, sealed->wrapped_dek, sealed->sealed, aad);
  ASSERT_TRUE(plain);
  EXPECT_EQ(AsStringView(*plain), "hello");
  EXPECT_EQ(OpenRecord(kek, sealed->wrapped_dek, sealed->sealed, RecordAad("notes", "r1", 2))
                .error()
                .code(),
            ErrorCode::kDataLoss);
  EXPECT_EQ(OpenRecord(Cipher(2), sealed->wrapped_dek, sealed->sealed, aad).error().code(),
            ErrorCode::kDataLoss);
  // Two seals of the same plaintext share neither data key nor nonce.
  auto again = SealRecord(kek, *Env::Default(), aad, AsBytes("hello"));
  EXPECT_NE(again->wrapped_dek, sealed->wrapped_dek);
  EXPECT_NE(again->sealed, sealed->sealed);
  auto rewrapped = RewrapDek(kek, Cipher(3), sealed->wrapped_dek);
  ASSERT_TRUE(rewrapped);
  EXPECT_EQ(AsStringView(*OpenRecord(Cipher(3), *rewrapped, sealed->sealed, aad)), "hello");
}

TEST(RecordCryptoTest, ParsersRefuseWrongSizes) {
  EXPECT_EQ(ParseSealedRecord(Bytes(27)).error().code(), ErrorCode::kDataLoss);
  auto view = ParseSealedRecord(Bytes(28));
  ASSERT_TRUE(view);
  EXPECT_EQ(view->nonce.size(), 12u);
  EXPECT_EQ(view->ciphertext_and_tag.size(), 16u);
  EXPECT_TRUE(CheckWrappedDek(Bytes(40)));
  EXPECT_EQ(CheckWrappedDek(Bytes(39)).error().code(), ErrorCode::kDataLoss);
  EXPECT_EQ(CheckWrappedDek(Bytes(48)).error().code(), ErrorCode::kDataLoss);
  EXPECT_EQ(OpenRecord(Cipher(1), Bytes(), Bytes(40), Bytes()).error().code(),
            ErrorCode::kDataLoss);
}

TEST(RecordCryptoTest, KekCheckValueDependsOnTheKek) {
  crypto::SecretBytes a(32), b(32);
  b.MutableReveal()[0] = 1;
  EXPECT_EQ(KekCheckValue(a).size(), 32u);
  EXPECT_NE(KekCheckValue(a), KekCheckValue(b));
  EXPECT_EQ(KekCheckValue(a), KekCheckValue(a));
}

}  // namespace
}  // namespace vigil::vault::internal
