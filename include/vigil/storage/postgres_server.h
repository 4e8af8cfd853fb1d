// PostgresServer: a private PostgreSQL 15 server for a test binary, so that storage's tests and
// every module storing through vigil::storage (triage, fleet) run against a real server, never
// a mock. Test support: library vigil::storage_testing (host builds), not installed.
//
//   auto server = vigil::storage::testing::PostgresServer::Shared();   // Result<Server*>
//   ASSERT_TRUE(server) << server.error().ToString();
//   auto url = (*server)->CreateDatabase();    // a fresh, empty database per test
//   auto db = Database::OpenPostgres({.url = *url});
//
// Start() runs initdb in a new temporary folder (/tmp/vigil-pg-XXXXXX), then the postmaster
// itself as a child of the test process, listening on a unix socket in that folder only
// (listen_addresses=''), with fsync off (a test's data need not survive a power cut; a
// benchmark that times commits asks for a durable server instead, as production runs). Tests
// run as root here and in CI and initdb refuses root, so then the server runs as the
// `postgres` system user (setpriv) in a folder given to it. The destructor stops the server
// (pg_ctl stop -m fast) and removes the folder, also after failed assertions; if the test
// process dies, the server gets SIGTERM (parent-death signal) and shuts down.
//
// Missing programs (VIGIL_POSTGRES_BIN, /usr/lib/postgresql/15/bin by default) are an error
// (FailedPrecondition), which a test reports as a failure: it never skips.
//
// Thread-safety: one thread drives a PostgresServer; the server itself takes any number of
// connections from any thread.
#ifndef VIGIL_STORAGE_POSTGRES_SERVER_H_
#define VIGIL_STORAGE_POSTGRES_SERVER_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <string_view>

#include "vigil/core/result.h"

namespace vigil::storage::testing {

class PostgresServer {
 public:
  // A new server, running when this returns (about a second). FailedPrecondition when the
  // PostgreSQL programs are missing; Unavailable when initdb or the server fails (the message
  // ends with the last lines of their log).
  // kDurable keeps PostgreSQL's defaults (fsync, full-page writes): what a commit costs on a
  // production server, for benchmarks; tests use kFast.
  enum class Durability { kFast, kDurable };
  static Result<std::unique_ptr<PostgresServer>> Start(Durability durability = Durability::kFast);
  // The test binary's server: started on first use, stopped when the process exits. An error
  // of the first start is returned again to every later caller.
  static Result<PostgresServer*> Shared();

  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;
  ~PostgresServer();

  // A new empty database (named db1, db2… in this server); returns its URL.
  Result<std::string> CreateDatabase();
  // "postgresql:///<database>?host=<folder>&user=postgres": the superuser, no password.
  std::string Url(std::string_view database) const;
  const std::string& folder() const { return folder_; }

  // Kills the postmaster and every server process with SIGKILL, as a crash would: open
  // connections break, uncommitted transactions are lost. The data folder stays.
  Status Kill();
  // Starts the server again on the same data (after Kill: crash recovery first).
  Status Restart();

 private:
  PostgresServer(std::string folder, Durability durability)
      : folder_(std::move(folder)), durability_(durability) {}
  Status InitDb();
  Status Launch();
  Status WaitReady();
  Status Stop();

  std::string folder_;
  Durability durability_;
  pid_t postmaster_ = -1;
  int databases_ = 0;
};

}  // namespace vigil::storage::testing

#endif  // VIGIL_STORAGE_POSTGRES_SERVER_H_
