// Test support for the vuln module: running the reference validators of tests/tools (JSON
// Schema, CSAF, SARIF) through node, with the packages scripts/setup installs in build/node.
// A missing node or package makes the script fail, so a test using it fails rather than skips.
#ifndef VIGIL_VULN_TESTING_NODE_VALIDATOR_H_
#define VIGIL_VULN_TESTING_NODE_VALIDATOR_H_

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <utility>

namespace vigil::vuln::testing {

// Writes `content` to `name` in the test's temporary directory; returns the path.
inline std::string WriteTemp(const std::string& name, const std::string& content) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << content;
  return path;
}

// Runs tests/tools/`script` with `args` under node; returns its exit status (as pclose gives
// it, 0 for success) and its output, stderr included.
inline std::pair<int, std::string> RunNode(const std::string& script, const std::string& args) {
  const std::string cmd = "VIGIL_NODE_MODULES=" VIGIL_SOURCE_DIR
                          "/build/node/node_modules node " VIGIL_SOURCE_DIR "/tests/tools/" +
                          script + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return {-1, "popen failed"};
  std::string out;
  char buf[512];
  while (fgets(buf, sizeof buf, p) != nullptr) out += buf;
  return {pclose(p), out};
}

}  // namespace vigil::vuln::testing

#endif  // VIGIL_VULN_TESTING_NODE_VALIDATOR_H_
