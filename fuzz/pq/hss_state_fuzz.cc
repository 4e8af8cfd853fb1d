// HSS state-file loading on arbitrary bytes: never a crash or a hang, and a file that is not an
// authentic state (the HMAC cannot match without the seed) must be refused, never reset.
#include <cstdlib>

#include "vigil/core/fault_env.h"
#include "vigil/crypto/pq/hss.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vigil::FaultInjectingEnv env(1);
  if (!env.WriteFileAtomic("/s.hss", vigil::ByteView(data, size)).has_value()) return 0;
  auto key = vigil::crypto::pq::HssSigningKey::Load(env, "/s.hss");
  // The smallest authentic state: magic, version, L=1, one type pair, seed, counter, HMAC.
  if (key.has_value() && size < 6 + 8 + 32 + 8 + 32) std::abort();
  return 0;
}
