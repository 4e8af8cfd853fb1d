// The dashboard's pages: server-rendered HTML of the view models (dashboard_views.h), with SVG
// charts drawn here and no script at all, so the Content-Security-Policy can forbid every script
// (kContentSecurityPolicy). Every value is written through HtmlEscape / QueryString (html.h).
//
// Thread-safety: pure functions.
#ifndef VIGIL_SERVER_INTERNAL_DASHBOARD_PAGES_H_
#define VIGIL_SERVER_INTERNAL_DASHBOARD_PAGES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "internal/dashboard_views.h"

namespace vigil::server {

// No script, no frame, no plugin, nothing from elsewhere; forms post only to this origin.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

// Who is looking: their token's name and role, the session's CSRF token for the forms, and
// whether the access policy lets them record triage decisions.
struct Viewer {
  std::string name, role, csrf;
  bool can_decide = false;
};

std::string LoginPage(std::string_view error);
std::string PortfolioPage(const Viewer& v, const std::vector<ProductSummary>& products,
                          const std::vector<fleet::Device>& devices, uint64_t total_devices);
std::string ExposurePage(const Viewer& v, const ExposureView& view);
// `notice`: a line about the decision just recorded (empty: none).
std::string FindingPage(const Viewer& v, const FindingView& view, std::string_view notice);
std::string DeadlinesPage(const Viewer& v, const std::vector<DeadlineClock>& clocks,
                          std::string_view today);
std::string MetricsPage(const Viewer& v, const std::vector<MonthlyMetrics>& metrics);
std::string DevicePage(const Viewer& v, const DeviceView& view);
// An error page; `v` null before login.
std::string ErrorPage(const Viewer* v, int status, std::string_view message);

// The stylesheet at /dashboard.css (src/server/dashboard.css, built in).
std::string_view DashboardStylesheet();

}  // namespace vigil::server

#endif  // VIGIL_SERVER_INTERNAL_DASHBOARD_PAGES_H_
