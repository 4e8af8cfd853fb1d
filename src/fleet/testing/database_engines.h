// The database engines the fleet test suites run on: each suite is value-parameterised over
// kEngines, so a second engine (storage's PostgreSQL, with its private-server fixture) is one more
// line here and every fleet test runs on it too.
#ifndef VIGIL_FLEET_TESTING_DATABASE_ENGINES_H_
#define VIGIL_FLEET_TESTING_DATABASE_ENGINES_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "vigil/fleet/fleet.h"
#include "vigil/storage/database.h"

namespace vigil::fleet::testing {

struct Engine {
  const char* name;
  // The database kept under `dir`: created empty the first time, the same one after.
  Result<storage::Database> (*open)(const std::string& dir);
};

inline Result<storage::Database> OpenSqliteIn(const std::string& dir) {
  return OpenFleetSqlite(dir + "/fleet.sqlite", /*create=*/true);
}

inline const Engine kEngines[] = {
    {"sqlite", OpenSqliteIn},
};

inline std::string EngineName(const ::testing::TestParamInfo<Engine>& info) {
  return info.param.name;
}

// A temporary folder per test, and the fleet opened on the test's engine in it.
class FleetEngineTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "vigil-fleet-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto db = GetParam().open(dir_);
    ASSERT_TRUE(db) << db.error().ToString();
    auto fleet = Fleet::Open(std::move(*db), "fleet database", *Env::Default());
    ASSERT_TRUE(fleet) << fleet.error().ToString();
    fleet_.emplace(std::move(*fleet));
  }
  void TearDown() override {
    fleet_.reset();
    std::filesystem::remove_all(dir_);
  }
  Fleet& fleet() { return *fleet_; }

  std::string dir_;
  std::optional<Fleet> fleet_;
};

}  // namespace vigil::fleet::testing

#endif  // VIGIL_FLEET_TESTING_DATABASE_ENGINES_H_
