// The drug library: for each drug the pump may deliver, the rates and volumes a clinician may
// program. Soft limits may be overridden by a clinician who confirms; hard limits never.
//
// Integrity: the library is safety-critical (a raised hard limit is an overdose), so it is kept
// beside an HMAC-SHA-256 tag (`<library>.mac`, hex) under the library key the pump received at
// provisioning. Load() checks the tag over the exact bytes before it parses anything, so an
// edited, truncated or swapped library is refused without its content being read.
//
// Units are integers so that limits and accounting are exact: microlitres (µL) and microlitres
// per hour (µL/h). 1 mL/h = 1000 µL/h.
//
// Thread-safety: an immutable value once built.
#ifndef PUMP_DRUG_LIBRARY_H_
#define PUMP_DRUG_LIBRARY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/bytes.h"
#include "vigil/core/env.h"
#include "vigil/core/result.h"
#include "vigil/crypto/secret_bytes.h"

namespace pump {

// Rate limits of one drug, µL/h: hard_min <= soft_min <= soft_max <= hard_max, hard_min > 0.
struct RateLimits {
  int64_t hard_min = 0;
  int64_t soft_min = 0;
  int64_t soft_max = 0;
  int64_t hard_max = 0;
};

struct Drug {
  std::string id;    // [a-z0-9-]{1,64}, unique in the library
  std::string name;  // for display, 1..128 bytes
  RateLimits rate_ul_h;
  int64_t max_volume_ul = 0;  // the largest volume to be infused of one program, > 0
};

class DrugLibrary {
 public:
  // The largest library file the pump reads (a hospital formulary is a few hundred drugs).
  static constexpr uint64_t kMaxBytes = 1 << 20;
  // The library key's length (HMAC-SHA-256 key).
  static constexpr size_t kKeyBytes = 32;

  // Parses a library document (JSON, see drug-library.json). InvalidArgument naming `source`, the
  // JSON path and what was expected; e.g. "lib.json: $.drugs[2].rate_ul_h.soft_max: expected
  // hard_min <= soft_min <= soft_max <= hard_max, found 2000 > hard_max 1500".
  static vigil::Result<DrugLibrary> Parse(std::string_view text, std::string_view source);

  // The tag Load() expects in `<path>.mac`: HMAC-SHA-256 under `key` of a domain label and the
  // library's bytes, hex. InvalidArgument for a key that is not kKeyBytes long.
  static vigil::Result<std::string> Seal(const vigil::crypto::SecretBytes& key,
                                         vigil::ByteView library_bytes);

  // Reads `path` and `path`.mac through `env`, checks the tag under `key` (Unauthenticated
  // "PATH: the drug library's integrity tag does not match (...)" on mismatch, DataLoss for an
  // unreadable tag file), then parses. NotFound if either file is missing.
  static vigil::Result<DrugLibrary> Load(vigil::Env& env, const std::string& path,
                                         const vigil::crypto::SecretBytes& key);

  // The library's own version (`version`, >= 1): an update must carry a higher one.
  uint64_t version() const { return version_; }
  const std::vector<Drug>& drugs() const { return drugs_; }
  // The drug `id`, or null.
  const Drug* Find(std::string_view id) const;

 private:
  DrugLibrary() = default;
  uint64_t version_ = 0;
  std::vector<Drug> drugs_;
};

}  // namespace pump

#endif  // PUMP_DRUG_LIBRARY_H_
