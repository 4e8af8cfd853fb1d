// The server running for real on loopback, on each database engine (SQLite, and a private
// PostgreSQL 15 server the test starts: storage::testing::PostgresServer): the operators' API
// round trip over HTTPS (create, list, show, a refused body, exposure), a device check-in over
// mutual TLS with a signed checkpoint, and the server's own loops: an OSV feed dropped in the
// watched folder is imported, the fleet re-evaluated, and the finding.new webhook arrives,
// signed, at a real receiver on loopback; Stop ends the loops.
#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "testing/loopback_pki.h"
#include "vigil/core/encoding.h"
#include "vigil/core/json.h"
#include "vigil/fleet/webhook.h"
#include "vigil/server/operator_tokens.h"
#include "vigil/server/server.h"
#include "vigil/storage/postgres_server.h"
#include "vigil/triage/register.h"

namespace vigil::server {
namespace {

using testing::LoopbackPki;

struct Engine {
  const char* name;
  // A new database of the engine: an SQLite path under `dir`, or a PostgreSQL URL.
  Result<std::string> (*make)(const std::string& dir, const std::string& name);
};

Result<std::string> SqliteFile(const std::string& dir, const std::string& name) {
  return dir + "/" + name + ".sqlite";
}
Result<std::string> PostgresDatabase(const std::string&, const std::string&) {
  VIGIL_ASSIGN_OR_RETURN(storage::testing::PostgresServer * server,
                         storage::testing::PostgresServer::Shared());
  return server->CreateDatabase();
}

std::string EngineName(const ::testing::TestParamInfo<Engine>& p) { return p.param.name; }

constexpr char kProduct[] = "Infusion pump";
constexpr char kSecret[] = "0123456789abcdef0123";

// A webhook receiver on loopback: keeps each verified delivery's body.
class Receiver {
 public:
  Receiver() {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      const int64_t now = Env::Default()->NowUnixMicros() / 1000000;
      Status ok = fleet::VerifyWebhookSignature(
          kSecret, req.get_header_value("X-Vigil-Signature"), req.body, now);
      std::lock_guard lock(mu_);
      if (!ok) {
        res.status = 401;
        return;
      }
      events_.push_back(req.get_header_value("X-Vigil-Event") + " " + req.body);
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  std::vector<std::string> events() {
    std::lock_guard lock(mu_);
    return events_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> events_;
};

class ServerLoopsTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "vigil-serve-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto pki = LoopbackPki::Create(dir_);
    ASSERT_TRUE(pki) << pki.error().ToString();
    pki_.emplace(std::move(*pki));
    auto db = GetParam().make(dir_, "fleet");
    auto reg = GetParam().make(dir_, "register");
    ASSERT_TRUE(db && reg);
    options_ = pki_->LoopbackOptions(*db);
    options_.register_path = *reg;
    options_.watch_dir = dir_ + "/feeds";
    options_.vulndb = dir_ + "/vulndb.sqlite";
    options_.loop_interval_millis = 100;
    options_.report = [this](const std::string& line) {
      std::lock_guard lock(report_mu_);
      reports_.push_back(line);
    };
    ASSERT_TRUE(Env::Default()->CreateDir(options_.watch_dir));
    Prepare();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The fleet as `vigil fleet …` leaves it before the server starts: a product, a release whose
  // SBOM ships requests 2.0.0, the receiver's subscription and an admin token; an empty register.
  void Prepare() {
    const std::string sbom = dir_ + "/1.0.cdx.json";
    ASSERT_TRUE(Env::Default()->WriteFileAtomic(
        sbom, AsBytes(R"({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
          "components": [{"type": "library", "name": "requests", "version": "2.0.0",
                          "purl": "pkg:pypi/requests@2.0.0"}]})")));
    auto f = OpenFleetDatabase(options_.db, *Env::Default());
    ASSERT_TRUE(f) << f.error().ToString();
    ASSERT_TRUE(f->AddProduct({kProduct, "", ""}));
    ASSERT_TRUE(f->AddRelease({kProduct, "1.0", sbom, "", "", "", ""}));
    ASSERT_TRUE(f->AddWebhook({0, receiver_.url(), kSecret, {"finding.new"}, ""}));
    auto token = IssueToken(*f, "ops.admin", "admin", *Env::Default());
    ASSERT_TRUE(token) << token.error().ToString();
    token_ = std::string(AsStringView(token->token.Reveal()));
    triage::RegisterOptions ro;  // the register as `vigil triage policy` or `scan` makes it
    (options_.register_path.starts_with("postgresql:") ? ro.postgres_url : ro.path) =
        options_.register_path;
    ro.create = true;
    auto reg = triage::Register::Open(ro, *Env::Default());
    ASSERT_TRUE(reg) << reg.error().ToString();
  }

  std::unique_ptr<httplib::SSLClient> Client(int port, const testing::CertFiles* device) {
    auto c = device ? std::make_unique<httplib::SSLClient>("localhost", port, device->cert,
                                                           device->key)
                    : std::make_unique<httplib::SSLClient>("localhost", port);
    c->set_ca_cert_path(pki_->ca_file().c_str());
    c->enable_server_certificate_verification(true);
    c->set_address_family(AF_INET);
    c->set_bearer_token_auth(token_);
    return c;
  }

  std::string dir_;
  std::optional<LoopbackPki> pki_;
  ServerOptions options_;
  Receiver receiver_;
  std::string token_;
  std::mutex report_mu_;
  std::vector<std::string> reports_;
};

json::Value Body(const httplib::Result& r) {
  EXPECT_TRUE(r) << httplib::to_string(r.error());
  if (!r) return json::Value();
  auto v = json::Parse(r->body, "answer");
  EXPECT_TRUE(v) << r->body;
  return v ? *v : json::Value();
}

TEST_P(ServerLoopsTest, ApiRoundTripCheckinAndWatchedFeedToWebhook) {
  auto server = Server::Start(options_, *Env::Default());
  ASSERT_TRUE(server) << server.error().ToString();
  auto ops = Client((*server)->operator_port(), nullptr);

  // The operators' API: a device created, listed and shown; bad input is a one-line 400.
  auto log = testing::DeviceLog::Create(dir_ + "/sn1-log", "SN-1");
  ASSERT_TRUE(log) << log.error().ToString();
  json::Value device = json::Value::MakeObject({{"serial", "SN-1"},
                                                {"product", kProduct},
                                                {"release", "1.0"},
                                                {"site", "ICU"},
                                                {"log_key", (*log)->VerifierKey()}});
  auto created = ops->Post("/api/v1/devices", json::Write(device), "application/json");
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201) << created->body;
  auto shown = ops->Get("/api/v1/devices/SN-1");
  EXPECT_EQ(Body(shown)["site"].as_string(), "ICU");
  auto products = ops->Get("/api/v1/products");
  ASSERT_EQ(Body(products).as_array().size(), 1u);
  auto bad = ops->Post("/api/v1/products", "{\"name\": 3}", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(Body(bad)["error"].as_string().find("$.name"), std::string::npos);

  // A device check-in over mutual TLS with the log's signed checkpoint, then a second one
  // proven consistent with it.
  auto cert = pki_->IssueDevice("SN-1");
  ASSERT_TRUE(cert) << cert.error().ToString();
  auto dev = Client((*server)->device_port(), &*cert);
  for (int round = 0; round < 2; ++round) {
    auto checkin = (*log)->NextCheckin(3, "1.0");
    ASSERT_TRUE(checkin) << checkin.error().ToString();
    auto r = dev->Post("/api/v1/devices/SN-1/checkin", *checkin, "application/json");
    ASSERT_TRUE(r) << httplib::to_string(r.error());
    EXPECT_EQ(r->status, 200) << r->body;
    EXPECT_TRUE(Body(r)["accepted"].as_bool()) << r->body;
  }

  // A feed dropped in the watched folder (written under a dot name, then renamed in).
  const std::string osv =
      R"({"id": "PYSEC-0000-1", "modified": "2025-01-01T00:00:00Z", "summary": "test",
          "affected": [{"package": {"ecosystem": "PyPI", "name": "requests"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.20.0"}]}]}]})";
  ASSERT_TRUE(Env::Default()->WriteFileAtomic(options_.watch_dir + "/.a.json", AsBytes(osv)));
  ASSERT_TRUE(Env::Default()->RenameFile(options_.watch_dir + "/.a.json",
                                         options_.watch_dir + "/a.json"));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (receiver_.events().empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::vector<std::string> events = receiver_.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].starts_with("finding.new {")) << events[0];
  EXPECT_NE(events[0].find("PYSEC-0000-1"), std::string::npos) << events[0];
  EXPECT_NE(events[0].find("requests"), std::string::npos) << events[0];

  // The new finding is in the register the API reads: SN-1 is exposed.
  auto exposure = ops->Get("/api/v1/exposure");
  ASSERT_TRUE(exposure);
  EXPECT_EQ(exposure->status, 200) << exposure->body;
  EXPECT_NE(exposure->body.find("PYSEC-0000-1"), std::string::npos) << exposure->body;

  (*server)->Stop();  // returns only once the loops have ended
  std::lock_guard lock(report_mu_);
  bool watched = false;
  for (const std::string& line : reports_) {
    watched |= line.starts_with("watch: 1 feed file(s) imported") &&
               line.find("1 new finding(s)") != std::string::npos;
  }
  EXPECT_TRUE(watched);
}

// A device's certificate and lookup are kept 5 minutes (internal/verified_devices.h): a device
// deregistered through the API while kept is refused at its very next check-in, on the same
// kept-alive connection; so is one removed by another process (vigil fleet on the database),
// which the check-in's transaction finds gone.
TEST_P(ServerLoopsTest, ADeviceRemovedWhileCachedIsRefusedAtItsNextCheckin) {
  auto server = Server::Start(options_, *Env::Default());
  ASSERT_TRUE(server) << server.error().ToString();
  auto ops = Client((*server)->operator_port(), nullptr);
  for (const char* serial : {"SN-1", "SN-2"}) {
    const bool by_api = std::string(serial) == "SN-1";  // SN-2: by another process
    auto log = testing::DeviceLog::Create(dir_ + "/" + serial + "-log", serial);
    ASSERT_TRUE(log) << log.error().ToString();
    json::Value device = json::Value::MakeObject({{"serial", serial},
                                                  {"product", kProduct},
                                                  {"release", "1.0"},
                                                  {"log_key", (*log)->VerifierKey()}});
    auto created = ops->Post("/api/v1/devices", json::Write(device), "application/json");
    ASSERT_TRUE(created);
    ASSERT_EQ(created->status, 201) << created->body;
    auto cert = pki_->IssueDevice(serial);
    ASSERT_TRUE(cert) << cert.error().ToString();
    auto dev = Client((*server)->device_port(), &*cert);
    dev->set_keep_alive(true);
    const std::string path = std::string("/api/v1/devices/") + serial + "/checkin";
    auto first = (*log)->NextCheckin(1, "1.0");
    ASSERT_TRUE(first);
    auto accepted = dev->Post(path, *first, "application/json");
    ASSERT_TRUE(accepted);
    ASSERT_EQ(accepted->status, 200) << accepted->body;
    if (by_api) {
      auto removed = ops->Delete("/api/v1/devices/SN-1");
      ASSERT_TRUE(removed);
      EXPECT_EQ(removed->status, 200) << removed->body;
      EXPECT_EQ(Body(removed)["serial"].as_string(), "SN-1");
    } else {  // vigil fleet on the database: the server's cache knows nothing of it
      auto f = OpenFleetDatabase(options_.db, *Env::Default());
      ASSERT_TRUE(f) << f.error().ToString();
      ASSERT_TRUE(f->RemoveDevice(serial));
    }
    // Refused, and refused again. A malformed body tells where: refused at admission it is a
    // 403; a device still admitted from the cache would have it parsed and answered 400. So
    // SN-1's first attempt shows the cache dropped at once by the deregistration, SN-2's second
    // that the refusal in the transaction dropped it too.
    auto next = (*log)->NextCheckin(1, "1.0");
    ASSERT_TRUE(next);
    for (const std::string& body :
         {by_api ? std::string("{}") : *next, by_api ? *next : std::string("{}")}) {
      auto refused = dev->Post(path, body, "application/json");
      ASSERT_TRUE(refused) << httplib::to_string(refused.error());
      EXPECT_EQ(refused->status, 403) << refused->body;
      EXPECT_NE(Body(refused)["error"].as_string().find("which is not registered"),
                std::string::npos)
          << refused->body;
    }
    auto shown = ops->Get(std::string("/api/v1/devices/") + serial);
    ASSERT_TRUE(shown);
    EXPECT_EQ(shown->status, 404);
  }
  auto again = ops->Delete("/api/v1/devices/SN-1");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 404) << again->body;
  (*server)->Stop();
}

TEST_P(ServerLoopsTest, WatchWithoutAdvisoryDatabaseIsRefusedAtStart) {
  options_.vulndb.clear();
  auto server = Server::Start(options_, *Env::Default());
  ASSERT_FALSE(server);
  EXPECT_EQ(server.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(server.error().message().find("needs --vulndb"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Engines, ServerLoopsTest,
                         ::testing::Values(Engine{"sqlite", SqliteFile},
                                           Engine{"postgresql", PostgresDatabase}),
                         EngineName);

}  // namespace
}  // namespace vigil::server
