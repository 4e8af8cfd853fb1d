// Hash functions and extendable-output functions over OpenSSL 3.0: SHA-256/384/512 (FIPS
// 180-4), SHA3-256 and SHAKE128/256 (FIPS 202).
//
// Thread-safety: the free functions are thread-safe; a Hasher object is used by one thread.
#ifndef VIGIL_CRYPTO_HASH_H_
#define VIGIL_CRYPTO_HASH_H_

#include <array>
#include <memory>

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"
#include "vigil/crypto/registry.h"

namespace vigil::crypto {

using Sha256Digest = std::array<uint8_t, 32>;

// One-shot SHA-256 (the hot path of the audit log and update verification).
Sha256Digest Sha256(ByteView data);
// SHA-256 over the concatenation of several pieces, without copying them together.
Sha256Digest Sha256(std::initializer_list<ByteView> pieces);

// One-shot digest of a fixed-length hash: kSha256, kSha384, kSha512, kSha3_256.
// InvalidArgument for any other algorithm.
Result<Bytes> Digest(AlgorithmId alg, ByteView data);

// SHAKE128 / SHAKE256 with `out_len` bytes of output. InvalidArgument for other algorithms.
Result<Bytes> Shake(AlgorithmId alg, ByteView data, size_t out_len);

// Digest length in bytes of a fixed-length hash (0 for anything else).
size_t DigestLength(AlgorithmId alg);

// Incremental hashing of a fixed-length hash, for streams (files, downloads).
class Hasher {
 public:
  // InvalidArgument for a non-hash algorithm.
  static Result<Hasher> Create(AlgorithmId alg);
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;
  ~Hasher();

  void Update(ByteView data);
  // The digest; the Hasher is reset and can be reused.
  Bytes Finish();
  AlgorithmId algorithm() const { return alg_; }

 private:
  struct Impl;
  Hasher(AlgorithmId alg, std::unique_ptr<Impl> impl);
  AlgorithmId alg_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::crypto

#endif  // VIGIL_CRYPTO_HASH_H_
