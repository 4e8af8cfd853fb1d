// `vigil fleet product|release|device add|list|show`, `vigil fleet device remove`,
// `vigil fleet checkin`, `vigil fleet alerts`:
// the post-market fleet (vigil/fleet/fleet.h, checkin.h) from the command line, stored in an
// SQLite file (--db, default fleet.sqlite in the working folder).
//
//   vigil fleet product add NAME [--manufacturer M]
//   vigil fleet release add --product P --version V [--sbom F] [--vex F]
//                           [--register-product RP] [--register-release RR]
//   vigil fleet device add SERIAL --product P --release V --log-key VKEY [--site S]
//                          [--customer C] [--support-end YYYY-MM-DD] [--slot a|b] [--counter N]
//   vigil fleet device remove SERIAL   (deregistered: check-ins refused, history kept)
//   vigil fleet product|release|device list [filters] [--format table|json]
//   vigil fleet product show NAME | release show --product P --version V | device show SERIAL
//   vigil fleet checkin --device SERIAL FILE.json   (body: see vigil/fleet/checkin.h)
//   vigil fleet alerts [--device SERIAL] [--format table|json]
//   vigil fleet exposure --register R [--cve ID] [--site S] [--as-of YYYY-MM-DD] [--format json]
//        devices x open findings of the triage register (vigil scan --register), uncontrolled
//        risks first, with the deadline clocks, and the devices exposed per site
//
// Exit codes: 0 ok; 1 when a check-in raised alerts (it was recorded, not accepted); 2 on usage
// or input errors (one line naming the option, file or field).
#include <cstdio>
#include <memory>

#include "cli_io.h"
#include "command.h"
#include "fleet_notify.h"
#include "vigil/core/encoding.h"
#include "vigil/core/env.h"
#include "vigil/core/json.h"
#include "vigil/fleet/checkin.h"
#include "vigil/fleet/exposure.h"
#include "vigil/fleet/fleet.h"
#include "vigil/fleet/views.h"
#include "vigil/storage/database.h"
#include "vigil/triage/register.h"

namespace vigil::cli {
namespace {

using fleet::AlertJson;
using fleet::DeviceJson;
using fleet::ExposureJson;
using fleet::JsonList;
using fleet::ProductJson;
using fleet::ReleaseJson;

struct FleetOptions {
  std::string db = "fleet.sqlite";
  std::string format = "table";
  std::string name, manufacturer;                                     // product
  std::string product, version, sbom, vex, reg_product, reg_release;  // release
  std::string serial, release, site, customer, support_end, log_key;  // device
  std::string slot = "a";
  uint64_t counter = 0;
  std::string body;                       // checkin
  std::string register_path, cve, as_of;  // exposure
};

Result<fleet::Fleet> OpenFleet(const FleetOptions& o, bool create) {
  return OpenFleetDb(o.db, create);
}

void Print(const std::string& s) { std::fwrite(s.data(), 1, s.size(), stdout); }
void PrintJson(const json::Value& v) { Print(json::Write(v, 2) + "\n"); }

std::string OrDash(const std::string& s) { return s.empty() ? "-" : s; }

void PrintDeviceLine(const fleet::Device& d) {
  std::printf("%-16s %-20s %-10s %-16s %-4s %-8s %8llu  %s\n", d.serial.c_str(), d.product.c_str(),
              d.release.c_str(), OrDash(d.site).c_str(), d.slot.c_str(), d.slot_status.c_str(),
              static_cast<unsigned long long>(d.security_counter), OrDash(d.last_checkin).c_str());
}

void PrintAlertLine(const fleet::Alert& a) {
  std::printf("%-20s %-16s %-16s %s\n", a.at.c_str(), a.serial.c_str(), a.kind.c_str(),
              a.detail.c_str());
}

Status ProductAdd(const FleetOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, OpenFleet(o, true));
  VIGIL_ASSIGN_OR_RETURN(fleet::Product p, f.AddProduct({o.name, o.manufacturer, ""}));
  std::printf("%s: product '%s' added\n", o.db.c_str(), p.name.c_str());
  return OkStatus();
}

Status ProductList(const FleetOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, OpenFleet(o, false));
  VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::Product> all, f.Products());
  if (o.format == "json") {
    PrintJson(JsonList(all, ProductJson));
    return OkStatus();
  }
  for (const fleet::Product& p : all) {
    std::printf("%-32s %s\n", p.name.c_str(), OrDash(p.manufacturer).c_str());
  }
  std::printf("%zu product(s)\n", all.size());
  return OkStatus();
}

Status ProductShow(const FleetOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, OpenFleet(o, false));
  VIGIL_ASSIGN_OR_RETURN(std::optional<fleet::Product> p, f.FindProduct(o.name));
  if (!p) return NotFoundError(o.db + ": no product '" + o.name + "'");
  VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::Release> releases, f.Releases(o.name));
  VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::DeviceCount> counts, f.CountDevices({o.name, "", ""}));
  uint64_t devices = 0;
  for (const fleet::DeviceCount& c : counts) devices += c.devices;
  if (o.format == "json") {
    json::Value v = ProductJson(*p);
    v.Set("releases", JsonList(releases, ReleaseJson));
    v.Set("devices", devices);
    PrintJson(v);
    return OkStatus();
  }
  std::printf("product       %s\nmanufacturer  %s\ncreated       %s\ndevices       %llu\n",
              p->name.c_str(), OrDash(p->manufacturer).c_str(), p->created.c_str(),
              static_cast<unsigned long long>(devices));
  for (const fleet::Release& r : releases) {
    std::printf("release       %s (register: %s %s)\n", r.version.c_str(),
                r.register_product.c_str(), r.register_release.c_str());
  }
  return OkStatus();
}

Status ReleaseAdd(const FleetOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, OpenFleet(o, true));
  VIGIL_ASSIGN_OR_RETURN(fleet::Release r, f.AddRelease({o.product, o.version, o.sbom, o.vex,
                                                         o.reg_product, o.reg_release, ""}));
  std::printf("%s: release '%s' of '%s' added (register: %s %s)\n", o.db.c_str(), r.version.c_str(),
              r.product.c_str(), r.register_product.c_str(), r.register_release.c_str());
  return OkStatus();
}

Status ReleaseList(const FleetOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, OpenFleet(o, false));
  VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::Release> all, f.Releases(o.product));
  if (o.format == "json") {
    PrintJson(JsonList(all, ReleaseJson));
    return OkStatus();
  }
  for (const fleet::Release& r : all) {
    std::printf("%-24s %-12s %s\n", r.product.c_str(), r.version.c_str(), OrDash(r.sbom).c_str());
  }
  std::printf("%zu release(s)\n", all.size());
  return OkStatus();
}

Status ReleaseShow(const FleetOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, OpenFleet(o, false));
  VIGIL_ASSIGN_OR_RETURN(std::optional<fleet::Release> r, f.FindRelease(o.product, o.version));
  if (!r) {
    return NotFoundError(o.db + ": no release '" + o.version + "' of '" + o.product + "'");
  }
  VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::DeviceCount> counts,
                         f.CountDevices({o.product, o.version, ""}));
  if (o.format == "json") {
    json::Value v = ReleaseJson(*r);
    json::Value sites = json::Value::MakeObject();
    for (const fleet::DeviceCount& c : counts) sites.Set(c.site, c.devices);
    v.Set("devices_by_site", std::move(sites));
    PrintJson(v);
    return OkStatus();
  }
  std::printf("product   %s\nversion   %s\nsbom      %s\nvex       %s\nregister  %s %s\n",
              r->product.c_str(), r->version.c_str(), OrDash(r->sbom).c_str(),
              OrDash(r->vex).c_str(), r->register_product.c_str(), r->register_release.c_str());
  for (const fleet::DeviceCount& c : counts) {
    std::printf("site      %s: %llu device(s)\n", OrDash(c.site).c_str(),
                static_cast<unsigned long long>(c.devices));
  }
  return OkStatus();
}

Status DeviceAdd(const FleetOptions& o) {
  fleet::Device d;
  d.serial = o.serial;
  d.product = o.product;
  d.release = o.release;
  d.site = o.site;
  d.customer = o.customer;
  d.support_end = o.support_end;
  d.log_key = o.log_key;
  d.slot = o.slot;
  d.security_counter = o.counter;
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, OpenFleet(o, true));
  VIGIL_ASSIGN_OR_RETURN(fleet::Device added, f.AddDevice(std::move(d)));
  std::printf("%s: device '%s' (%s %s) added\n", o.db.c_str(), added.serial.c_str(),
              added.product.c_str(), added.release.c_str());
  return OkStatus();
}

Status DeviceList(const FleetOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, OpenFleet(o, false));
  VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::Device> all, f.Devices({o.product, o.release, o.site}));
  if (o.format == "json") {
    PrintJson(JsonList(all, DeviceJson));
    return OkStatus();
  }
  for (const fleet::Device& d : all) PrintDeviceLine(d);
  std::printf("%zu device(s)\n", all.size());
  return OkStatus();
}

Status DeviceRemove(const FleetOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, OpenFleet(o, false));
  VIGIL_ASSIGN_OR_RETURN(fleet::Device removed, f.RemoveDevice(o.serial));
  std::printf("%s: device '%s' (%s %s) removed; its check-ins are refused from now on\n",
              o.db.c_str(), removed.serial.c_str(), removed.product.c_str(),
              removed.release.c_str());
  return OkStatus();
}

Status DeviceShow(const FleetOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, OpenFleet(o, false));
  VIGIL_ASSIGN_OR_RETURN(std::optional<fleet::Device> d, f.FindDevice(o.serial));
  if (!d) return NotFoundError(o.db + ": no device '" + o.serial + "'");
  VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::Alert> alerts, f.Alerts(o.serial));
  if (o.format == "json") {
    json::Value v = DeviceJson(*d);
    v.Set("alerts", JsonList(alerts, AlertJson));
    PrintJson(v);
    return OkStatus();
  }
  std::printf(
      "serial            %s\nproduct           %s %s\nsite              %s\n"
      "customer          %s\nsupport end       %s\nslot              %s (%s)\n"
      "security counter  %llu\nlast check-in     %s\n",
      d->serial.c_str(), d->product.c_str(), d->release.c_str(), OrDash(d->site).c_str(),
      OrDash(d->customer).c_str(), OrDash(d->support_end).c_str(), d->slot.c_str(),
      d->slot_status.c_str(), static_cast<unsigned long long>(d->security_counter),
      OrDash(d->last_checkin).c_str());
  if (d->checkpoint) {
    std::printf("checkpoint        %s size %llu root %s\n", d->checkpoint->origin.c_str(),
                static_cast<unsigned long long>(d->checkpoint->size),
                d->checkpoint->root_hex.c_str());
  }
  std::printf("alerts            %zu\n", alerts.size());
  for (const fleet::Alert& a : alerts) PrintAlertLine(a);
  return OkStatus();
}

Result<int> Checkin(const FleetOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(Bytes body,
                         ReadInputLimited(o.body, fleet::kMaxCheckinBytes, "a check-in"));
  VIGIL_ASSIGN_OR_RETURN(fleet::CheckinReport report,
                         fleet::ParseCheckin(AsStringView(body), o.body));
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, OpenFleet(o, false));
  VIGIL_ASSIGN_OR_RETURN(fleet::CheckinResult r, f.Checkin(o.serial, report));
  if (o.format == "json") {
    PrintJson(fleet::CheckinResultJson(o.serial, r));
  } else if (r.accepted) {
    std::printf("%s: check-in accepted (release %s, counter %llu)\n", o.serial.c_str(),
                report.release.c_str(), static_cast<unsigned long long>(report.security_counter));
  } else {
    std::printf("%s: check-in NOT accepted, %zu alert(s)\n", o.serial.c_str(), r.alerts.size());
    for (const fleet::Alert& a : r.alerts) PrintAlertLine(a);
  }
  return r.accepted ? kExitOk : kExitFindings;
}

Status Alerts(const FleetOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, OpenFleet(o, false));
  VIGIL_ASSIGN_OR_RETURN(std::vector<fleet::Alert> all, f.Alerts(o.serial));
  if (o.format == "json") {
    PrintJson(JsonList(all, AlertJson));
    return OkStatus();
  }
  for (const fleet::Alert& a : all) PrintAlertLine(a);
  std::printf("%zu alert(s)\n", all.size());
  return OkStatus();
}

// The deadline whose clock runs out first, "-" when none is open.
std::string NextDeadline(const triage::Record& r) {
  const triage::Deadline* next = nullptr;
  for (const triage::Deadline& d : r.deadlines) {
    if (!d.met && (!next || d.due < next->due)) next = &d;
  }
  if (!next) return "-";
  return next->what + " by " + next->due + (next->overdue ? " OVERDUE" : "");
}

void PrintExposureTable(const fleet::Exposure& e) {
  std::printf("%-12s %-20s %-36s %-20s %-8s %-12s %7s  %s\n", "RISK", "VULNERABILITY", "COMPONENT",
              "PRODUCT", "RELEASE", "SITE", "DEVICES", "NEXT DEADLINE");
  for (const fleet::ExposureRow& r : e.rows) {
    std::printf("%-12s %-20s %-36s %-20s %-8s %-12s %7llu  %s%s\n",
                r.controlled ? "controlled" : "UNCONTROLLED", r.record.key.vulnerability.c_str(),
                r.record.key.component.c_str(), r.product.c_str(), r.release.c_str(),
                OrDash(r.site).c_str(), static_cast<unsigned long long>(r.devices),
                NextDeadline(r.record).c_str(),
                r.fixed_in.empty() ? "" : (" (fixed in " + r.fixed_in + ")").c_str());
  }
  for (const fleet::SiteExposure& s : e.sites) {
    std::printf(
        "site %s: %llu device(s) exposed, %llu to an uncontrolled risk, %llu finding row(s)\n",
        OrDash(s.site).c_str(), static_cast<unsigned long long>(s.devices),
        static_cast<unsigned long long>(s.uncontrolled_devices),
        static_cast<unsigned long long>(s.findings));
  }
  std::printf("%llu device(s) exposed, %llu to an uncontrolled risk\n",
              static_cast<unsigned long long>(e.devices),
              static_cast<unsigned long long>(e.uncontrolled_devices));
}

Status Exposure(const FleetOptions& o) {
  triage::RegisterOptions ro;
  ro.path = o.register_path;
  ro.read_only = true;
  VIGIL_ASSIGN_OR_RETURN(triage::Register reg, triage::Register::Open(ro, *Env::Default()));
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, OpenFleet(o, false));
  VIGIL_ASSIGN_OR_RETURN(fleet::Exposure e,
                         fleet::ComputeExposure(f, reg, {o.cve, o.site, o.as_of}));
  if (o.format == "json") {
    PrintJson(ExposureJson(e));
  } else {
    PrintExposureTable(e);
  }
  return OkStatus();
}

template <typename Fn>
void Callback(CLI::App* c, std::shared_ptr<FleetOptions> o, Fn fn) {
  FleetCallback(c, std::move(o), fn);
}

void AddCommon(CLI::App* c, FleetOptions& o, bool format) {
  c->add_option("--db", o.db, "Fleet database file (SQLite; default: fleet.sqlite)");
  if (format) {
    c->add_option("--format", o.format, "table or json")->check(CLI::IsMember({"table", "json"}));
  }
}

void SetupProduct(CLI::App* fleet_cmd) {
  auto* p = fleet_cmd->add_subcommand("product", "Products of the manufacturer");
  p->require_subcommand(1);
  auto o = std::make_shared<FleetOptions>();
  auto* add = p->add_subcommand("add", "Add a product");
  AddCommon(add, *o, false);
  add->add_option("name", o->name, "Product name")->required();
  add->add_option("--manufacturer", o->manufacturer, "Manufacturer name");
  Callback(add, o, ProductAdd);
  auto* list = p->add_subcommand("list", "List the products");
  AddCommon(list, *o, true);
  Callback(list, o, ProductList);
  auto* show = p->add_subcommand("show", "A product, its releases and its device count");
  AddCommon(show, *o, true);
  show->add_option("name", o->name, "Product name")->required();
  Callback(show, o, ProductShow);
}

void SetupRelease(CLI::App* fleet_cmd) {
  auto* r = fleet_cmd->add_subcommand("release", "Releases of a product");
  r->require_subcommand(1);
  auto o = std::make_shared<FleetOptions>();
  auto* add = r->add_subcommand("add", "Add a release");
  AddCommon(add, *o, false);
  add->add_option("--product", o->product, "Product name")->required();
  add->add_option("--version", o->version, "Release version")->required();
  add->add_option("--sbom", o->sbom, "The release's SBOM (path or document id)");
  add->add_option("--vex", o->vex, "The release's VEX document (a path: re-evaluation applies it)");
  add->add_option("--register-product", o->reg_product,
                  "Its product in the triage register (default: the product name)");
  add->add_option("--register-release", o->reg_release,
                  "Its release in the triage register (default: the version)");
  Callback(add, o, ReleaseAdd);
  auto* list = r->add_subcommand("list", "List releases");
  AddCommon(list, *o, true);
  list->add_option("--product", o->product, "Only this product");
  Callback(list, o, ReleaseList);
  auto* show = r->add_subcommand("show", "A release and its devices by site");
  AddCommon(show, *o, true);
  show->add_option("--product", o->product, "Product name")->required();
  show->add_option("--version", o->version, "Release version")->required();
  Callback(show, o, ReleaseShow);
}

void SetupDevice(CLI::App* fleet_cmd) {
  auto* d = fleet_cmd->add_subcommand("device", "Devices in the field");
  d->require_subcommand(1);
  auto o = std::make_shared<FleetOptions>();
  auto* add = d->add_subcommand("add", "Register a device");
  AddCommon(add, *o, false);
  add->add_option("serial", o->serial, "Serial number")->required();
  add->add_option("--product", o->product, "Product name")->required();
  add->add_option("--release", o->release, "Installed release")->required();
  add->add_option("--log-key", o->log_key,
                  "Verifier key of the device's audit log (vigil log vkey)")
      ->required();
  add->add_option("--site", o->site, "Site (hospital, ward)");
  add->add_option("--customer", o->customer, "Customer");
  add->add_option("--support-end", o->support_end, "End of support (YYYY-MM-DD)");
  add->add_option("--slot", o->slot, "Booted slot: a (default) or b");
  add->add_option("--counter", o->counter, "Anti-rollback security counter (default 0)")
      ->check(NonNegative());
  Callback(add, o, DeviceAdd);
  auto* list = d->add_subcommand("list", "List devices");
  AddCommon(list, *o, true);
  list->add_option("--product", o->product, "Only this product");
  list->add_option("--release", o->release, "Only this installed release");
  list->add_option("--site", o->site, "Only this site");
  Callback(list, o, DeviceList);
  auto* show = d->add_subcommand("show", "A device, its accepted checkpoint and its alerts");
  AddCommon(show, *o, true);
  show->add_option("serial", o->serial, "Serial number")->required();
  Callback(show, o, DeviceShow);
  auto* remove = d->add_subcommand(
      "remove", "Deregister a device: its check-ins are refused, its history and alerts stay");
  AddCommon(remove, *o, false);
  remove->add_option("serial", o->serial, "Serial number")->required();
  Callback(remove, o, DeviceRemove);
}

void Setup(CLI::App& app) {
  auto* f =
      app.add_subcommand("fleet", "Post-market fleet: products, releases, devices, check-ins");
  f->require_subcommand(1);
  SetupProduct(f);
  SetupRelease(f);
  SetupDevice(f);
  auto o = std::make_shared<FleetOptions>();
  auto* checkin = f->add_subcommand(
      "checkin", "Verify and record a device check-in (exit 1 when it raised alerts)");
  AddCommon(checkin, *o, true);
  checkin->add_option("--device", o->serial, "Serial number")->required();
  checkin->add_option("body", o->body, "Check-in JSON file ('-': standard input)")->required();
  Callback(checkin, o, Checkin);
  auto ao = std::make_shared<FleetOptions>();
  auto* alerts = f->add_subcommand("alerts", "Alerts raised by check-ins, oldest first");
  AddCommon(alerts, *ao, true);
  alerts->add_option("--device", ao->serial, "Only this device");
  Callback(alerts, ao, Alerts);
  auto eo = std::make_shared<FleetOptions>();
  auto* exposure = f->add_subcommand(
      "exposure", "Devices x open findings by site and risk, with the deadline clocks");
  AddCommon(exposure, *eo, true);
  exposure
      ->add_option("--register", eo->register_path, "Triage register file (vigil scan --register)")
      ->required();
  exposure->add_option("--cve", eo->cve, "Only this vulnerability (CVE id or advisory id)");
  exposure->add_option("--site", eo->site, "Only the devices of this site");
  exposure->add_option("--as-of", eo->as_of,
                       "Deadlines as of this date (YYYY-MM-DD; default today)");
  Callback(exposure, eo, Exposure);
  SetupFleetNotify(f);
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
