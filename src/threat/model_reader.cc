// Reading a model: each file is parsed with the line of every value kept (internal/yaml_doc.h),
// its sections appended to the model, its includes followed depth first with the chain of
// including files held so that a cycle is named, not followed. References are collected while
// reading and resolved once every file is in, so a section may refer to what a later file
// defines.
#include <filesystem>
#include <unordered_map>
#include <unordered_set>

#include "internal/names.h"
#include "internal/yaml_doc.h"
#include "vigil/core/encoding.h"
#include "vigil/core/env.h"
#include "vigil/threat/model.h"

namespace vigil::threat {
namespace {

using internal::Fields;
using internal::LocationOf;
using internal::ParseYamlFile;
using internal::YamlDoc;

constexpr uint64_t kMaxFileBytes = uint64_t{16} << 20;  // a 2,000-asset model is ~1 MiB
constexpr size_t kMaxIncludeDepth = 16;

enum class RefKind { kFunction, kBoundary, kAsset, kData, kElement, kLink, kControl };

std::string_view RefKindName(RefKind k) {
  switch (k) {
    case RefKind::kFunction:
      return "clinical function";
    case RefKind::kBoundary:
      return "trust boundary";
    case RefKind::kAsset:
      return "asset";
    case RefKind::kData:
      return "data asset";
    case RefKind::kElement:
      return "element (asset or link)";
    case RefKind::kLink:
      return "link";
    case RefKind::kControl:
      return "control";
  }
  return "?";
}

// A reference read from a file, resolved when every file is in.
struct PendingRef {
  std::string where;  // "FILE:LINE: FIELD"
  std::string id;
  RefKind kind;
};

std::string Normal(const std::string& path) {
  return std::filesystem::path(path).lexically_normal().string();
}

class ModelReader {
 public:
  explicit ModelReader(const FileReader& read) : read_(read) {}

  Status ReadFile(const std::string& path, std::vector<std::string>& chain);
  Status Resolve();
  Model Take() { return std::move(model_); }

 private:
  Status ReadRoot(const YamlDoc& doc, std::vector<std::string>& chain);
  Status ReadIncludes(const YamlDoc& doc, const json::Node& list, std::vector<std::string>& chain);
  Status ReadDevice(const YamlDoc& doc, const json::Node& node);
  Status ReadAnalysis(const YamlDoc& doc, const json::Node& node);
  // Calls `read` for each element of the list `key` of the root (absent: none).
  Status EachOf(const YamlDoc& doc, const json::Node& root, std::string_view key,
                const std::function<Status(const Fields&)>& read);
  Status ReadFunction(const Fields& f);
  Status ReadBoundary(const Fields& f);
  Status ReadAsset(const Fields& f);
  Status ReadAssetSecurity(const Fields& f, Asset& a);
  Status ReadData(const Fields& f);
  Status ReadLink(const Fields& f);
  Status ReadControl(const Fields& f);
  Status ReadMitigation(const YamlDoc& doc, const json::Node& node, Control& c);
  Status ReadTracking(const Fields& f);
  Status ReadNotApplicable(const Fields& f);

  // The id of an entity, refused when another entity (of any section) has it already.
  Result<std::string> NewId(const Fields& f, RefKind kind);
  void Refer(const Fields& f, std::string_view key, const std::string& id, RefKind kind);
  Status ReferEach(const Fields& f, std::string_view key, RefKind kind,
                   std::vector<std::string>& out);
  bool Exists(const std::string& id, RefKind kind) const;
  Status CheckBoundaryNesting() const;

  const FileReader& read_;
  Model model_;
  const YamlDoc* doc_ = nullptr;  // the file being read
  struct Defined {
    Location at;
    RefKind kind;
  };
  std::unordered_map<std::string, Defined> ids_;  // every id of the model, of any section
  std::unordered_map<std::string, std::string> finding_tracked_at_;
  std::unordered_set<std::string> read_files_;
  std::vector<PendingRef> refs_;
  bool have_device_ = false;
};

Status ModelReader::ReadFile(const std::string& path, std::vector<std::string>& chain) {
  VIGIL_ASSIGN_OR_RETURN(std::string text, read_(path));
  VIGIL_ASSIGN_OR_RETURN(YamlDoc doc, ParseYamlFile(text, path, kMaxFileBytes));
  model_.files.push_back(path);
  read_files_.insert(Normal(path));
  chain.push_back(Normal(path));
  Status s = ReadRoot(doc, chain);
  chain.pop_back();
  return s;
}

Status ModelReader::ReadRoot(const YamlDoc& doc, std::vector<std::string>& chain) {
  Fields root(doc, doc.Root());
  VIGIL_RETURN_IF_ERROR(
      root.Expect({"includes", "device", "clinical_functions", "boundaries", "assets", "data",
                   "links", "controls", "tracking", "not_applicable", "analysis"}));
  doc_ = &doc;
  if (root.Get("device").present()) VIGIL_RETURN_IF_ERROR(ReadDevice(doc, root.Get("device")));
  if (root.Get("analysis").present()) {
    VIGIL_RETURN_IF_ERROR(ReadAnalysis(doc, root.Get("analysis")));
  }
  const json::Node r = root.node();
  VIGIL_RETURN_IF_ERROR(
      EachOf(doc, r, "clinical_functions", [&](const Fields& f) { return ReadFunction(f); }));
  VIGIL_RETURN_IF_ERROR(
      EachOf(doc, r, "boundaries", [&](const Fields& f) { return ReadBoundary(f); }));
  VIGIL_RETURN_IF_ERROR(EachOf(doc, r, "data", [&](const Fields& f) { return ReadData(f); }));
  VIGIL_RETURN_IF_ERROR(EachOf(doc, r, "assets", [&](const Fields& f) { return ReadAsset(f); }));
  VIGIL_RETURN_IF_ERROR(EachOf(doc, r, "links", [&](const Fields& f) { return ReadLink(f); }));
  VIGIL_RETURN_IF_ERROR(
      EachOf(doc, r, "controls", [&](const Fields& f) { return ReadControl(f); }));
  VIGIL_RETURN_IF_ERROR(
      EachOf(doc, r, "tracking", [&](const Fields& f) { return ReadTracking(f); }));
  VIGIL_RETURN_IF_ERROR(
      EachOf(doc, r, "not_applicable", [&](const Fields& f) { return ReadNotApplicable(f); }));
  if (r.Get("includes").present()) {
    VIGIL_RETURN_IF_ERROR(ReadIncludes(doc, r.Get("includes"), chain));
  }
  return OkStatus();
}

Status ModelReader::ReadIncludes(const YamlDoc& doc, const json::Node& list,
                                 std::vector<std::string>& chain) {
  auto elements = list.Elements();
  if (!elements) return doc.Locate(elements.error());
  for (const json::Node& e : *elements) {
    auto name = e.String();
    if (!name) return doc.Locate(name.error());
    const std::string path = name->starts_with("/") ? *name : JoinPath(DirName(doc.file()), *name);
    const std::string normal = Normal(path);
    for (size_t i = 0; i < chain.size(); ++i) {
      if (chain[i] != normal) continue;
      std::string cycle;
      for (size_t j = i; j < chain.size(); ++j) cycle += chain[j] + " -> ";
      return doc.At(e, "include cycle " + cycle + normal + " (expected includes without cycles)");
    }
    if (read_files_.contains(normal)) {
      return doc.At(e, "\"" + OneLine(*name) + "\" is included twice (expected each file once)");
    }
    if (chain.size() >= kMaxIncludeDepth) {
      return doc.At(e,
                    "includes nested deeper than " + std::to_string(kMaxIncludeDepth) + " files");
    }
    Status s = ReadFile(path, chain);
    doc_ = &doc;
    if (!s && s.error().code() == ErrorCode::kNotFound) {
      return doc.At(e, "cannot read the included file: " + s.error().message());
    }
    VIGIL_RETURN_IF_ERROR(s);
  }
  return OkStatus();
}

Status ModelReader::EachOf(const YamlDoc& doc, const json::Node& root, std::string_view key,
                           const std::function<Status(const Fields&)>& read) {
  json::Node list = root.Get(key);
  if (!list.present()) return OkStatus();
  auto elements = list.Elements();
  if (!elements) return doc.Locate(elements.error());
  for (const json::Node& e : *elements) VIGIL_RETURN_IF_ERROR(read(Fields(doc, e)));
  return OkStatus();
}

Status ModelReader::ReadDevice(const YamlDoc& doc, const json::Node& node) {
  Fields f(doc, node);
  if (have_device_) {
    return doc.At(node, "a second device (first at " + model_.device.at.ToString() +
                            "; expected one device per model)");
  }
  have_device_ = true;
  VIGIL_RETURN_IF_ERROR(f.Expect(
      {"name", "intended_use", "software_safety_class", "use_environments", "cyber_device"}));
  Device& d = model_.device;
  d.at = LocationOf(f);
  d.raw = node.value();
  VIGIL_ASSIGN_OR_RETURN(d.name, f.String("name"));
  VIGIL_ASSIGN_OR_RETURN(d.intended_use, f.String("intended_use"));
  VIGIL_ASSIGN_OR_RETURN(
      d.safety_class, f.Enum<SafetyClass>("software_safety_class", internal::kSafetyClasses, {}));
  VIGIL_ASSIGN_OR_RETURN(d.use_environments, f.Strings("use_environments"));
  auto cyber = f.node().Get("cyber_device").Bool();
  if (!cyber) return doc.Locate(cyber.error());
  d.cyber_device = *cyber;
  return OkStatus();
}

Status ModelReader::ReadAnalysis(const YamlDoc& doc, const json::Node& node) {
  Fields f(doc, node);
  VIGIL_RETURN_IF_ERROR(f.Expect({"rules", "risk_policy"}));
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> rules, f.Strings("rules"));
  for (const std::string& r : rules) {
    model_.rule_files.push_back(r.starts_with("/") ? r : JoinPath(DirName(doc.file()), r));
  }
  VIGIL_ASSIGN_OR_RETURN(std::string policy, f.OptionalString("risk_policy"));
  if (!policy.empty()) {
    model_.risk_policy = policy.starts_with("/") ? policy : JoinPath(DirName(doc.file()), policy);
  }
  return OkStatus();
}

Result<std::string> ModelReader::NewId(const Fields& f, RefKind kind) {
  VIGIL_ASSIGN_OR_RETURN(std::string id, f.Id("id"));
  auto [it, fresh] = ids_.emplace(id, Defined{LocationOf(*doc_, f.Get("id")), kind});
  if (!fresh) {
    return f.Invalid("id", "duplicate id \"" + id + "\" (first defined at " +
                               it->second.at.ToString() +
                               "; expected ids unique across the model)");
  }
  return id;
}

void ModelReader::Refer(const Fields& f, std::string_view key, const std::string& id,
                        RefKind kind) {
  refs_.push_back({doc_->Where(f.Get(key)), id, kind});
}

Status ModelReader::ReferEach(const Fields& f, std::string_view key, RefKind kind,
                              std::vector<std::string>& out) {
  VIGIL_ASSIGN_OR_RETURN(out, f.Strings(key));
  for (size_t i = 0; i < out.size(); ++i) {
    refs_.push_back({doc_->Where(f.Get(key).At(i)), out[i], kind});
  }
  return OkStatus();
}

Status ModelReader::ReadFunction(const Fields& f) {
  VIGIL_RETURN_IF_ERROR(f.Expect({"id", "name", "essential_performance", "hazards", "severity",
                                  "safe_state", "tolerable_outage"}));
  ClinicalFunction c;
  c.at = LocationOf(f);
  c.raw = f.node().value();
  VIGIL_ASSIGN_OR_RETURN(c.id, NewId(f, RefKind::kFunction));
  VIGIL_ASSIGN_OR_RETURN(c.name, f.String("name"));
  VIGIL_ASSIGN_OR_RETURN(c.essential_performance, f.Bool("essential_performance", false));
  VIGIL_ASSIGN_OR_RETURN(c.hazards, f.Strings("hazards"));
  VIGIL_ASSIGN_OR_RETURN(c.severity, f.Enum<risk::Harm>("severity", internal::kHarms, {}));
  VIGIL_ASSIGN_OR_RETURN(c.safe_state, f.String("safe_state"));
  VIGIL_ASSIGN_OR_RETURN(c.tolerable_outage, f.String("tolerable_outage"));
  model_.functions.push_back(std::move(c));
  return OkStatus();
}

Status ModelReader::ReadBoundary(const Fields& f) {
  VIGIL_RETURN_IF_ERROR(f.Expect({"id", "name", "kind", "parent"}));
  Boundary b;
  b.at = LocationOf(f);
  b.raw = f.node().value();
  VIGIL_ASSIGN_OR_RETURN(b.id, NewId(f, RefKind::kBoundary));
  VIGIL_ASSIGN_OR_RETURN(b.name, f.String("name"));
  VIGIL_ASSIGN_OR_RETURN(b.kind, f.Enum<BoundaryKind>("kind", internal::kBoundaryKinds, {}));
  VIGIL_ASSIGN_OR_RETURN(b.parent, f.OptionalString("parent"));
  if (!b.parent.empty()) Refer(f, "parent", b.parent, RefKind::kBoundary);
  model_.boundaries.push_back(std::move(b));
  return OkStatus();
}

Status ModelReader::ReadData(const Fields& f) {
  VIGIL_RETURN_IF_ERROR(f.Expect({"id", "name", "phi"}));
  DataAsset d;
  d.at = LocationOf(f);
  d.raw = f.node().value();
  VIGIL_ASSIGN_OR_RETURN(d.id, NewId(f, RefKind::kData));
  VIGIL_ASSIGN_OR_RETURN(d.name, f.String("name"));
  auto phi = f.Get("phi").Bool();
  if (!phi) return doc_->Locate(phi.error());
  d.phi = *phi;
  model_.data.push_back(std::move(d));
  return OkStatus();
}

Status ModelReader::ReadAsset(const Fields& f) {
  VIGIL_RETURN_IF_ERROR(f.Expect({"id",
                                  "name",
                                  "kind",
                                  "boundary",
                                  "supports",
                                  "data",
                                  "sbom",
                                  "interface_type",
                                  "enabled_in_production",
                                  "authentication",
                                  "credentials",
                                  "long_lived_keys",
                                  "encrypted_at_rest",
                                  "logs_phi",
                                  "off_device_log",
                                  "audited",
                                  "crypto_agile",
                                  "integrity_protected",
                                  "least_privilege",
                                  "watchdog",
                                  "failover",
                                  "description"}));
  Asset a;
  a.at = LocationOf(f);
  a.raw = f.node().value();
  VIGIL_ASSIGN_OR_RETURN(a.id, NewId(f, RefKind::kAsset));
  VIGIL_ASSIGN_OR_RETURN(a.name, f.String("name"));
  VIGIL_ASSIGN_OR_RETURN(a.kind, f.Enum<AssetKind>("kind", internal::kAssetKinds, {}));
  VIGIL_ASSIGN_OR_RETURN(a.boundary, f.String("boundary"));
  Refer(f, "boundary", a.boundary, RefKind::kBoundary);
  VIGIL_RETURN_IF_ERROR(ReferEach(f, "supports", RefKind::kFunction, a.supports));
  VIGIL_RETURN_IF_ERROR(ReferEach(f, "data", RefKind::kData, a.data));
  VIGIL_ASSIGN_OR_RETURN(a.sbom, f.OptionalString("sbom"));
  // Free text, kept in `raw` for diffs: only its type is checked.
  if (auto description = f.OptionalString("description"); !description) return description.error();
  VIGIL_ASSIGN_OR_RETURN(
      a.interface_type,
      f.Enum<InterfaceType>("interface_type", internal::kInterfaceTypes, InterfaceType::kNone));
  if ((a.kind == AssetKind::kInterface) != (a.interface_type != InterfaceType::kNone)) {
    return f.Invalid("interface_type", a.kind == AssetKind::kInterface
                                           ? "required field missing (an interface has a type)"
                                           : "expected only on assets of kind interface");
  }
  VIGIL_RETURN_IF_ERROR(ReadAssetSecurity(f, a));
  model_.assets.push_back(std::move(a));
  return OkStatus();
}

Status ModelReader::ReadAssetSecurity(const Fields& f, Asset& a) {
  VIGIL_ASSIGN_OR_RETURN(a.enabled_in_production, f.Bool("enabled_in_production", false));
  VIGIL_ASSIGN_OR_RETURN(
      a.authentication,
      f.Enum<Authentication>("authentication", internal::kAuthentications, Authentication::kNone));
  VIGIL_ASSIGN_OR_RETURN(a.credentials, f.Enum<Credentials>("credentials", internal::kCredentials,
                                                            Credentials::kNone));
  VIGIL_ASSIGN_OR_RETURN(a.long_lived_keys,
                         f.Enum<KeyKind>("long_lived_keys", internal::kKeyKinds, KeyKind::kNone));
  const std::pair<std::string_view, bool*> flags[] = {
      {"encrypted_at_rest", &a.encrypted_at_rest},
      {"logs_phi", &a.logs_phi},
      {"off_device_log", &a.off_device_log},
      {"audited", &a.audited},
      {"crypto_agile", &a.crypto_agile},
      {"integrity_protected", &a.integrity_protected},
      {"least_privilege", &a.least_privilege},
      {"watchdog", &a.watchdog},
      {"failover", &a.failover}};
  for (const auto& [key, out] : flags) {
    VIGIL_ASSIGN_OR_RETURN(*out, f.Bool(key, false));
  }
  return OkStatus();
}

Status ModelReader::ReadLink(const Fields& f) {
  VIGIL_RETURN_IF_ERROR(f.Expect({"id", "from", "to", "protocol", "port", "authentication",
                                  "encryption", "carries_therapy_commands", "anti_replay",
                                  "update_path", "signed", "data", "description"}));
  Link l;
  l.at = LocationOf(f);
  l.raw = f.node().value();
  VIGIL_ASSIGN_OR_RETURN(l.id, NewId(f, RefKind::kLink));
  VIGIL_ASSIGN_OR_RETURN(l.from, f.String("from"));
  VIGIL_ASSIGN_OR_RETURN(l.to, f.String("to"));
  Refer(f, "from", l.from, RefKind::kAsset);
  Refer(f, "to", l.to, RefKind::kAsset);
  VIGIL_ASSIGN_OR_RETURN(l.protocol, f.String("protocol"));
  if (f.Get("port").present()) {
    VIGIL_ASSIGN_OR_RETURN(double port, f.Number("port", 0, 65535));
    if (port != static_cast<int>(port)) return f.Invalid("port", "expected an integer port");
    l.port = static_cast<int>(port);
  }
  VIGIL_ASSIGN_OR_RETURN(l.authentication,
                         f.Enum<Authentication>("authentication", internal::kAuthentications, {}));
  VIGIL_ASSIGN_OR_RETURN(l.encryption,
                         f.Enum<Encryption>("encryption", internal::kEncryptions, {}));
  VIGIL_ASSIGN_OR_RETURN(l.carries_therapy_commands, f.Bool("carries_therapy_commands", false));
  VIGIL_ASSIGN_OR_RETURN(l.anti_replay, f.Bool("anti_replay", false));
  VIGIL_ASSIGN_OR_RETURN(l.update_path, f.Bool("update_path", false));
  VIGIL_ASSIGN_OR_RETURN(l.signed_payload, f.Bool("signed", false));
  VIGIL_RETURN_IF_ERROR(ReferEach(f, "data", RefKind::kData, l.data));
  // Free text, kept in `raw` for diffs: only its type is checked.
  if (auto description = f.OptionalString("description"); !description) return description.error();
  model_.links.push_back(std::move(l));
  return OkStatus();
}

Status ModelReader::ReadControl(const Fields& f) {
  VIGIL_RETURN_IF_ERROR(f.Expect({"id", "title", "requirements", "implemented_by", "verified_by",
                                  "mitigates", "residual_exploitability"}));
  Control c;
  c.at = LocationOf(f);
  c.raw = f.node().value();
  VIGIL_ASSIGN_OR_RETURN(c.id, NewId(f, RefKind::kControl));
  VIGIL_ASSIGN_OR_RETURN(c.title, f.String("title"));
  json::Node reqs = f.Get("requirements");
  if (reqs.present()) {
    auto frameworks = reqs.AsObject();
    if (!frameworks) return doc_->Locate(frameworks.error());
    Fields r(*doc_, reqs);
    for (const json::Member& m : **frameworks) {
      VIGIL_ASSIGN_OR_RETURN(c.requirements[m.key], r.Strings(m.key));
    }
  }
  VIGIL_ASSIGN_OR_RETURN(c.implemented_by, f.Strings("implemented_by"));
  VIGIL_ASSIGN_OR_RETURN(c.verified_by, f.Strings("verified_by"));
  auto mitigations = f.Get("mitigates").Elements();
  if (!mitigations) return doc_->Locate(mitigations.error());
  for (const json::Node& m : *mitigations) VIGIL_RETURN_IF_ERROR(ReadMitigation(*doc_, m, c));
  VIGIL_ASSIGN_OR_RETURN(c.residual_exploitability, f.Number("residual_exploitability", 0, 10));
  model_.controls.push_back(std::move(c));
  return OkStatus();
}

Status ModelReader::ReadMitigation(const YamlDoc& doc, const json::Node& node, Control& c) {
  Fields f(doc, node);
  VIGIL_RETURN_IF_ERROR(f.Expect({"rule", "elements"}));
  Mitigation m;
  m.at = LocationOf(doc, node.Get("rule"));
  VIGIL_ASSIGN_OR_RETURN(m.rule, f.Id("rule"));
  VIGIL_RETURN_IF_ERROR(ReferEach(f, "elements", RefKind::kElement, m.elements));
  c.mitigates.push_back(std::move(m));
  return OkStatus();
}

Status ModelReader::ReadTracking(const Fields& f) {
  VIGIL_RETURN_IF_ERROR(f.Expect({"finding", "status", "justification", "safety_file"}));
  Tracking t;
  t.at = LocationOf(f);
  VIGIL_ASSIGN_OR_RETURN(t.finding, f.String("finding"));
  if (t.finding.find('@') == std::string::npos) {
    return f.Invalid("finding",
                     "expected a finding id RULE@ELEMENT; found \"" + OneLine(t.finding) + "\"");
  }
  auto [it, fresh] = finding_tracked_at_.emplace(t.finding, t.at.ToString());
  if (!fresh) {
    return f.Invalid("finding", "finding \"" + OneLine(t.finding) + "\" tracked twice (first at " +
                                    it->second + ")");
  }
  VIGIL_ASSIGN_OR_RETURN(t.status,
                         f.Enum<TrackingStatus>("status", internal::kTrackingStatuses, {}));
  VIGIL_ASSIGN_OR_RETURN(t.justification, f.OptionalString("justification"));
  if (t.status != TrackingStatus::kOpen && t.justification.empty()) {
    return f.Invalid("justification",
                     "required field missing (a status other than open is "
                     "justified)");
  }
  VIGIL_ASSIGN_OR_RETURN(t.safety_file, f.OptionalString("safety_file"));
  model_.tracking.push_back(std::move(t));
  return OkStatus();
}

Status ModelReader::ReadNotApplicable(const Fields& f) {
  VIGIL_RETURN_IF_ERROR(f.Expect({"framework", "requirement", "reason"}));
  NotApplicable n;
  n.at = LocationOf(f);
  VIGIL_ASSIGN_OR_RETURN(n.framework, f.Id("framework"));
  VIGIL_ASSIGN_OR_RETURN(n.requirement, f.String("requirement"));
  VIGIL_ASSIGN_OR_RETURN(n.reason, f.String("reason"));
  for (const NotApplicable& seen : model_.not_applicable) {
    if (seen.framework == n.framework && seen.requirement == n.requirement) {
      return f.Invalid("requirement",
                       "requirement \"" + OneLine(n.requirement) + "\" of " + n.framework +
                           " declared not applicable twice (first at " + seen.at.ToString() + ")");
    }
  }
  model_.not_applicable.push_back(std::move(n));
  return OkStatus();
}

bool ModelReader::Exists(const std::string& id, RefKind kind) const {
  auto it = ids_.find(id);
  if (it == ids_.end()) return false;
  if (kind == RefKind::kElement) {
    return it->second.kind == RefKind::kAsset || it->second.kind == RefKind::kLink;
  }
  return it->second.kind == kind;
}

Status ModelReader::CheckBoundaryNesting() const {
  for (const Boundary& b : model_.boundaries) {
    const Boundary* at = &b;
    for (size_t steps = 0; !at->parent.empty(); ++steps) {
      if (steps > model_.boundaries.size()) {
        return InvalidArgumentError(b.at.ToString() + ": boundaries: boundary \"" + b.id +
                                    "\" is its own ancestor (expected nesting without cycles)");
      }
      at = model_.FindBoundary(at->parent);
    }
  }
  return OkStatus();
}

Status ModelReader::Resolve() {
  if (!have_device_) {
    return InvalidArgumentError(model_.files.front() +
                                ":1: device: required field missing (expected the device in "
                                "the model or a file it includes)");
  }
  for (const PendingRef& r : refs_) {
    if (!Exists(r.id, r.kind)) {
      return InvalidArgumentError(r.where + ": unknown " + std::string(RefKindName(r.kind)) +
                                  " \"" + OneLine(r.id) + "\" (no " +
                                  std::string(RefKindName(r.kind)) + " of the model has this id)");
    }
  }
  return CheckBoundaryNesting();
}

template <typename T>
const T* FindById(const std::vector<T>& v, std::string_view id) {
  for (const T& x : v) {
    if (x.id == id) return &x;
  }
  return nullptr;
}

}  // namespace

const Asset* Model::FindAsset(std::string_view id) const { return FindById(assets, id); }
const ClinicalFunction* Model::FindFunction(std::string_view id) const {
  return FindById(functions, id);
}
const Boundary* Model::FindBoundary(std::string_view id) const { return FindById(boundaries, id); }
const DataAsset* Model::FindData(std::string_view id) const { return FindById(data, id); }
const Link* Model::FindLink(std::string_view id) const { return FindById(links, id); }

Result<Model> ReadModel(const std::string& path, const FileReader& read) {
  ModelReader reader(read);
  std::vector<std::string> chain;
  VIGIL_RETURN_IF_ERROR(reader.ReadFile(path, chain));
  VIGIL_RETURN_IF_ERROR(reader.Resolve());
  return reader.Take();
}

std::string_view AssetKindName(AssetKind k) {
  return internal::NameOf<AssetKind>(internal::kAssetKinds, k);
}
std::string_view InterfaceTypeName(InterfaceType t) {
  return internal::NameOf<InterfaceType>(internal::kInterfaceTypes, t);
}
std::string_view AuthenticationName(Authentication a) {
  return internal::NameOf<Authentication>(internal::kAuthentications, a);
}
std::string_view CredentialsName(Credentials c) {
  return internal::NameOf<Credentials>(internal::kCredentials, c);
}
std::string_view KeyKindName(KeyKind k) {
  return internal::NameOf<KeyKind>(internal::kKeyKinds, k);
}
std::string_view EncryptionName(Encryption e) {
  return internal::NameOf<Encryption>(internal::kEncryptions, e);
}
std::string_view BoundaryKindName(BoundaryKind k) {
  return internal::NameOf<BoundaryKind>(internal::kBoundaryKinds, k);
}
std::string_view TrackingStatusName(TrackingStatus s) {
  return internal::NameOf<TrackingStatus>(internal::kTrackingStatuses, s);
}
std::string_view SafetyClassName(SafetyClass c) {
  return internal::NameOf<SafetyClass>(internal::kSafetyClasses, c);
}

}  // namespace vigil::threat
