// The system model of a medical device, kept as YAML in the manufacturer's repository: the
// device, the clinical functions it performs (IEC 60601-1 essential performance, ISO 14971
// hazards and severity), its technical assets, nested trust boundaries (the patient's body is
// one), the links between assets, the data they hold, the controls that protect them and the
// tracking of each finding. `threat` rules (rules.h) read facts from it; views.h draws it.
//
// A model may be split over files: a file's top-level `includes:` names other files (relative to
// its own folder) whose sections are appended to its own. The model format (every section and
// field) is documented in docs/THREAT_MODEL.md; fields outside it are refused.
//
// Every error is one line InvalidArgument "FILE:LINE: FIELD: what was expected", where FIELD is
// the JSON path of the field in that file without its leading "$." ("assets[3].kind"):
//   model.yaml:41: assets[3].kind: expected one of process, datastore, external_entity,
//     interface; found "proces"
//   assets.yaml:7: assets[0].id: duplicate id "pump-ui" (first defined at model.yaml:30)
//   model.yaml:55: links[2].to: unknown asset "pumpd" (expected the id of an asset)
//   b.yaml:2: includes[0]: include cycle model.yaml -> b.yaml -> model.yaml
//
// Thread-safety: plain values; ReadModel is reentrant.
#ifndef VIGIL_THREAT_MODEL_H_
#define VIGIL_THREAT_MODEL_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/json.h"
#include "vigil/core/result.h"
#include "vigil/risk/decision.h"

namespace vigil::threat {

// Where an entity was written: "model.yaml", 12.
struct Location {
  std::string file;
  int line = 0;
  std::string ToString() const { return file + ":" + std::to_string(line); }
};

enum class SafetyClass { kA, kB, kC };  // IEC 62304 software safety class

struct Device {
  std::string name;
  std::string intended_use;
  SafetyClass safety_class = SafetyClass::kC;
  std::vector<std::string> use_environments;  // "hospital", "home", ...
  bool cyber_device = true;                   // FD&C Act section 524B
  json::Value raw;                            // the entity as written, for diffs
  Location at;
};

struct ClinicalFunction {
  std::string id;
  std::string name;
  bool essential_performance = false;  // IEC 60601-1
  std::vector<std::string> hazards;    // hazard ids of the ISO 14971 risk file
  risk::Harm severity = risk::Harm::kCatastrophic;
  std::string safe_state;
  std::string tolerable_outage;  // "0s", "15 min": as the risk file states it
  json::Value raw;
  Location at;
};

enum class BoundaryKind { kDevice, kPatient, kNetwork, kPhysical, kCloud, kOrganisation };

struct Boundary {
  std::string id;
  std::string name;
  BoundaryKind kind = BoundaryKind::kDevice;
  std::string parent;  // id of the enclosing boundary, empty at the top
  json::Value raw;
  Location at;
};

enum class AssetKind { kProcess, kDatastore, kExternalEntity, kInterface };
enum class InterfaceType {
  kNone,
  kJtag,
  kSwd,
  kUart,
  kUsb,
  kEthernet,
  kWifi,
  kBluetooth,
  kCellular,
  kNfc,
  kSerial,
  kTouchscreen
};
// How a caller proves who it is (to an asset) or how a link's peers authenticate.
enum class Authentication { kNone, kPassword, kPasswordTotp, kCertificate, kToken, kSignature };
// The secrets behind that authentication.
enum class Credentials { kNone, kUnique, kShared, kDefault };
// The long-lived keys an asset holds (signing, key-encryption keys).
enum class KeyKind { kNone, kClassical, kPostQuantum, kHybrid };
enum class Encryption { kNone, kTls, kDtls, kAead, kWpa2, kWpa3, kBleSecure };

struct Asset {
  std::string id;
  std::string name;
  AssetKind kind = AssetKind::kProcess;
  std::string boundary;               // innermost trust boundary holding it
  std::vector<std::string> supports;  // clinical functions
  std::vector<std::string> data;      // data assets it holds or handles
  std::string sbom;                   // SBOM reference (bom-ref or purl), empty when none
  InterfaceType interface_type = InterfaceType::kNone;  // for kInterface
  bool enabled_in_production = false;                   // an interface left open in the field
  Authentication authentication = Authentication::kNone;
  Credentials credentials = Credentials::kNone;
  KeyKind long_lived_keys = KeyKind::kNone;
  // Security properties; absent means false (an unknown counts as the worse answer).
  bool encrypted_at_rest = false, logs_phi = false, off_device_log = false, audited = false,
       crypto_agile = false, integrity_protected = false, least_privilege = false, watchdog = false,
       failover = false;
  json::Value raw;  // the entity as written, for diffs
  Location at;
};

struct DataAsset {
  std::string id;
  std::string name;
  bool phi = false;  // protected health information
  json::Value raw;
  Location at;
};

struct Link {
  std::string id;
  std::string from, to;  // asset ids
  std::string protocol;
  std::optional<int> port;
  Authentication authentication = Authentication::kNone;
  Encryption encryption = Encryption::kNone;
  bool carries_therapy_commands = false;
  bool anti_replay = false;
  bool update_path = false;     // software updates travel over it
  bool signed_payload = false;  // what it carries is signed end to end (field `signed`)
  std::vector<std::string> data;
  json::Value raw;
  Location at;
};

// Which findings a control covers: a rule, on the listed elements (every element when empty).
struct Mitigation {
  std::string rule;
  std::vector<std::string> elements;
  Location at;
};

struct Control {
  std::string id;
  std::string title;
  // Framework name → requirement ids it satisfies ("fda-premarket-appendix-1" → ["AUTH-1"]).
  std::map<std::string, std::vector<std::string>> requirements;
  std::vector<std::string> implemented_by;  // source or configuration paths
  std::vector<std::string> verified_by;     // ctest test names
  std::vector<Mitigation> mitigates;
  double residual_exploitability = 0;  // CVSS-like score of a covered threat, 0..10
  json::Value raw;
  Location at;
};

enum class TrackingStatus { kOpen, kMitigated, kAccepted, kTransferred, kNotApplicable };

struct Tracking {
  std::string finding;  // "rule@element"
  TrackingStatus status = TrackingStatus::kOpen;
  std::string justification;
  std::string safety_file;  // reference into the ISO 14971 file
  Location at;
};

// A requirement of a framework (report/frameworks/) that does not apply to this device, and why
// (`not_applicable:`); the premarket package lists it as N/A with the reason.
struct NotApplicable {
  std::string framework;    // the framework's id: "fda-premarket-appendix-1"
  std::string requirement;  // the requirement's id in it
  std::string reason;
  Location at;
};

struct Model {
  Device device;
  std::vector<ClinicalFunction> functions;
  std::vector<Boundary> boundaries;
  std::vector<Asset> assets;
  std::vector<DataAsset> data;
  std::vector<Link> links;
  std::vector<Control> controls;
  std::vector<Tracking> tracking;
  std::vector<NotApplicable> not_applicable;
  // The rule files and the risk policy the model asks for (`analysis:`), resolved against the
  // folder of the file that names them; empty when not stated.
  std::vector<std::string> rule_files;
  std::string risk_policy;
  std::vector<std::string> files;  // every file read, the root first

  const Asset* FindAsset(std::string_view id) const;
  const ClinicalFunction* FindFunction(std::string_view id) const;
  const Boundary* FindBoundary(std::string_view id) const;
  const DataAsset* FindData(std::string_view id) const;
  const Link* FindLink(std::string_view id) const;
};

// Reads a file's whole text; NotFound (or another error) naming the path when it cannot.
using FileReader = std::function<Result<std::string>(const std::string& path)>;

// Reads the model rooted at `path` and every file it includes through `read`, and checks it:
// shapes and enum values, duplicate ids (across all files and sections), dangling references,
// include cycles, boundary cycles. Errors as at the top of this file; an error of `read` is
// passed on with the including file and line in front.
Result<Model> ReadModel(const std::string& path, const FileReader& read);

// The names used in the model files (and in findings and views): "process", "jtag", ...
std::string_view AssetKindName(AssetKind k);
std::string_view InterfaceTypeName(InterfaceType t);
std::string_view AuthenticationName(Authentication a);
std::string_view CredentialsName(Credentials c);
std::string_view KeyKindName(KeyKind k);
std::string_view EncryptionName(Encryption e);
std::string_view BoundaryKindName(BoundaryKind k);
std::string_view TrackingStatusName(TrackingStatus s);
std::string_view SafetyClassName(SafetyClass c);

}  // namespace vigil::threat

#endif  // VIGIL_THREAT_MODEL_H_
