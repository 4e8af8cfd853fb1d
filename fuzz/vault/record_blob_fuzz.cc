// The stored per-record blobs: a wrapped data key and a sealed record read back from the
// database, possibly altered. Arbitrary bytes must be refused cleanly (never crash, never open):
// the first byte picks the split between the wrapped key and the sealed record.
#include <cstdlib>

#include "internal/record_crypto.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil::vault::internal;
  static const vigil::crypto::AesKeyWrapper* kek = [] {
    vigil::crypto::SecretBytes key(32);
    return new vigil::crypto::AesKeyWrapper(vigil::crypto::AesKeyWrapper::Create(key).value());
  }();
  if (size == 0) return 0;
  size_t split = data[0] % (size);
  vigil::ByteView rest(data + 1, size - 1);
  vigil::ByteView wrapped = rest.first(std::min(split, rest.size()));
  vigil::ByteView sealed = rest.subspan(wrapped.size());
  (void)ParseSealedRecord(sealed);
  (void)CheckWrappedDek(wrapped);
  (void)kek->Unwrap(wrapped);
  auto plain = OpenRecord(*kek, wrapped, sealed, RecordAad("t", "id", 1));
  // Reaching here by mutation would mean passing AES-KW's 64-bit check and a GCM tag.
  if (plain) std::abort();
  return 0;
}
