#include "vigil/core/json_allocator.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "vigil/core/json.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#include <sanitizer/lsan_interface.h>
#define VIGIL_TEST_ASAN 1
#endif

namespace vigil::json {
namespace {

// A block of `bytes` taken from and returned to the calling thread's cache.
void* Take(size_t bytes) { return allocator_internal::Allocate(bytes); }
void Give(void* p, size_t bytes) { allocator_internal::Free(p, bytes); }

// Empties the calling thread's cache so each test starts from nothing cached.
void DrainCache() {
  std::vector<std::pair<void*, size_t>> taken;
  for (size_t bytes = 16; bytes <= kMaxCachedBlock; bytes += 16) {
    while (true) {
      CacheStats before = ThreadCacheStats();
      void* p = Take(bytes);
      taken.emplace_back(p, bytes);
      if (ThreadCacheStats().blocks == before.blocks) break;  // came from operator new
    }
  }
  ASSERT_EQ(ThreadCacheStats().blocks, 0u);
  for (auto [p, bytes] : taken) ::operator delete(p);
}

TEST(JsonAllocatorTest, AFreedBlockServesTheNextRequestOfItsSizeClass) {
  DrainCache();
  void* a = Take(288);
  Give(a, 288);
  EXPECT_EQ(ThreadCacheStats().blocks, 1u);
  EXPECT_EQ(ThreadCacheStats().bytes, 288u);
  EXPECT_EQ(Take(280), a);  // 280 and 288 round to the same 16-byte class
  EXPECT_EQ(ThreadCacheStats().blocks, 0u);
  void* b = Take(304);  // the next class: not the block above
  EXPECT_NE(b, a);
  Give(a, 288);
  Give(b, 304);
  EXPECT_EQ(ThreadCacheStats().blocks, 2u);
  EXPECT_EQ(ThreadCacheStats().bytes, 288u + 304u);
  DrainCache();
}

TEST(JsonAllocatorTest, VectorsOfAParsedDocumentReturnTheirBlocksForTheNext) {
  DrainCache();
  std::string text = "{\"a\":[1,2,3],\"b\":{\"c\":{\"d\":true}}}";
  { auto doc = Parse(text, "doc.json"); ASSERT_TRUE(doc.has_value()); }
  CacheStats after_first = ThreadCacheStats();
  EXPECT_GE(after_first.blocks, 4u);  // the root, "a", "b" and "c" vectors
  { auto doc = Parse(text, "doc.json"); ASSERT_TRUE(doc.has_value()); }
  EXPECT_EQ(ThreadCacheStats().blocks, after_first.blocks);  // taken back and returned again
  DrainCache();
}

TEST(JsonAllocatorTest, LargeBlocksAreNotCached) {
  DrainCache();
  void* p = Take(kMaxCachedBlock + 1);
  Give(p, kMaxCachedBlock + 1);
  EXPECT_EQ(ThreadCacheStats().blocks, 0u);
  Array big(kMaxCachedBlock / sizeof(Value) + 1);
  big.clear();
  big.shrink_to_fit();
  EXPECT_EQ(ThreadCacheStats().blocks, 0u);
}

TEST(JsonAllocatorTest, TheCacheHoldsAtMostItsLimit) {
  DrainCache();
  std::vector<void*> blocks;
  for (size_t i = 0; i < kMaxCachedBytes / kMaxCachedBlock + 10; ++i) {
    blocks.push_back(Take(kMaxCachedBlock));
  }
  for (void* p : blocks) Give(p, kMaxCachedBlock);
  EXPECT_EQ(ThreadCacheStats().bytes, kMaxCachedBytes);
  EXPECT_EQ(ThreadCacheStats().blocks, kMaxCachedBytes / kMaxCachedBlock);
  DrainCache();
}

TEST(JsonAllocatorTest, ABlockFreedOnAnotherThreadJoinsThatThreadsCache) {
  DrainCache();
  Object members;
  members.reserve(2);  // one block, no growth (which would free a smaller one here)
  members.emplace_back().key = "a";
  members.emplace_back().key = "b";
  size_t other_blocks = 0;
  std::thread([&] {
    Object taken = std::move(members);  // the block moves with the vector
    taken = Object();                   // and is freed here
    other_blocks = ThreadCacheStats().blocks;
  }).join();  // the thread's cache is released when it exits (LeakSanitizer checks)
  EXPECT_EQ(other_blocks, 1u);
  EXPECT_EQ(ThreadCacheStats().blocks, 0u);
}

TEST(JsonAllocatorTest, ValuesMovedOutOfADocumentOutliveIt) {
  Value kept;
  {
    auto doc = Parse("{\"signed\":{\"targets\":{\"x\":{\"length\":1}}}}", "doc.json");
    ASSERT_TRUE(doc.has_value());
    kept = std::move((*doc)["signed"]);
  }
  auto again = Parse("{\"other\":[[1],[2],[3]]}", "doc.json");  // reuses freed blocks
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(kept["targets"]["x"]["length"].as_int(), 1);
}

#ifdef VIGIL_TEST_ASAN
TEST(JsonAllocatorTest, ACachedBlockIsPoisonedForAddressSanitizer) {
  DrainCache();
  void* p = Take(64);
  char* after_link = static_cast<char*>(p) + sizeof(void*);
  EXPECT_FALSE(__asan_address_is_poisoned(after_link));
  Give(p, 64);
  EXPECT_TRUE(__asan_address_is_poisoned(after_link));
  EXPECT_EQ(__asan_region_is_poisoned(after_link, 64 - sizeof(void*)), after_link);
  EXPECT_FALSE(__asan_address_is_poisoned(p));  // the link, which LeakSanitizer must read
  EXPECT_EQ(Take(64), p);
  EXPECT_FALSE(__asan_address_is_poisoned(after_link));
  Give(p, 64);
  DrainCache();
}

// Blocks in the cache are not leaks: LeakSanitizer skips poisoned words, and with the links
// poisoned every cached block after a list's first was reported (libFuzzer's leak checks did).
TEST(JsonAllocatorTest, CachedBlocksAreNotReportedAsLeaks) {
  DrainCache();
  for (int i = 0; i < 4; ++i) Give(::operator new(160), 160);
  EXPECT_EQ(__lsan_do_recoverable_leak_check(), 0);
  DrainCache();
}
#endif

}  // namespace
}  // namespace vigil::json
