// The sealed KEK file parser: arbitrary bytes never crash it, and whatever it accepts re-encodes
// to exactly the same bytes (one meaning per file).
#include <cstdlib>

#include "vigil/vault/passphrase_kek_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vigil::ByteView in(data, size);
  auto parsed = vigil::vault::SealedKek::Parse(in);
  if (!parsed) return 0;
  vigil::Bytes again = parsed->Encode();
  if (again != vigil::Bytes(in.begin(), in.end())) std::abort();
  return 0;
}
