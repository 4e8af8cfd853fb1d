// The database engines the fleet test suites run on: each suite is value-parameterised over
// kEngines, so every fleet test runs on SQLite and on a real PostgreSQL 15 server (storage's
// private-server fixture: initdb + postmaster in a temporary folder, unix socket only, one
// server per test binary, a fresh database per test folder).
#ifndef VIGIL_FLEET_TESTING_DATABASE_ENGINES_H_
#define VIGIL_FLEET_TESTING_DATABASE_ENGINES_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "vigil/fleet/fleet.h"
#include "vigil/core/env.h"
#include "vigil/storage/database.h"
#include "vigil/storage/postgres_server.h"

namespace vigil::fleet::testing {

struct Engine {
  const char* name;
  // The database kept under `dir`: created empty the first time, the same one after.
  Result<storage::Database> (*open)(const std::string& dir);
};

inline Result<storage::Database> OpenSqliteIn(const std::string& dir) {
  return OpenFleetSqlite(dir + "/fleet.sqlite", /*create=*/true);
}

// The database of the test folder `dir`: created in the shared server on first open, its URL
// kept in the folder, so a reopen (a restarted process, in the tests) finds the same one.
inline Result<storage::Database> OpenPostgresIn(const std::string& dir) {
  Env& env = *Env::Default();
  const std::string marker = dir + "/postgres-url";
  std::string url;
  if (env.FileExists(marker)) {
    VIGIL_ASSIGN_OR_RETURN(Bytes saved, env.ReadFile(marker));
    url = std::string(AsStringView(saved));
  } else {
    VIGIL_ASSIGN_OR_RETURN(storage::testing::PostgresServer * server,
                           storage::testing::PostgresServer::Shared());
    VIGIL_ASSIGN_OR_RETURN(url, server->CreateDatabase());
    VIGIL_RETURN_IF_ERROR(env.WriteFileAtomic(marker, AsBytes(url)));
  }
  storage::PostgresOptions options;
  options.url = url;
  return storage::Database::OpenPostgres(options);
}

inline const Engine kEngines[] = {
    {"sqlite", OpenSqliteIn},
    {"postgresql", OpenPostgresIn},
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
