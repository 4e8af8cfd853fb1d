#include "vigil/update/boot_state.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "vigil/update/installer.h"

namespace vigil::update {
namespace {

using nlohmann::json;

BootState Sample() {
  BootState s = BootState::Initial();
  s.generation = 9;
  SlotRecord good;
  good.status = SlotStatus::kGood;
  good.target = "pump/fw.bin";
  good.length = 123;
  good.hashes["sha256"] = Bytes(32, 0xab);
  good.release = 4;
  good.security_version = 2;
  s.slots["a"] = good;
  SlotRecord verified = good;
  verified.status = SlotStatus::kVerified;
  verified.release = 5;
  s.slots["b"] = verified;
  s.committed = "a";
  s.booted = "b";
  s.trial = TrialBoot{"b", 2};
  return s;
}

TEST(BootState, RoundTripsEveryField) {
  BootState s = Sample();
  auto back = BootState::Parse(s.Serialize(), "boot_state.json");
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_EQ(back->Serialize(), s.Serialize());
  EXPECT_EQ(back->trial->attempts_left, 2u);
  EXPECT_EQ(back->slots.at("b").release, 5u);
  auto initial = BootState::Parse(BootState::Initial().Serialize(), "x");
  ASSERT_TRUE(initial.has_value());
  EXPECT_FALSE(initial->committed.has_value());
  EXPECT_FALSE(initial->trial.has_value());
}

TEST(BootState, RejectsMalformedOrInconsistentStatesNamingTheField) {
  json base = json::parse(AsStringView(Sample().Serialize()));
  struct Case {
    std::function<void(json&)> edit;
    std::string expect;
  } cases[] = {
      {[](json& j) { j["format"] = "vigil-boot-state/2"; }, "boot_state.json: $.format: expected"},
      {[](json& j) { j.erase("trial"); }, "boot_state.json: $.trial: required field missing"},
      {[](json& j) { j["committed"] = "c"; }, "committed: expected \"a\" or \"b\""},
      {[](json& j) { j["slots"]["a"]["status"] = "bootable"; }, "slots.a.status: expected empty"},
      {[](json& j) { j["slots"]["a"]["status"] = "failed"; },
       "committed slot a must have status good"},
      {[](json& j) { j["slots"]["b"]["status"] = "good"; },
       "trial slot b must have status verified"},
      {[](json& j) { j["trial"]["slot"] = "a"; }, "trial slot a must have status verified"},
      {[](json& j) { j["slots"]["b"]["hashes"]["sha256"] = "zz"; },
       "hashes.sha256: expected a non-empty hex"},
      {[](json& j) { j["slots"]["b"]["hashes"] = json::object(); }, "expected at least one hash"},
      {[](json& j) { j["slots"]["c"] = j["slots"]["a"]; }, "expected exactly the slots a and b"},
      {[](json& j) { j["slots"]["a"]["release"] = 0; },
       "slots.a.release: expected an integer >= 1"},
      {[](json& j) { j["trial"]["attempts_left"] = -1; },
       "attempts_left: expected an integer >= 0"},
      {[](json& j) { j["generation"] = "9"; }, "generation: expected"},
  };
  for (const Case& c : cases) {
    json doc = base;
    c.edit(doc);
    auto r = BootState::Parse(ToBytes(doc.dump()), "boot_state.json");
    ASSERT_FALSE(r.has_value()) << c.expect;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message().find(c.expect), std::string::npos) << r.error().message();
  }
  EXPECT_FALSE(BootState::Parse(ToBytes("{\"format\":"), "x").has_value());
  EXPECT_FALSE(BootState::Parse(ToBytes("[]"), "x").has_value());
}

TEST(InstallerConfig, RoundTripsAndRejectsBadSlots) {
  InstallerConfig c;
  c.slots["a"] = SlotSpec{"dir", "a", 0};
  c.slots["b"] = SlotSpec{"image", "/dev/mmcblk0p3", 1 << 20};
  c.trial_attempts = 5;
  c.verify_on_boot = false;
  auto back = InstallerConfig::Parse(c.Serialize(), "slots.json");
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_EQ(back->Serialize(), c.Serialize());
  json base = json::parse(AsStringView(c.Serialize()));
  struct Case {
    std::function<void(json&)> edit;
    std::string expect;
  } cases[] = {
      {[](json& j) { j["slots"]["b"].erase("capacity"); }, "slots.b.capacity: required field"},
      {[](json& j) { j["slots"]["a"]["kind"] = "nand"; }, "expected \"dir\" or \"image\""},
      {[](json& j) { j["slots"]["a"]["path"] = "/dev/mmcblk0p3"; }, "must not share the path"},
      {[](json& j) { j["slots"]["a"]["path"] = ""; }, "expected a non-empty path"},
      {[](json& j) { j["trial_attempts"] = 0; }, "trial_attempts: expected an integer >= 1"},
      {[](json& j) { j["trial_attempts"] = 101; }, "expected at most 100"},
      {[](json& j) { j.erase("verify_on_boot"); }, "verify_on_boot: required field missing"},
  };
  for (const Case& k : cases) {
    json doc = base;
    k.edit(doc);
    auto r = InstallerConfig::Parse(ToBytes(doc.dump()), "slots.json");
    ASSERT_FALSE(r.has_value()) << k.expect;
    EXPECT_NE(r.error().message().find(k.expect), std::string::npos) << r.error().message();
  }
}

}  // namespace
}  // namespace vigil::update
