// JSON views of the fleet (views.h), moved here from the CLI so the server prints the same.
#include "vigil/fleet/views.h"

#include "vigil/triage/views.h"

namespace vigil::fleet {

json::Value ProductJson(const Product& p) {
  return json::Value::MakeObject(
      {{"name", p.name}, {"manufacturer", p.manufacturer}, {"created", p.created}});
}

json::Value ReleaseJson(const Release& r) {
  return json::Value::MakeObject({{"product", r.product},
                                  {"version", r.version},
                                  {"sbom", r.sbom},
                                  {"vex", r.vex},
                                  {"register_product", r.register_product},
                                  {"register_release", r.register_release},
                                  {"created", r.created}});
}

json::Value DeviceJson(const Device& d) {
  json::Value v = json::Value::MakeObject({{"serial", d.serial},
                                           {"product", d.product},
                                           {"release", d.release},
                                           {"site", d.site},
                                           {"customer", d.customer},
                                           {"support_end", d.support_end},
                                           {"log_key", d.log_key},
                                           {"slot", d.slot},
                                           {"slot_status", d.slot_status},
                                           {"security_counter", d.security_counter},
                                           {"last_checkin", d.last_checkin},
                                           {"created", d.created}});
  if (d.checkpoint) {
    v.Set("checkpoint", json::Value::MakeObject({{"origin", d.checkpoint->origin},
                                                 {"size", d.checkpoint->size},
                                                 {"root", d.checkpoint->root_hex}}));
  } else {
    v.Set("checkpoint", nullptr);
  }
  return v;
}

json::Value AlertJson(const Alert& a) {
  return json::Value::MakeObject(
      {{"seq", a.seq}, {"device", a.serial}, {"at", a.at}, {"kind", a.kind}, {"detail", a.detail}});
}

json::Value CheckinResultJson(std::string_view serial, const CheckinResult& r) {
  return json::Value::MakeObject(
      {{"device", serial}, {"accepted", r.accepted}, {"alerts", JsonList(r.alerts, AlertJson)}});
}

json::Value ExposureJson(const Exposure& e) {
  json::Value rows = json::Value::MakeArray();
  for (const ExposureRow& r : e.rows) {
    rows.Push(json::Value::MakeObject({{"product", r.product},
                                       {"release", r.release},
                                       {"site", r.site},
                                       {"devices", r.devices},
                                       {"controlled", r.controlled},
                                       {"fixed_in", r.fixed_in},
                                       {"record", triage::RecordJson(r.record)}}));
  }
  json::Value sites = json::Value::MakeArray();
  for (const SiteExposure& s : e.sites) {
    sites.Push(json::Value::MakeObject({{"site", s.site},
                                        {"devices", s.devices},
                                        {"uncontrolled_devices", s.uncontrolled_devices},
                                        {"findings", s.findings}}));
  }
  return json::Value::MakeObject({{"devices", e.devices},
                                  {"uncontrolled_devices", e.uncontrolled_devices},
                                  {"sites", std::move(sites)},
                                  {"rows", std::move(rows)}});
}

}  // namespace vigil::fleet
