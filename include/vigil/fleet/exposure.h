// Fleet exposure: the devices in the field crossed with the triage register's open findings of
// the release each one runs, with the register's risk decision (controlled / uncontrolled) and
// FDA deadline clocks, grouped by site.
//
// A finding is open on a release when the register saw it in that release (vigil scan
// --register) and its decision in force is neither not_affected nor fixed in that very release: a
// finding fixed in 2.1 still exposes the devices running 2.0, with the risk it had before the fix
// (the register's unmitigated risk) and the release that fixes it. Each Release of the fleet
// names its register product and release (fleet.h). The deadline clocks are the register's.
//
// Thread-safety: uses the Fleet and Register it is given (one thread at a time).
#ifndef VIGIL_FLEET_EXPOSURE_H_
#define VIGIL_FLEET_EXPOSURE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "vigil/core/result.h"
#include "vigil/fleet/fleet.h"
#include "vigil/triage/register.h"

namespace vigil::fleet {

struct ExposureFilter {
  std::string vulnerability;  // a CVE id (or advisory id); empty: every open finding
  std::string site;           // empty: every site
  std::string as_of;          // YYYY-MM-DD for the deadline clocks; empty: today
};

// One open finding on the devices of one release at one site.
struct ExposureRow {
  std::string product, release, site;  // the fleet's names
  uint64_t devices = 0;
  // The risk on these devices: the register's decision, or its unmitigated risk when the finding
  // is fixed in another release than the one they run.
  bool controlled = false;
  std::string fixed_in;   // the release that fixes it, when one does: these devices need it
  triage::Record record;  // the finding, its decision, risk and deadlines
};

struct SiteExposure {
  std::string site;
  uint64_t devices = 0;               // devices with at least one open finding
  uint64_t uncontrolled_devices = 0;  // of those, with at least one uncontrolled risk
  uint64_t findings = 0;              // rows of this site
};

struct Exposure {
  // Uncontrolled risks first, then the earliest open deadline, vulnerability, product, release,
  // site.
  std::vector<ExposureRow> rows;
  std::vector<SiteExposure> sites;  // by site name
  uint64_t devices = 0;             // devices with at least one open finding
  uint64_t uncontrolled_devices = 0;
};

// Crosses the fleet with the register. InvalidArgument for a malformed as_of; errors of either
// database otherwise.
Result<Exposure> ComputeExposure(Fleet& fleet, triage::Register& reg, const ExposureFilter& filter);

}  // namespace vigil::fleet

#endif  // VIGIL_FLEET_EXPOSURE_H_
