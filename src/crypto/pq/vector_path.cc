#include "pq/vector_path.h"

#include <cstdlib>
#include <cstring>

namespace vigil::crypto::pq::internal {

bool CpuHasAvx2() {
#if defined(__x86_64__)
  static const bool has = [] {
    __builtin_cpu_init();  // may run during static initialisation, before the runtime's own
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return has;
#else
  return false;
#endif
}

bool UseAvx2() {
  static const bool use = [] {
    const char* portable = std::getenv("VIGIL_PQ_PORTABLE");
    return CpuHasAvx2() && !(portable != nullptr && std::strcmp(portable, "1") == 0);
  }();
  return use;
}

}  // namespace vigil::crypto::pq::internal
