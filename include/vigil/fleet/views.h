// The fleet's objects as JSON values: one view shared by `vigil fleet … --format json` and the
// fleet server's API (vigil serve), so both print the same members. Members are the fields of
// fleet.h / exposure.h under the same names; a device's checkpoint is {origin, size, root} or
// null (the signed note is not repeated), an alert's serial is "device".
//
// Thread-safety: pure functions.
#ifndef VIGIL_FLEET_VIEWS_H_
#define VIGIL_FLEET_VIEWS_H_

#include <vector>

#include "vigil/core/json.h"
#include "vigil/fleet/checkin.h"
#include "vigil/fleet/exposure.h"
#include "vigil/fleet/fleet.h"

namespace vigil::fleet {

json::Value ProductJson(const Product& p);
json::Value ReleaseJson(const Release& r);
json::Value DeviceJson(const Device& d);
json::Value AlertJson(const Alert& a);
// {"device", "accepted", "alerts": [...]}: what a check-in concluded.
json::Value CheckinResultJson(std::string_view serial, const CheckinResult& r);
// {"devices", "uncontrolled_devices", "sites": [...], "rows": [... "record": triage's view]}.
json::Value ExposureJson(const Exposure& e);

// A list of any of the above.
template <typename T, typename ToJson>
json::Value JsonList(const std::vector<T>& items, ToJson to_json) {
  json::Value list = json::Value::MakeArray();
  for (const T& item : items) list.Push(to_json(item));
  return list;
}

}  // namespace vigil::fleet

#endif  // VIGIL_FLEET_VIEWS_H_
