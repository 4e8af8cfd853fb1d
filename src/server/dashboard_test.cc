// The dashboard's pieces without a network: escaping of attacker-controlled names into pages and
// links, the cookie reader, sessions (random ids, idle and absolute expiry on the server, removal,
// a bounded store), and the pages: no script anywhere, every name escaped, the triage form only
// for a viewer the policy lets decide, with the session's CSRF token.
#include <gtest/gtest.h>

#include "internal/dashboard_pages.h"
#include "internal/dashboard_sessions.h"
#include "internal/html.h"
#include "vigil/core/fault_env.h"

namespace vigil::server {
namespace {

constexpr std::string_view kEvil = "<script>alert('x')</script>\"><img src=x onerror=1>&";

TEST(HtmlTest, QueryStringsPercentEncodeAllButUnreserved) {
  EXPECT_EQ(QueryString({{"site", "St. Mary & ICU"}, {"x", "a/b?c=d#é"}}),
            "site=St.%20Mary%20%26%20ICU&x=a%2Fb%3Fc%3Dd%23%C3%A9");
  EXPECT_EQ(QueryString({}), "");
}

TEST(HtmlTest, ReadsOneCookieOfMany) {
  EXPECT_EQ(CookieValue("a=1; vigil_session=abc ; b=2", "vigil_session"), "abc");
  EXPECT_EQ(CookieValue("vigil_session=x", "vigil_session"), "x");
  EXPECT_EQ(CookieValue("xvigil_session=1; b=2", "vigil_session"), "");
  EXPECT_EQ(CookieValue("", "vigil_session"), "");
  EXPECT_EQ(CookieValue("novalue; ;=;", "vigil_session"), "");
}

fleet::OperatorToken Token(std::string name) {
  return {std::move(name), "analyst", std::string(64, 'a'), "2026-01-01T00:00:00Z", ""};
}

TEST(SessionStoreTest, IdsAreRandomAndFoundUntilRemoved) {
  FaultInjectingEnv env;
  SessionStore store(env);
  auto a = store.Create(Token("ops.a"));
  auto b = store.Create(Token("ops.b"));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->id.size(), 43u);
  EXPECT_NE(a->id, b->id);
  EXPECT_NE(a->session.csrf, b->session.csrf);
  EXPECT_NE(a->id, a->session.csrf);
  auto found = store.Find(a->id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->token_name, "ops.a");
  EXPECT_EQ(found->csrf, a->session.csrf);
  EXPECT_FALSE(store.Find(a->id.substr(1)));
  EXPECT_FALSE(store.Find(""));
  store.Remove(a->id);
  EXPECT_FALSE(store.Find(a->id));
  EXPECT_TRUE(store.Find(b->id));
}

TEST(SessionStoreTest, ExpiresWhenIdleAndAfterTheAbsoluteLimit) {
  FaultInjectingEnv env;
  SessionStore store(env);
  auto s = store.Create(Token("ops.a"));
  ASSERT_TRUE(s);
  const int64_t idle_us = SessionStore::kIdleNanos / 1000;
  // Used every 14 minutes it lives on, until the absolute limit of 8 hours.
  for (int64_t t = 0; t + idle_us - 60000000 < SessionStore::kAbsoluteNanos / 1000;
       t += idle_us - 60000000) {
    env.AdvanceClock(idle_us - 60000000);
    const bool live = store.Find(s->id).has_value();
    EXPECT_EQ(live, t + idle_us - 60000000 < SessionStore::kAbsoluteNanos / 1000) << t;
  }
  auto idle = store.Create(Token("ops.b"));
  ASSERT_TRUE(idle);
  env.AdvanceClock(idle_us + 1);
  EXPECT_FALSE(store.Find(idle->id));
}

TEST(SessionStoreTest, IsBounded) {
  FaultInjectingEnv env;
  SessionStore store(env, 3);
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    auto s = store.Create(Token("ops." + std::to_string(i)));
    ASSERT_TRUE(s);
    ids.push_back(s->id);
    env.AdvanceClock(1000);
  }
  EXPECT_EQ(store.size(), 3u);
  EXPECT_FALSE(store.Find(ids[0]));
  EXPECT_TRUE(store.Find(ids[4]));
}

triage::Record EvilRecord() {
  triage::Record r;
  r.key = {std::string(kEvil), "CVE-2024-0001", std::string(kEvil)};
  r.facts.summary = std::string(kEvil);
  r.deadlines = {{"field a fix", "2026-03-01", false, false}};
  return r;
}

void ExpectSafe(const std::string& html) {
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("onerror=1>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
}

TEST(DashboardPagesTest, EscapeEveryAttackerControlledName) {
  Viewer v{std::string(kEvil), "analyst", "csrf-token", true};
  ProductSummary p;
  p.product.name = std::string(kEvil);
  ReleaseSummary r;
  r.release.version = std::string(kEvil);
  r.sites = {{std::string(kEvil), std::string(kEvil), std::string(kEvil), 3}};
  p.releases.push_back(r);
  fleet::Device d;
  d.serial = d.site = std::string(kEvil);
  ExpectSafe(PortfolioPage(v, {p}, {d}, 1));

  ExposureView e;
  e.sites = {std::string(kEvil)};
  e.exposure.sites = {{std::string(kEvil), 3, 1, 1}};
  fleet::ExposureRow row;
  row.site = std::string(kEvil);
  row.devices = 3;
  row.record = EvilRecord();
  e.exposure.rows = {row};
  const std::string page = ExposurePage(v, e);
  ExpectSafe(page);
  // The link to the finding carries the names percent-encoded.
  EXPECT_NE(page.find("/finding?product=%3Cscript%3E"), std::string::npos);

  FindingView f;
  f.record = EvilRecord();
  ExpectSafe(FindingPage(v, f, ""));
  ExpectSafe(DeadlinesPage(v, {{f.record.key, f.record.deadlines[0], false, 2, 5}}, "2026-01-01"));
  DeviceView dv;
  dv.device = d;
  dv.alerts = {{1, std::string(kEvil), "", "forked", std::string(kEvil)}};
  ExpectSafe(DevicePage(v, dv));
  ExpectSafe(ErrorPage(nullptr, 404, kEvil));
  ExpectSafe(LoginPage(kEvil));
}

TEST(DashboardPagesTest, TheTriageFormOnlyForThoseWhoMayDecide) {
  FindingView f;
  f.record = EvilRecord();
  const std::string analyst = FindingPage({"ops.analyst", "analyst", "tok123", true}, f, "");
  EXPECT_NE(analyst.find("id=\"triage-form\""), std::string::npos);
  EXPECT_NE(analyst.find("name=\"csrf\" value=\"tok123\""), std::string::npos);
  const std::string viewer = FindingPage({"ops.viewer", "read-only", "tok456", false}, f, "");
  EXPECT_EQ(viewer.find("triage-form"), std::string::npos);
  EXPECT_EQ(viewer.find("action=\"/finding\""), std::string::npos);
}

TEST(DashboardPagesTest, ChartsShowWhatTheyAreGiven) {
  ExposureView e;
  e.exposure.sites = {{"ICU", 4, 3, 2}, {"Ward 3", 2, 0, 1}};
  const std::string page = ExposurePage({"v", "read-only", "t", false}, e);
  EXPECT_NE(page.find("<svg id=\"exposure-chart\""), std::string::npos);
  EXPECT_NE(page.find("data-label=\"ICU\""), std::string::npos);
  EXPECT_NE(page.find("class=\"s0\" data-value=\"3\""), std::string::npos);  // uncontrolled
  EXPECT_NE(page.find("class=\"s1\" data-value=\"1\""), std::string::npos);  // controlled
  EXPECT_NE(page.find("class=\"s1\" data-value=\"2\""), std::string::npos);
}

TEST(DashboardPagesTest, APortfolioOfManyDevicesSaysHowManyItLists) {
  fleet::Device d;
  d.serial = "SN-1";
  const Viewer v{"v", "read-only", "t", false};
  EXPECT_NE(PortfolioPage(v, {}, {d}, 5).find("First 1 of 5 devices."), std::string::npos);
  EXPECT_EQ(PortfolioPage(v, {}, {d}, 1).find("First "), std::string::npos);
}

TEST(DashboardPagesTest, TheStylesheetIsBuiltIn) {
  EXPECT_NE(DashboardStylesheet().find(".uncontrolled"), std::string_view::npos);
  EXPECT_NE(kContentSecurityPolicy.find("default-src 'none'"), std::string_view::npos);
  EXPECT_EQ(kContentSecurityPolicy.find("script-src"), std::string_view::npos);
}

}  // namespace
}  // namespace vigil::server
