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

bool CpuHasAvx512() {
#if defined(__x86_64__)
  // libgcc's cpuinfo reports AVX-512 only when XCR0 shows the OS saves the opmask and upper
  // ZMM state.
  static const bool has = [] {
    __builtin_cpu_init();
    return CpuHasAvx2() && __builtin_cpu_supports("avx512f") != 0 &&
           __builtin_cpu_supports("avx512vl") != 0;
  }();
  return has;
#else
  return false;
#endif
}

namespace {

bool EnvIsOne(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && std::strcmp(v, "1") == 0;
}

}  // namespace

bool UseAvx512() {
  static const bool use = UseAvx2() && CpuHasAvx512() && !EnvIsOne("VIGIL_PQ_NO_AVX512");
  return use;
}

bool UseAvx2() {
  static const bool use = CpuHasAvx2() && !EnvIsOne("VIGIL_PQ_PORTABLE");
  return use;
}

bool UseNeon() {
#if defined(__aarch64__)
  static const bool use = !EnvIsOne("VIGIL_PQ_PORTABLE");
  return use;
#else
  return false;
#endif
}

}  // namespace vigil::crypto::pq::internal
