// The fuzz harnesses as one program for builds without libFuzzer (fuzz/CMakeLists.txt generates
// the table; replay_main.cc runs one harness on its seeds and fixed mutations of them).
#ifndef VIGIL_FUZZ_REPLAY_H_
#define VIGIL_FUZZ_REPLAY_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vigil::fuzz_replay {

struct Harness {
  const char* name;
  int (*run)(const uint8_t* data, size_t size);
};

// Every harness declared with vigil_fuzz(), in declaration order.
const std::vector<Harness>& Harnesses();

}  // namespace vigil::fuzz_replay

#endif  // VIGIL_FUZZ_REPLAY_H_
