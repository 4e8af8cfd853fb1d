// The fleet model on every engine of testing/database_engines.h: products, releases, devices,
// their rules, and the schema surviving a reopen.
#include "vigil/fleet/fleet.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>
#include <utility>
#include <vector>

#include "testing/database_engines.h"
#include "vigil/audit/checkpoint.h"
#include "vigil/crypto/signature.h"

namespace vigil::fleet {
namespace {

using testing::FleetEngineTest;

std::string NewLogKey(const std::string& name) {
  auto key = crypto::GenerateSigningKey(crypto::AlgorithmId::kEd25519);
  EXPECT_TRUE(key);
  auto signer = audit::NoteSigner::Create(name, std::move(*key));
  EXPECT_TRUE(signer);
  return (*signer)->VerifierKey();
}

class FleetModelTest : public FleetEngineTest {
 protected:
  void AddPumpWithReleases() {
    ASSERT_TRUE(fleet().AddProduct({"Infusion pump", "Example Medical", ""}));
    ASSERT_TRUE(fleet().AddRelease({"Infusion pump", "1.0", "r1.cdx.json", "", "", "", ""}));
    ASSERT_TRUE(fleet().AddRelease(
        {"Infusion pump", "1.1", "r2.cdx.json", "r2.vex.json", "Pump", "1.1.0", ""}));
  }
  Device PumpDevice(std::string serial, std::string release, std::string site) {
    Device d;
    d.serial = std::move(serial);
    d.product = "Infusion pump";
    d.release = std::move(release);
    d.site = std::move(site);
    d.customer = "General Hospital";
    d.support_end = "2031-12-31";
    d.log_key = key_;
    return d;
  }
  std::string key_ = NewLogKey("pump.example/log");
};

TEST_P(FleetModelTest, ProductsAreAddedListedAndUnique) {
  auto p = fleet().AddProduct({"Infusion pump", "Example Medical", ""});
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_FALSE(p->created.empty());
  ASSERT_TRUE(fleet().AddProduct({"Glucose monitor", "", ""}));
  auto dup = fleet().AddProduct({"Infusion pump", "Someone else", ""});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_NE(dup.error().message().find("'Infusion pump' already exists"), std::string::npos);
  auto all = fleet().Products();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "Glucose monitor");
  EXPECT_EQ((*all)[1].manufacturer, "Example Medical");  // the duplicate changed nothing
  auto found = fleet().FindProduct("Infusion pump");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->created, p->created);
  auto missing = fleet().FindProduct("Ventilator");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(*missing);
}

TEST_P(FleetModelTest, NamesAreOneLineAndNotEmpty) {
  auto empty = fleet().AddProduct({"", "", ""});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message(), "product name: must not be empty");
  auto two_lines = fleet().AddProduct({"pump\nrm -rf", "", ""});
  ASSERT_FALSE(two_lines);
  EXPECT_EQ(two_lines.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(two_lines.error().message().find("expected one line"), std::string::npos);
  EXPECT_FALSE(fleet().AddProduct({std::string(257, 'x'), "", ""}));
}

TEST_P(FleetModelTest, ReleasesBelongToAProductAndNameTheirRegisterEntry) {
  auto orphan = fleet().AddRelease({"Infusion pump", "1.0", "", "", "", "", ""});
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(orphan.error().message().find("no product 'Infusion pump'"), std::string::npos);
  AddPumpWithReleases();
  auto r = fleet().FindRelease("Infusion pump", "1.0");
  ASSERT_TRUE(r && *r);
  EXPECT_EQ((*r)->register_product, "Infusion pump");  // defaults: the fleet's own names
  EXPECT_EQ((*r)->register_release, "1.0");
  EXPECT_EQ((*r)->sbom, "r1.cdx.json");
  auto r2 = fleet().FindRelease("Infusion pump", "1.1");
  ASSERT_TRUE(r2 && *r2);
  EXPECT_EQ((*r2)->register_product, "Pump");
  EXPECT_EQ((*r2)->register_release, "1.1.0");
  EXPECT_EQ((*r2)->vex, "r2.vex.json");
  auto dup = fleet().AddRelease({"Infusion pump", "1.1", "", "", "", "", ""});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code(), ErrorCode::kAlreadyExists);
  ASSERT_TRUE(fleet().AddProduct({"Ventilator", "", ""}));
  ASSERT_TRUE(fleet().AddRelease({"Ventilator", "1.0", "", "", "", "", ""}));
  auto pump = fleet().Releases("Infusion pump");
  ASSERT_TRUE(pump);
  EXPECT_EQ(pump->size(), 2u);
  auto all = fleet().Releases("");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 3u);
  EXPECT_FALSE(fleet().AddRelease({"Ventilator", "", "", "", "", "", ""}));
}

TEST_P(FleetModelTest, DevicesRunAKnownReleaseAndAreChecked) {
  AddPumpWithReleases();
  auto added = fleet().AddDevice(PumpDevice("SN-1", "1.0", "Ward 3"));
  ASSERT_TRUE(added) << added.error().ToString();
  EXPECT_TRUE(added->last_checkin.empty());
  EXPECT_FALSE(added->checkpoint);
  auto unknown_release = fleet().AddDevice(PumpDevice("SN-2", "9.9", "Ward 3"));
  ASSERT_FALSE(unknown_release);
  EXPECT_EQ(unknown_release.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(unknown_release.error().message().find("no release '9.9'"), std::string::npos);
  auto dup = fleet().AddDevice(PumpDevice("SN-1", "1.1", "ICU"));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code(), ErrorCode::kAlreadyExists);

  Device bad_key = PumpDevice("SN-3", "1.0", "ICU");
  bad_key.log_key = "pump.example/log+00000000+AAAA";
  auto k = fleet().AddDevice(bad_key);
  ASSERT_FALSE(k);
  EXPECT_EQ(k.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(k.error().message().rfind("log key: ", 0), 0u);
  Device bad_date = PumpDevice("SN-3", "1.0", "ICU");
  bad_date.support_end = "2031-02-30";
  auto d = fleet().AddDevice(bad_date);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().message(), "support end: expected a date YYYY-MM-DD, got '2031-02-30'");
  Device bad_slot = PumpDevice("SN-3", "1.0", "ICU");
  bad_slot.slot = "c";
  EXPECT_FALSE(fleet().AddDevice(bad_slot));
  Device bad_status = PumpDevice("SN-3", "1.0", "ICU");
  bad_status.slot_status = "booting";
  auto st = fleet().AddDevice(bad_status);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message().find("slot status: expected empty, writing"), std::string::npos);
  Device huge = PumpDevice("SN-3", "1.0", "ICU");
  huge.security_counter = UINT64_MAX;
  EXPECT_FALSE(fleet().AddDevice(huge));

  auto found = fleet().FindDevice("SN-1");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->site, "Ward 3");
  EXPECT_EQ((*found)->customer, "General Hospital");
  EXPECT_EQ((*found)->support_end, "2031-12-31");
  EXPECT_EQ((*found)->log_key, key_);
  EXPECT_EQ((*found)->slot, "a");
  EXPECT_EQ((*found)->slot_status, "good");
  auto none = fleet().FindDevice("SN-3");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
}

TEST_P(FleetModelTest, DevicesAreFilteredAndCountedBySite) {
  AddPumpWithReleases();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(fleet().AddDevice(PumpDevice("W-" + std::to_string(i), "1.0", "Ward 3")));
  }
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(fleet().AddDevice(PumpDevice("I-" + std::to_string(i), i ? "1.1" : "1.0", "ICU")));
  }
  auto icu = fleet().Devices({"", "", "ICU"});
  ASSERT_TRUE(icu);
  ASSERT_EQ(icu->size(), 3u);
  EXPECT_EQ((*icu)[0].serial, "I-0");
  auto on_10 = fleet().Devices({"Infusion pump", "1.0", ""});
  ASSERT_TRUE(on_10);
  EXPECT_EQ(on_10->size(), 6u);
  auto first = fleet().Devices({"Infusion pump", "1.0", ""}, 2);
  ASSERT_TRUE(first) << first.error().ToString();
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].serial, "I-0");
  EXPECT_EQ((*first)[1].serial, "W-0");
  auto none = fleet().Devices({}, 0);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  auto counts = fleet().CountDevices({});
  ASSERT_TRUE(counts);
  ASSERT_EQ(counts->size(), 3u);
  EXPECT_EQ((*counts)[0].release, "1.0");
  EXPECT_EQ((*counts)[0].site, "ICU");
  EXPECT_EQ((*counts)[0].devices, 1u);
  EXPECT_EQ((*counts)[1].site, "Ward 3");
  EXPECT_EQ((*counts)[1].devices, 5u);
  EXPECT_EQ((*counts)[2].release, "1.1");
  EXPECT_EQ((*counts)[2].devices, 2u);
  auto ward = fleet().CountDevices({"", "", "Ward 3"});
  ASSERT_TRUE(ward);
  EXPECT_EQ(ward->size(), 1u);
}

// CountDevicesOf gives what CountDevices gives release by release, over more releases than one
// statement takes (chunks of 200), with a duplicate, an unknown release and a site filter.
TEST_P(FleetModelTest, DevicesAreCountedForManyReleasesAtOnce) {
  ASSERT_TRUE(fleet().AddProduct({"Infusion pump", "Example Medical", ""}));
  std::vector<Device> devices;
  std::vector<std::pair<std::string, std::string>> wanted;
  for (int r = 0; r < 450; ++r) {
    const std::string version = "1." + std::to_string(r);
    ASSERT_TRUE(fleet().AddRelease({"Infusion pump", version, "", "", "", "", ""}));
    if (r % 3 == 0) continue;  // a release with no device
    devices.push_back(PumpDevice("S-" + std::to_string(r), version, r % 2 ? "ICU" : "Ward 3"));
    devices.push_back(PumpDevice("T-" + std::to_string(r), version, "ICU"));
  }
  ASSERT_TRUE(fleet().AddDevices(devices));
  for (int r = 0; r < 450; r += 2) wanted.emplace_back("Infusion pump", "1." + std::to_string(r));
  wanted.emplace_back("Infusion pump", "1.4");    // twice
  wanted.emplace_back("Infusion pump", "9.9");    // no such release
  for (const std::string site : {"", "ICU"}) {
    auto batch = fleet().CountDevicesOf(wanted, site);
    ASSERT_TRUE(batch) << batch.error().ToString();
    std::vector<DeviceCount> one_by_one;
    std::sort(wanted.begin(), wanted.end());
    for (size_t i = 0; i < wanted.size(); ++i) {
      if (i > 0 && wanted[i] == wanted[i - 1]) continue;
      auto c = fleet().CountDevices({wanted[i].first, wanted[i].second, site});
      ASSERT_TRUE(c);
      one_by_one.insert(one_by_one.end(), c->begin(), c->end());
    }
    std::sort(one_by_one.begin(), one_by_one.end(), [](const auto& a, const auto& b) {
      return std::tie(a.product, a.release, a.site) < std::tie(b.product, b.release, b.site);
    });
    ASSERT_EQ(batch->size(), one_by_one.size()) << "site '" << site << "'";
    EXPECT_GE(batch->size(), 150u);
    for (size_t i = 0; i < batch->size(); ++i) {
      EXPECT_EQ((*batch)[i].release, one_by_one[i].release);
      EXPECT_EQ((*batch)[i].site, one_by_one[i].site);
      EXPECT_EQ((*batch)[i].devices, one_by_one[i].devices);
    }
  }
  auto none = fleet().CountDevicesOf({}, "");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_P(FleetModelTest, ABatchOfDevicesIsAddedWhole) {
  AddPumpWithReleases();
  std::vector<Device> batch;
  for (int i = 0; i < 50; ++i) batch.push_back(PumpDevice("B-" + std::to_string(i), "1.1", "ICU"));
  batch.push_back(PumpDevice("B-7", "1.0", "ICU"));  // a duplicate serial at the end
  Status s = fleet().AddDevices(batch);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(s.error().message().rfind("devices[50]: ", 0), 0u) << s.error().message();
  auto none = fleet().Devices({});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());  // nothing of the refused batch was kept
  batch.pop_back();
  ASSERT_TRUE(fleet().AddDevices(batch));
  auto counts = fleet().CountDevices({"Infusion pump", "1.1", ""});
  ASSERT_TRUE(counts);
  ASSERT_EQ(counts->size(), 1u);
  EXPECT_EQ((*counts)[0].devices, 50u);
}

TEST_P(FleetModelTest, ReleasesAreFoundByTheirRegisterNames) {
  AddPumpWithReleases();
  auto filed = fleet().ReleasesFiledAs("Pump", "1.1.0");
  ASSERT_TRUE(filed);
  ASSERT_EQ(filed->size(), 1u);
  EXPECT_EQ((*filed)[0].version, "1.1");
  auto defaulted = fleet().ReleasesFiledAs("Infusion pump", "1.0");
  ASSERT_TRUE(defaulted);
  EXPECT_EQ(defaulted->size(), 1u);
  auto none = fleet().ReleasesFiledAs("Infusion pump", "1.1");  // filed as Pump 1.1.0
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_P(FleetModelTest, TheSchemaSurvivesAReopen) {
  AddPumpWithReleases();
  ASSERT_TRUE(fleet().AddDevice(PumpDevice("SN-1", "1.1", "ICU")));
  fleet_.reset();
  auto db = GetParam().open(dir_);
  ASSERT_TRUE(db) << db.error().ToString();
  auto version = db->SchemaVersion();
  ASSERT_TRUE(version);
  // 1 the model, 2 operator tokens, 3 the webhook outbox, 4 support notices, 5 announced findings
  EXPECT_EQ(*version, 5);
  auto reopened = Fleet::Open(std::move(*db), "fleet database", *Env::Default());
  ASSERT_TRUE(reopened) << reopened.error().ToString();
  auto d = reopened->FindDevice("SN-1");
  ASSERT_TRUE(d && *d);
  EXPECT_EQ((*d)->release, "1.1");
}

INSTANTIATE_TEST_SUITE_P(Engines, FleetModelTest, ::testing::ValuesIn(testing::kEngines),
                         testing::EngineName);

}  // namespace
}  // namespace vigil::fleet
