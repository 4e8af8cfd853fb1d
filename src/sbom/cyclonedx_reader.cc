// CycloneDX JSON reader. Walks the simdjson DOM once, carrying the JSON path of the node being
// read so that every error can say where it is.
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "date_time.h"
#include "format_readers.h"
#include "hash_algorithms.h"
#include "vigil/core/json_fields.h"
#include "vigil/sbom/cyclonedx.h"

namespace vigil::sbom {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

constexpr std::string_view kComponentTypes[] = {"application",
                                                "framework",
                                                "library",
                                                "container",
                                                "platform",
                                                "operating-system",
                                                "device",
                                                "device-driver",
                                                "firmware",
                                                "file",
                                                "machine-learning-model",
                                                "data",
                                                "cryptographic-asset"};
constexpr std::string_view kScopes[] = {"required", "optional", "excluded"};
constexpr std::string_view kPatchTypes[] = {"unofficial", "monkey", "backport", "cherry-pick"};
constexpr std::string_view kIssueTypes[] = {"defect", "enhancement", "security"};
constexpr std::string_view kDataFlows[] = {"inbound", "outbound", "bi-directional", "unknown"};

template <size_t N>
bool OneOf(std::string_view v, const std::string_view (&set)[N]) {
  return std::find(std::begin(set), std::end(set), v) != std::end(set);
}

std::string JoinNames(const std::string_view* begin, const std::string_view* end) {
  std::string out;
  for (const auto* it = begin; it != end; ++it) out += (out.empty() ? "" : ", ") + std::string(*it);
  return out;
}

bool IsUrnUuid(std::string_view s) {
  constexpr std::string_view kPrefix = "urn:uuid:";
  if (s.size() != kPrefix.size() + 36 || s.substr(0, kPrefix.size()) != kPrefix) return false;
  s.remove_prefix(kPrefix.size());
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

struct ComponentMembers;

class CycloneDxReader : private json::JsonFields {
 public:
  CycloneDxReader(std::string_view source, const CycloneDxReadOptions& options)
      : JsonFields(source), options_(options) {}

  Result<Sbom> Read(std::string_view json, Bytes* release);

 private:
  Status ReadMetadata(object bom);
  // Reads the component at `e` into `*out`, its nested components checked and dropped; with
  // `out` null, it and its nested components are appended to the model instead (flattened).
  Status ReadComponent(element e, const std::string& path, Component* out);
  // The component's own members, not its nested components.
  Status ReadComponentFields(const ComponentMembers& m, const std::string& path, Component& c);
  // The string member `value` as a view into the parsed document ("" when absent), failing
  // as OptString / ReqString do; the Into forms assign it to `out`, so a component's fields
  // are written in place instead of through a Result<std::string> and a move.
  Result<std::string_view> OptView(const Member& value, std::string_view key,
                                   const std::string& path) const;
  Status OptInto(const Member& value, std::string_view key, const std::string& path,
                 std::string& out) const;
  Status ReqInto(const Member& value, std::string_view key, const std::string& path,
                 std::string& out) const;
  // The members of a component it reads: `hashes` is its "hashes" member, and so on.
  Status ReadHashes(const Member& hashes, const std::string& path, std::vector<Hash>& out) const;
  Status ReadLicenses(const Member& licenses, const std::string& path,
                      std::vector<License>& out) const;
  Status ReadLicense(object lic, const std::string& path, License& out) const;
  Status ReadProperties(const Member& props, const std::string& path,
                        std::vector<Property>* out) const;
  Status ReadPedigree(const Member& pedigree, const std::string& path);
  Status ReadServices(object obj, const std::string& path);
  Status ReadDependencies(object bom);
  Status CheckRef(const Member& ref, const std::string& path, std::string* out) const;

  const CycloneDxReadOptions& options_;
  Sbom sbom_;
};

Status CycloneDxReader::CheckRef(const Member& member, const std::string& path,
                                 std::string* out) const {
  VIGIL_ASSIGN_OR_RETURN(std::string_view ref, OptView(member, "bom-ref", path));
  if (member && ref.empty()) {
    return Fail(path + ".bom-ref", "must not be empty");
  }
  if (out != nullptr) out->assign(ref);
  return OkStatus();
}

Status CycloneDxReader::ReadHashes(const Member& member, const std::string& path,
                                   std::vector<Hash>& out) const {
  if (!member) return OkStatus();  // most components: no Result built for an absent member
  VIGIL_ASSIGN_OR_RETURN(auto hashes, OptArray(member, "hashes", path));
  if (!hashes) return OkStatus();
  size_t i = 0;
  for (element h : *hashes) {
    std::string p = path + ".hashes[" + std::to_string(i++) + "]";
    VIGIL_ASSIGN_OR_RETURN(object ho, AsObject(h, p));
    VIGIL_ASSIGN_OR_RETURN(std::string alg, ReqString(ho, "alg", p));
    VIGIL_ASSIGN_OR_RETURN(std::string content, ReqString(ho, "content", p));
    if (auto problem = internal::CheckCycloneDxHash(alg, content)) {
      return Fail(p + (problem->rfind("unknown", 0) == 0 ? ".alg" : ".content"), *problem);
    }
    // CheckCycloneDxHash accepted only hex digits: ASCII folding is enough.
    for (char& c : content) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    out.push_back({alg, content});
  }
  return OkStatus();
}

Status CycloneDxReader::ReadLicense(object lic, const std::string& path, License& out) const {
  VIGIL_ASSIGN_OR_RETURN(out.id, OptString(lic, "id", path));
  VIGIL_ASSIGN_OR_RETURN(out.name, OptString(lic, "name", path));
  if (out.id.empty() == out.name.empty()) {
    return Fail(path, "a license needs exactly one of 'id' or 'name'");
  }
  if (!out.id.empty()) {
    bool known = options_.spdx_license_ids == nullptr ? IsLicenseIdSyntax(out.id)
                                                      : options_.spdx_license_ids->contains(out.id);
    if (!known) return Fail(path + ".id", "'" + out.id + "' is not an SPDX license identifier");
  }
  element text;
  if (lic["text"].get(text) == simdjson::SUCCESS) {
    VIGIL_ASSIGN_OR_RETURN(object to, AsObject(text, path + ".text"));
    VIGIL_ASSIGN_OR_RETURN(std::string encoding, OptString(to, "encoding", path + ".text"));
    if (!encoding.empty() && encoding != "base64") {
      return Fail(path + ".text.encoding", "expected 'base64', got '" + encoding + "'");
    }
  }
  return ReadProperties(Get(lic, "properties"), path, nullptr);
}

// A licence choice is either any number of {"license": …} entries or exactly one
// {"expression": …}; never both (CycloneDX 1.6 licenseChoice).
Status CycloneDxReader::ReadLicenses(const Member& member, const std::string& path,
                                     std::vector<License>& out) const {
  if (!member) return OkStatus();
  VIGIL_ASSIGN_OR_RETURN(auto licenses, OptArray(member, "licenses", path));
  if (!licenses) return OkStatus();
  size_t i = 0, expressions = 0, named = 0;
  for (element l : *licenses) {
    std::string p = path + ".licenses[" + std::to_string(i++) + "]";
    VIGIL_ASSIGN_OR_RETURN(object lo, AsObject(l, p));
    bool has_license = lo["license"].error() == simdjson::SUCCESS;
    bool has_expression = lo["expression"].error() == simdjson::SUCCESS;
    if (has_license == has_expression) {
      return Fail(p, "expected exactly one of 'license' or 'expression'");
    }
    License lic;
    if (has_expression) {
      VIGIL_ASSIGN_OR_RETURN(lic.expression, ReqString(lo, "expression", p));
      ++expressions;
    } else {
      VIGIL_ASSIGN_OR_RETURN(object inner, AsObject(lo["license"].value_unsafe(), p + ".license"));
      VIGIL_RETURN_IF_ERROR(ReadLicense(inner, p + ".license", lic));
      ++named;
    }
    out.push_back(std::move(lic));
  }
  if (expressions > 1 || (expressions == 1 && named > 0)) {
    return Fail(path + ".licenses", "expected either licenses or a single expression, found " +
                                        std::to_string(named) + " license(s) and " +
                                        std::to_string(expressions) + " expression(s)");
  }
  return OkStatus();
}

Status CycloneDxReader::ReadProperties(const Member& member, const std::string& path,
                                       std::vector<Property>* out) const {
  if (!member) return OkStatus();
  VIGIL_ASSIGN_OR_RETURN(auto props, OptArray(member, "properties", path));
  if (!props) return OkStatus();
  if (out != nullptr) out->reserve(out->size() + props->size());
  size_t i = 0;
  for (element e : *props) {
    // The path is built only for an error: every component of a large SBOM has properties.
    auto where = [&, index = i++] { return path + ".properties[" + std::to_string(index) + "]"; };
    object po;
    if (e.get(po) != simdjson::SUCCESS) return AsObject(e, where()).error();
    Member name, value;
    for (auto field : po) {
      Member* slot = field.key == "name" ? &name : field.key == "value" ? &value : nullptr;
      if (slot == nullptr) {
        return Fail(where(), "unexpected field '" + std::string(field.key) + "'");
      }
      if (!*slot) *slot = field.value;
    }
    std::string_view n, v;
    if (!name || name->get(n) != simdjson::SUCCESS) return ReqString(name, "name", where()).error();
    if (value && value->get(v) != simdjson::SUCCESS) {
      return OptString(value, "value", where()).error();
    }
    if (out != nullptr) out->emplace_back(std::string(n), std::string(v));
  }
  return OkStatus();
}

Status CycloneDxReader::ReadPedigree(const Member& pedigree, const std::string& path) {
  if (!pedigree) return OkStatus();
  std::string pp = path + ".pedigree";
  VIGIL_ASSIGN_OR_RETURN(object po, AsObject(*pedigree, pp));
  for (std::string_view key : {"ancestors", "descendants", "variants"}) {
    VIGIL_ASSIGN_OR_RETURN(auto list, OptArray(po, key, pp));
    if (!list) continue;
    size_t i = 0;
    for (element e : *list) {
      Component dropped;
      VIGIL_RETURN_IF_ERROR(ReadComponent(
          e, pp + "." + std::string(key) + "[" + std::to_string(i++) + "]", &dropped));
    }
  }
  VIGIL_ASSIGN_OR_RETURN(auto patches, OptArray(po, "patches", pp));
  if (!patches) return OkStatus();
  size_t i = 0;
  for (element e : *patches) {
    std::string p = pp + ".patches[" + std::to_string(i++) + "]";
    VIGIL_ASSIGN_OR_RETURN(object patch, AsObject(e, p));
    VIGIL_ASSIGN_OR_RETURN(std::string type, ReqString(patch, "type", p));
    if (!OneOf(type, kPatchTypes)) {
      return Fail(p + ".type", "unknown patch type '" + type + "' (expected one of " +
                                   JoinNames(std::begin(kPatchTypes), std::end(kPatchTypes)) + ")");
    }
    VIGIL_ASSIGN_OR_RETURN(auto resolves, OptArray(patch, "resolves", p));
    if (!resolves) continue;
    size_t j = 0;
    for (element r : *resolves) {
      std::string rp = p + ".resolves[" + std::to_string(j++) + "]";
      VIGIL_ASSIGN_OR_RETURN(object issue, AsObject(r, rp));
      VIGIL_ASSIGN_OR_RETURN(std::string itype, ReqString(issue, "type", rp));
      if (!OneOf(itype, kIssueTypes)) {
        return Fail(rp + ".type", "unknown issue type '" + itype + "' (expected one of " +
                                      JoinNames(std::begin(kIssueTypes), std::end(kIssueTypes)) +
                                      ")");
      }
    }
  }
  return OkStatus();
}

// The members of a component object the reader looks at, found in one pass over its members
// (a lookup per key would scan the object again for each of them); the first of a repeated key
// counts, as with a lookup.
struct ComponentMembers {
  json::JsonFields::Member type, name, ref, group, version, publisher, author, description, scope,
      supplier, purl, cpe, swid, hashes, licenses, properties, pedigree, components;

  explicit ComponentMembers(object obj) {
    for (auto field : obj) {
      if (json::JsonFields::Member* m = Slot(field.key); m != nullptr && !*m) *m = field.value;
    }
  }

 private:
  // Dispatched on the first character and the length: comparing each member's key with every
  // known key in turn was a tenth of reading a component.
  json::JsonFields::Member* Slot(std::string_view key) {
    using M = json::JsonFields::Member;
    auto is = [key](std::string_view known, M& slot) { return key == known ? &slot : nullptr; };
    switch (key.empty() ? '\0' : key[0]) {
      case 'a':
        return is("author", author);
      case 'b':
        return is("bom-ref", ref);
      case 'c':
        return key.size() == 3 ? is("cpe", cpe) : is("components", components);
      case 'd':
        return is("description", description);
      case 'g':
        return is("group", group);
      case 'h':
        return is("hashes", hashes);
      case 'l':
        return is("licenses", licenses);
      case 'n':
        return is("name", name);
      case 'p':
        if (key.size() == 4) return is("purl", purl);
        if (key.size() == 8) return is("pedigree", pedigree);
        return key.size() == 9 ? is("publisher", publisher) : is("properties", properties);
      case 's':
        if (key.size() == 4) return is("swid", swid);
        return key.size() == 5 ? is("scope", scope) : is("supplier", supplier);
      case 't':
        return is("type", type);
      case 'v':
        return is("version", version);
      default:
        return nullptr;
    }
  }
};

Result<std::string_view> CycloneDxReader::OptView(const Member& value, std::string_view key,
                                                  const std::string& path) const {
  std::string_view s;
  if (value && value->get(s) != simdjson::SUCCESS) return OptString(value, key, path).error();
  return s;
}

Status CycloneDxReader::OptInto(const Member& value, std::string_view key, const std::string& path,
                                std::string& out) const {
  // Not through OptView: most members are absent, and this is called ten times a component.
  std::string_view s;
  if (!value) return OkStatus();
  if (value->get(s) != simdjson::SUCCESS) return OptString(value, key, path).error();
  out.assign(s);
  return OkStatus();
}

Status CycloneDxReader::ReqInto(const Member& value, std::string_view key, const std::string& path,
                                std::string& out) const {
  if (!value) return ReqString(value, key, path).error();
  return OptInto(value, key, path, out);
}

Status CycloneDxReader::ReadComponentFields(const ComponentMembers& m, const std::string& path,
                                            Component& c) {
  VIGIL_RETURN_IF_ERROR(ReqInto(m.type, "type", path, c.type));
  if (!OneOf(c.type, kComponentTypes)) {
    return Fail(path + ".type", "unknown component type '" + c.type + "'");
  }
  VIGIL_RETURN_IF_ERROR(ReqInto(m.name, "name", path, c.name));
  VIGIL_RETURN_IF_ERROR(CheckRef(m.ref, path, &c.ref));
  VIGIL_RETURN_IF_ERROR(OptInto(m.group, "group", path, c.group));
  VIGIL_RETURN_IF_ERROR(OptInto(m.version, "version", path, c.version));
  VIGIL_RETURN_IF_ERROR(OptInto(m.publisher, "publisher", path, c.publisher));
  if (c.publisher.empty()) VIGIL_RETURN_IF_ERROR(OptInto(m.author, "author", path, c.publisher));
  VIGIL_RETURN_IF_ERROR(OptInto(m.description, "description", path, c.description));
  VIGIL_ASSIGN_OR_RETURN(std::string_view scope, OptView(m.scope, "scope", path));
  if (!scope.empty() && !OneOf(scope, kScopes)) {
    return Fail(path + ".scope",
                "expected required, optional or excluded, got '" + std::string(scope) + "'");
  }
  if (m.supplier) {
    VIGIL_ASSIGN_OR_RETURN(object so, AsObject(*m.supplier, path + ".supplier"));
    VIGIL_RETURN_IF_ERROR(OptInto(Get(so, "name"), "name", path + ".supplier", c.supplier));
  }
  VIGIL_RETURN_IF_ERROR(OptInto(m.purl, "purl", path, c.purl_text));
  if (!c.purl_text.empty()) {
    auto purl = PackageUrl::Parse(c.purl_text);
    if (purl) {
      c.purl.emplace(std::move(*purl));
    } else {
      sbom_.diagnostics.push_back({path + ".purl", purl.error().message()});
    }
  }
  VIGIL_RETURN_IF_ERROR(OptInto(m.cpe, "cpe", path, c.cpe_text));
  if (!c.cpe_text.empty()) {
    auto cpe = Cpe::Parse(c.cpe_text);
    if (cpe) {
      c.cpe.emplace(std::move(*cpe));
    } else {
      sbom_.diagnostics.push_back({path + ".cpe", cpe.error().message()});
    }
  }
  if (m.swid) {
    VIGIL_ASSIGN_OR_RETURN(object so, AsObject(*m.swid, path + ".swid"));
    VIGIL_RETURN_IF_ERROR(ReqString(so, "tagId", path + ".swid"));
    VIGIL_RETURN_IF_ERROR(ReqString(so, "name", path + ".swid"));
  }
  VIGIL_RETURN_IF_ERROR(ReadHashes(m.hashes, path, c.hashes));
  VIGIL_RETURN_IF_ERROR(ReadLicenses(m.licenses, path, c.licenses));
  VIGIL_RETURN_IF_ERROR(ReadProperties(m.properties, path, &c.properties));
  VIGIL_RETURN_IF_ERROR(ReadPedigree(m.pedigree, path));
  ApplySupportProperties(c);
  return OkStatus();
}

Status CycloneDxReader::ReadComponent(element e, const std::string& path, Component* out) {
  VIGIL_ASSIGN_OR_RETURN(object obj, AsObject(e, path));
  const ComponentMembers m(obj);
  // Flattened, the component is built in place in the model, before its children (document
  // order): a component is large, and building it aside then moving it cost a tenth of a
  // read. The reference is not used once a child may have grown the vector.
  VIGIL_RETURN_IF_ERROR(
      ReadComponentFields(m, path, out != nullptr ? *out : sbom_.components.emplace_back()));
  if (!m.components) return OkStatus();
  VIGIL_ASSIGN_OR_RETURN(auto nested, OptArray(m.components, "components", path));
  if (!nested) return OkStatus();
  size_t i = 0;
  for (element n : *nested) {
    Component dropped;
    VIGIL_RETURN_IF_ERROR(ReadComponent(n, path + ".components[" + std::to_string(i++) + "]",
                                        out != nullptr ? &dropped : nullptr));
  }
  return OkStatus();
}

Status CycloneDxReader::ReadServices(object obj, const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(auto services, OptArray(obj, "services", path));
  if (!services) return OkStatus();
  size_t i = 0;
  for (element e : *services) {
    std::string p = (path.empty() ? "" : path + ".") + "services[" + std::to_string(i++) + "]";
    VIGIL_ASSIGN_OR_RETURN(object so, AsObject(e, p));
    VIGIL_RETURN_IF_ERROR(ReqString(so, "name", p));
    VIGIL_RETURN_IF_ERROR(CheckRef(Get(so, "bom-ref"), p, nullptr));
    VIGIL_RETURN_IF_ERROR(ReadProperties(Get(so, "properties"), p, nullptr));
    VIGIL_ASSIGN_OR_RETURN(auto data, OptArray(so, "data", p));
    size_t j = 0;
    for (element d : data ? *data : EmptyArray()) {
      std::string dp = p + ".data[" + std::to_string(j++) + "]";
      VIGIL_ASSIGN_OR_RETURN(object dobj, AsObject(d, dp));
      VIGIL_ASSIGN_OR_RETURN(std::string flow, ReqString(dobj, "flow", dp));
      if (!OneOf(flow, kDataFlows)) {
        return Fail(dp + ".flow",
                    "expected inbound, outbound, bi-directional or unknown, got '" + flow + "'");
      }
    }
    VIGIL_RETURN_IF_ERROR(ReadServices(so, p));
  }
  return OkStatus();
}

Status CycloneDxReader::ReadDependencies(object bom) {
  VIGIL_ASSIGN_OR_RETURN(auto deps, OptArray(bom, "dependencies", ""));
  if (!deps) return OkStatus();
  size_t i = 0;
  for (element e : *deps) {
    std::string p = "dependencies[" + std::to_string(i++) + "]";
    VIGIL_ASSIGN_OR_RETURN(object d, AsObject(e, p));
    Dependency dep;
    VIGIL_ASSIGN_OR_RETURN(dep.ref, ReqString(d, "ref", p));
    if (dep.ref.empty()) return Fail(p + ".ref", "must not be empty");
    VIGIL_ASSIGN_OR_RETURN(auto on, OptArray(d, "dependsOn", p));
    size_t j = 0;
    for (element t : on ? *on : EmptyArray()) {
      std::string_view target;
      std::string tp = p + ".dependsOn[" + std::to_string(j++) + "]";
      if (t.get(target) != simdjson::SUCCESS || target.empty()) {
        return Fail(tp, "expected a non-empty ref string");
      }
      dep.depends_on.emplace_back(target);
    }
    sbom_.dependencies.push_back(std::move(dep));
  }
  return OkStatus();
}

Status CycloneDxReader::ReadMetadata(object bom) {
  element meta;
  if (bom["metadata"].get(meta) != simdjson::SUCCESS) return OkStatus();
  VIGIL_ASSIGN_OR_RETURN(object mo, AsObject(meta, "metadata"));
  VIGIL_ASSIGN_OR_RETURN(sbom_.timestamp, OptString(mo, "timestamp", "metadata"));
  if (!sbom_.timestamp.empty() && !internal::IsRfc3339DateTime(sbom_.timestamp)) {
    return Fail("metadata.timestamp",
                "expected an RFC 3339 date-time, got '" + sbom_.timestamp + "'");
  }
  std::vector<License> licenses;
  VIGIL_RETURN_IF_ERROR(ReadLicenses(Get(mo, "licenses"), "metadata", licenses));
  VIGIL_RETURN_IF_ERROR(ReadProperties(Get(mo, "properties"), "metadata", nullptr));
  element comp;
  if (mo["component"].get(comp) == simdjson::SUCCESS) {
    Component primary;
    VIGIL_RETURN_IF_ERROR(ReadComponent(comp, "metadata.component", &primary));
    sbom_.name = primary.name;
    sbom_.primary = std::move(primary);
  }
  return OkStatus();
}

Result<Sbom> CycloneDxReader::Read(std::string_view json, Bytes* release) {
  // Only the parsed document lives on while the model is built (see ParseRoot).
  simdjson::dom::document parsed;
  VIGIL_ASSIGN_OR_RETURN(object bom, ParseRoot(parsed, json, release));
  VIGIL_ASSIGN_OR_RETURN(std::string format, ReqString(bom, "bomFormat", "$"));
  if (format != "CycloneDX") return Fail("bomFormat", "expected 'CycloneDX', got '" + format + "'");
  VIGIL_ASSIGN_OR_RETURN(sbom_.spec_version, ReqString(bom, "specVersion", "$"));
  if (sbom_.spec_version != "1.4" && sbom_.spec_version != "1.5" && sbom_.spec_version != "1.6") {
    return Fail("specVersion", "expected 1.4, 1.5 or 1.6, got '" + sbom_.spec_version + "'");
  }
  VIGIL_ASSIGN_OR_RETURN(sbom_.serial_number, OptString(bom, "serialNumber", "$"));
  if (!sbom_.serial_number.empty() && !IsUrnUuid(sbom_.serial_number)) {
    return Fail("serialNumber",
                "expected 'urn:uuid:' and an RFC 4122 UUID, got '" + sbom_.serial_number + "'");
  }
  VIGIL_RETURN_IF_ERROR(ReadMetadata(bom));
  VIGIL_ASSIGN_OR_RETURN(auto components, OptArray(bom, "components", "$"));
  if (components) sbom_.components.reserve(components->size());
  size_t i = 0;
  std::string path;  // one buffer for every component's path
  for (element e : components ? *components : EmptyArray()) {
    path.assign("components[").append(std::to_string(i++)).push_back(']');
    VIGIL_RETURN_IF_ERROR(ReadComponent(e, path, nullptr));
  }
  VIGIL_RETURN_IF_ERROR(ReadServices(bom, ""));
  VIGIL_RETURN_IF_ERROR(ReadDependencies(bom));
  return std::move(sbom_);
}

}  // namespace

Result<Sbom> ReadCycloneDxJson(std::string_view json, std::string_view source,
                               const CycloneDxReadOptions& options) {
  CycloneDxReader reader(source, options);
  return reader.Read(json, nullptr);
}

Result<Sbom> internal::ReadCycloneDxJson(std::string_view json, std::string_view source,
                                         const CycloneDxReadOptions& options, Bytes* release) {
  CycloneDxReader reader(source, options);
  return reader.Read(json, release);
}

Result<std::set<std::string, std::less<>>> LoadSpdxLicenseIds(std::string_view schema_json) {
  json::JsonFields fields("spdx.schema.json");
  simdjson::dom::parser parser;
  VIGIL_ASSIGN_OR_RETURN(object root, fields.ParseRoot(parser, schema_json));
  VIGIL_ASSIGN_OR_RETURN(auto ids, fields.OptArray(root, "enum", ""));
  std::set<std::string, std::less<>> out;
  for (element e : ids ? *ids : json::JsonFields::EmptyArray()) {
    std::string_view id;
    if (e.get(id) == simdjson::SUCCESS) out.emplace(id);
  }
  if (out.empty()) return fields.Fail("enum", "expected an array of licence ids");
  return out;
}

}  // namespace vigil::sbom
