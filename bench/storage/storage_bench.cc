// storage::Database on PostgreSQL 15 beside SQLite, the same workload through the same
// interface: inserts of 64-byte rows in write transactions of 100, then point reads by primary
// key (each its own statement, no transaction), from one connection. The PostgreSQL server is
// private to the run (PostgresServer: unix socket, fsync off), so SQLite runs without syncs
// too (journal_mode=WAL, synchronous=OFF): the figures compare the engines' per-statement costs,
// not disks. SQLite is in-process; each PostgreSQL statement is a round trip over the socket.
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include "support/report.h"
#include "vigil/storage/database.h"
#include "vigil/storage/postgres_server.h"

namespace {

using vigil::storage::Database;
using vigil::storage::Transaction;

constexpr int kRows = 20000;
constexpr int kBatch = 100;
constexpr int kReads = 20000;
constexpr int kRuns = 3;

struct Rates {
  double inserts = -1;  // rows/s
  double reads = -1;    // reads/s
};

bool Ok(const vigil::Status& s, const char* what) {
  if (s) return true;
  std::fprintf(stderr, "bench_storage: %s: %s\n", what, s.error().ToString().c_str());
  return false;
}

bool Insert(Database& db) {
  if (!Ok(db.Exec("DROP TABLE IF EXISTS kv; CREATE TABLE kv(id BIGINT PRIMARY KEY, v BYTEA)"),
          "create")) {
    return false;
  }
  vigil::Bytes value(64, 0xa5);
  for (int first = 0; first < kRows; first += kBatch) {
    auto txn = Transaction::Begin(db);
    if (!txn) return Ok(txn.error(), "begin");
    for (int id = first; id < first + kBatch; ++id) {
      auto s = db.Cached("INSERT INTO kv(id, v) VALUES (?, ?)");
      if (!s) return Ok(s.error(), "prepare");
      if (!Ok((*s)->BindInt(1, id), "bind") || !Ok((*s)->BindBlob(2, value), "bind") ||
          !Ok((*s)->Run(), "insert")) {
        return false;
      }
    }
    if (!Ok(txn->Commit(), "commit")) return false;
  }
  return true;
}

bool Read(Database& db) {
  std::mt19937 random(7);
  std::uniform_int_distribution<int> pick(0, kRows - 1);
  for (int i = 0; i < kReads; ++i) {
    auto s = db.Cached("SELECT v FROM kv WHERE id = ?");
    if (!s) return Ok(s.error(), "prepare");
    if (!Ok((*s)->BindInt(1, pick(random)), "bind")) return false;
    auto row = (*s)->Step();
    if (!row) return Ok(row.error(), "read");
    if (!*row || (*s)->ColumnBlob(0).size() != 64) {
      std::fprintf(stderr, "bench_storage: a row is missing\n");
      return false;
    }
  }
  return true;
}

Rates Measure(Database& db) {
  Rates r;
  r.inserts = vigil::bench::MedianOf(kRuns, [&] {
    double start = vigil::bench::NowSeconds();
    if (!Insert(db)) return -1.0;
    return kRows / (vigil::bench::NowSeconds() - start);
  });
  r.reads = vigil::bench::MedianOf(kRuns, [&] {
    double start = vigil::bench::NowSeconds();
    if (!Read(db)) return -1.0;
    return kReads / (vigil::bench::NowSeconds() - start);
  });
  return r;
}

}  // namespace

int main() {
  namespace fs = std::filesystem;
  auto server = vigil::storage::testing::PostgresServer::Start();
  if (!server) {
    (void)Ok(server.error(), "postgres server");
    return 1;
  }
  auto url = (*server)->CreateDatabase();
  if (!url) {
    (void)Ok(url.error(), "create database");
    return 1;
  }
  vigil::storage::PostgresOptions server_db;
  server_db.url = *url;
  auto pg = Database::OpenPostgres(server_db);
  if (!pg) {
    (void)Ok(pg.error(), "connect");
    return 1;
  }

  fs::path dir = fs::path((*server)->folder()) / "sqlite";
  fs::create_directories(dir);
  vigil::storage::SqliteOptions file;
  file.path = (dir / "bench.db").string();
  file.create = true;
  auto lite = Database::OpenSqlite(file);
  if (!lite) {
    (void)Ok(lite.error(), "sqlite");
    return 1;
  }
  if (!Ok(lite->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF"), "sqlite pragmas")) {
    return 1;
  }

  Rates p = Measure(*pg);
  Rates s = Measure(*lite);
  if (p.inserts < 0 || p.reads < 0 || s.inserts < 0 || s.reads < 0) return 1;
  vigil::bench::Report("storage postgresql inserts (txn of 100)", p.inserts, "rows/s",
                       "sqlite, same Database calls", s.inserts);
  vigil::bench::Report("storage postgresql point reads", p.reads, "reads/s",
                       "sqlite, same Database calls", s.reads);
  return 0;
}
