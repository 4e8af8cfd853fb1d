// Shared fixtures of the pump's unit tests: the example drug library and a library key.
#ifndef PUMP_TESTS_TEST_LIBRARY_H_
#define PUMP_TESTS_TEST_LIBRARY_H_

#include <string>

#include "drug_library.h"
#include "vigil/core/env.h"

namespace pump::testing {

// examples/infusion-pump/drug-library.json, as text.
inline std::string ExampleLibraryText() {
  auto bytes = vigil::Env::Default()->ReadFile(std::string(PUMP_SOURCE_DIR) + "/drug-library.json");
  return bytes ? std::string(vigil::AsStringView(*bytes)) : std::string();
}

// The example library, parsed (aborts the test binary if it does not parse: every test needs it).
inline DrugLibrary ExampleLibrary() {
  return *DrugLibrary::Parse(ExampleLibraryText(), "drug-library.json");
}

}  // namespace pump::testing

#endif  // PUMP_TESTS_TEST_LIBRARY_H_
