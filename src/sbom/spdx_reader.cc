// SPDX 2.x JSON and SPDX 3.0 JSON-LD readers. Both map SPDX's vocabulary onto the CycloneDX-
// shaped model: checksum algorithm names, package purposes, relationships → dependencies.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "format_readers.h"
#include "hash_algorithms.h"
#include "vigil/core/json_fields.h"
#include "vigil/sbom/spdx.h"

namespace vigil::sbom {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

// SPDX checksum algorithm → CycloneDX spelling (SHA256 → SHA-256); others are kept as written.
std::string HashAlgorithm(std::string_view spdx) {
  std::string a;
  for (char c : spdx) a.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  static const std::map<std::string, std::string, std::less<>> kNames = {
      {"MD5", "MD5"},
      {"SHA1", "SHA-1"},
      {"SHA256", "SHA-256"},
      {"SHA384", "SHA-384"},
      {"SHA512", "SHA-512"},
      {"SHA3-256", "SHA3-256"},
      {"SHA3-384", "SHA3-384"},
      {"SHA3-512", "SHA3-512"},
      {"BLAKE2B-256", "BLAKE2b-256"},
      {"BLAKE2B-384", "BLAKE2b-384"},
      {"BLAKE2B-512", "BLAKE2b-512"},
      {"BLAKE3", "BLAKE3"}};
  auto it = kNames.find(a);
  return it == kNames.end() ? std::string(spdx) : it->second;
}

std::string ComponentType(std::string_view purpose) {
  std::string p;
  for (char c : purpose)
    p.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  static const std::set<std::string, std::less<>> kSame = {
      "application",      "framework", "library",  "container",
      "operating-system", "device",    "firmware", "file"};
  if (p == "operatingsystem") return "operating-system";
  return kSame.contains(p) ? p : "library";
}

bool NoAssertion(std::string_view v) { return v.empty() || v == "NOASSERTION" || v == "NONE"; }

// "Organization: ACME Inc. (x@y)" → "ACME Inc."
std::string AgentName(std::string_view v) {
  if (NoAssertion(v)) return "";
  if (size_t colon = v.find(':'); colon != std::string_view::npos) v = v.substr(colon + 1);
  if (size_t paren = v.rfind(" ("); paren != std::string_view::npos) v = v.substr(0, paren);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  return std::string(v);
}

// An SPDX licence field: a single listed id, a LicenseRef name, or an expression.
std::optional<License> LicenseFrom(std::string_view v) {
  if (NoAssertion(v)) return std::nullopt;
  License l;
  if (v.find_first_of(" ()") != std::string_view::npos) {
    l.expression = std::string(v);
  } else if (v.rfind("LicenseRef-", 0) == 0) {
    l.name = std::string(v);
  } else {
    l.id = std::string(v);
  }
  return l;
}

void AddIdentifiers(Component& c, Sbom& sbom, const std::string& path) {
  if (!c.purl_text.empty()) {
    auto purl = PackageUrl::Parse(c.purl_text);
    if (purl) {
      c.purl = std::move(*purl);
    } else {
      sbom.diagnostics.push_back({path, purl.error().message()});
    }
  }
  if (!c.cpe_text.empty()) {
    auto cpe = Cpe::Parse(c.cpe_text);
    if (cpe) {
      c.cpe = std::move(*cpe);
    } else {
      sbom.diagnostics.push_back({path, cpe.error().message()});
    }
  }
}

// SPDX allows algorithms CycloneDX lacks (MD2, ADLER32, …): those are kept silently; a digest
// of the wrong length for its algorithm is reported (the CycloneDX writer drops both).
void ReportBadHash(const std::string& alg, const std::string& value, const std::string& path,
                   Sbom& sbom) {
  auto problem = internal::CheckCycloneDxHash(alg, value);
  if (problem && problem->rfind("unknown", 0) != 0) sbom.diagnostics.push_back({path, *problem});
}

void AddDependency(std::map<std::string, std::vector<std::string>>& graph,
                   std::vector<std::string>& order, const std::string& from,
                   const std::string& to) {
  auto [it, inserted] = graph.try_emplace(from);
  if (inserted) order.push_back(from);
  if (std::find(it->second.begin(), it->second.end(), to) == it->second.end()) {
    it->second.push_back(to);
  }
}

class Spdx2Reader : private json::JsonFields {
 public:
  explicit Spdx2Reader(std::string_view source) : JsonFields(source) {}

  Result<Sbom> Read(std::string_view json, Bytes* release) {
    simdjson::dom::document parsed;
    VIGIL_ASSIGN_OR_RETURN(object doc, ParseRoot(parsed, json, release));
    VIGIL_ASSIGN_OR_RETURN(sbom_.spec_version, ReqString(doc, "spdxVersion", ""));
    if (sbom_.spec_version.rfind("SPDX-2.", 0) != 0) {
      return Fail("spdxVersion", "expected SPDX-2.x, got '" + sbom_.spec_version + "'");
    }
    sbom_.format = SourceFormat::kSpdx2;
    VIGIL_ASSIGN_OR_RETURN(sbom_.name, OptString(doc, "name", ""));
    VIGIL_ASSIGN_OR_RETURN(sbom_.serial_number, OptString(doc, "documentNamespace", ""));
    element info;
    if (doc["creationInfo"].get(info) == simdjson::SUCCESS) {
      VIGIL_ASSIGN_OR_RETURN(object io, AsObject(info, "creationInfo"));
      VIGIL_ASSIGN_OR_RETURN(sbom_.timestamp, OptString(io, "created", "creationInfo"));
    }
    VIGIL_RETURN_IF_ERROR(ReadPackages(doc));
    VIGIL_RETURN_IF_ERROR(ReadRelationships(doc));
    return std::move(sbom_);
  }

 private:
  Status ReadPackages(object doc) {
    VIGIL_ASSIGN_OR_RETURN(auto packages, OptArray(doc, "packages", ""));
    size_t i = 0;
    for (element e : packages ? *packages : EmptyArray()) {
      std::string p = json::IndexPath("", "packages", i++);
      VIGIL_ASSIGN_OR_RETURN(object po, AsObject(e, p));
      VIGIL_ASSIGN_OR_RETURN(Component c, ReadPackage(po, p));
      sbom_.components.push_back(std::move(c));
    }
    return OkStatus();
  }

  Result<Component> ReadPackage(object po, const std::string& p) {
    Component c;
    VIGIL_ASSIGN_OR_RETURN(c.ref, ReqString(po, "SPDXID", p));
    VIGIL_ASSIGN_OR_RETURN(c.name, ReqString(po, "name", p));
    VIGIL_ASSIGN_OR_RETURN(c.version, OptString(po, "versionInfo", p));
    VIGIL_ASSIGN_OR_RETURN(std::string supplier, OptString(po, "supplier", p));
    VIGIL_ASSIGN_OR_RETURN(std::string originator, OptString(po, "originator", p));
    c.supplier = AgentName(supplier);
    c.publisher = AgentName(originator);
    VIGIL_ASSIGN_OR_RETURN(c.description, OptString(po, "description", p));
    VIGIL_ASSIGN_OR_RETURN(std::string purpose, OptString(po, "primaryPackagePurpose", p));
    c.type = ComponentType(purpose);
    // SPDX 2.3's validUntilDate is the date after which the package should no longer be used.
    VIGIL_ASSIGN_OR_RETURN(std::string valid_until, OptString(po, "validUntilDate", p));
    if (!valid_until.empty()) c.properties.push_back({"End-of-Support", valid_until});
    VIGIL_ASSIGN_OR_RETURN(std::string declared, OptString(po, "licenseDeclared", p));
    VIGIL_ASSIGN_OR_RETURN(std::string concluded, OptString(po, "licenseConcluded", p));
    if (auto l = LicenseFrom(declared)) c.licenses.push_back(*l);
    if (auto l = LicenseFrom(concluded); l && concluded != declared) c.licenses.push_back(*l);
    VIGIL_RETURN_IF_ERROR(ReadChecksums(po, p, c));
    VIGIL_RETURN_IF_ERROR(ReadExternalRefs(po, p, c));
    ApplySupportProperties(c);
    return c;
  }

  Status ReadChecksums(object po, const std::string& p, Component& c) {
    VIGIL_ASSIGN_OR_RETURN(auto sums, OptArray(po, "checksums", p));
    size_t i = 0;
    for (element e : sums ? *sums : EmptyArray()) {
      std::string cp = json::IndexPath(p, "checksums", i++);
      VIGIL_ASSIGN_OR_RETURN(object so, AsObject(e, cp));
      VIGIL_ASSIGN_OR_RETURN(std::string alg, ReqString(so, "algorithm", cp));
      VIGIL_ASSIGN_OR_RETURN(std::string value, ReqString(so, "checksumValue", cp));
      for (char& ch : value) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      ReportBadHash(HashAlgorithm(alg), value, cp, sbom_);
      c.hashes.push_back({HashAlgorithm(alg), value});
    }
    return OkStatus();
  }

  Status ReadExternalRefs(object po, const std::string& p, Component& c) {
    VIGIL_ASSIGN_OR_RETURN(auto refs, OptArray(po, "externalRefs", p));
    size_t i = 0;
    for (element e : refs ? *refs : EmptyArray()) {
      std::string rp = json::IndexPath(p, "externalRefs", i++);
      VIGIL_ASSIGN_OR_RETURN(object ro, AsObject(e, rp));
      VIGIL_ASSIGN_OR_RETURN(std::string type, ReqString(ro, "referenceType", rp));
      VIGIL_ASSIGN_OR_RETURN(std::string locator, ReqString(ro, "referenceLocator", rp));
      if (type == "purl" && c.purl_text.empty()) {
        c.purl_text = locator;
        AddIdentifiers(c, sbom_, rp + ".referenceLocator");
      } else if (type == "cpe23Type" && c.cpe_text.empty()) {
        c.cpe_text = locator;
        AddIdentifiers(c, sbom_, rp + ".referenceLocator");
      }
    }
    return OkStatus();
  }

  Status ReadRelationships(object doc) {
    VIGIL_ASSIGN_OR_RETURN(auto rels, OptArray(doc, "relationships", ""));
    std::map<std::string, std::vector<std::string>> graph;
    std::vector<std::string> order;
    std::vector<std::string> described;
    VIGIL_ASSIGN_OR_RETURN(auto describes, OptArray(doc, "documentDescribes", ""));
    for (element e : describes ? *describes : EmptyArray()) {
      std::string_view id;
      if (e.get(id) == simdjson::SUCCESS) described.emplace_back(id);
    }
    size_t i = 0;
    for (element e : rels ? *rels : EmptyArray()) {
      std::string rp = json::IndexPath("", "relationships", i++);
      VIGIL_ASSIGN_OR_RETURN(object ro, AsObject(e, rp));
      VIGIL_ASSIGN_OR_RETURN(std::string from, ReqString(ro, "spdxElementId", rp));
      VIGIL_ASSIGN_OR_RETURN(std::string type, ReqString(ro, "relationshipType", rp));
      VIGIL_ASSIGN_OR_RETURN(std::string to, ReqString(ro, "relatedSpdxElement", rp));
      if (type == "DESCRIBES") {
        described.push_back(to);
      } else if (type == "DEPENDS_ON" || type == "CONTAINS" || type == "DYNAMIC_LINK" ||
                 type == "STATIC_LINK") {
        AddDependency(graph, order, from, to);
      } else if (type == "DEPENDENCY_OF" || type == "CONTAINED_BY" ||
                 type == "RUNTIME_DEPENDENCY_OF" || type == "BUILD_DEPENDENCY_OF" ||
                 type == "DEV_DEPENDENCY_OF" || type == "TEST_DEPENDENCY_OF" ||
                 type == "OPTIONAL_DEPENDENCY_OF") {
        AddDependency(graph, order, to, from);
      }
    }
    for (const std::string& ref : order) sbom_.dependencies.push_back({ref, graph[ref]});
    for (const std::string& ref : described) {
      if (auto idx = sbom_.FindByRef(ref)) {
        sbom_.primary = sbom_.components[*idx];
        break;
      }
    }
    return OkStatus();
  }

  Sbom sbom_;
};

class Spdx3Reader : private json::JsonFields {
 public:
  explicit Spdx3Reader(std::string_view source) : JsonFields(source) {}

  Result<Sbom> Read(std::string_view json, Bytes* release) {
    simdjson::dom::document parsed;
    VIGIL_ASSIGN_OR_RETURN(object doc, ParseRoot(parsed, json, release));
    VIGIL_ASSIGN_OR_RETURN(auto graph, OptArray(doc, "@graph", ""));
    if (!graph) return Fail("$", "required field '@graph' is missing");
    sbom_.format = SourceFormat::kSpdx3;
    // Pass 1: agents, licence expressions, packages; pass 2: relationships.
    size_t i = 0;
    for (element e : *graph) {
      std::string p = json::IndexPath("", "@graph", i++);
      VIGIL_ASSIGN_OR_RETURN(object eo, AsObject(e, p));
      VIGIL_RETURN_IF_ERROR(ReadElement(eo, p));
    }
    for (auto& [index, supplier_id] : suppliers_) {
      auto it = names_.find(supplier_id);
      if (it != names_.end()) sbom_.components[index].supplier = it->second;
    }
    i = 0;
    for (element e : *graph) {
      std::string p = json::IndexPath("", "@graph", i++);
      VIGIL_RETURN_IF_ERROR(ReadRelationship(e.get_object().value_unsafe(), p));
    }
    for (const std::string& ref : order_) sbom_.dependencies.push_back({ref, graph_[ref]});
    for (const std::string& ref : roots_) {
      if (auto idx = sbom_.FindByRef(ref)) {
        sbom_.primary = sbom_.components[*idx];
        break;
      }
    }
    return std::move(sbom_);
  }

 private:
  Status ReadElement(object eo, const std::string& p) {
    VIGIL_ASSIGN_OR_RETURN(std::string type, ReqString(eo, "type", p));
    VIGIL_ASSIGN_OR_RETURN(std::string id, OptString(eo, "spdxId", p));
    if (type == "CreationInfo") {
      VIGIL_ASSIGN_OR_RETURN(std::string created, OptString(eo, "created", p));
      VIGIL_ASSIGN_OR_RETURN(std::string version, OptString(eo, "specVersion", p));
      if (sbom_.timestamp.empty()) sbom_.timestamp = created;
      if (sbom_.spec_version.empty()) sbom_.spec_version = version;
    } else if (type == "Organization" || type == "Person" || type == "SoftwareAgent" ||
               type == "Agent") {
      VIGIL_ASSIGN_OR_RETURN(names_[id], OptString(eo, "name", p));
    } else if (type == "simplelicensing_LicenseExpression") {
      VIGIL_ASSIGN_OR_RETURN(licenses_[id], ReqString(eo, "simplelicensing_licenseExpression", p));
    } else if (type == "SpdxDocument") {
      VIGIL_ASSIGN_OR_RETURN(sbom_.name, OptString(eo, "name", p));
      sbom_.serial_number = id;
      VIGIL_ASSIGN_OR_RETURN(auto roots, OptArray(eo, "rootElement", p));
      for (element r : roots ? *roots : EmptyArray()) {
        std::string_view s;
        if (r.get(s) == simdjson::SUCCESS) roots_.emplace_back(s);
      }
    } else if (type == "software_Package") {
      if (id.empty()) return Fail(p, "required field 'spdxId' is missing");
      VIGIL_RETURN_IF_ERROR(ReadPackage(eo, p, id));
    }
    return OkStatus();
  }

  Status ReadPackage(object eo, const std::string& p, const std::string& id) {
    Component c;
    c.ref = id;
    VIGIL_ASSIGN_OR_RETURN(c.name, ReqString(eo, "name", p));
    VIGIL_ASSIGN_OR_RETURN(c.version, OptString(eo, "software_packageVersion", p));
    VIGIL_ASSIGN_OR_RETURN(c.purl_text, OptString(eo, "software_packageUrl", p));
    VIGIL_ASSIGN_OR_RETURN(c.description, OptString(eo, "description", p));
    VIGIL_ASSIGN_OR_RETURN(std::string purpose, OptString(eo, "software_primaryPurpose", p));
    c.type = ComponentType(purpose);
    VIGIL_ASSIGN_OR_RETURN(auto ids, OptArray(eo, "externalIdentifier", p));
    size_t i = 0;
    for (element e : ids ? *ids : EmptyArray()) {
      std::string ip = json::IndexPath(p, "externalIdentifier", i++);
      VIGIL_ASSIGN_OR_RETURN(object io, AsObject(e, ip));
      VIGIL_ASSIGN_OR_RETURN(std::string kind, ReqString(io, "externalIdentifierType", ip));
      VIGIL_ASSIGN_OR_RETURN(std::string value, ReqString(io, "identifier", ip));
      if (kind == "cpe23" && c.cpe_text.empty()) c.cpe_text = value;
      if (kind == "packageUrl" && c.purl_text.empty()) c.purl_text = value;
    }
    VIGIL_ASSIGN_OR_RETURN(auto hashes, OptArray(eo, "verifiedUsing", p));
    i = 0;
    for (element e : hashes ? *hashes : EmptyArray()) {
      std::string hp = json::IndexPath(p, "verifiedUsing", i++);
      VIGIL_ASSIGN_OR_RETURN(object ho, AsObject(e, hp));
      VIGIL_ASSIGN_OR_RETURN(std::string type, ReqString(ho, "type", hp));
      if (type != "Hash") continue;  // a PackageVerificationCode is not a package hash
      VIGIL_ASSIGN_OR_RETURN(std::string alg, ReqString(ho, "algorithm", hp));
      VIGIL_ASSIGN_OR_RETURN(std::string value, ReqString(ho, "hashValue", hp));
      ReportBadHash(HashAlgorithm(alg), value, hp, sbom_);
      c.hashes.push_back({HashAlgorithm(alg), value});
    }
    VIGIL_ASSIGN_OR_RETURN(std::string supplier, OptString(eo, "suppliedBy", p));
    if (!supplier.empty()) suppliers_.emplace_back(sbom_.components.size(), supplier);
    AddIdentifiers(c, sbom_, p);
    sbom_.components.push_back(std::move(c));
    return OkStatus();
  }

  Status ReadRelationship(object eo, const std::string& p) {
    std::string_view type;
    if (eo["type"].get(type) != simdjson::SUCCESS ||
        (type != "Relationship" && type != "LifecycleScopedRelationship")) {
      return OkStatus();
    }
    VIGIL_ASSIGN_OR_RETURN(std::string from, ReqString(eo, "from", p));
    VIGIL_ASSIGN_OR_RETURN(std::string rel, ReqString(eo, "relationshipType", p));
    VIGIL_ASSIGN_OR_RETURN(auto to, OptArray(eo, "to", p));
    size_t i = 0;
    for (element t : to ? *to : EmptyArray()) {
      std::string_view target;
      if (t.get(target) != simdjson::SUCCESS) {
        return Fail(json::IndexPath(p, "to", i), "expected an element id string");
      }
      ++i;
      ApplyRelationship(from, rel, std::string(target));
    }
    return OkStatus();
  }

  void ApplyRelationship(const std::string& from, const std::string& rel, const std::string& to) {
    auto component = sbom_.FindByRef(from);
    if (rel == "dependsOn" || rel == "contains" || rel == "hasDynamicLink" ||
        rel == "hasStaticLink") {
      AddDependency(graph_, order_, from, to);
    } else if (rel == "describes") {
      roots_.insert(roots_.begin(), to);
    } else if ((rel == "hasDeclaredLicense" || rel == "hasConcludedLicense") && component) {
      auto it = licenses_.find(to);
      if (it == licenses_.end()) return;
      auto l = LicenseFrom(it->second);
      auto& list = sbom_.components[*component].licenses;
      if (l && std::find(list.begin(), list.end(), *l) == list.end()) list.push_back(*l);
    }
  }

  Sbom sbom_;
  std::map<std::string, std::string> names_;     // agent id → name
  std::map<std::string, std::string> licenses_;  // expression id → expression
  std::vector<std::pair<size_t, std::string>> suppliers_;
  std::vector<std::string> roots_;
  std::map<std::string, std::vector<std::string>> graph_;
  std::vector<std::string> order_;
};

}  // namespace

Result<Sbom> ReadSpdx2Json(std::string_view json, std::string_view source) {
  return Spdx2Reader(source).Read(json, nullptr);
}

Result<Sbom> ReadSpdx3JsonLd(std::string_view json, std::string_view source) {
  return Spdx3Reader(source).Read(json, nullptr);
}

Result<Sbom> internal::ReadSpdx2Json(std::string_view json, std::string_view source,
                                     Bytes* release) {
  return Spdx2Reader(source).Read(json, release);
}

Result<Sbom> internal::ReadSpdx3JsonLd(std::string_view json, std::string_view source,
                                       Bytes* release) {
  return Spdx3Reader(source).Read(json, release);
}

}  // namespace vigil::sbom
