// The SQLCipher peer of bench_vault, a separate program because SQLCipher and SQLite export the
// same symbols and cannot share one process. Runs the shared workload (sqlite_workload.h)
// against SQLCipher with its default cipher (AES-256-CBC + HMAC-SHA1 per page) at the 4 KiB page
// size plain SQLite uses, and prints "<put median s> <get median s>".
//
// Usage: vault_sqlcipher_peer DIR RECORDS RECORD_SIZE BATCH RUNS
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "vault/sqlite_workload.h"

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s DIR RECORDS RECORD_SIZE BATCH RUNS\n", argv[0]);
    return 2;
  }
  std::string dir = argv[1];
  int records = std::atoi(argv[2]);
  int record_size = std::atoi(argv[3]);
  int batch = std::atoi(argv[4]);
  int runs = std::atoi(argv[5]);
  std::vector<double> puts;
  std::vector<double> gets;
  for (int r = 0; r < runs; ++r) {
    std::string path = dir + "/sqlcipher-" + std::to_string(r) + ".db";
    std::filesystem::remove(path);
    auto t = vigil::bench::RunSqliteWorkload(
        path, "PRAGMA key='vigil bench passphrase'; PRAGMA cipher_page_size=4096;", records,
        record_size, batch);
    std::filesystem::remove(path);
    if (!t.ok) return 1;
    puts.push_back(t.put_seconds);
    gets.push_back(t.get_seconds);
  }
  std::sort(puts.begin(), puts.end());
  std::sort(gets.begin(), gets.end());
  std::printf("%.6f %.6f\n", puts[puts.size() / 2], gets[gets.size() / 2]);
  return 0;
}
