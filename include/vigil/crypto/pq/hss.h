// HSS/LMS hash-based signatures (RFC 8554, NIST SP 800-208): verification for every parameter
// set of RFC 8554 and the SHA-256/192, SHAKE256/256 and SHAKE256/192 sets of SP 800-208, with
// HSS trees of up to 8 levels. Parsing is strict: every length follows from the type codes,
// unknown types and leaf indexes outside the tree are rejected with the field named.
//
// Security property: hash-based, so secure against quantum adversaries on the strength of the
// hash alone (CNSA 2.0 firmware signing). Verification needs no secret and keeps no state.
//
// Thread-safety: pure functions; the VerifyingKey is immutable.
#ifndef VIGIL_CRYPTO_PQ_HSS_H_
#define VIGIL_CRYPTO_PQ_HSS_H_

#include <memory>

#include "vigil/crypto/signature.h"

namespace vigil::crypto::pq {

// An HSS public key (u32 L || LMS public key). InvalidArgument naming the problem.
Result<std::unique_ptr<VerifyingKey>> HssPublicKey(ByteView encoded);

// OK if `signature` is a valid HSS signature of `message` under `public_key`; Unauthenticated
// with the reason otherwise (malformed encodings included).
Status HssVerify(ByteView public_key, ByteView message, ByteView signature);

}  // namespace vigil::crypto::pq

#endif  // VIGIL_CRYPTO_PQ_HSS_H_
