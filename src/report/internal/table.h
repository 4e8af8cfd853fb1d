// A table of the premarket package, built once and written three ways (HTML, CSV, JSON) so the
// three cannot disagree.
#ifndef VIGIL_REPORT_INTERNAL_TABLE_H_
#define VIGIL_REPORT_INTERNAL_TABLE_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::report::internal {

struct Table {
  Table(std::string id_, std::string title_) : id(std::move(id_)), title(std::move(title_)) {}
  std::string id;     // "findings": the CSV file stem, the JSON key, the HTML id
  std::string title;  // "Threat findings"
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  // Per row, a CSS class for the HTML ("bad", "good", "na" or ""); same length as rows.
  std::vector<std::string> marks;
  void Add(std::vector<std::string> row, std::string mark = {}) {
    rows.push_back(std::move(row));
    marks.push_back(std::move(mark));
  }
};

// RFC 4180 CSV with a header line; every field quoted when it holds a comma, quote or newline.
std::string ToCsv(const Table& t);
// Text made safe for HTML element content and attribute values.
std::string Html(std::string_view text);
// A <section> holding the table with its filter box; sorting and filtering by the page script.
std::string TableHtml(const Table& t);
// The page around the sections: styles (screen and print) and the sort/filter script.
std::string PageHtml(std::string_view title, std::string_view body);

}  // namespace vigil::report::internal

#endif  // VIGIL_REPORT_INTERNAL_TABLE_H_
