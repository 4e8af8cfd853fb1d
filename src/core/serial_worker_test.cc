#include "vigil/core/serial_worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace vigil {
namespace {

TEST(SerialWorkerTest, RunsTheJobsInOrderOnAThreadOfItsOwn) {
  SerialWorker worker;
  std::vector<int> ran;  // touched by the worker only, read after Sync
  std::thread::id on;
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(worker.Post([&, i]() -> Status {
      ran.push_back(i);
      on = std::this_thread::get_id();
      return OkStatus();
    }));
  }
  ASSERT_TRUE(worker.Sync());
  ASSERT_EQ(ran.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(ran[static_cast<size_t>(i)], i);
  EXPECT_NE(on, std::this_thread::get_id());
  // Sync with nothing posted since returns at once.
  EXPECT_TRUE(worker.Sync());
}

TEST(SerialWorkerTest, TheFirstFailureIsKeptAndTheJobsAfterItAreDropped) {
  SerialWorker worker;
  std::atomic<int> ran{0};
  ASSERT_TRUE(worker.Post([&]() -> Status {
    ++ran;
    return OkStatus();
  }));
  ASSERT_TRUE(worker.Post([&]() -> Status {
    ++ran;
    return InvalidArgumentError("the second job fails");
  }));
  Status third = worker.Post([&]() -> Status {
    ++ran;
    return InternalError("not kept: a later failure");
  });
  Status synced = worker.Sync();
  ASSERT_FALSE(synced);
  EXPECT_EQ(synced.error().message(), "the second job fails");
  // The third job comes after the failed one: refused by Post, or dropped from the queue.
  EXPECT_EQ(ran.load(), 2);
  if (!third) {
    EXPECT_EQ(third.error().message(), "the second job fails");
  }
  Status later = worker.Post([&]() -> Status {
    ++ran;
    return OkStatus();
  });
  ASSERT_FALSE(later);
  EXPECT_EQ(later.error().message(), "the second job fails");
  ASSERT_FALSE(worker.Sync());
  EXPECT_EQ(ran.load(), 2);
}

// With max_waiting 2, a third waiting job makes Post wait until the running one returns.
TEST(SerialWorkerTest, ABoundedQueueMakesThePosterWait) {
  SerialWorker worker(2);
  std::atomic<bool> release{false};
  std::atomic<int> posted{0};
  auto blocked = [&]() -> Status {
    while (!release) std::this_thread::yield();
    return OkStatus();
  };
  auto quick = []() -> Status { return OkStatus(); };
  std::thread poster([&] {
    EXPECT_TRUE(worker.Post(blocked));  // taken by the worker at once, or waiting
    ++posted;
    for (int i = 0; i < 3; ++i) {
      EXPECT_TRUE(worker.Post(quick));
      ++posted;
    }
  });
  // The blocked job plus two waiting is as far as the poster gets while the first job runs.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (posted < 3 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(posted.load(), 3);
  release = true;
  poster.join();
  EXPECT_EQ(posted.load(), 4);
  EXPECT_TRUE(worker.Sync());
}

}  // namespace
}  // namespace vigil
