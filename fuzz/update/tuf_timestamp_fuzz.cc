// Timestamp::Parse on arbitrary bytes, with the invariants of metadata_reader_fuzz.h.
#include "metadata_reader_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return vigil::update::fuzz::FuzzMetadataReader<vigil::update::Timestamp>(data, size,
                                                                           "timestamp.json");
}
