#include "vigil/audit/checkpoint.h"

#include <gtest/gtest.h>

#include "vigil/core/fault_env.h"
#include "vigil/crypto/ed25519.h"
#include "vigil/crypto/pq/ml_dsa.h"

namespace vigil::audit {
namespace {

Hash RootOf(uint8_t b) {
  Hash h;
  h.fill(b);
  return h;
}

TEST(CheckpointTest, FormatAndParseRoundTripStrictly) {
  Checkpoint c{"vigil.example/pump-1/audit", 1234, RootOf(7), {"ext line"}};
  auto body = FormatCheckpoint(c);
  ASSERT_TRUE(body.has_value());
  EXPECT_EQ(
      *body,
      "vigil.example/pump-1/audit\n1234\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\next line\n");
  EXPECT_EQ(*ParseCheckpoint(*body), c);
  for (const char* bad : {"o\n12\n", "o\n012\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n",
                          "o\n-1\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n", "o\n1\nBwcH\n",
                          "o\n1\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=",
                          "\n1\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n",
                          "o\n1\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n\n"}) {
    auto r = ParseCheckpoint(bad);
    EXPECT_FALSE(r.has_value()) << bad;
    if (!r) {
      EXPECT_EQ(r.error().code(), ErrorCode::kDataLoss);
    }
  }
  c.origin = "two\nlines";
  EXPECT_FALSE(FormatCheckpoint(c).has_value());
}

// The example note and key of the signed-note format's reference implementation
// (golang.org/x/mod/sumdb/note documentation): interoperability of key IDs and Ed25519 lines.
TEST(CheckpointTest, VerifiesThePublishedEd25519Example) {
  auto v =
      NoteVerifier::Parse("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
  ASSERT_TRUE(v.has_value()) << v.error().message();
  std::string note =
      "If you think cryptography is the answer to your problem,\n"
      "then you don't know what your problem is.\n"
      "\n"
      "\xe2\x80\x94 PeterNeumann "
      "x08go/ZJkuBS9UG/"
      "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
  NoteVerifier* known[] = {v->get()};
  auto opened = OpenNote(note, known);
  ASSERT_TRUE(opened.has_value()) << opened.error().message();
  EXPECT_EQ(opened->verified_by, std::vector<std::string>{"PeterNeumann"});
  std::string tampered = note;
  tampered[3] = 'X';
  EXPECT_EQ(OpenNote(tampered, known).error().code(), ErrorCode::kUnauthenticated);
  EXPECT_FALSE(
      NoteVerifier::Parse("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
          .has_value());  // wrong key ID
}

class SignedNoteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ed_ = std::move(*NoteSigner::Create("pump-1.ed25519", std::move(*crypto::GenerateEd25519())));
    ml_ = std::move(*NoteSigner::Create(
        "pump-1.mldsa", std::move(*crypto::pq::GenerateMlDsa(crypto::AlgorithmId::kMlDsa65))));
    ed_v_ = std::move(*NoteVerifier::Parse(ed_->VerifierKey()));
    ml_v_ = std::move(*NoteVerifier::Parse(ml_->VerifierKey()));
  }
  std::unique_ptr<NoteSigner> ed_, ml_;
  std::unique_ptr<NoteVerifier> ed_v_, ml_v_;
};

TEST_F(SignedNoteTest, BothLinesVerifyAndUnknownKeysAreIgnored) {
  NoteSigner* signers[] = {ed_.get(), ml_.get()};
  auto note = SignNote("origin\n5\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n", signers);
  ASSERT_TRUE(note.has_value());
  NoteVerifier* both[] = {ed_v_.get(), ml_v_.get()};
  auto o = OpenNote(*note, both);
  ASSERT_TRUE(o.has_value()) << o.error().message();
  EXPECT_EQ(o->verified_by.size(), 2u);
  NoteVerifier* classical[] = {ed_v_.get()};  // a verifier that knows only Ed25519
  o = OpenNote(*note, classical);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->unknown_signatures, 1u);
  NoteVerifier* pq[] = {ml_v_.get()};
  EXPECT_TRUE(OpenNote(*note, pq).has_value());
  EXPECT_EQ(OpenNote(*note, std::span<NoteVerifier* const>()).error().code(),
            ErrorCode::kUnauthenticated);
  // A flipped byte in the ML-DSA signature is caught by a verifier that knows the key.
  std::string bad = *note;
  size_t pos = bad.rfind("pump-1.mldsa ") + 20;
  bad[pos] = bad[pos] == 'A' ? 'B' : 'A';
  EXPECT_EQ(OpenNote(bad, both).error().code(), ErrorCode::kUnauthenticated);
  EXPECT_TRUE(OpenNote(bad, classical).has_value());  // classical verifier ignores that line
  EXPECT_EQ(OpenNote("no blank line\n", both).error().code(), ErrorCode::kDataLoss);
  EXPECT_EQ(OpenNote("text\n\n- name abc\n", both).error().code(), ErrorCode::kDataLoss);
}

TEST_F(SignedNoteTest, WriterNeverSignsInconsistentCheckpoints) {
  FaultInjectingEnv env;
  ASSERT_TRUE(env.CreateDir("/d").has_value());
  CheckpointWriter w(env, "/d/checkpoint", "origin", {ed_.get(), ml_.get()});
  std::map<uint64_t, Hash> roots = {{10, RootOf(1)}, {20, RootOf(2)}};
  auto root_at = [&](uint64_t n) -> Result<Hash> { return roots.at(n); };
  ASSERT_TRUE(w.Sign(10, RootOf(1), root_at).has_value());
  ASSERT_TRUE(w.Sign(20, RootOf(2), root_at).has_value());
  EXPECT_EQ((*w.Last())->size, 20u);
  // Rolled back: fewer entries than the last checkpoint.
  auto r = w.Sign(15, RootOf(3), root_at);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kFailedPrecondition);
  // Rewritten: same or larger size but the old prefix changed.
  roots[20] = RootOf(9);
  r = w.Sign(30, RootOf(4), root_at);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("rewritten"), std::string::npos);
  EXPECT_EQ((*w.Last())->size, 20u);  // the previous checkpoint stays
  // A restart (new writer over the same state) keeps the guard.
  CheckpointWriter again(env, "/d/checkpoint", "origin", {ed_.get()});
  EXPECT_FALSE(again.Sign(19, RootOf(5), root_at).has_value());
}

TEST_F(SignedNoteTest, WriterNeverChangesALogsOrigin) {
  FaultInjectingEnv env;
  ASSERT_TRUE(env.CreateDir("/d").has_value());
  auto root_at = [&](uint64_t) -> Result<Hash> { return RootOf(1); };
  CheckpointWriter w(env, "/d/checkpoint", "origin", {ed_.get()});
  ASSERT_TRUE(w.Sign(10, RootOf(1), root_at).has_value());
  CheckpointWriter renamed(env, "/d/checkpoint", "other", {ed_.get()});
  auto r = renamed.Sign(10, RootOf(1), root_at);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.error().message().find("signed for origin \"origin\", not \"other\""),
            std::string::npos)
      << r.error().message();
  EXPECT_EQ((*w.Last())->origin, "origin");  // the checkpoint stays
}

}  // namespace
}  // namespace vigil::audit
