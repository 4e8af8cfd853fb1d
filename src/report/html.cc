#include "vigil/core/html.h"

#include "internal/table.h"

namespace vigil::report::internal {
namespace {

std::string CsvField(std::string_view f) {
  if (f.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(f);
  std::string out = "\"";
  for (char c : f) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

constexpr std::string_view kStyle = R"css(
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1280px;padding:0 1.5em;color:#1b1b1b}
h1{font-size:1.6em;margin-top:1em}h2{border-bottom:2px solid #345;padding-bottom:.2em;margin-top:2em}
h3{margin-top:1.4em}table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}
th,td{border:1px solid #bbb;padding:.25em .45em;text-align:left;vertical-align:top}
th{background:#e8edf3;cursor:pointer;user-select:none;position:sticky;top:0}
th[aria-sort=ascending]::after{content:" \25B2"}th[aria-sort=descending]::after{content:" \25BC"}
tr.bad td{background:#fde8e8}tr.good td{background:#eaf6ea}tr.na td{color:#666;background:#f4f4f4}
.filter{margin:.3em 0;padding:.25em .4em;width:22em}.count{color:#555;margin-left:.6em}
.view{border:1px solid #ccc;margin:1em 0;padding:.5em;overflow:auto}.view svg{max-width:100%;height:auto}
.summary td:first-child{font-weight:600;width:18em}.unverified{color:#a00;font-weight:600}
nav ol{columns:2}code{background:#f2f2f2;padding:0 .2em}
@media print{.filter,.count,nav{display:none}th{position:static}body{max-width:none;font-size:10pt}
tr,.view{break-inside:avoid}h2{break-before:page}a{color:inherit;text-decoration:none}}
)css";

// Sorting (click a header; numbers compare as numbers) and filtering (rows whose text does not
// contain every word typed are hidden). No library, no network.
constexpr std::string_view kScript = R"js(
(function(){
function cellValue(row,i){var c=row.cells[i];return c?c.textContent.trim():"";}
function compare(a,b){var x=parseFloat(a),y=parseFloat(b);
 if(!isNaN(x)&&!isNaN(y)&&String(x)===a.split(" ")[0]&&String(y)===b.split(" ")[0])return x-y;
 return a.localeCompare(b);}
document.querySelectorAll("table.data").forEach(function(table){
 var heads=table.tHead.rows[0].cells;
 Array.prototype.forEach.call(heads,function(th,i){th.addEventListener("click",function(){
  var asc=th.getAttribute("aria-sort")!=="ascending";
  Array.prototype.forEach.call(heads,function(h){h.removeAttribute("aria-sort");});
  th.setAttribute("aria-sort",asc?"ascending":"descending");
  var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
  rows.sort(function(r,s){var d=compare(cellValue(r,i),cellValue(s,i));return asc?d:-d;});
  rows.forEach(function(r){body.appendChild(r);});});});
 var box=document.getElementById(table.id+"-filter"),count=document.getElementById(table.id+"-count");
 function apply(){var words=box.value.toLowerCase().split(/\s+/).filter(Boolean),shown=0;
  Array.prototype.forEach.call(table.tBodies[0].rows,function(r){var t=r.textContent.toLowerCase();
   var ok=words.every(function(w){return t.indexOf(w)>=0;});r.hidden=!ok;if(ok)shown++;});
  count.textContent=shown+" of "+table.tBodies[0].rows.length+" rows";}
 box.addEventListener("input",apply);apply();});
})();
)js";

}  // namespace

std::string ToCsv(const Table& t) {
  std::string out;
  auto line = [&](const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + CsvField(fields[i]);
    out += "\r\n";
  };
  line(t.columns);
  for (const auto& row : t.rows) line(row);
  return out;
}

std::string Html(std::string_view text) { return HtmlEscape(text); }

std::string TableHtml(const Table& t) {
  std::string out = "<h3 id=\"" + t.id + "-title\">" + Html(t.title) + "</h3>\n";
  out += "<input class=\"filter\" type=\"search\" id=\"" + t.id +
         "-filter\" placeholder=\"Filter rows\" aria-label=\"Filter " + Html(t.title) +
         "\"><span class=\"count\" id=\"" + t.id + "-count\"></span>\n";
  out += "<table class=\"data\" id=\"" + t.id + "\"><thead><tr>";
  for (const std::string& c : t.columns) out += "<th scope=\"col\">" + Html(c) + "</th>";
  out += "</tr></thead><tbody>\n";
  for (size_t r = 0; r < t.rows.size(); ++r) {
    out += t.marks[r].empty() ? "<tr>" : "<tr class=\"" + t.marks[r] + "\">";
    for (const std::string& cell : t.rows[r]) out += "<td>" + Html(cell) + "</td>";
    out += "</tr>\n";
  }
  out += "</tbody></table>\n";
  return out;
}

std::string PageHtml(std::string_view title, std::string_view body) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n<title>";
  out += Html(title);
  out += "</title>\n<style>";
  out += kStyle;
  out += "</style></head><body>\n";
  out += body;
  out += "<script>";
  out += kScript;
  out += "</script>\n</body></html>\n";
  return out;
}

}  // namespace vigil::report::internal
