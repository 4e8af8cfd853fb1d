// The record workload the vault is measured against, run directly on an SQLite connection: put
// n records of `record_size` bytes (select the current version, then upsert, `batch` records per
// transaction), then get all n in a random order. The same source is compiled twice: against
// Debian's SQLite (the plain peer) and against SQLCipher's sqlite3.h (the encrypted peer, which
// passes its key as `key_sql`). The connection uses the vault's pragmas (secure_delete, DELETE
// journal, synchronous=EXTRA, temp_store=MEMORY) so that only the encryption differs.
#ifndef VIGIL_BENCH_VAULT_SQLITE_WORKLOAD_H_
#define VIGIL_BENCH_VAULT_SQLITE_WORKLOAD_H_

#include <string>

namespace vigil::bench {

struct WorkloadTimes {
  double put_seconds = 0;
  double get_seconds = 0;
  bool ok = false;
};

// `key_sql` runs right after open ("" for none). Fails (ok=false, message on stderr) on any
// SQLite error or when a record reads back wrong.
WorkloadTimes RunSqliteWorkload(const std::string& path, const std::string& key_sql, int records,
                                int record_size, int batch);

}  // namespace vigil::bench

#endif  // VIGIL_BENCH_VAULT_SQLITE_WORKLOAD_H_
