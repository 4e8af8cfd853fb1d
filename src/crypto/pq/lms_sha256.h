// Internal: single-block SHA-256 for the LM-OTS hash chains. Every chain step of LM-OTS hashes
// I || u32(q) || u16(i) || u8(j) || tmp = 55 bytes (n = 32) or 47 bytes (n = 24): one
// compression. Going through OpenSSL costs an init/update/final per step, which dominates at
// this size; this computes the one compression directly, with the SHA-NI instructions when an
// x86-64 CPU has them (checked once via cpuid) and portable C++ otherwise (every other CPU,
// aarch64 devices included).
//
// Thread-safety: pure functions.
#ifndef VIGIL_CRYPTO_PQ_LMS_SHA256_H_
#define VIGIL_CRYPTO_PQ_LMS_SHA256_H_

#include <cstddef>
#include <cstdint>

namespace vigil::crypto::pq::lms {

// SHA-256 of msg[0..len) for len <= 55 (one padded block). Requires len <= 55.
void Sha256Short(const uint8_t* msg, size_t len, uint8_t out[32]);

// One LM-OTS hash chain with SHA-256 (RFC 8554 Algorithm 4b / SP 800-208 SHA-256/192): for j in
// [from, to): tmp = SHA-256(I || u32(q) || u16(i) || u8(j) || tmp) truncated to n bytes.
// n is 24 or 32; `tmp` holds n bytes and is updated in place.
void Sha256Chain(const uint8_t id[16], const uint8_t q[4], int i, int from, int to, size_t n,
                 uint8_t* tmp);

// Many independent LM-OTS chains under the same I and q (the p chains of one signature or
// public key). With SHA-NI, four chains advance together so the rounds of one hide the
// latency of the others (a single chain is latency-bound); otherwise one at a time.
struct ChainJob {
  int i, from, to;  // coefficient index; steps j in [from, to)
  uint8_t* tmp;     // n bytes, updated in place
};
void Sha256Chains(const uint8_t id[16], const uint8_t q[4], size_t n, const ChainJob* jobs,
                  size_t count);

// The compression function over one 64-byte block, for tests and benchmarks.
void Sha256Compress(uint32_t state[8], const uint8_t block[64]);
void Sha256CompressPortable(uint32_t state[8], const uint8_t block[64]);

// True when Sha256Compress uses the SHA-NI instructions.
bool Sha256HasShaNi();

}  // namespace vigil::crypto::pq::lms

#endif  // VIGIL_CRYPTO_PQ_LMS_SHA256_H_
