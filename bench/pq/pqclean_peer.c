/* The driver of the PQClean peer (pqclean_peer.h): a table of PQClean's portable ML-KEM and
 * ML-DSA entry points, by their namespaced names from each scheme's api.h. */
#include "pqclean_peer.h"

#include "crypto_kem/ml-kem-1024/clean/api.h"
#include "crypto_kem/ml-kem-512/clean/api.h"
#include "crypto_kem/ml-kem-768/clean/api.h"
#include "crypto_sign/ml-dsa-44/clean/api.h"
#include "crypto_sign/ml-dsa-65/clean/api.h"
#include "crypto_sign/ml-dsa-87/clean/api.h"

#define VIGIL_KEM(label, P)                                                                  \
  {                                                                                          \
    label, P##_CRYPTO_PUBLICKEYBYTES, P##_CRYPTO_SECRETKEYBYTES, P##_CRYPTO_CIPHERTEXTBYTES, \
        P##_crypto_kem_keypair, P##_crypto_kem_enc, P##_crypto_kem_dec                       \
  }
#define VIGIL_SIGN(label, P)                                                       \
  {                                                                                \
    label, P##_CRYPTO_PUBLICKEYBYTES, P##_CRYPTO_SECRETKEYBYTES, P##_CRYPTO_BYTES, \
        P##_crypto_sign_keypair, P##_crypto_sign_signature, P##_crypto_sign_verify \
  }

static const VigilPqcleanKem kKems[] = {
    VIGIL_KEM("ml-kem-512", PQCLEAN_MLKEM512_CLEAN),
    VIGIL_KEM("ml-kem-768", PQCLEAN_MLKEM768_CLEAN),
    VIGIL_KEM("ml-kem-1024", PQCLEAN_MLKEM1024_CLEAN),
};
static const VigilPqcleanSign kSigns[] = {
    VIGIL_SIGN("ml-dsa-44", PQCLEAN_MLDSA44_CLEAN),
    VIGIL_SIGN("ml-dsa-65", PQCLEAN_MLDSA65_CLEAN),
    VIGIL_SIGN("ml-dsa-87", PQCLEAN_MLDSA87_CLEAN),
};

const VigilPqcleanKem* VigilPqcleanKems(size_t* count) {
  *count = sizeof kKems / sizeof kKems[0];
  return kKems;
}

const VigilPqcleanSign* VigilPqcleanSigns(size_t* count) {
  *count = sizeof kSigns / sizeof kSigns[0];
  return kSigns;
}
