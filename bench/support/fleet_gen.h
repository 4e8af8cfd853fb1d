// The generated fleet of the fleet benchmarks (issue 18): 1,000 products of 10 releases each
// (10,000 releases) and 100 devices per release, each product installed at 5 of 100 sites
// (1,000,000 devices), all with one Ed25519 log key. bench_fleet measures exposure over it and
// bench_server_checkin measures check-ins with it in the database, on SQLite and PostgreSQL.
#ifndef VIGIL_BENCH_SUPPORT_FLEET_GEN_H_
#define VIGIL_BENCH_SUPPORT_FLEET_GEN_H_

#include <cstdio>
#include <string>
#include <vector>

#include "vigil/audit/checkpoint.h"
#include "vigil/core/result.h"
#include "vigil/crypto/signature.h"
#include "vigil/fleet/fleet.h"

namespace vigil::bench {

constexpr int kFleetProducts = 1000, kFleetReleases = 10, kFleetDevicesPerRelease = 100;
constexpr int kFleetSites = 100, kFleetSitesPerProduct = 5;

// "product-0042", "SN-0001-0042": fixed-width names, so they sort as they are numbered.
inline std::string FleetName(const char* prefix, int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%04d", prefix, i);
  return buf;
}

// Adds the products, releases ("1.0" .. "10.0") and devices of the generated fleet, one
// transaction per product; `products` < kFleetProducts makes a smaller fleet of the same shape
// (1,000 devices per product), for a quicker run while iterating.
inline Status PopulateFleet(fleet::Fleet& f, int products = kFleetProducts) {
  auto key = crypto::GenerateSigningKey(crypto::AlgorithmId::kEd25519);
  if (!key) return key.error();
  auto signer = audit::NoteSigner::Create("fleet.bench/log", std::move(*key));
  if (!signer) return signer.error();
  const std::string vkey = (*signer)->VerifierKey();
  int serial = 0;
  for (int p = 0; p < products; ++p) {
    VIGIL_RETURN_IF_ERROR(f.AddProduct({FleetName("product-", p), "Bench Medical", ""}));
    std::vector<fleet::Device> devices;
    for (int r = 0; r < kFleetReleases; ++r) {
      const std::string version = std::to_string(r + 1) + ".0";
      VIGIL_RETURN_IF_ERROR(f.AddRelease({FleetName("product-", p), version, "", "", "", "", ""}));
      for (int d = 0; d < kFleetDevicesPerRelease; ++d, ++serial) {
        fleet::Device dev;
        dev.serial = FleetName("SN-", serial / 10000) + FleetName("-", serial % 10000);
        dev.product = FleetName("product-", p);
        dev.release = version;
        dev.site = FleetName("site-", (p * 7 + d % kFleetSitesPerProduct) % kFleetSites);
        dev.log_key = vkey;
        devices.push_back(std::move(dev));
      }
    }
    VIGIL_RETURN_IF_ERROR(f.AddDevices(devices));
  }
  return OkStatus();
}

}  // namespace vigil::bench

#endif  // VIGIL_BENCH_SUPPORT_FLEET_GEN_H_
