// FIRST EPSS CSV reader. The published file (epss_scores-YYYY-MM-DD.csv) starts with a comment
// line "#model_version:v2025.03.14,score_date:2025-08-25T12:55:00Z", then the header
// "cve,epss,percentile", then one row per CVE with decimal fractions.
#include <charconv>
#include <string>

#include "vigil/vuln/feeds.h"

namespace vigil::vuln {
namespace {

struct LineReader {
  std::string_view text;
  size_t pos = 0;
  size_t line_no = 0;
  bool Next(std::string_view& line) {
    if (pos >= text.size()) return false;
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = end + 1;
    ++line_no;
    return true;
  }
};

Error Fail(std::string_view source, size_t line, const std::string& problem) {
  return InvalidArgumentError(std::string(source) + ": line " + std::to_string(line) + ": " +
                              problem);
}

// "#model_version:v2025.03.14,score_date:2025-08-25T12:55:00Z" → the two values.
void ReadComment(std::string_view line, EpssFeed& feed) {
  line.remove_prefix(1);
  while (!line.empty()) {
    size_t comma = line.find(',');
    std::string_view item = line.substr(0, comma);
    size_t colon = item.find(':');
    if (colon != std::string_view::npos) {
      std::string_view key = item.substr(0, colon), value = item.substr(colon + 1);
      if (key == "model_version") feed.model_version = value;
      if (key == "score_date") feed.score_date = value;
    }
    if (comma == std::string_view::npos) break;
    line.remove_prefix(comma + 1);
  }
}

Result<double> ReadFraction(std::string_view source, size_t line, std::string_view column,
                            std::string_view text) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !(v >= 0 && v <= 1)) {
    return Fail(source, line,
                "column " + std::string(column) + ": expected a number in [0, 1], got '" +
                    std::string(text.substr(0, 40)) + "'");
  }
  return v;
}

Result<EpssScore> ReadRow(std::string_view source, size_t line_no, std::string_view line) {
  size_t c1 = line.find(',');
  size_t c2 = c1 == std::string_view::npos ? c1 : line.find(',', c1 + 1);
  if (c2 == std::string_view::npos || line.find(',', c2 + 1) != std::string_view::npos) {
    return Fail(source, line_no, "expected 3 columns cve,epss,percentile");
  }
  EpssScore s;
  s.cve = line.substr(0, c1);
  if (s.cve.rfind("CVE-", 0) != 0 || s.cve.size() < 9) {
    return Fail(source, line_no,
                "column cve: expected a CVE id, got '" + s.cve.substr(0, 40) + "'");
  }
  VIGIL_ASSIGN_OR_RETURN(s.score,
                         ReadFraction(source, line_no, "epss", line.substr(c1 + 1, c2 - c1 - 1)));
  VIGIL_ASSIGN_OR_RETURN(s.percentile,
                         ReadFraction(source, line_no, "percentile", line.substr(c2 + 1)));
  return s;
}

}  // namespace

Result<EpssFeed> ParseEpssCsv(std::string_view csv, std::string_view source) {
  EpssFeed feed;
  LineReader lines{csv};
  std::string_view line;
  bool header = false;
  while (lines.Next(line)) {
    if (line.empty()) continue;
    if (!header && line.front() == '#') {
      ReadComment(line, feed);
      continue;
    }
    if (!header) {
      if (line != "cve,epss,percentile") {
        return Fail(source, lines.line_no,
                    "expected the header 'cve,epss,percentile', got '" +
                        std::string(line.substr(0, 60)) + "'");
      }
      header = true;
      continue;
    }
    VIGIL_ASSIGN_OR_RETURN(EpssScore s, ReadRow(source, lines.line_no, line));
    feed.scores.push_back(std::move(s));
  }
  if (!header) return Fail(source, lines.line_no, "no 'cve,epss,percentile' header found");
  return feed;
}

}  // namespace vigil::vuln
