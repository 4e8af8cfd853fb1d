// Internal: single-block SHA-256 for the LM-OTS hash chains. Every chain step of LM-OTS hashes
// I || u32(q) || u16(i) || u8(j) || tmp = 55 bytes (n = 32) or 47 bytes (n = 24): one
// compression. Going through OpenSSL costs an init/update/final per step, which dominates at
// this size; this computes the one compression directly, with the SHA-NI instructions when the
// CPU has them (checked once via cpuid) and a portable C++ fallback otherwise.
//
// Thread-safety: pure functions.
#ifndef VIGIL_CRYPTO_PQ_LMS_SHA256_H_
#define VIGIL_CRYPTO_PQ_LMS_SHA256_H_

#include <cstddef>
#include <cstdint>

namespace vigil::crypto::pq::lms {

// SHA-256 of msg[0..len) for len <= 55 (one padded block). Requires len <= 55.
void Sha256Short(const uint8_t* msg, size_t len, uint8_t out[32]);

// The compression function over one 64-byte block, for tests and benchmarks.
void Sha256Compress(uint32_t state[8], const uint8_t block[64]);
void Sha256CompressPortable(uint32_t state[8], const uint8_t block[64]);

// True when Sha256Compress uses the SHA-NI instructions.
bool Sha256HasShaNi();

}  // namespace vigil::crypto::pq::lms

#endif  // VIGIL_CRYPTO_PQ_LMS_SHA256_H_
