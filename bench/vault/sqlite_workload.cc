#include "vault/sqlite_workload.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <random>
#include <vector>

namespace vigil::bench {

namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

bool Check(sqlite3* db, int rc, const char* what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return true;
  std::fprintf(stderr, "sqlite workload: %s: %s\n", what, sqlite3_errmsg(db));
  return false;
}

bool Exec(sqlite3* db, const char* sql) {
  return Check(db, sqlite3_exec(db, sql, nullptr, nullptr, nullptr), sql);
}

struct Statements {
  sqlite3_stmt* find = nullptr;
  sqlite3_stmt* upsert = nullptr;
  sqlite3_stmt* get = nullptr;
  ~Statements() {
    sqlite3_finalize(find);
    sqlite3_finalize(upsert);
    sqlite3_finalize(get);
  }
};

bool Prepare(sqlite3* db, Statements& s) {
  return Check(db,
               sqlite3_prepare_v2(db, "SELECT version FROM records WHERE tbl=? AND id=?", -1,
                                  &s.find, nullptr),
               "prepare find") &&
         Check(db,
               sqlite3_prepare_v2(db,
                                  // SQLCipher 3.4 is SQLite 3.15: no UPSERT clause yet.
                                  "INSERT OR REPLACE INTO records(tbl, id, version, data) "
                                  "VALUES(?1, ?2, ?3, ?4)",
                                  -1, &s.upsert, nullptr),
               "prepare upsert") &&
         Check(db,
               sqlite3_prepare_v2(db, "SELECT version, data FROM records WHERE tbl=? AND id=?", -1,
                                  &s.get, nullptr),
               "prepare get");
}

bool PutOne(sqlite3* db, Statements& s, const std::string& id, const std::vector<uint8_t>& data) {
  sqlite3_bind_text(s.find, 1, "bench", -1, SQLITE_STATIC);
  sqlite3_bind_text(s.find, 2, id.c_str(), static_cast<int>(id.size()), SQLITE_STATIC);
  int rc = sqlite3_step(s.find);
  int64_t version = rc == SQLITE_ROW ? sqlite3_column_int64(s.find, 0) + 1 : 1;
  sqlite3_reset(s.find);
  sqlite3_bind_text(s.upsert, 1, "bench", -1, SQLITE_STATIC);
  sqlite3_bind_text(s.upsert, 2, id.c_str(), static_cast<int>(id.size()), SQLITE_STATIC);
  sqlite3_bind_int64(s.upsert, 3, version);
  sqlite3_bind_blob(s.upsert, 4, data.data(), static_cast<int>(data.size()), SQLITE_STATIC);
  rc = sqlite3_step(s.upsert);
  sqlite3_reset(s.upsert);
  return Check(db, rc, "upsert");
}

bool GetOne(Statements& s, const std::string& id, size_t expect_size) {
  sqlite3_bind_text(s.get, 1, "bench", -1, SQLITE_STATIC);
  sqlite3_bind_text(s.get, 2, id.c_str(), static_cast<int>(id.size()), SQLITE_STATIC);
  int rc = sqlite3_step(s.get);
  bool ok = rc == SQLITE_ROW && static_cast<size_t>(sqlite3_column_bytes(s.get, 1)) == expect_size;
  // Copy out, as a real reader would.
  std::vector<uint8_t> out(expect_size);
  if (ok) std::memcpy(out.data(), sqlite3_column_blob(s.get, 1), expect_size);
  sqlite3_reset(s.get);
  if (!ok) std::fprintf(stderr, "sqlite workload: %s did not read back\n", id.c_str());
  return ok;
}

// Everything between open and close, so the statements are finalised before the close.
WorkloadTimes RunOn(sqlite3* db, const std::string& key_sql, int records, int record_size,
                    int batch) {
  WorkloadTimes t;
  Statements s;
  bool ok = (key_sql.empty() || Exec(db, key_sql.c_str())) &&
            Exec(db,
                 "PRAGMA secure_delete=ON; PRAGMA journal_mode=DELETE; PRAGMA synchronous=EXTRA;"
                 " PRAGMA temp_store=MEMORY;"
                 " CREATE TABLE records(rid INTEGER PRIMARY KEY, tbl TEXT NOT NULL, id TEXT NOT "
                 "NULL, version INTEGER NOT NULL, data BLOB NOT NULL, UNIQUE(tbl, id));") &&
            Prepare(db, s);
  std::mt19937_64 rng(42);
  std::vector<uint8_t> data(static_cast<size_t>(record_size));
  for (auto& b : data) b = static_cast<uint8_t>(rng());
  double t0 = Now();
  for (int i = 0; ok && i < records; i += batch) {
    ok = Exec(db, "BEGIN IMMEDIATE");
    for (int j = i; ok && j < std::min(records, i + batch); ++j) {
      data[0] = static_cast<uint8_t>(j);
      ok = PutOne(db, s, "rec-" + std::to_string(j), data);
    }
    ok = ok && Exec(db, "COMMIT");
  }
  double t1 = Now();
  std::vector<int> order(static_cast<size_t>(records));
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  for (size_t k = 0; ok && k < order.size(); ++k) {
    ok = GetOne(s, "rec-" + std::to_string(order[k]), data.size());
  }
  t.put_seconds = t1 - t0;
  t.get_seconds = Now() - t1;
  t.ok = ok;
  return t;
}

}  // namespace

WorkloadTimes RunSqliteWorkload(const std::string& path, const std::string& key_sql, int records,
                                int record_size, int batch) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    std::fprintf(stderr, "sqlite workload: cannot open %s\n", path.c_str());
    sqlite3_close(db);
    return {};
  }
  WorkloadTimes t = RunOn(db, key_sql, records, record_size, batch);
  sqlite3_close(db);
  return t;
}

}  // namespace vigil::bench
