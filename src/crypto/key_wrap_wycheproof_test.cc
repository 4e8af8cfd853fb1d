// Wycheproof AES key wrap (RFC 3394) and key wrap with padding (RFC 5649) vectors.
#include <gtest/gtest.h>

#include "testing/wycheproof.h"
#include "vigil/crypto/key_wrap.h"

namespace vigil::crypto {
namespace {

using testing::ForEachWycheproofCase;
using testing::WycheproofCase;

void RunWrapFile(const std::string& file, bool pad) {
  ForEachWycheproofCase(file, [&](const WycheproofCase& c) {
    SecretBytes kek = SecretBytes::CopyFrom(c.Hex("key"));
    Bytes msg = c.Hex("msg"), ct = c.Hex("ct");
    auto unwrapped = pad ? AesKeyUnwrapPad(kek, ct) : AesKeyUnwrap(kek, ct);
    if (c.valid()) {
      ASSERT_TRUE(unwrapped.has_value()) << file << " " << c.Describe() << ": "
                                         << unwrapped.error().message();
      EXPECT_EQ(Bytes(unwrapped->Reveal().begin(), unwrapped->Reveal().end()), msg) << c.Describe();
      auto wrapped = pad ? AesKeyWrapPad(kek, SecretBytes::CopyFrom(msg))
                         : AesKeyWrap(kek, SecretBytes::CopyFrom(msg));
      ASSERT_TRUE(wrapped.has_value()) << file << " " << c.Describe();
      EXPECT_EQ(*wrapped, ct) << file << " " << c.Describe();
    } else if (c.invalid()) {
      EXPECT_FALSE(unwrapped.has_value()) << file << " " << c.Describe() << ": unwrapped";
    } else if (unwrapped.has_value()) {
      // Acceptable (e.g. ShortKey: wrapping fewer than 16 bytes): we may accept, but then the
      // result must be the right key.
      EXPECT_EQ(Bytes(unwrapped->Reveal().begin(), unwrapped->Reveal().end()), msg) << c.Describe();
    }
  });
}

TEST(KeyWrapWycheproof, AesKw) { RunWrapFile("aes_wrap_test.json", false); }
TEST(KeyWrapWycheproof, AesKwp) { RunWrapFile("aes_kwp_test.json", true); }

TEST(KeyWrap, RejectsBadShapes) {
  SecretBytes kek(32);
  EXPECT_FALSE(AesKeyWrap(SecretBytes(20), SecretBytes(16)).has_value());
  EXPECT_FALSE(AesKeyWrap(kek, SecretBytes(12)).has_value());
  EXPECT_FALSE(AesKeyWrapPad(kek, SecretBytes(0)).has_value());
  EXPECT_EQ(AesKeyUnwrap(kek, Bytes(23)).error().code(), ErrorCode::kInvalidArgument);
  auto w = AesKeyWrap(kek, SecretBytes(32));
  ASSERT_TRUE(w.has_value());
  (*w)[0] ^= 1;
  EXPECT_EQ(AesKeyUnwrap(kek, *w).error().code(), ErrorCode::kUnauthenticated);
}

}  // namespace
}  // namespace vigil::crypto
