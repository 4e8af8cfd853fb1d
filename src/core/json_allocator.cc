// The per-thread block cache behind json::TreeAllocator (see vigil/core/json_allocator.h).
#include "vigil/core/json_allocator.h"

#include <new>

#if defined(__SANITIZE_ADDRESS__)
#define VIGIL_JSON_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VIGIL_JSON_ASAN 1
#endif
#endif
#ifdef VIGIL_JSON_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace vigil::json {
namespace {

// Blocks are kept by size rounded up to the granule: one free list per class.
constexpr size_t kGranule = 16;
constexpr size_t kClasses = kMaxCachedBlock / kGranule + 1;

size_t ClassOf(size_t bytes) { return (bytes + kGranule - 1) / kGranule; }

// A cached block's first bytes link it to the next block of its class.
struct FreeBlock {
  FreeBlock* next;
};

// A cached block is poisoned under AddressSanitizer, so touching a vector's storage after the
// vector freed it is still reported (as a use after poison), cache or not. All but its link:
// LeakSanitizer skips poisoned words, so with the link poisoned every block after a list's first
// looked leaked to libFuzzer's leak checks.
void Poison(void* p, size_t bytes) {
#ifdef VIGIL_JSON_ASAN
  ASAN_POISON_MEMORY_REGION(static_cast<char*>(p) + sizeof(FreeBlock), bytes - sizeof(FreeBlock));
#else
  (void)p, (void)bytes;
#endif
}
void Unpoison(void* p, size_t bytes) {
#ifdef VIGIL_JSON_ASAN
  ASAN_UNPOISON_MEMORY_REGION(p, bytes);
#else
  (void)p, (void)bytes;
#endif
}

struct Cache {
  FreeBlock* heads[kClasses] = {};
  size_t blocks = 0;
  size_t bytes = 0;
  ~Cache();
};

// Set when the thread's cache is destroyed (thread exit): a vector freed later (a thread_local
// or static Value destroyed after it) goes straight to operator delete. A trivially
// destructible flag, so reading it is valid at any point of the thread's teardown.
thread_local bool cache_gone = false;
thread_local Cache cache;

Cache::~Cache() {
  for (size_t c = 1; c < kClasses; ++c) {
    while (FreeBlock* b = heads[c]) {
      Unpoison(b, c * kGranule);
      heads[c] = b->next;
      ::operator delete(b);
    }
  }
  cache_gone = true;
}

}  // namespace

namespace allocator_internal {

void* Allocate(size_t bytes) {
  if (bytes > kMaxCachedBlock) return ::operator new(bytes);
  size_t c = ClassOf(bytes);
  // A small block is always its class's full size, also after this thread's cache is gone: any
  // other thread may free it into its own cache, which hands it out again as a block of that
  // size.
  if (cache_gone) return ::operator new(c * kGranule);
  FreeBlock* b = cache.heads[c];
  if (b == nullptr) return ::operator new(c * kGranule);
  Unpoison(b, c * kGranule);
  cache.heads[c] = b->next;
  --cache.blocks;
  cache.bytes -= c * kGranule;
  return b;
}

void Free(void* p, size_t bytes) noexcept {
  size_t c = ClassOf(bytes);
  if (bytes > kMaxCachedBlock || cache_gone || cache.bytes + c * kGranule > kMaxCachedBytes) {
    ::operator delete(p);
    return;
  }
  auto* b = static_cast<FreeBlock*>(p);
  b->next = cache.heads[c];
  Poison(b, c * kGranule);
  cache.heads[c] = b;
  ++cache.blocks;
  cache.bytes += c * kGranule;
}

}  // namespace allocator_internal

CacheStats ThreadCacheStats() {
  if (cache_gone) return {};
  return CacheStats{cache.blocks, cache.bytes};
}

}  // namespace vigil::json
