// OSV .zip import (osv.dev's per-ecosystem all.zip) on arbitrary bytes: the input is written as
// a .zip file and imported into a scratch database. A failure is one line naming the archive
// (and the member when one failed); the import is all or nothing, so a failed one leaves the
// database as it was.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "vigil/vuln/feed_import.h"

namespace {

struct Scratch {
  std::string dir, zip;
  vigil::vuln::AdvisoryDb* db = nullptr;
};

Scratch* scratch = nullptr;

// The scratch folder goes when the run ends (every seed-replay test run would otherwise leave one
// in /tmp); a crash keeps it for inspection.
void RemoveScratch() {
  delete scratch->db;
  std::error_code ignored;
  std::filesystem::remove_all(scratch->dir, ignored);
  delete scratch;
}

Scratch& Get() {
  static Scratch* s = [] {
    auto* out = new Scratch;
    std::string tmpl = "/tmp/vigil-fuzz-osv-zip-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) std::abort();
    out->dir = tmpl;
    out->zip = out->dir + "/fuzz.zip";
    auto db = vigil::vuln::AdvisoryDb::Open(*vigil::Env::Default(), out->dir + "/db.sqlite");
    if (!db) std::abort();
    out->db = new vigil::vuln::AdvisoryDb(std::move(*db));
    scratch = out;
    std::atexit(RemoveScratch);
    return out;
  }();
  return *s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Scratch& s = Get();
  {
    std::ofstream f(s.zip, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  auto before = s.db->Stats();
  if (!before) __builtin_trap();
  auto r = vigil::vuln::ImportFeeds(*vigil::Env::Default(), *s.db, {s.zip});
  if (!r) {
    const std::string& m = r.error().message();
    if (m.rfind(s.zip, 0) != 0 || m.find('\n') != std::string::npos) __builtin_trap();
    auto after = s.db->Stats();
    if (!after || after->osv_advisories != before->osv_advisories) __builtin_trap();
  }
  return 0;
}
