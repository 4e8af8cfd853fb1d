#include "vigil/audit/tile_log.h"

#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "vigil/audit/tile_path.h"
#include "vigil/core/fault_env.h"

namespace vigil::audit {
namespace {

Bytes EntryFor(uint64_t i) {
  // Varied sizes (0 … ~300 bytes) so bundles and records are irregular.
  std::string s = "entry-" + std::to_string(i) + "-" + std::string(i * 7919 % 300, 'a' + i % 26);
  if (i % 97 == 0) s.clear();
  return ToBytes(s);
}

TEST(TilePathTest, MatchesTheSpecExamplesAndRoundTrips) {
  EXPECT_EQ(TilePath(0, 1234067), "tile/0/x001/x234/067");
  EXPECT_EQ(TilePath(1, 0), "tile/1/000");
  EXPECT_EQ(TilePath(0, 1000, 17), "tile/0/x001/000.p/17");
  EXPECT_EQ(EntryBundlePath(5), "tile/entries/005");
  EXPECT_EQ(EntryBundlePath(1234, 255), "tile/entries/x001/234.p/255");
  for (uint64_t n : {0ull, 1ull, 999ull, 1000ull, 1234067ull, 999999999999ull}) {
    for (uint64_t w : {1ull, 128ull, 255ull, 256ull}) {
      auto c = ParseTilePath(TilePath(3, n, w));
      ASSERT_TRUE(c.has_value()) << TilePath(3, n, w) << ": " << c.error().message();
      EXPECT_EQ(*c, (TileCoords{false, 3, n, w}));
      auto e = ParseTilePath(EntryBundlePath(n, w));
      ASSERT_TRUE(e.has_value());
      EXPECT_EQ(*e, (TileCoords{true, 0, n, w}));
    }
  }
  for (const char* bad : {"tile/0/1", "tile/0/0001", "tile/0/x000/001", "tile/64/000",
                          "tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/07", "tile/00/000",
                          "tile/0/x001", "tile/0/001/", "tiles/0/000", "tile/0/x00a/000"}) {
    EXPECT_FALSE(ParseTilePath(bad).has_value()) << bad;
  }
}

TEST(TilePathTest, BundlesRejectTruncationAndCountMismatch) {
  Bytes b;
  ASSERT_TRUE(AppendBundleEntry(b, AsBytes("abc")).has_value());
  ASSERT_TRUE(AppendBundleEntry(b, AsBytes("")).has_value());
  auto s = SplitBundle(b, 2);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(AsStringView((*s)[0]), "abc");
  EXPECT_FALSE(SplitBundle(b, 3).has_value());
  b.pop_back();
  b.pop_back();
  b.push_back(0);  // truncated length of entry 1
  auto t = SplitBundle(b);
  ASSERT_FALSE(t.has_value());
  EXPECT_NE(t.error().message().find("entry 1"), std::string::npos);
  Bytes big(70000, 1), out;
  EXPECT_FALSE(AppendBundleEntry(out, big).has_value());
}

class TileLogTest : public ::testing::Test {
 protected:
  std::unique_ptr<TileLog> Open(TileLogOptions o = {}, RecoveryReport* rep = nullptr) {
    auto log = TileLog::Open(env_, "/log", o, rep);
    EXPECT_TRUE(log.has_value()) << log.error().message();
    return log ? std::move(*log) : nullptr;
  }
  void AppendN(TileLog& log, uint64_t from, uint64_t to, MemoryTree* ref) {
    std::vector<Bytes> batch;
    for (uint64_t i = from; i < to; ++i) {
      batch.push_back(EntryFor(i));
      if (ref) ref->AppendData(batch.back());
      if (batch.size() == 37 || i + 1 == to) {
        auto r = log.AppendBatch(batch);
        ASSERT_TRUE(r.has_value()) << r.error().message();
        ASSERT_EQ(*r, i + 1 - batch.size());
        batch.clear();
      }
    }
  }
  FaultInjectingEnv env_{7};
};

TEST_F(TileLogTest, MatchesTheReferenceTreeAndSurvivesReopen) {
  MemoryTree ref;
  auto log = Open();
  AppendN(*log, 0, 70000, &ref);  // > 256² so level-2 nodes come from level-1 tiles
  ASSERT_EQ(log->size(), 70000u);
  for (uint64_t n : {0ull, 1ull, 255ull, 256ull, 257ull, 65536ull, 65537ull, 70000ull}) {
    EXPECT_EQ(*log->RootAt(n), *RootHash(ref, n)) << n;
  }
  for (uint64_t i : {0ull, 1ull, 255ull, 256ull, 65535ull, 65536ull, 69999ull}) {
    EXPECT_EQ(*log->Entry(i), EntryFor(i));
    auto proof = log->InclusionProof(i, 70000);
    ASSERT_TRUE(proof.has_value());
    EXPECT_TRUE(VerifyInclusion(HashLeaf(EntryFor(i)), i, 70000, *proof, *ref.Root()).has_value());
  }
  auto cp = log->ConsistencyProof(1000, 70000);
  ASSERT_TRUE(cp.has_value());
  EXPECT_TRUE(VerifyConsistency(1000, 70000, *RootHash(ref, 1000), *ref.Root(), *cp).has_value());
  EXPECT_EQ(*env_.GetFileSize("/log/" + TilePath(0, 0)), 8192u);
  EXPECT_EQ(*env_.GetFileSize("/log/" + TilePath(1, 0)), 8192u);
  EXPECT_TRUE(env_.FileExists("/log/" + EntryBundlePath(272)));
  EXPECT_FALSE(env_.FileExists("/log/" + EntryBundlePath(273)));  // 70000 = 273·256 + 112

  log.reset();
  RecoveryReport rep;
  log = Open({}, &rep);
  EXPECT_EQ(log->size(), 70000u);
  EXPECT_EQ(*log->Root(), *ref.Root());
  EXPECT_EQ(rep.cut_bytes, 0u);
  AppendN(*log, 70000, 70300, &ref);
  EXPECT_EQ(*log->Root(), *ref.Root());
  EXPECT_EQ(*log->Entry(70299), EntryFor(70299));

  auto verified = VerifyTiles(env_, "/log", {1000, 70300});
  ASSERT_TRUE(verified.has_value()) << verified.error().message();
  EXPECT_EQ(verified->size, 70300u);
  EXPECT_EQ(verified->root, *ref.Root());
  EXPECT_EQ(verified->entries_checked, 70300u);
}

TEST_F(TileLogTest, RejectsOversizedEntriesWithoutWritingAnything) {
  auto log = Open();
  std::vector<Bytes> batch = {ToBytes("ok"), Bytes(65536, 0)};
  auto r = log->AppendBatch(batch);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(log->size(), 0u);
  EXPECT_FALSE(log->AppendBatch({}).has_value());
  EXPECT_TRUE(log->Append(Bytes(65535, 0)).has_value());
}

TEST_F(TileLogTest, GroupCommitSharesFsyncsAcrossThreads) {
  auto log = Open();
  const uint64_t before = env_.mutation_count();
  constexpr int kThreads = 4, kEach = 400;
  std::vector<std::thread> threads;
  std::vector<std::vector<uint64_t>> got(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < kEach; ++k) {
        auto r = log->Append(ToBytes("t" + std::to_string(t) + "-" + std::to_string(k)));
        ASSERT_TRUE(r.has_value());
        got[t].push_back(*r);
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(log->size(), uint64_t{kThreads * kEach});
  std::set<uint64_t> all;
  for (int t = 0; t < kThreads; ++t) {
    for (int k = 0; k < kEach; ++k) {
      all.insert(got[t][k]);
      EXPECT_EQ(AsStringView(*log->Entry(got[t][k])),
                "t" + std::to_string(t) + "-" + std::to_string(k));
    }
  }
  EXPECT_EQ(all.size(), size_t{kThreads * kEach});
  // Every entry is durable, yet journal append+fsync pairs number fewer than the entries
  // whenever threads overlapped (tile files add a fixed cost per 256 entries).
  std::printf("group commit: %d appends, %llu file-system mutations\n", kThreads * kEach,
              static_cast<unsigned long long>(env_.mutation_count() - before));
  EXPECT_TRUE(VerifyTiles(env_, "/log").has_value());
}

// Power loss at every write and fsync point of 10,000+ appends: after recovery every
// acknowledged entry is present, the batch in flight is wholly present or wholly absent, and
// the log verifies.
TEST_F(TileLogTest, PowerLossAtEveryWriteAndFsyncPoint) {
  env_.TearWrites(true);
  TileLogOptions opt;
  opt.segment_entries = 1024;  // rotation and segment removal happen often
  MemoryTree ref;
  uint64_t acked = 0, in_flight = 0, points = 0, cut = 0, full_verifies = 0;
  std::vector<Hash> roots;  // roots[n] = root of the first n reference entries
  roots.push_back(EmptyRoot());
  auto log = Open(opt);
  env_.SetPowerLossObserver([&](FaultInjectingEnv& after) {
    ++points;
    RecoveryReport rep;
    auto rec = TileLog::Open(after, "/log", opt, &rep);
    ASSERT_TRUE(rec.has_value()) << "point " << points << ": " << rec.error().message();
    const uint64_t n = (*rec)->size();
    ASSERT_TRUE(n == acked || n == acked + in_flight)
        << "point " << points << ": recovered " << n << " entries, acknowledged " << acked
        << ", in flight " << in_flight;
    ASSERT_EQ(*(*rec)->Root(), roots[n]) << "point " << points;
    if (n > 0) {
      ASSERT_EQ(*(*rec)->Entry(n - 1), EntryFor(n - 1));
    }
    if (rep.cut_bytes > 0) ++cut;
    if (points % 97 == 0) {
      auto v = VerifyTiles(after, "/log");
      ASSERT_TRUE(v.has_value()) << "point " << points << ": " << v.error().message();
      ASSERT_EQ(v->root, roots[n]);
      ++full_verifies;
    }
    // The recovered log keeps working.
    ASSERT_TRUE((*rec)->Append(ToBytes("after-crash")).has_value());
  });
  std::mt19937 rng(3);
  uint64_t next = 0;
  while (next < 10000) {
    uint64_t k = 1 + rng() % 48;
    std::vector<Bytes> batch;
    for (uint64_t i = 0; i < k; ++i) {
      batch.push_back(EntryFor(next + i));
      ref.AppendData(batch.back());
      roots.push_back(*ref.Root());
    }
    in_flight = k;
    auto r = log->AppendBatch(batch);
    ASSERT_TRUE(r.has_value()) << r.error().message();
    next += k;
    acked = next;
    in_flight = 0;
    if (HasFatalFailure()) return;
  }
  env_.SetPowerLossObserver(nullptr);
  std::printf("%llu power-loss points over %llu appends; %llu torn tails cut; %llu full verifies\n",
              static_cast<unsigned long long>(points), static_cast<unsigned long long>(next),
              static_cast<unsigned long long>(cut), static_cast<unsigned long long>(full_verifies));
  EXPECT_GT(points, 2 * (10000 / 48));
  EXPECT_GT(cut, 0u);  // torn writes did happen and were cut
}

// A write error (here the journal's fsync) makes the log refuse appends; Recover() cuts the
// unacknowledged record the failed append left in the journal and the log goes on where it was,
// without a restart, and a later Open agrees.
TEST_F(TileLogTest, RecoverAfterAFailedFsyncCutsTheUnacknowledgedRecord) {
  MemoryTree ref;
  auto log = Open();
  AppendN(*log, 0, 300, &ref);
  EXPECT_TRUE(log->Recover().has_value());  // nothing failed: nothing to do
  env_.CrashAfter(2);  // the journal append goes through, its fsync fails
  ASSERT_FALSE(log->Append(ToBytes("never acknowledged")).has_value());
  env_.ResetFaults();
  auto refused = log->Append(ToBytes("refused"));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(refused.error().message().find("journal write failed"), std::string::npos);

  RecoveryReport rep;
  Status recovered = log->Recover(&rep);
  ASSERT_TRUE(recovered.has_value()) << recovered.error().message();
  EXPECT_GT(rep.cut_bytes, 0u);  // the written but unacknowledged record is gone
  EXPECT_EQ(log->size(), 300u);
  EXPECT_EQ(*log->Root(), *ref.Root());
  AppendN(*log, 300, 600, &ref);
  EXPECT_EQ(*log->Root(), *ref.Root());
  EXPECT_EQ(*log->Entry(300), EntryFor(300));

  log.reset();
  log = Open();
  EXPECT_EQ(log->size(), 600u);
  EXPECT_EQ(*log->Root(), *ref.Root());
  auto verified = VerifyTiles(env_, "/log");
  ASSERT_TRUE(verified.has_value()) << verified.error().message();
  EXPECT_EQ(verified->size, 600u);
}

// A full disk: Recover() succeeds while it is still full (the log is consistent), the next
// append fails again and is refused, and once space is freed recovery lets appends through with
// every acknowledged entry kept.
TEST_F(TileLogTest, RecoverAfterADiskFullWorksOnceSpaceIsFreed) {
  MemoryTree ref;
  auto log = Open();
  AppendN(*log, 0, 300, &ref);
  env_.SetDiskCapacity(1);
  auto full = log->Append(ToBytes("disk full"));
  ASSERT_FALSE(full.has_value());
  EXPECT_EQ(full.error().code(), ErrorCode::kResourceExhausted);
  ASSERT_TRUE(log->Recover().has_value());
  ASSERT_FALSE(log->Append(ToBytes("still full")).has_value());
  EXPECT_EQ(log->Append(ToBytes("refused")).error().code(), ErrorCode::kFailedPrecondition);

  env_.SetDiskCapacity(0);
  ASSERT_TRUE(log->Recover().has_value());
  AppendN(*log, 300, 301, &ref);
  EXPECT_EQ(log->size(), 301u);
  EXPECT_EQ(*log->Root(), *ref.Root());
  log.reset();
  log = Open();
  EXPECT_EQ(*log->Root(), *ref.Root());
}

// A crash during an unacknowledged append leaves a prefix of that one record: the writer cuts
// it, a reader only reports it.
TEST_F(TileLogTest, TornTailIsCutByTheWriterAndLeftByReaders) {
  MemoryTree ref;
  {
    auto log = Open();
    AppendN(*log, 0, 300, &ref);
  }
  const uint64_t whole = *env_.GetFileSize("/log/journal/0");
  {
    auto log = Open();
    ASSERT_TRUE(log->Append(AsBytes("in flight when the power went")).has_value());
  }
  ASSERT_TRUE(env_.TruncateFile("/log/journal/0", whole + 25).has_value());  // header + 5 bytes
  const Bytes torn = *env_.ReadFile("/log/journal/0");
  auto v = VerifyTiles(env_, "/log");
  ASSERT_TRUE(v.has_value()) << v.error().message();
  EXPECT_NE(v->torn_tail.find("journal/0 at byte"), std::string::npos) << v->torn_tail;
  TileLogOptions ro;
  ro.read_only = true;
  RecoveryReport read;
  auto reader = Open(ro, &read);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->size(), 300u);
  EXPECT_NE(read.torn_tail.find("after entry 300"), std::string::npos) << read.torn_tail;
  EXPECT_EQ(*env_.ReadFile("/log/journal/0"), torn) << "a reader changed the journal";
  reader.reset();
  RecoveryReport rep;
  auto log = Open({}, &rep);
  EXPECT_EQ(rep.cut_bytes, 25u);
  EXPECT_NE(rep.cut_detail.find("after entry 300"), std::string::npos) << rep.cut_detail;
  EXPECT_EQ(log->size(), 300u);
  EXPECT_EQ(*log->Root(), *ref.Root());
  EXPECT_EQ(*log->Append(AsBytes("next")), 300u);
}

// Bytes that no crash leaves (they cannot start the next record) are damage: reported, kept
// exactly as found, and no writer may open the log to append after them.
TEST_F(TileLogTest, GarbageAfterTheLastRecordIsDamageAndKept) {
  {
    auto log = Open();
    AppendN(*log, 0, 300, nullptr);
  }
  ASSERT_TRUE(env_.AppendFileDurable("/log/journal/0", AsBytes("VLB1 garbage")).has_value());
  const Bytes before = *env_.ReadFile("/log/journal/0");
  auto v = VerifyTiles(env_, "/log");
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().code(), ErrorCode::kDataLoss);
  EXPECT_NE(v.error().message().find("journal/0 at byte"), std::string::npos);
  EXPECT_NE(v.error().message().find("not a torn tail"), std::string::npos);
  auto writer = TileLog::Open(env_, "/log");
  ASSERT_FALSE(writer.has_value());
  EXPECT_EQ(writer.error().code(), ErrorCode::kDataLoss);
  TileLogOptions ro;
  ro.read_only = true;
  EXPECT_EQ(TileLog::Open(env_, "/log", ro).error().code(), ErrorCode::kDataLoss);
  EXPECT_EQ(*env_.ReadFile("/log/journal/0"), before);
}

// Issue 13 item 4: three whole acknowledged records overwritten with random bytes were taken
// for "an unacknowledged append cut by a crash", cut, and their indexes reused.
TEST_F(TileLogTest, OverwrittenAcknowledgedRecordsAreDamageNotATornTail) {
  uint64_t end_of_300 = 0;
  {
    auto log = Open();
    AppendN(*log, 0, 300, nullptr);
    end_of_300 = *env_.GetFileSize("/log/journal/0");
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(log->Append(EntryFor(300 + i)).has_value());
  }
  Bytes j = *env_.ReadFile("/log/journal/0");
  for (size_t i = end_of_300; i < j.size(); ++i)
    j[i] = static_cast<uint8_t>(1 + (i * 37 + 11) % 251);
  ASSERT_TRUE(env_.WriteFileAtomic("/log/journal/0", j).has_value());
  auto v = VerifyTiles(env_, "/log");
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().code(), ErrorCode::kDataLoss);
  EXPECT_NE(v.error().message().find("(entry 300)"), std::string::npos) << v.error().message();
  auto writer = TileLog::Open(env_, "/log");
  ASSERT_FALSE(writer.has_value());
  EXPECT_EQ(writer.error().code(), ErrorCode::kDataLoss);
  EXPECT_EQ(*env_.ReadFile("/log/journal/0"), j) << "damaged records must be kept for forensics";
}

TEST_F(TileLogTest, ReadOnlyOpenCreatesNothingAndRefusesWrites) {
  TileLogOptions ro;
  ro.read_only = true;
  auto missing = TileLog::Open(env_, "/typo", ro);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message(),
            "/typo: no audit log here (no journal/ folder); `vigil log append` creates one");
  EXPECT_FALSE(env_.GetChildren("/typo").has_value());
  TileLogOptions existing;
  existing.create_if_missing = false;
  EXPECT_EQ(TileLog::Open(env_, "/typo", existing).error().code(), ErrorCode::kNotFound);
  EXPECT_FALSE(env_.GetChildren("/typo").has_value());
  EXPECT_EQ(VerifyTiles(env_, "/typo").error().code(), ErrorCode::kNotFound);
  MemoryTree ref;
  {
    auto log = Open();
    AppendN(*log, 0, 700, &ref);  // two full tiles on disk, the rest in the journal
  }
  // Tiles the journal implies are rebuilt in memory, not on disk.
  ASSERT_TRUE(env_.RemoveFile("/log/" + EntryBundlePath(1)).has_value());
  auto reader = Open(ro);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(*reader->Root(), *ref.Root());
  EXPECT_EQ(*reader->Entry(300), EntryFor(300));
  EXPECT_FALSE(env_.FileExists("/log/" + EntryBundlePath(1)));
  EXPECT_EQ(reader->Append(AsBytes("x")).error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(reader->PublishPartialTiles().error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(reader->Prune(256).error().code(), ErrorCode::kFailedPrecondition);
}

class TamperTest : public TileLogTest {
 protected:
  void SetUp() override {
    TileLogOptions opt;
    opt.segment_entries = 300;  // bundles 0 and 1 leave the journal: checked against tiles only
    auto log = Open(opt);
    AppendN(*log, 0, 1000, &ref_);
    root_ = *ref_.Root();
    ASSERT_TRUE(VerifyTiles(env_, "/log").has_value());
  }
  Bytes Read(const std::string& rel) { return *env_.ReadFile("/log/" + rel); }
  void Write(const std::string& rel, const Bytes& b) {
    ASSERT_TRUE(env_.WriteFileAtomic("/log/" + rel, b).has_value());
  }
  std::string VerifyError() {
    auto v = VerifyTiles(env_, "/log", {1000});
    return v ? std::string("verified") : v.error().message();
  }
  MemoryTree ref_;
  Hash root_;
};

TEST_F(TamperTest, ChangedEntryIsCaught) {
  Bytes b = Read(EntryBundlePath(1));
  b[10] ^= 1;
  Write(EntryBundlePath(1), b);
  std::string e = VerifyError();
  EXPECT_NE(e.find("tile/0/001 position 0 (entry 256)"), std::string::npos) << e;
}

TEST_F(TamperTest, RemovedEntryIsCaught) {
  Bytes bundle = Read(EntryBundlePath(2));
  auto entries = *SplitBundle(bundle);
  Bytes b;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i != 17) (void)AppendBundleEntry(b, entries[i]);
  }
  Write(EntryBundlePath(2), b);
  std::string e = VerifyError();
  EXPECT_NE(e.find("tile/entries/002"), std::string::npos) << e;
  EXPECT_NE(e.find("expected 256 entries, found 255"), std::string::npos) << e;
}

TEST_F(TamperTest, ReorderedEntriesAreCaught) {
  Bytes bundle = Read(EntryBundlePath(0));
  auto entries = *SplitBundle(bundle);
  std::swap(entries[3], entries[4]);
  Bytes b;
  for (auto e : entries) (void)AppendBundleEntry(b, e);
  Write(EntryBundlePath(0), b);
  std::string e = VerifyError();
  EXPECT_NE(e.find("(entry 3)"), std::string::npos) << e;
}

TEST_F(TamperTest, InsertedEntryIsCaught) {
  Bytes bundle = Read(EntryBundlePath(1));
  auto entries = *SplitBundle(bundle);
  Bytes b;
  (void)AppendBundleEntry(b, AsBytes("forged"));
  for (size_t i = 0; i + 1 < entries.size(); ++i) (void)AppendBundleEntry(b, entries[i]);
  Write(EntryBundlePath(1), b);  // still 256 entries: everything shifted by one
  std::string e = VerifyError();
  EXPECT_NE(e.find("(entry 256)"), std::string::npos) << e;
}

TEST_F(TamperTest, RewrittenHashTileIsCaught) {
  Bytes t = Read(TilePath(0, 1));
  t[0] ^= 0x80;
  Write(TilePath(0, 1), t);
  std::string e = VerifyError();
  EXPECT_NE(e.find("tile/0/001 position 0"), std::string::npos) << e;
}

TEST_F(TamperTest, ConsistentlyRewrittenHistoryChangesTheRoot) {
  // An attacker who rewrites an entry and every hash above it yields a log that verifies
  // against itself, but not against a checkpoint an auditor kept.
  Bytes bundle = Read(EntryBundlePath(0));
  auto entries = *SplitBundle(bundle);
  Bytes b;
  for (size_t i = 0; i < entries.size(); ++i) {
    (void)AppendBundleEntry(b, i == 5 ? AsBytes("forged") : entries[i]);
  }
  Write(EntryBundlePath(0), b);
  Bytes tile = Read(TilePath(0, 0));
  Hash h = HashLeaf(AsBytes("forged"));
  std::copy(h.begin(), h.end(), tile.begin() + 5 * 32);
  Write(TilePath(0, 0), tile);
  std::map<uint64_t, Hash> roots;
  auto v = VerifyTiles(env_, "/log", {1000}, &roots);
  ASSERT_TRUE(v.has_value()) << v.error().message();
  EXPECT_NE(roots.at(1000), root_);
}

TEST_F(TamperTest, RolledBackLogIsCaught) {
  // Roll back to an older state: drop the newest journal segment and empty the one before.
  auto segments = *env_.GetChildren("/log/journal");
  ASSERT_EQ(segments.size(), 2u);
  ASSERT_TRUE(env_.RemoveFile("/log/journal/" + segments[1]).has_value() ||
              env_.RemoveFile("/log/journal/" + segments[0]).has_value());
  segments = *env_.GetChildren("/log/journal");
  ASSERT_TRUE(env_.TruncateFile("/log/journal/" + segments[0], 0).has_value());
  std::string e = VerifyError();
  EXPECT_NE(e.find("fewer than the 1000 a checkpoint commits to"), std::string::npos) << e;
}

TEST_F(TamperTest, EntryStillInTheJournalIsComparedWithIt) {
  Bytes b = Read(EntryBundlePath(2));
  b.back() ^= 1;  // entry 767; the journal starts at a later segment boundary below it
  Write(EntryBundlePath(2), b);
  std::string e = VerifyError();
  EXPECT_NE(e.find("tile/entries/002 entry 767: differs from the journal"), std::string::npos) << e;
}

TEST_F(TileLogTest, EditedJournalRecordIsNotMistakenForATornTail) {
  // Change one byte inside a record of the last segment that has records after it: recovery
  // must refuse (cutting there would drop acknowledged entries) and verify must name it.
  {
    auto log = Open();
    AppendN(*log, 0, 300, nullptr);  // 9 records in journal/0
  }
  Bytes j = *env_.ReadFile("/log/journal/0");
  j[30] ^= 1;  // inside the first record's entries
  ASSERT_TRUE(env_.WriteFileAtomic("/log/journal/0", j).has_value());
  auto v = VerifyTiles(env_, "/log");
  ASSERT_FALSE(v.has_value());
  EXPECT_NE(v.error().message().find("journal/0 at byte 0 (entry 0): record digest does not match"),
            std::string::npos)
      << v.error().message();
  auto log = TileLog::Open(env_, "/log");
  ASSERT_FALSE(log.has_value());
  EXPECT_NE(log.error().message().find("not a torn tail"), std::string::npos)
      << log.error().message();
}

TEST_F(TamperTest, PublishedPartialTilesAreChecked) {
  {
    auto log = Open();
    ASSERT_TRUE(log->PublishPartialTiles().has_value());  // 1000 = 3·256 + 232
  }
  ASSERT_TRUE(VerifyTiles(env_, "/log").has_value());
  Bytes b = Read(EntryBundlePath(3, 232));
  b[4] ^= 1;
  Write(EntryBundlePath(3, 232), b);
  std::string e = VerifyError();
  EXPECT_NE(e.find("tile/entries/003.p/232 entry 768"), std::string::npos) << e;
  Write(EntryBundlePath(3, 232), Read(EntryBundlePath(2)));  // wrong content, wrong count
  EXPECT_NE(VerifyError().find("expected 232 entries"), std::string::npos);
}

TEST_F(TamperTest, RemovedJournalIsRefusedOnOpen) {
  auto names = *env_.GetChildren("/log/journal");
  for (const auto& name : names) {
    ASSERT_TRUE(env_.RemoveFile("/log/journal/" + name).has_value());
  }
  auto log = TileLog::Open(env_, "/log");
  ASSERT_FALSE(log.has_value());
  EXPECT_EQ(log.error().code(), ErrorCode::kDataLoss);
}

TEST_F(TileLogTest, PruneKeepsProofsAndRootsValid) {
  MemoryTree ref;
  TileLogOptions opt;
  opt.segment_entries = 512;  // the journal segments holding pruned entries rotate out
  auto log = Open(opt);
  AppendN(*log, 0, 3000, &ref);
  auto bound = log->Prune(1100);
  ASSERT_TRUE(bound.has_value());
  EXPECT_EQ(*bound, 1024u);
  EXPECT_FALSE(env_.FileExists("/log/" + EntryBundlePath(0)));
  EXPECT_FALSE(env_.FileExists("/log/" + EntryBundlePath(3)));
  EXPECT_TRUE(env_.FileExists("/log/" + EntryBundlePath(4)));
  auto gone = log->Entry(5);
  ASSERT_FALSE(gone.has_value());
  EXPECT_NE(gone.error().message().find("pruned"), std::string::npos);
  EXPECT_EQ(*log->Entry(1024), EntryFor(1024));
  EXPECT_EQ(*log->Root(), *ref.Root());
  auto proof = log->InclusionProof(2000, 3000);
  ASSERT_TRUE(proof.has_value());
  EXPECT_TRUE(
      VerifyInclusion(HashLeaf(EntryFor(2000)), 2000, 3000, *proof, *ref.Root()).has_value());
  log.reset();
  log = Open();
  EXPECT_EQ(log->pruned_below(), 1024u);
  EXPECT_EQ(*log->Root(), *ref.Root());
  auto v = VerifyTiles(env_, "/log", {3000});
  ASSERT_TRUE(v.has_value()) << v.error().message();
  EXPECT_EQ(v->root, *ref.Root());
  EXPECT_EQ(v->entries_checked, 3000u - 1024u);
}

TEST_F(TileLogTest, PublishedPartialTilesServeTheCurrentSize) {
  auto log = Open();
  AppendN(*log, 0, 300, nullptr);
  ASSERT_TRUE(log->PublishPartialTiles().has_value());
  EXPECT_EQ(*env_.GetFileSize("/log/" + TilePath(0, 1, 44)), 44u * 32);
  EXPECT_TRUE(env_.FileExists("/log/" + EntryBundlePath(1, 44)));
  EXPECT_EQ(*env_.GetFileSize("/log/" + TilePath(1, 0, 1)), 32u);
  AppendN(*log, 300, 310, nullptr);
  ASSERT_TRUE(log->PublishPartialTiles().has_value());
  EXPECT_FALSE(env_.FileExists("/log/" + TilePath(0, 1, 44)));
  EXPECT_TRUE(env_.FileExists("/log/" + TilePath(0, 1, 54)));
}

}  // namespace
}  // namespace vigil::audit
