// End of support on every engine of testing/database_engines.h: devices by their support end,
// components by the SBOM's end-of-support property and a component support file (which adds the
// end of guaranteed support, IMDRF N70's Limited Support stage); only what is reached within
// the window is listed, soonest first, and each (item, stage) is notified once.
#include "vigil/fleet/support.h"

#include <gtest/gtest.h>

#include "testing/database_engines.h"
#include "testing/recording_transport.h"
#include "vigil/audit/checkpoint.h"
#include "vigil/crypto/signature.h"
#include "vigil/fleet/webhook.h"

namespace vigil::fleet {
namespace {

using testing::FleetEngineTest;

constexpr char kSbom[] = R"({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
  "components": [
    {"type": "library", "name": "openssl", "version": "1.1.1w", "purl": "pkg:generic/openssl@1.1.1w",
     "properties": [{"name": "fda:end-of-support", "value": "2026-03-01"}]},
    {"type": "library", "name": "zlib", "version": "1.3", "purl": "pkg:generic/zlib@1.3"},
    {"type": "library", "name": "busybox", "version": "1.36", "purl": "pkg:generic/busybox@1.36"}]})";

constexpr char kSupportYaml[] = R"(components:
  - name: pkg:generic/zlib
    end_of_guaranteed_support: 2026-02-01
    end_of_support: 2027-06-01
  - name: busybox
    version: "1.35"
    end_of_support: 2026-01-15
)";

class SupportTest : public FleetEngineTest {
 protected:
  void SetUp() override {
    FleetEngineTest::SetUp();
    ASSERT_TRUE(Env::Default()->WriteFileAtomic(dir_ + "/r.json", AsBytes(kSbom)));
    ASSERT_TRUE(fleet().AddProduct({"Infusion pump", "", ""}));
    ASSERT_TRUE(fleet().AddRelease({"Infusion pump", "1.0", dir_ + "/r.json", "", "", "", ""}));
    ASSERT_TRUE(fleet().AddWebhook({0, "http://127.0.0.1:1/h", "0123456789abcdef", {}, ""}));
    auto key = crypto::GenerateSigningKey(crypto::AlgorithmId::kEd25519);
    ASSERT_TRUE(key);
    auto signer = audit::NoteSigner::Create("pump.example/log", std::move(*key));
    ASSERT_TRUE(signer);
    for (const auto& [serial, end] :
         {std::pair{"SN-1", "2026-02-15"}, {"SN-2", "2028-01-01"}, {"SN-3", ""}}) {
      Device d;
      d.serial = serial;
      d.product = "Infusion pump";
      d.release = "1.0";
      d.support_end = end;
      d.log_key = (*signer)->VerifierKey();
      ASSERT_TRUE(fleet().AddDevice(d)) << serial;
    }
  }
};

TEST_P(SupportTest, ListsWhatReachesAStageWithinTheWindowAndWarnsOnce) {
  auto parsed = ParseComponentSupport(kSupportYaml, "support.yaml");
  ASSERT_TRUE(parsed) << parsed.error().ToString();
  SupportOptions o;
  o.as_of = "2025-12-01";
  o.warn_days = 120;  // up to 2026-03-31
  o.components = *parsed;
  auto w = fleet().CheckSupport(o);
  ASSERT_TRUE(w) << w.error().ToString();
  // zlib enters Limited Support on 02-01 (its EoS is outside the window), SN-1's support ends
  // 02-15, openssl's (from the SBOM) 03-01; busybox 1.36 is not the 1.35 the file names.
  ASSERT_EQ(w->size(), 3u);
  EXPECT_EQ((*w)[0].item, "zlib@1.3");
  EXPECT_EQ((*w)[0].stage, kStageLimitedSupport);
  EXPECT_EQ((*w)[0].days, 62);
  EXPECT_EQ((*w)[1].kind, "device");
  EXPECT_EQ((*w)[1].item, "SN-1");
  EXPECT_EQ((*w)[1].stage, kStageEndOfSupport);
  EXPECT_EQ((*w)[2].item, "openssl@1.1.1w");
  EXPECT_EQ((*w)[2].date, "2026-03-01");
  for (const SupportWarning& s : *w) EXPECT_TRUE(s.first) << s.item;

  // Again, later: the same three, none new; past openssl's EoS it is still listed (days < 0).
  o.as_of = "2026-03-10";
  w = fleet().CheckSupport(o);
  ASSERT_TRUE(w);
  ASSERT_EQ(w->size(), 3u);
  EXPECT_EQ((*w)[2].days, -9);
  for (const SupportWarning& s : *w) EXPECT_FALSE(s.first) << s.item;

  testing::RecordingTransport sent;
  ASSERT_TRUE(fleet().DeliverWebhooks(sent, DeliveryOptions{}));
  ASSERT_EQ(sent.bodies.size(), 3u);
  EXPECT_NE(sent.bodies[0].find(R"("kind":"support.warning")"), std::string::npos)
      << sent.bodies[0];
}

TEST(ComponentSupport, RefusesBadFiles) {
  EXPECT_TRUE(ParseComponentSupport(R"({"components": []})", "s.json"));
  for (const char* bad :
       {"components: [{name: x}]", "components: [{name: x, end_of_support: 2026-13-01}]",
        "components: [{end_of_support: 2026-01-01}]", "other: 1",
        "components: [{name: x, end_of_support: 2026-01-01, colour: red}]",
        "components: [{name: x, end_of_guaranteed_support: 2027-01-01, "
        "end_of_support: 2026-01-01}]",
        "{"}) {
    auto r = ParseComponentSupport(bad, "s.yaml");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument) << bad;
    EXPECT_EQ(r.error().message().rfind("s.yaml", 0), 0u) << r.error().message();
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, SupportTest, ::testing::ValuesIn(testing::kEngines),
                         testing::EngineName);

}  // namespace
}  // namespace vigil::fleet
