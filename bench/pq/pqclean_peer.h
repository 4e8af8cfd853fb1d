// The same-run peer of the ML-KEM and ML-DSA benchmarks: PQClean's portable ("clean") C
// implementations, compiled at build time from the npm package `pqclean` (installed under
// build/node by scripts/setup, never committed) and reached through the small C driver
// pqclean_peer.c. Each entry points at PQClean's own API functions; the benchmarks time them with
// the same cycle counter and the same number of runs as Vigil's.
#ifndef VIGIL_BENCH_PQ_PQCLEAN_PEER_H_
#define VIGIL_BENCH_PQ_PQCLEAN_PEER_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  const char* name;  // "ml-kem-768", as Vigil's bench rows name the set
  size_t public_key_bytes, secret_key_bytes, ciphertext_bytes;
  int (*keypair)(uint8_t* pk, uint8_t* sk);
  int (*encaps)(uint8_t* ct, uint8_t* ss, const uint8_t* pk);
  int (*decaps)(uint8_t* ss, const uint8_t* ct, const uint8_t* sk);
} VigilPqcleanKem;

typedef struct {
  const char* name;  // "ml-dsa-65"
  size_t public_key_bytes, secret_key_bytes, signature_bytes;
  int (*keypair)(uint8_t* pk, uint8_t* sk);
  int (*sign)(uint8_t* sig, size_t* sig_len, const uint8_t* m, size_t m_len, const uint8_t* sk);
  int (*verify)(const uint8_t* sig, size_t sig_len, const uint8_t* m, size_t m_len,
                const uint8_t* pk);
} VigilPqcleanSign;

// ML-KEM-512, -768, -1024 in that order (*count = 3).
const VigilPqcleanKem* VigilPqcleanKems(size_t* count);
// ML-DSA-44, -65, -87 in that order (*count = 3).
const VigilPqcleanSign* VigilPqcleanSigns(size_t* count);

#ifdef __cplusplus
}
#endif

#endif  // VIGIL_BENCH_PQ_PQCLEAN_PEER_H_
