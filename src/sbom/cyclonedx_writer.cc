// CycloneDX 1.6 JSON writer (nlohmann-json: documents we write are small next to those we read).
#include <nlohmann/json.hpp>
#include <set>

#include "date_time.h"
#include "hash_algorithms.h"
#include "vigil/sbom/cyclonedx.h"

namespace vigil::sbom {
namespace {

using nlohmann::ordered_json;

ordered_json LicensesJson(const std::vector<License>& licenses) {
  std::string expression;
  ordered_json named = ordered_json::array();
  for (const License& l : licenses) {
    if (!l.expression.empty()) {
      expression += (expression.empty() ? "" : " AND ") +
                    (licenses.size() > 1 ? "(" + l.expression + ")" : l.expression);
    } else if (IsLicenseIdSyntax(l.id)) {
      named.push_back({{"license", {{"id", l.id}}}});
    } else if (!l.id.empty()) {  // not an id CycloneDX accepts: keep it as a name
      named.push_back({{"license", {{"name", l.id}}}});
    } else if (!l.name.empty()) {
      named.push_back({{"license", {{"name", l.name}}}});
    }
  }
  // A licence choice holds licences or one expression, never both: fold names into it.
  if (!expression.empty()) {
    for (const License& l : licenses) {
      if (l.expression.empty() && IsLicenseIdSyntax(l.id)) expression += " AND " + l.id;
    }
    return ordered_json::array({{{"expression", expression}}});
  }
  return named;
}

ordered_json ComponentJson(const Component& c, const std::string& ref) {
  ordered_json j;
  j["type"] = c.type.empty() ? "library" : c.type;
  if (!ref.empty()) j["bom-ref"] = ref;
  if (!c.supplier.empty()) j["supplier"] = {{"name", c.supplier}};
  if (!c.publisher.empty()) j["publisher"] = c.publisher;
  if (!c.group.empty()) j["group"] = c.group;
  j["name"] = c.name.empty() ? "(unnamed)" : c.name;
  if (!c.version.empty()) j["version"] = c.version;
  if (!c.description.empty()) j["description"] = c.description;
  ordered_json hashes = ordered_json::array();
  for (const Hash& h : c.hashes) {
    if (!internal::CheckCycloneDxHash(h.algorithm, h.value))
      hashes.push_back({{"alg", h.algorithm}, {"content", h.value}});
  }
  if (!hashes.empty()) j["hashes"] = hashes;
  ordered_json licenses = LicensesJson(c.licenses);
  if (!licenses.empty()) j["licenses"] = licenses;
  if (c.purl) {
    j["purl"] = c.purl->ToString();
  } else if (!c.purl_text.empty()) {
    j["purl"] = c.purl_text;
  }
  if (c.cpe) {
    j["cpe"] = c.cpe->ToString();
  } else if (!c.cpe_text.empty()) {
    j["cpe"] = c.cpe_text;
  }
  ordered_json props = ordered_json::array();
  for (const Property& p : c.properties) {
    if (p.name.rfind("fda:", 0) != 0) props.push_back({{"name", p.name}, {"value", p.value}});
  }
  props.push_back({{"name", "fda:level-of-support"}, {"value", SupportLevelName(c.support)}});
  if (c.end_of_support)
    props.push_back({{"name", "fda:end-of-support"}, {"value", *c.end_of_support}});
  j["properties"] = props;
  return j;
}

}  // namespace

std::string WriteCycloneDxJson(const Sbom& sbom) {
  ordered_json doc;
  doc["$schema"] = "http://cyclonedx.org/schema/bom-1.6.schema.json";
  doc["bomFormat"] = "CycloneDX";
  doc["specVersion"] = "1.6";
  if (sbom.format == SourceFormat::kCycloneDx && !sbom.serial_number.empty()) {
    doc["serialNumber"] = sbom.serial_number;
  }
  doc["version"] = 1;
  ordered_json meta;
  if (internal::IsRfc3339DateTime(sbom.timestamp)) meta["timestamp"] = sbom.timestamp;
  meta["tools"] = {
      {"components", ordered_json::array({{{"type", "application"}, {"name", "vigil"}}})}};
  // Refs must be unique; generate "vigil-<n>" where the source gave none or a duplicate.
  std::set<std::string> used;
  auto unique_ref = [&](const std::string& ref, size_t n) {
    std::string r = ref.empty() || used.contains(ref) ? "vigil-" + std::to_string(n) : ref;
    used.insert(r);
    return r;
  };
  if (sbom.primary)
    meta["component"] = ComponentJson(*sbom.primary, unique_ref(sbom.primary->ref, 0));
  doc["metadata"] = meta;
  ordered_json comps = ordered_json::array();
  for (size_t i = 0; i < sbom.components.size(); ++i) {
    comps.push_back(ComponentJson(sbom.components[i], unique_ref(sbom.components[i].ref, i + 1)));
  }
  doc["components"] = comps;
  ordered_json deps = ordered_json::array();
  std::set<std::string> seen;
  for (const Dependency& d : sbom.dependencies) {
    if (d.ref.empty() || !used.contains(d.ref) || !seen.insert(d.ref).second) continue;
    std::set<std::string> targets;
    for (const std::string& t : d.depends_on) {
      if (used.contains(t)) targets.insert(t);
    }
    ordered_json dj = {{"ref", d.ref}};
    if (!targets.empty()) dj["dependsOn"] = targets;
    deps.push_back(dj);
  }
  if (!deps.empty()) doc["dependencies"] = deps;
  return doc.dump(2);
}

}  // namespace vigil::sbom
