// The dashboard's pages (internal/dashboard_pages.h): a layout, tables and SVG bar charts.
#include "internal/dashboard_pages.h"

#include <algorithm>
#include <cstdio>

#include "internal/html.h"
#include "vigil/risk/decision.h"

namespace vigil::server {
namespace {

using Query = std::initializer_list<std::pair<std::string_view, std::string_view>>;

std::string H(std::string_view text) { return HtmlEscape(text); }
std::string N(uint64_t n) { return std::to_string(n); }

std::string Link(std::string_view path, Query query, std::string_view text) {
  std::string href(path);
  if (query.size() > 0) href += "?" + QueryString(query);
  return "<a href=\"" + H(href) + "\">" + H(text) + "</a>";
}

std::string FindingLink(const triage::RecordKey& k, std::string_view text) {
  return Link(
      "/finding",
      {{"product", k.product}, {"vulnerability", k.vulnerability}, {"component", k.component}},
      text);
}

std::string CsrfField(const Viewer& v) {
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + H(v.csrf) + "\">";
}

std::string Nav(const Viewer& v) {
  std::string out = "<header><nav aria-label=\"Dashboard\"><ul>";
  for (auto [path, text] : {std::pair{"/portfolio", "Portfolio"},
                            {"/exposure", "Exposure"},
                            {"/deadlines", "Deadlines"},
                            {"/metrics", "Metrics"}}) {
    out += std::string("<li><a href=\"") + path + "\">" + text + "</a></li>";
  }
  out += "</ul><form method=\"post\" action=\"/logout\" class=\"logout\"><span id=\"viewer\">" +
         H(v.name) + " (" + H(v.role) + ")</span>" + CsrfField(v) +
         "<button type=\"submit\">Log out</button></form></nav></header>";
  return out;
}

std::string Layout(const Viewer* v, std::string_view title, std::string_view body) {
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<title>" +
         H(title) +
         " — Vigil</title><link rel=\"stylesheet\" href=\"/dashboard.css\"></head><body>" +
         (v ? Nav(*v) : std::string()) + "<main><h1>" + H(title) + "</h1>" + std::string(body) +
         "</main></body></html>\n";
}

// A table: header cells, then rows of already-escaped cells.
std::string Table(std::string_view id, std::string_view caption,
                  std::initializer_list<std::string_view> head,
                  const std::vector<std::vector<std::string>>& rows) {
  std::string out =
      "<table id=\"" + std::string(id) + "\"><caption>" + H(caption) + "</caption><thead><tr>";
  for (std::string_view h : head) out += "<th scope=\"col\">" + H(h) + "</th>";
  out += "</tr></thead><tbody>";
  for (const auto& row : rows) {
    out += "<tr>";
    for (const std::string& cell : row) out += "<td>" + cell + "</td>";
    out += "</tr>";
  }
  return out + "</tbody></table>";
}

std::string RiskCell(bool controlled) {
  return controlled ? "<span class=\"controlled\">controlled</span>"
                    : "<span class=\"uncontrolled\">uncontrolled</span>";
}

// ---- SVG charts ----

struct Bar {
  std::string label;
  std::vector<uint64_t> parts;  // stacked, in the order of the chart's series
};

// A horizontal stacked bar chart; `series` names each part (CSS class and legend).
std::string BarChart(std::string_view id, std::string_view title,
                     std::initializer_list<std::string_view> series, const std::vector<Bar>& bars) {
  constexpr int kLabel = 180, kWidth = 420, kRow = 28, kTop = 30;
  uint64_t max = 1;
  for (const Bar& b : bars) {
    uint64_t sum = 0;
    for (uint64_t p : b.parts) sum += p;
    max = std::max(max, sum);
  }
  const int height = kTop + kRow * static_cast<int>(bars.size()) + 10;
  const std::string w = N(kLabel + kWidth + 60), h = N(height);
  std::string out = "<figure class=\"chart\"><svg id=\"" + std::string(id) +
                    "\" role=\"img\" aria-labelledby=\"" + std::string(id) + "-title\" width=\"" +
                    w + "\" height=\"" + h + "\" viewBox=\"0 0 " + w + " " + h + "\"><title id=\"" +
                    std::string(id) + "-title\">" + H(title) + "</title>";
  int lx = kLabel;
  int index = 0;
  for (std::string_view s : series) {
    out += "<rect class=\"s" + N(index++) + "\" x=\"" + N(lx) +
           "\" y=\"6\" width=\"12\" height=\"12\"/>"
           "<text x=\"" +
           N(lx + 16) + "\" y=\"17\">" + H(s) + "</text>";
    lx += 30 + static_cast<int>(s.size()) * 8;
  }
  int y = kTop;
  for (const Bar& b : bars) {
    out += "<g class=\"bar\" data-label=\"" + H(b.label) + "\"><text x=\"0\" y=\"" + N(y + 15) +
           "\">" + H(b.label.substr(0, 24)) + "</text>";
    int x = kLabel;
    uint64_t sum = 0;
    for (size_t i = 0; i < b.parts.size(); ++i) {
      const int width = static_cast<int>(b.parts[i] * kWidth / max);
      out += "<rect class=\"s" + N(i) + "\" data-value=\"" + N(b.parts[i]) + "\" x=\"" + N(x) +
             "\" y=\"" + N(y) + "\" width=\"" + N(width) + "\" height=\"20\"/>";
      x += width;
      sum += b.parts[i];
    }
    out += "<text x=\"" + N(x + 6) + "\" y=\"" + N(y + 15) + "\">" + N(sum) + "</text></g>";
    y += kRow;
  }
  return out + "</svg></figure>";
}

// ---- pages ----

void ReleaseRows(const ProductSummary& p, std::vector<std::vector<std::string>>& rows) {
  for (const ReleaseSummary& r : p.releases) {
    std::string sites;
    for (const fleet::DeviceCount& c : r.sites) {
      if (!sites.empty()) sites += ", ";
      sites += H(c.site) + " " + N(c.devices);
    }
    rows.push_back({H(p.product.name), H(r.release.version),
                    H(r.release.register_product + " " + r.release.register_release), N(r.devices),
                    sites});
  }
}

std::string SiteFilter(const ExposureView& view) {
  std::string out =
      "<form method=\"get\" action=\"/exposure\" class=\"filter\"><label for=\"site\">Site</label>"
      "<select id=\"site\" name=\"site\"><option value=\"\">every site</option>";
  for (const std::string& s : view.sites) {
    out += "<option value=\"" + H(s) + "\"" + (s == view.site ? " selected" : "") + ">" + H(s) +
           "</option>";
  }
  return out + "</select><button type=\"submit\">Filter</button></form>";
}

std::string ExposureSummary(const fleet::Exposure& e) {
  return "<p id=\"exposure-summary\"><strong id=\"exposed-devices\">" + N(e.devices) +
         "</strong> devices exposed, <strong id=\"uncontrolled-devices\">" +
         N(e.uncontrolled_devices) +
         "</strong> to an uncontrolled risk; <strong id=\"open-rows\">" + N(e.rows.size()) +
         "</strong> open findings by release and site.</p>";
}

std::string NextDeadline(const triage::Record& r) {
  for (const triage::Deadline& d : r.deadlines) {
    if (!d.met) return H(d.what) + " by " + H(d.due) + (d.overdue ? " (overdue)" : "");
  }
  return "—";
}

std::string JustificationOptions() {
  std::string out = "<option value=\"\">—</option>";
  for (std::string_view j :
       {"component_not_present", "vulnerable_code_not_present",
        "vulnerable_code_not_in_execute_path", "vulnerable_code_cannot_be_controlled_by_adversary",
        "inline_mitigations_already_exist"}) {
    out += "<option value=\"" + std::string(j) + "\">" + std::string(j) + "</option>";
  }
  return out;
}

std::string Field(std::string_view id, std::string_view label, std::string_view input) {
  return "<p><label for=\"" + std::string(id) + "\">" + H(label) + "</label> " +
         std::string(input) + "</p>";
}

std::string TriageForm(const Viewer& v, const triage::Record& r) {
  auto hidden = [](std::string_view name, std::string_view value) {
    return "<input type=\"hidden\" name=\"" + std::string(name) + "\" value=\"" + H(value) + "\">";
  };
  return "<section aria-labelledby=\"decide-title\"><h2 id=\"decide-title\">Record a decision</h2>"
         "<form method=\"post\" action=\"/finding\" id=\"triage-form\">" +
         CsrfField(v) + hidden("product", r.key.product) +
         hidden("vulnerability", r.key.vulnerability) + hidden("component", r.key.component) +
         Field("status", "Status",
               "<select id=\"status\" name=\"status\"><option>in_triage</option>"
               "<option>not_affected</option><option>affected</option><option>fixed</option>"
               "</select>") +
         Field("justification", "Justification (not_affected)",
               "<select id=\"justification\" name=\"justification\">" + JustificationOptions() +
                   "</select>") +
         Field("action", "Action (affected)", "<input id=\"action\" name=\"action\" size=\"60\">") +
         Field("fixed_in", "Fixed in release (fixed)",
               "<input id=\"fixed_in\" name=\"fixed_in\">") +
         Field("reason", "Reason", "<input id=\"reason\" name=\"reason\" size=\"60\" required>") +
         "<p><button type=\"submit\">Record decision</button></p></form></section>";
}

std::string FindingFacts(const triage::Record& r) {
  const triage::Decision& d = r.current.decision;
  std::string out = "<dl class=\"facts\">";
  auto item = [&](std::string_view k, std::string_view v) {
    out += "<dt>" + H(k) + "</dt><dd>" + H(v) + "</dd>";
  };
  item("Product", r.key.product);
  item("Component", r.key.component + " " + r.component_version);
  item("Summary", r.facts.summary);
  item("CVSS", r.facts.cvss_vector);
  item("Known exploited (KEV)", r.facts.kev ? "yes" : "no");
  item("Discovered", r.discovered);
  item("Status", std::string(triage::TriageStatusName(d.status)));
  item("Risk",
       std::string(r.risk.controlled ? "controlled" : "uncontrolled") + ": " + r.risk.reason);
  return out + "</dl>";
}

std::string DeadlineRows(const triage::Record& r) {
  std::vector<std::vector<std::string>> rows;
  for (const triage::Deadline& d : r.deadlines) {
    rows.push_back({H(d.what), H(d.due), d.met ? "met" : d.overdue ? "overdue" : "open"});
  }
  return Table("finding-deadlines", "Deadline clocks (FDA)", {"what", "due", "state"}, rows);
}

std::string HistoryTable(const std::vector<triage::Event>& history) {
  std::vector<std::vector<std::string>> rows;
  for (const triage::Event& e : history) {
    const triage::Decision& d = e.decision;
    rows.push_back({H(e.at), H(e.release), H(e.origin),
                    H(std::string(triage::TriageStatusName(d.status))), H(d.actor), H(d.reason)});
  }
  return Table("finding-history", "Decision history",
               {"at", "release", "origin", "status", "by", "reason"}, rows);
}

std::string DaysLeft(int64_t days) {
  if (days < 0) return "<span class=\"uncontrolled\">overdue by " + N(-days) + " d</span>";
  return "in " + N(days) + " d";
}

std::string MetricsChart(const MonthlyMetrics& m, size_t index) {
  std::vector<Bar> bars;
  for (const triage::Metrics& month : m.months) {
    bars.push_back({month.from.substr(0, 7), {month.open, month.patched, month.not_affected}});
  }
  return "<h2>" + H(m.product) + "</h2>" +
         BarChart("metrics-chart-" + N(index),
                  "Vulnerabilities discovered per month for " + m.product +
                      ": open, patched, not affected",
                  {"open", "patched", "not affected"}, bars);
}

std::string MetricsTable(const MonthlyMetrics& m, size_t index) {
  std::vector<std::vector<std::string>> rows;
  for (const triage::Metrics& x : m.months) {
    char share[16];
    std::snprintf(share, sizeof share, "%.0f %%", x.patched_share * 100);
    rows.push_back({H(x.from.substr(0, 7)), N(x.vulnerabilities), N(x.open), N(x.patched),
                    N(x.not_affected), share, N(x.overdue)});
  }
  return Table(
      "metrics-" + N(index), "FDA postmarket metrics of " + m.product + " by month",
      {"month", "discovered", "open", "patched", "not affected", "patched share", "overdue"}, rows);
}

std::string CheckinTable(const std::vector<fleet::CheckinEntry>& checkins) {
  std::vector<std::vector<std::string>> rows;
  for (const fleet::CheckinEntry& c : checkins) {
    rows.push_back(
        {H(c.at), H(c.release), H(c.slot + " " + c.slot_status), N(c.security_counter),
         c.tree_size ? N(*c.tree_size) : "—",
         c.tree_root_hex.empty() ? "—" : "<code>" + H(c.tree_root_hex.substr(0, 16)) + "…</code>",
         c.accepted ? "accepted" : "<span class=\"uncontrolled\">refused</span>"});
  }
  return Table("checkins", "Check-ins and their signed checkpoints (newest first)",
               {"at", "release", "slot", "counter", "log size", "root", "verdict"}, rows);
}

}  // namespace

std::string LoginPage(std::string_view error) {
  std::string body;
  if (!error.empty()) body += "<p class=\"error\" role=\"alert\">" + H(error) + "</p>";
  body +=
      "<form method=\"post\" action=\"/login\" id=\"login-form\"><p><label for=\"token\">Operator "
      "token</label> <input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" "
      "size=\"50\" required></p><p><button type=\"submit\">Log in</button></p></form>"
      "<p>Paste the token <code>vigil serve token add</code> printed; the server keeps a session "
      "for it.</p>";
  return Layout(nullptr, "Log in", body);
}

std::string PortfolioPage(const Viewer& v, const std::vector<ProductSummary>& products,
                          const std::vector<fleet::Device>& devices, uint64_t total_devices) {
  std::vector<std::vector<std::string>> rows;
  for (const ProductSummary& p : products) ReleaseRows(p, rows);
  std::vector<std::vector<std::string>> device_rows;
  for (const fleet::Device& d : devices) {
    device_rows.push_back({Link("/device", {{"serial", d.serial}}, d.serial), H(d.product),
                           H(d.release), H(d.site),
                           H(d.last_checkin.empty() ? "never" : d.last_checkin)});
  }
  std::string more;
  if (total_devices > devices.size()) {
    more = "<p>First " + N(devices.size()) + " of " + N(total_devices) + " devices.</p>";
  }
  return Layout(&v, "Portfolio",
                Table("portfolio", "Products, releases and devices in the field",
                      {"product", "release", "register", "devices", "by site"}, rows) +
                    Table("devices", "Devices",
                          {"serial", "product", "release", "site", "last check-in"}, device_rows) +
                    more);
}

std::string ExposurePage(const Viewer& v, const ExposureView& view) {
  const fleet::Exposure& e = view.exposure;
  std::vector<Bar> bars, findings;
  for (const fleet::SiteExposure& s : e.sites) {
    bars.push_back({s.site, {s.uncontrolled_devices, s.devices - s.uncontrolled_devices}});
    findings.push_back({s.site, {0, 0}});
    for (const fleet::ExposureRow& r : e.rows) {
      if (r.site == s.site) ++findings.back().parts[r.controlled ? 1 : 0];
    }
  }
  std::vector<std::vector<std::string>> rows;
  for (const fleet::ExposureRow& r : e.rows) {
    rows.push_back({RiskCell(r.controlled), FindingLink(r.record.key, r.record.key.vulnerability),
                    H(r.record.key.component), H(r.product + " " + r.release), H(r.site),
                    N(r.devices), H(r.fixed_in.empty() ? "—" : r.fixed_in),
                    NextDeadline(r.record)});
  }
  return Layout(&v, "Fleet exposure",
                SiteFilter(view) + ExposureSummary(e) +
                    BarChart("exposure-chart", "Exposed devices by site: uncontrolled, controlled",
                             {"uncontrolled", "controlled"}, bars) +
                    BarChart("findings-chart", "Open findings by site: uncontrolled, controlled",
                             {"uncontrolled", "controlled"}, findings) +
                    Table("exposure", "Open findings on the fleet, uncontrolled risks first",
                          {"risk", "vulnerability", "component", "release", "site", "devices",
                           "fixed in", "next deadline"},
                          rows));
}

std::string FindingPage(const Viewer& v, const FindingView& view, std::string_view notice) {
  const triage::Record& r = view.record;
  std::string body;
  if (!notice.empty()) body += "<p class=\"notice\" role=\"status\">" + H(notice) + "</p>";
  body += FindingFacts(r) + "<p id=\"finding-devices\">" + N(view.devices) +
          " devices in the field run a release with this finding open.</p>" + DeadlineRows(r) +
          HistoryTable(view.history);
  if (v.can_decide) body += TriageForm(v, r);
  return Layout(&v, r.key.vulnerability + " in " + r.key.component, body);
}

std::string DeadlinesPage(const Viewer& v, const std::vector<DeadlineClock>& clocks,
                          std::string_view today) {
  std::vector<std::vector<std::string>> rows;
  for (const DeadlineClock& c : clocks) {
    rows.push_back({FindingLink(c.key, c.key.vulnerability), H(c.key.component), H(c.deadline.what),
                    H(c.deadline.due), DaysLeft(c.days_left), RiskCell(c.controlled),
                    N(c.devices)});
  }
  return Layout(
      &v, "Deadline clocks",
      "<p>As of " + H(today) +
          ": the register's FDA deadlines of the findings open "
          "on the fleet, earliest first.</p>" +
          Table("deadlines", "Open deadlines",
                {"vulnerability", "component", "what", "due", "time left", "risk", "devices"},
                rows));
}

std::string MetricsPage(const Viewer& v, const std::vector<MonthlyMetrics>& metrics) {
  std::string body;
  for (size_t i = 0; i < metrics.size(); ++i) {
    body += MetricsChart(metrics[i], i) + MetricsTable(metrics[i], i);
  }
  if (metrics.empty()) body = "<p>No release of the fleet is filed in the register.</p>";
  return Layout(&v, "Metrics over time", body);
}

std::string DevicePage(const Viewer& v, const DeviceView& view) {
  const fleet::Device& d = view.device;
  std::vector<std::vector<std::string>> alerts;
  for (const fleet::Alert& a : view.alerts) {
    alerts.push_back(
        {H(a.at), "<span class=\"uncontrolled\">" + H(a.kind) + "</span>", H(a.detail)});
  }
  const std::string facts =
      "<dl class=\"facts\"><dt>Product</dt><dd>" + H(d.product + " " + d.release) +
      "</dd><dt>Site</dt><dd>" + H(d.site) + "</dd><dt>Customer</dt><dd>" + H(d.customer) +
      "</dd><dt>Slot</dt><dd>" + H(d.slot + " (" + d.slot_status + ")") +
      "</dd><dt>Security counter</dt><dd>" + N(d.security_counter) +
      "</dd><dt>Support ends</dt><dd>" + H(d.support_end.empty() ? "—" : d.support_end) +
      "</dd><dt>Accepted checkpoint</dt><dd>" +
      (d.checkpoint ? H(d.checkpoint->origin) + ", size " + N(d.checkpoint->size) : "none yet") +
      "</dd></dl>";
  return Layout(&v, "Device " + d.serial,
                facts + CheckinTable(view.checkins) +
                    Table("alerts", "Alerts", {"at", "kind", "detail"}, alerts));
}

std::string ErrorPage(const Viewer* v, int status, std::string_view message) {
  return Layout(v, "Error " + N(static_cast<uint64_t>(status)),
                "<p class=\"error\" role=\"alert\">" + H(message) + "</p>");
}

}  // namespace vigil::server
