// Fuzz target: the drug-library reader (DrugLibrary::Parse), which reads the safety-critical
// limits after their tag verified, and a program checked against what it accepted.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "drug_library.h"
#include "program.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  vigil::Result<pump::DrugLibrary> library = pump::DrugLibrary::Parse(text, "fuzz.json");
  if (!library) return 0;
  for (const pump::Drug& drug : library->drugs()) {
    pump::ProgramRequest request;
    request.drug_id = drug.id;
    request.rate_ul_h = drug.rate_ul_h.soft_max;
    request.volume_ul = drug.max_volume_ul;
    (void)pump::Program::Create(*library, request);
  }
  return 0;
}
