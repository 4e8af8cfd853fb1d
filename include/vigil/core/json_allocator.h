// The allocator of json::Array and json::Object (json.h): a per-thread cache of freed blocks by
// size, in front of operator new.
//
// Why: a parsed document is a tree of small vectors (a TUF targets role with 10,000 entries holds
// two member vectors per entry, 288 bytes each), built in one pass and freed together a moment
// later. Blocks of that size are past glibc's fast bins, so each free coalesces with its
// neighbours and each malloc sorts the unsorted bin: the refresh's reading spent a third of its
// CPU in malloc and free. A block freed here waits in the freeing thread's cache for the next
// vector of its size; the next document's vectors take it back without asking malloc.
//
// The allocator is stateless (every instance equal), so a vector moves, swaps and outlives the
// document it came from exactly as with std::allocator: a block belongs to no document, only to
// whichever vector holds it. Blocks up to kMaxCachedBlock bytes are cached, at most
// kMaxCachedBytes per thread; larger ones and the surplus go straight to operator new/delete. A
// thread's cache is released when the thread exits. Under AddressSanitizer a cached block is
// poisoned but for its first word (the cache's link, which LeakSanitizer must read), so touching
// a vector's storage after the vector freed it is still reported (as a use after poison).
//
// Thread-safety: each thread has its own cache; a block freed by another thread than the one
// that allocated it joins the freeing thread's cache.
#ifndef VIGIL_CORE_JSON_ALLOCATOR_H_
#define VIGIL_CORE_JSON_ALLOCATOR_H_

#include <cstddef>

namespace vigil::json {

namespace allocator_internal {
// `bytes` > 0. Never null: operator new's std::bad_alloc when memory is exhausted.
void* Allocate(size_t bytes);
// Precondition: `p` came from Allocate(bytes) (any thread).
void Free(void* p, size_t bytes) noexcept;
}  // namespace allocator_internal

// Blocks of up to this many bytes are cached (a member vector of up to 56 members).
inline constexpr size_t kMaxCachedBlock = 4096;
// What one thread's cache holds at most.
inline constexpr size_t kMaxCachedBytes = size_t{1} << 20;

// How many blocks and bytes the calling thread's cache holds (for tests).
struct CacheStats {
  size_t blocks = 0;
  size_t bytes = 0;
};
CacheStats ThreadCacheStats();

template <typename T>
class TreeAllocator {
 public:
  using value_type = T;
  TreeAllocator() noexcept = default;
  template <typename U>
  TreeAllocator(const TreeAllocator<U>&) noexcept {}
  T* allocate(size_t n) { return static_cast<T*>(allocator_internal::Allocate(n * sizeof(T))); }
  void deallocate(T* p, size_t n) noexcept { allocator_internal::Free(p, n * sizeof(T)); }
  template <typename U>
  friend bool operator==(const TreeAllocator&, const TreeAllocator<U>&) noexcept {
    return true;
  }
};

}  // namespace vigil::json

#endif  // VIGIL_CORE_JSON_ALLOCATOR_H_
