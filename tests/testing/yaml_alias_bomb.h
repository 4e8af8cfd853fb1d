// YamlAliasBomb: a "billion laughs" YAML document for tests that show a reader refuses it.
// Line i (i = 1..levels) is a mapping entry `aI: &aI [*aJ, ×10]` repeating the previous level
// ten times, so the few hundred bytes name 10^(levels+1) strings once aliases are expanded.
// A reader that expands aliases (yaml-cpp's YAML::Load followed by a copy into JSON) needs
// memory in proportion to that; one that refuses anchors needs none.
#ifndef VIGIL_TESTS_TESTING_YAML_ALIAS_BOMB_H_
#define VIGIL_TESTS_TESTING_YAML_ALIAS_BOMB_H_

#include <string>

namespace vigil::testing {

// `leaf` is the scalar repeated at the bottom level (e.g. "lol", or a permission name so the
// expanded document would also pass a schema check).
inline std::string YamlAliasBomb(int levels, const std::string& leaf = "lol") {
  std::string yaml = "a0: &a0 [";
  for (int k = 0; k < 10; ++k) yaml += (k ? ", " : "") + leaf;
  yaml += "]\n";
  for (int i = 1; i <= levels; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    yaml += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) yaml += (k ? ", " : "") + prev;
    yaml += "]\n";
  }
  return yaml;
}

}  // namespace vigil::testing

#endif  // VIGIL_TESTS_TESTING_YAML_ALIAS_BOMB_H_
