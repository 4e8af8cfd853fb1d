// The bodies the fleet server's API accepts, read through core's JSON layer. Each parser takes
// the request body and a source name for errors ("POST /api/v1/products"), refuses unknown
// members, and returns InvalidArgument naming the JSON path and what was expected
// ("POST /api/v1/devices: $.security_counter: expected an unsigned integer, got string"), so a
// client reading only the message knows what to fix. Values are checked further by the fleet
// and triage libraries (a release of an unknown product is theirs to refuse).
//
//   product:  {"name", "manufacturer"?}
//   release:  {"product", "version", "sbom"?, "vex"?, "register_product"?, "register_release"?}
//   device:   {"serial", "product", "release", "log_key", "site"?, "customer"?, "support_end"?,
//              "slot"?, "security_counter"?}
//   decision: {"product", "vulnerability", "component", "release"?, "status", "reason",
//              "justification"?, "action"?, "fixed_in"?, "harm"?, "cvss_vector"?,
//              "compensating_control"?}   (the actor is the token's name, never the body's)
//
// Thread-safety: pure functions.
#ifndef VIGIL_SERVER_API_REQUESTS_H_
#define VIGIL_SERVER_API_REQUESTS_H_

#include <string>
#include <string_view>

#include "vigil/core/result.h"
#include "vigil/fleet/fleet.h"
#include "vigil/triage/register.h"

namespace vigil::server {

Result<fleet::Product> ParseProductRequest(std::string_view body, std::string_view source);
Result<fleet::Release> ParseReleaseRequest(std::string_view body, std::string_view source);
Result<fleet::Device> ParseDeviceRequest(std::string_view body, std::string_view source);

struct DecisionRequest {
  triage::RecordKey key;
  std::string release;        // the release the decision is about; empty: the record's last
  triage::Decision decision;  // actor left empty: the server sets the token's name
};
Result<DecisionRequest> ParseDecisionRequest(std::string_view body, std::string_view source);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_API_REQUESTS_H_
