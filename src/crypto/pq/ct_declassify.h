// Declassification points for the constant-time (ctgrind) checks. FIPS 204 signing rejects
// candidate signatures by conditions on secret-derived values; whether a candidate is rejected
// is allowed to leak (it reveals only the iteration count), so the code marks exactly those
// values public. In the valgrind harness build (VIGIL_CT_CHECK) this tells memcheck the value
// is defined; in every other build it compiles to nothing.
#ifndef VIGIL_CRYPTO_PQ_CT_DECLASSIFY_H_
#define VIGIL_CRYPTO_PQ_CT_DECLASSIFY_H_

#include <cstddef>

#ifdef VIGIL_CT_CHECK
#include <valgrind/memcheck.h>
#define VIGIL_DECLASSIFY(ptr, len) VALGRIND_MAKE_MEM_DEFINED((ptr), (len))
#else
#define VIGIL_DECLASSIFY(ptr, len) \
  do {                             \
    (void)(ptr);                   \
    (void)(len);                   \
  } while (0)
#endif

#endif  // VIGIL_CRYPTO_PQ_CT_DECLASSIFY_H_
