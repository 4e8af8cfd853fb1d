// Webhooks on every engine of testing/database_engines.h, delivered over real HTTP to a
// cpp-httplib receiver on loopback: a receiver that is down for a while gets every event once
// it is back, in order, each signed, none lost and none duplicated (a retried delivery keeps its
// Idempotency-Key), and a failed delivery blocks the later ones of its subscription only.
#include "vigil/fleet/webhook.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "testing/database_engines.h"
#include "vigil/audit/checkpoint.h"
#include "vigil/core/fault_env.h"
#include "vigil/core/json.h"
#include "vigil/crypto/signature.h"
#include "vigil/fleet/checkin.h"

namespace vigil::fleet {
namespace {

using testing::FleetEngineTest;

constexpr char kSecret[] = "0123456789abcdef-receiver-secret";

struct Received {
  std::string key, kind, signature, body;
};

// A webhook receiver on 127.0.0.1:port. It keeps every request it got (`raw`) and the ones it
// accepted once per Idempotency-Key (`kept`); it answers `fail_next` requests with 503 after
// keeping them (an answer lost on the way back, as a receiver that crashed after storing).
class Receiver {
 public:
  explicit Receiver(int port = 0) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      Received r{req.get_header_value("Idempotency-Key"), req.get_header_value("X-Vigil-Event"),
                 req.get_header_value("X-Vigil-Signature"), req.body};
      EXPECT_EQ(req.get_header_value("Content-Type"), "application/json");
      raw.push_back(r);
      if (keys_.insert(r.key).second) kept.push_back(r);
      res.status = fail_next > 0 ? 503 : 204;
      if (fail_next > 0) --fail_next;
    });
    port_ = port == 0 ? server_.bind_to_any_port("127.0.0.1") : port;
    if (port != 0) {
      EXPECT_TRUE(server_.bind_to_port("127.0.0.1", port));
    }
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }

  std::mutex mu_;
  std::vector<Received> raw, kept;
  int fail_next = 0;

 private:
  httplib::Server server_;
  std::set<std::string> keys_;
  std::thread thread_;
  int port_ = 0;
};

class WebhookTest : public FleetEngineTest {
 protected:
  void SetUp() override {
    FleetEngineTest::SetUp();
    // Reopened on a clock the test moves (back-off), starting at the real time (signatures).
    fleet_.reset();
    env_.SetUnixMicros(Env::Default()->NowUnixMicros());
    auto db = GetParam().open(dir_);
    ASSERT_TRUE(db) << db.error().ToString();
    auto f = Fleet::Open(std::move(*db), "fleet database", env_);
    ASSERT_TRUE(f) << f.error().ToString();
    fleet_.emplace(std::move(*f));
    ASSERT_TRUE(fleet().AddProduct({"Infusion pump", "", ""}));
    ASSERT_TRUE(fleet().AddRelease({"Infusion pump", "1.0", "", "", "", "", ""}));
    auto key = crypto::GenerateSigningKey(crypto::AlgorithmId::kEd25519);
    ASSERT_TRUE(key);
    auto signer = audit::NoteSigner::Create("pump.example/SN-1", std::move(*key));
    ASSERT_TRUE(signer);
    Device d;
    d.serial = "SN-1";
    d.product = "Infusion pump";
    d.release = "1.0";
    d.log_key = (*signer)->VerifierKey();
    ASSERT_TRUE(fleet().AddDevice(d));
  }

  // A check-in the fleet refuses: an unknown release and an unsigned checkpoint, two alerts.
  void BadCheckin() {
    CheckinReport r{"9.9", "a", "good", 0, "not a signed note\n", {}, {}};
    auto result = fleet().Checkin("SN-1", r);
    ASSERT_TRUE(result) << result.error().ToString();
    ASSERT_EQ(result->alerts.size(), 2u);
  }

  Result<DeliveryRound> Deliver() {
    DeliveryOptions o;
    o.base_delay_seconds = 10;
    o.max_delay_seconds = 60;
    return fleet().DeliverWebhooks(*transport_, o);
  }

  FaultInjectingEnv env_;
  std::unique_ptr<WebhookTransport> transport_ = NewHttpWebhookTransport({"", 2});
};

TEST_P(WebhookTest, AReceiverThatWasDownGetsEveryEventOnceInOrderWhenBack) {
  int port = 0;
  {
    Receiver probe;
    port = probe.port();
  }  // a free port, then nobody listens on it
  auto hook = fleet().AddWebhook(
      {0, "http://127.0.0.1:" + std::to_string(port) + "/hook", kSecret, {"checkin.alert"}, ""});
  ASSERT_TRUE(hook) << hook.error().ToString();
  for (int i = 0; i < 3; ++i) BadCheckin();  // 6 events, enqueued with the alerts

  // Down: the first event fails and blocks the other five; retried only after its back-off.
  auto round = Deliver();
  ASSERT_TRUE(round) << round.error().ToString();
  EXPECT_EQ(round->delivered, 0);
  EXPECT_EQ(round->failed, 1);
  EXPECT_EQ(round->pending, 6);
  ASSERT_TRUE(round->next_due_unix_micros);
  const int64_t wait = *round->next_due_unix_micros - env_.NowUnixMicros();
  EXPECT_GE(wait, 5'000'000);  // base 10 s, jitter in its upper half
  EXPECT_LE(wait, 10'000'000);
  round = Deliver();  // not due yet: no attempt
  ASSERT_TRUE(round);
  EXPECT_EQ(round->failed, 0);
  env_.AdvanceClock(wait);
  round = Deliver();  // due, still down: the second back-off doubles
  ASSERT_TRUE(round);
  EXPECT_EQ(round->failed, 1);
  EXPECT_GE(*round->next_due_unix_micros - env_.NowUnixMicros(), 10'000'000);
  env_.AdvanceClock(20'000'000);

  // Back, but the first answer is lost (503 after storing): retried with the same key.
  Receiver receiver(port);
  receiver.fail_next = 1;
  round = Deliver();
  ASSERT_TRUE(round);
  EXPECT_EQ(round->failed, 1);
  env_.AdvanceClock(60'000'000);
  round = Deliver();
  ASSERT_TRUE(round) << round.error().ToString();
  EXPECT_EQ(round->delivered, 6);
  EXPECT_EQ(round->pending, 0);
  EXPECT_FALSE(round->next_due_unix_micros);

  std::lock_guard lock(receiver.mu_);
  ASSERT_EQ(receiver.raw.size(), 7u);
  EXPECT_EQ(receiver.raw[0].key, receiver.raw[1].key);
  ASSERT_EQ(receiver.kept.size(), 6u);
  const int64_t now = env_.NowUnixMicros() / 1000000;
  int64_t last_id = 0;
  for (const Received& r : receiver.kept) {
    EXPECT_TRUE(VerifyWebhookSignature(kSecret, r.signature, r.body, now));
    EXPECT_FALSE(VerifyWebhookSignature("another secret of 16+", r.signature, r.body, now));
    EXPECT_EQ(r.kind, "checkin.alert");
    auto parsed = json::Parse(r.body, "webhook body");
    ASSERT_TRUE(parsed) << parsed.error().ToString();
    const json::Value& body = *parsed;
    ASSERT_TRUE(body["id"].is_integer());
    const int64_t id = body["id"].as_int();
    EXPECT_GT(id, last_id);  // in order
    last_id = id;
    EXPECT_EQ(r.key, "vigil-" + std::to_string(id) + "-" + std::to_string(hook->id));
    EXPECT_EQ(body["data"]["device"].as_string(), "SN-1");
  }

  // Every attempt logged: two with no answer, one 503, six 204.
  auto log = fleet().DeliveryLog(hook->id);
  ASSERT_TRUE(log);
  ASSERT_EQ(log->size(), 9u);
  EXPECT_EQ((*log)[0].status, 0);
  EXPECT_FALSE((*log)[0].error.empty());
  EXPECT_EQ((*log)[1].attempt, 2);
  EXPECT_EQ((*log)[2].status, 503);
  EXPECT_EQ((*log)[2].attempt, 3);
  EXPECT_EQ((*log)[2].event, (*log)[0].event);
  EXPECT_EQ((*log)[3].status, 204);
  EXPECT_EQ((*log)[3].event, (*log)[0].event);
  EXPECT_TRUE((*log)[3].error.empty());
}

TEST_P(WebhookTest, AFailingSubscriptionDoesNotHoldBackAnotherAndKindsFilter) {
  Receiver up;
  auto down = fleet().AddWebhook({0, "http://127.0.0.1:1/hook", kSecret, {}, ""});
  auto live = fleet().AddWebhook({0, up.url(), kSecret, {}, ""});
  auto other = fleet().AddWebhook({0, up.url(), kSecret, {"support.warning"}, ""});
  ASSERT_TRUE(down && live && other);
  BadCheckin();
  auto round = Deliver();
  ASSERT_TRUE(round) << round.error().ToString();
  EXPECT_EQ(round->delivered, 2);
  EXPECT_EQ(round->failed, 1);
  EXPECT_EQ(round->pending, 2);  // the down subscription's two
  auto log = fleet().DeliveryLog(other->id);
  ASSERT_TRUE(log);
  EXPECT_TRUE(log->empty());  // takes no check-in alerts
}

TEST_P(WebhookTest, RefusesBadSubscriptions) {
  EXPECT_EQ(fleet().AddWebhook({0, "ftp://x/", kSecret, {}, ""}).error().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(fleet().AddWebhook({0, "https://x/", "short", {}, ""}).error().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(fleet().AddWebhook({0, "https://x/", kSecret, {"device.boom"}, ""}).error().code(),
            ErrorCode::kInvalidArgument);
  auto ok = fleet().AddWebhook({0, "https://x.example/h", kSecret, {"finding.new"}, ""});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->id, 1);
  auto all = fleet().Webhooks();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].events, std::vector<std::string>{"finding.new"});
}

TEST(WebhookSignature, RefusesMalformedOldAndForeignSignatures) {
  const std::string header = SignWebhook(kSecret, 1000, "{}");
  EXPECT_TRUE(VerifyWebhookSignature(kSecret, header, "{}", 1100));
  EXPECT_FALSE(VerifyWebhookSignature(kSecret, header, "{} ", 1100));
  EXPECT_FALSE(VerifyWebhookSignature(kSecret, header, "{}", 2000));  // too old
  EXPECT_FALSE(VerifyWebhookSignature(kSecret, "v1=00", "{}", 1000));
  EXPECT_FALSE(VerifyWebhookSignature(kSecret, "t=1000,v1=zz", "{}", 1000));
}

INSTANTIATE_TEST_SUITE_P(Engines, WebhookTest, ::testing::ValuesIn(testing::kEngines),
                         testing::EngineName);

}  // namespace
}  // namespace vigil::fleet
