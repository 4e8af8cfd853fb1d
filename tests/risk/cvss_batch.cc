// Scores one CVSS vector per line of standard input and prints, per line,
// "base<TAB>temporal<TAB>environmental<TAB>score<TAB>severity" ("-" for a score the vector does
// not have; "error<TAB><message>" for a vector Evaluate refuses). The differential test runs it
// beside an independent implementation.
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include "vigil/risk/cvss.h"

namespace {

std::string Show(std::optional<double> v) {
  if (!v) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", *v);
  return buf;
}

}  // namespace

int main() {
  using namespace vigil::risk::cvss;
  std::string line;
  std::string out;
  while (std::getline(std::cin, line)) {
    auto s = Evaluate(line);
    if (!s) {
      out += "error\t" + s.error().message() + "\n";
      continue;
    }
    out += Show(s->base) + "\t" + Show(s->temporal) + "\t" + Show(s->environmental) + "\t" +
           Show(s->score) + "\t" + std::string(SeverityName(s->severity)) + "\n";
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
