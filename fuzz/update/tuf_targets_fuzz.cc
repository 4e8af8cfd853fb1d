// Targets::Parse (top-level targets and delegated roles: delegations, keys, paths,
// path_hash_prefixes) on arbitrary bytes, with the invariants of metadata_reader_fuzz.h.
#include "metadata_reader_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return vigil::update::fuzz::FuzzMetadataReader<vigil::update::Targets>(data, size,
                                                                         "targets.json");
}
