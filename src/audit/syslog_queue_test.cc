#include "vigil/audit/syslog_queue.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "vigil/core/fault_env.h"

namespace vigil::audit {
namespace {

std::string Line(size_t i) {
  return "<86>1 - pump vigil - test [x@1 seq=\"" + std::to_string(i) + "\"]";
}

TEST(SyslogQueue, FifoAcrossReopen) {
  FaultInjectingEnv env;
  {
    auto q = SyslogQueue::Open(&env, "/q").value();
    for (size_t i = 0; i < 5; ++i) ASSERT_TRUE(q->Enqueue(Line(i)));
    EXPECT_EQ(q->size(), 5u);
    EXPECT_EQ(q->Peek(2), (std::vector<std::string>{Line(0), Line(1)}));
    ASSERT_TRUE(q->Pop(2));
    EXPECT_EQ(q->Peek(10).front(), Line(2));
  }
  env.SimulatePowerLoss();
  auto q = SyslogQueue::Open(&env, "/q").value();
  EXPECT_EQ(q->Peek(10), (std::vector<std::string>{Line(2), Line(3), Line(4)}));
  EXPECT_EQ(q->pending_bytes(), Line(2).size() + Line(3).size() + Line(4).size());
  EXPECT_EQ(q->recovered_torn_bytes(), 0u);
}

TEST(SyslogQueue, FullQueueRefusesLoudlyAndDropsNothing) {
  FaultInjectingEnv env;
  auto q = SyslogQueue::Open(&env, "/q", {.max_lines = 3}).value();
  for (size_t i = 0; i < 3; ++i) ASSERT_TRUE(q->Enqueue(Line(i)));
  Status st = q->Enqueue(Line(3));
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_NE(st.error().message().find("NOT queued"), std::string::npos) << st.error().message();
  EXPECT_EQ(q->Peek(10), (std::vector<std::string>{Line(0), Line(1), Line(2)}));
  ASSERT_TRUE(q->Pop(1));
  EXPECT_TRUE(q->Enqueue(Line(3)));
  auto by_bytes = SyslogQueue::Open(&env, "/b", {.max_bytes = 2 * Line(0).size()}).value();
  ASSERT_TRUE(by_bytes->Enqueue(Line(0)));
  ASSERT_TRUE(by_bytes->Enqueue(Line(1)));
  EXPECT_EQ(by_bytes->Enqueue(Line(2)).error().code(), ErrorCode::kResourceExhausted);
}

TEST(SyslogQueue, RejectsBadArguments) {
  FaultInjectingEnv env;
  auto q = SyslogQueue::Open(&env, "/q", {.max_line_bytes = 10}).value();
  EXPECT_EQ(q->Enqueue("").error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(q->Enqueue(std::string(11, 'x')).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(q->Pop(1).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(q->Pop(0));
}

TEST(SyslogQueue, CorruptHeadIsDataLoss) {
  FaultInjectingEnv env;
  ASSERT_TRUE(env.CreateDir("/q"));
  ASSERT_TRUE(env.WriteFileAtomic("/q/head", AsBytes("garbage\n")));
  EXPECT_EQ(SyslogQueue::Open(&env, "/q").error().code(), ErrorCode::kDataLoss);
  ASSERT_TRUE(env.WriteFileAtomic("/q/head", AsBytes("vigil-syslog-queue 1 0 99\n")));
  EXPECT_EQ(SyslogQueue::Open(&env, "/q").error().code(), ErrorCode::kDataLoss);
}

TEST(SyslogQueue, FailedWriteIsRepairedBeforeTheNextLine) {
  FaultInjectingEnv env;
  auto q = SyslogQueue::Open(&env, "/q").value();
  ASSERT_TRUE(q->Enqueue(Line(0)));
  env.FailNthWrite(1);
  Status st = q->Enqueue(Line(1));
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code(), ErrorCode::kUnavailable);
  ASSERT_TRUE(q->Enqueue(Line(2)));
  q.reset();
  env.SimulatePowerLoss();
  EXPECT_EQ(SyslogQueue::Open(&env, "/q").value()->Peek(10),
            (std::vector<std::string>{Line(0), Line(2)}));
}

TEST(SyslogQueue, TornTailIsCut) {
  FaultInjectingEnv env;
  {
    auto q = SyslogQueue::Open(&env, "/q").value();
    ASSERT_TRUE(q->Enqueue(Line(0)));
  }
  auto f = env.NewAppendableFile("/q/queue-0.log").value();
  ASSERT_TRUE(f->Append(AsBytes(std::string("\x30\x00\x00\x00\x01\x02", 6))));
  ASSERT_TRUE(f->Sync());
  auto q = SyslogQueue::Open(&env, "/q").value();
  EXPECT_EQ(q->Peek(10), std::vector<std::string>{Line(0)});
  EXPECT_EQ(q->recovered_torn_bytes(), 6u);
  ASSERT_TRUE(q->Enqueue(Line(1)));
  q.reset();
  EXPECT_EQ(SyslogQueue::Open(&env, "/q").value()->size(), 2u);
}

// Power loss at every write and fsync point of a run of enqueues and pops (with compactions):
// the recovered queue is always a contiguous run of lines that starts at or before the first
// line not yet popped durably and ends at or after the last acknowledged line. Nothing
// acknowledged is lost, nothing is reordered; lines whose Pop had not completed come back
// (the documented duplicates).
TEST(SyslogQueue, NoAcknowledgedLineLostAtAnyPowerLossPoint) {
  for (bool torn : {false, true}) {
    FaultInjectingEnv env(torn ? 7 : 3);
    env.TearWrites(torn);
    auto q = SyslogQueue::Open(&env, "/q", {.compact_bytes = 600}).value();
    size_t acked = 0;       // lines [0, acked) had Enqueue return OK
    size_t popped_ok = 0;   // lines [0, popped_ok) had Pop return OK
    size_t popped_try = 0;  // a Pop in progress may have removed up to here
    size_t checks = 0, with_duplicates = 0;
    env.SetPowerLossObserver([&](FaultInjectingEnv& after) {
      auto r = SyslogQueue::Open(&after, "/q", {.compact_bytes = 600});
      ASSERT_TRUE(r.has_value()) << r.error().ToString();
      std::vector<std::string> got = (*r)->Peek(1'000'000);
      ++checks;
      if (got.empty()) {
        ASSERT_LE(acked, popped_try);
        return;
      }
      size_t first = std::stoul(got[0].substr(got[0].find("seq=\"") + 5));
      ASSERT_GE(first, popped_ok);
      ASSERT_LE(first, popped_try);
      if (first < popped_try) ++with_duplicates;
      for (size_t k = 0; k < got.size(); ++k) ASSERT_EQ(got[k], Line(first + k));
      ASSERT_GE(first + got.size(), acked);
      ASSERT_LE(first + got.size(), acked + 1);
    });
    for (size_t i = 0; i < 300; ++i) {
      ASSERT_TRUE(q->Enqueue(Line(i)));
      acked = i + 1;
      if (i % 7 == 6) {
        const size_t n = q->size() - 2;
        popped_try = popped_ok + n;
        ASSERT_TRUE(q->Pop(n));
        popped_ok = popped_try;
      }
    }
    env.SetPowerLossObserver(nullptr);
    EXPECT_GT(checks, 1000u);
    // The run compacted (moved to a later generation) at least once, so crashes inside
    // compaction were among the points checked.
    const std::vector<std::string> files = env.GetChildren("/q").value();
    EXPECT_EQ(std::count(files.begin(), files.end(), "queue-0.log"), 0);
    std::printf("power loss (torn writes %s): %zu crash points checked, %zu with duplicates\n",
                torn ? "on" : "off", checks, with_duplicates);
  }
}

}  // namespace
}  // namespace vigil::audit
