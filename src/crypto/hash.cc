#include "vigil/crypto/hash.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstdlib>

#include "internal/openssl_util.h"

namespace vigil::crypto {
namespace {

// Fetched once: EVP_MD_fetch per call costs more than hashing a short message.
const EVP_MD* FetchedMd(AlgorithmId alg) {
  static const EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  static const EVP_MD* sha384 = EVP_MD_fetch(nullptr, "SHA384", nullptr);
  static const EVP_MD* sha512 = EVP_MD_fetch(nullptr, "SHA512", nullptr);
  static const EVP_MD* sha3_256 = EVP_MD_fetch(nullptr, "SHA3-256", nullptr);
  static const EVP_MD* shake128 = EVP_MD_fetch(nullptr, "SHAKE128", nullptr);
  static const EVP_MD* shake256 = EVP_MD_fetch(nullptr, "SHAKE256", nullptr);
  switch (alg) {
    case AlgorithmId::kSha256:
      return sha256;
    case AlgorithmId::kSha384:
      return sha384;
    case AlgorithmId::kSha512:
      return sha512;
    case AlgorithmId::kSha3_256:
      return sha3_256;
    case AlgorithmId::kShake128:
      return shake128;
    case AlgorithmId::kShake256:
      return shake256;
    default:
      return nullptr;
  }
}

bool IsFixedHash(AlgorithmId alg) {
  return alg == AlgorithmId::kSha256 || alg == AlgorithmId::kSha384 ||
         alg == AlgorithmId::kSha512 || alg == AlgorithmId::kSha3_256;
}

[[noreturn]] void Die(const char* what) {
  // Hashing into a buffer we sized cannot fail unless OpenSSL itself is broken.
  std::fprintf(stderr, "vigil: %s failed: %s\n", what, internal::DrainOpensslErrors().c_str());
  std::abort();
}

}  // namespace

// The SHA256_* streaming calls are deprecated in OpenSSL 3.0 in favour of EVP, but they are the
// same implementation without the per-call provider dispatch; keep them for the hot path.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
// OpenSSL 3.0's one-shot SHA256() goes through EVP_Q_digest (an algorithm fetch and free per
// call), which costs more than hashing the 50-300 byte inputs of Merkle trees; the streaming
// calls run the same code without it.
Sha256Digest Sha256(ByteView data) {
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, data.data(), data.size());
  Sha256Digest out;
  SHA256_Final(out.data(), &ctx);
  return out;
}

Sha256Digest Sha256(std::initializer_list<ByteView> pieces) {
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  for (ByteView p : pieces) SHA256_Update(&ctx, p.data(), p.size());
  Sha256Digest out;
  SHA256_Final(out.data(), &ctx);
  return out;
}
#pragma GCC diagnostic pop

size_t DigestLength(AlgorithmId alg) {
  switch (alg) {
    case AlgorithmId::kSha256:
      return 32;
    case AlgorithmId::kSha384:
      return 48;
    case AlgorithmId::kSha512:
      return 64;
    case AlgorithmId::kSha3_256:
      return 32;
    default:
      return 0;
  }
}

Result<Bytes> Digest(AlgorithmId alg, ByteView data) {
  if (!IsFixedHash(alg)) {
    return InvalidArgumentError("digest: algorithm id " + std::to_string(static_cast<int>(alg)) +
                                " is not a fixed-length hash");
  }
  Bytes out(DigestLength(alg));
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, FetchedMd(alg), nullptr) != 1) {
    Die("EVP_Digest");
  }
  return out;
}

Result<Bytes> Shake(AlgorithmId alg, ByteView data, size_t out_len) {
  if (alg != AlgorithmId::kShake128 && alg != AlgorithmId::kShake256) {
    return InvalidArgumentError("shake: algorithm must be SHAKE128 or SHAKE256");
  }
  Bytes out(out_len);
  internal::MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), FetchedMd(alg), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinalXOF(ctx.get(), out.data(), out.size()) != 1) {
    Die("SHAKE");
  }
  return out;
}

struct Hasher::Impl {
  internal::MdCtxPtr ctx{EVP_MD_CTX_new()};
};

Hasher::Hasher(AlgorithmId alg, std::unique_ptr<Impl> impl) : alg_(alg), impl_(std::move(impl)) {}
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;
Hasher::~Hasher() = default;

Result<Hasher> Hasher::Create(AlgorithmId alg) {
  if (!IsFixedHash(alg)) return InvalidArgumentError("hasher: not a fixed-length hash algorithm");
  auto impl = std::make_unique<Impl>();
  if (!impl->ctx || EVP_DigestInit_ex(impl->ctx.get(), FetchedMd(alg), nullptr) != 1) {
    return internal::OpensslError("EVP_DigestInit_ex");
  }
  return Hasher(alg, std::move(impl));
}

void Hasher::Update(ByteView data) {
  if (EVP_DigestUpdate(impl_->ctx.get(), data.data(), data.size()) != 1) Die("EVP_DigestUpdate");
}

Bytes Hasher::Finish() {
  Bytes out(DigestLength(alg_));
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(impl_->ctx.get(), out.data(), &len) != 1 ||
      EVP_DigestInit_ex(impl_->ctx.get(), FetchedMd(alg_), nullptr) != 1) {
    Die("EVP_DigestFinal_ex");
  }
  return out;
}

}  // namespace vigil::crypto
