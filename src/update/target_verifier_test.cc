#include "vigil/update/target_verifier.h"

#include <gtest/gtest.h>

#include "vigil/core/encoding.h"

namespace vigil::update {
namespace {

TargetFile Info(std::string_view data) {
  TargetFile info;
  info.length = data.size();
  auto d = crypto::Sha256(AsBytes(data));
  info.hashes["sha256"] = Bytes(d.begin(), d.end());
  info.hashes["sha512"] = crypto::Digest(crypto::AlgorithmId::kSha512, AsBytes(data)).value();
  info.hashes["blake2b-256"] = Bytes(32, 0);  // listed but not computable: skipped
  return info;
}

TEST(TargetVerifier, AcceptsTheSignedBytesInAnyPieces) {
  std::string data = "firmware image for the pump, release 7";
  for (size_t piece : {1u, 5u, 64u}) {
    auto v = TargetVerifier::Create(Info(data), "fw");
    ASSERT_TRUE(v.has_value());
    for (size_t off = 0; off < data.size(); off += piece) {
      ASSERT_TRUE(v->Update(AsBytes(std::string_view(data).substr(off, piece))).has_value());
    }
    EXPECT_EQ(v->received(), data.size());
    EXPECT_TRUE(v->Finish().has_value());
  }
}

TEST(TargetVerifier, RefusesEveryDifference) {
  std::string data = "firmware image";
  auto more = TargetVerifier::Create(Info(data), "fw").value();
  ASSERT_TRUE(more.Update(AsBytes(data)).has_value());
  Status extra = more.Update(AsBytes(std::string_view("x")));
  ASSERT_FALSE(extra.has_value());
  EXPECT_EQ(extra.error().message(), "fw: expected length 14, received more (15 bytes so far)");
  auto less = TargetVerifier::Create(Info(data), "fw").value();
  ASSERT_TRUE(less.Update(AsBytes(std::string_view(data).substr(1))).has_value());
  EXPECT_NE(less.Finish().error().message().find("expected length 14, found 13"),
            std::string::npos);
  for (const char* alg : {"sha256", "sha512"}) {
    TargetFile info = Info(data);
    info.hashes[alg].back() ^= 1;
    auto v = TargetVerifier::Create(info, "fw").value();
    ASSERT_TRUE(v.Update(AsBytes(data)).has_value());
    Status s = v.Finish();
    ASSERT_FALSE(s.has_value());
    EXPECT_EQ(s.error().code(), ErrorCode::kDataLoss);
    EXPECT_NE(s.error().message().find(std::string(alg) + " mismatch: expected " +
                                       HexEncode(info.hashes[alg])),
              std::string::npos);
  }
  TargetFile none;
  none.length = 1;
  none.hashes["md5"] = Bytes(16, 0);
  EXPECT_EQ(TargetVerifier::Create(none, "fw").error().code(), ErrorCode::kDataLoss);
}

}  // namespace
}  // namespace vigil::update
