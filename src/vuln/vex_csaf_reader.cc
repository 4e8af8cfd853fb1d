// CSAF 2.0 reader for the VEX profile (and the product_status of security advisories).
#include <map>
#include <utility>

#include "vigil/vuln/vex.h"
#include "internal/json_reader.h"
#include "internal/vex_product.h"

namespace vigil::vuln {
namespace {

using internal::Index;
using internal::JsonReader;
using internal::Member;
using nlohmann::json;

using ProductTable = std::map<std::string, VexProduct, std::less<>>;
using GroupTable = std::map<std::string, std::vector<std::string>, std::less<>>;

// Names collected on the way down the branches.
struct BranchContext {
  std::string name, version, range;
};

// A full_product_name object: product_id, name and product_identification_helper.
Result<std::pair<std::string, VexProductId>> ParseFullProductName(const JsonReader& r,
                                                                  const json& e,
                                                                  const std::string& path,
                                                                  const BranchContext& ctx) {
  VIGIL_RETURN_IF_ERROR(r.ExpectObject(e, path));
  VIGIL_ASSIGN_OR_RETURN(std::string product_id, r.ReqString(e, "product_id", path));
  VIGIL_ASSIGN_OR_RETURN(std::string name, r.ReqString(e, "name", path));
  VexProductId id;
  id.ref = product_id;
  id.match_ref = false;  // a product_id is only meaningful inside this document
  VIGIL_ASSIGN_OR_RETURN(const json* helper, r.OptObject(e, "product_identification_helper", path));
  if (helper != nullptr) {
    const std::string hpath = Member(path, "product_identification_helper");
    VIGIL_ASSIGN_OR_RETURN(std::string purl, r.OptString(*helper, "purl", hpath));
    VIGIL_ASSIGN_OR_RETURN(std::string cpe, r.OptString(*helper, "cpe", hpath));
    if (!purl.empty()) {
      if (purl.rfind("pkg:", 0) != 0) return r.Fail(Member(hpath, "purl"), "expected a purl");
      VIGIL_RETURN_IF_ERROR(internal::SetIdentifier(r, purl, Member(hpath, "purl"), id));
    }
    if (cpe.rfind("cpe:2.3:", 0) == 0) {
      VIGIL_RETURN_IF_ERROR(internal::SetIdentifier(r, cpe, Member(hpath, "cpe"), id));
    }
  }
  if (!id.purl && !id.cpe) id.name = ctx.name.empty() ? name : ctx.name;
  // A version from the branches restricts an identifier without one.
  const bool versioned = (id.purl && id.purl->version()) || (id.cpe && !id.cpe->version().is_any());
  if (!versioned && !ctx.version.empty()) id.versions.push_back(ctx.version);
  if (!versioned && ctx.range.rfind("vers:", 0) == 0) id.ranges.push_back(ctx.range);
  VIGIL_RETURN_IF_ERROR(internal::CheckRanges(r, id, path));
  return std::make_pair(product_id, std::move(id));
}

Status AddProduct(const JsonReader& r, ProductTable& products, std::string product_id, VexProduct p,
                  const std::string& path) {
  if (!products.emplace(product_id, std::move(p)).second) {
    return r.Fail(Member(path, "product_id"), "product_id '" + product_id + "' defined twice");
  }
  return OkStatus();
}

Status WalkBranches(const JsonReader& r, const json& branches, const std::string& path,
                    BranchContext ctx, ProductTable& products) {
  for (size_t i = 0; i < branches.size(); ++i) {
    const std::string bpath = path + "[" + std::to_string(i) + "]";
    const json& b = branches[i];
    VIGIL_RETURN_IF_ERROR(r.ExpectObject(b, bpath));
    VIGIL_ASSIGN_OR_RETURN(std::string category, r.ReqString(b, "category", bpath));
    VIGIL_ASSIGN_OR_RETURN(std::string name, r.ReqString(b, "name", bpath));
    BranchContext inner = ctx;
    if (category == "product_name") inner.name = name;
    if (category == "product_version") inner.version = name;
    if (category == "product_version_range") inner.range = name;
    VIGIL_ASSIGN_OR_RETURN(const json* product, r.OptObject(b, "product", bpath));
    if (product != nullptr) {
      VIGIL_ASSIGN_OR_RETURN(auto entry,
                             ParseFullProductName(r, *product, Member(bpath, "product"), inner));
      VIGIL_RETURN_IF_ERROR(AddProduct(r, products, entry.first, VexProduct{entry.second, {}},
                                       Member(bpath, "product")));
    }
    VIGIL_ASSIGN_OR_RETURN(const json* sub, r.OptArray(b, "branches", bpath));
    if (sub != nullptr) {
      VIGIL_RETURN_IF_ERROR(WalkBranches(r, *sub, Member(bpath, "branches"), inner, products));
    }
  }
  return OkStatus();
}

Status ParseRelationships(const JsonReader& r, const json& rels, const std::string& path,
                          ProductTable& products) {
  for (size_t i = 0; i < rels.size(); ++i) {
    const std::string rpath = path + "[" + std::to_string(i) + "]";
    const json& rel = rels[i];
    VIGIL_RETURN_IF_ERROR(r.ExpectObject(rel, rpath));
    VIGIL_ASSIGN_OR_RETURN(std::string component, r.ReqString(rel, "product_reference", rpath));
    VIGIL_ASSIGN_OR_RETURN(std::string parent,
                           r.ReqString(rel, "relates_to_product_reference", rpath));
    auto c = products.find(component);
    if (c == products.end()) {
      return r.Fail(Member(rpath, "product_reference"), "unknown product_id '" + component + "'");
    }
    auto p = products.find(parent);
    if (p == products.end()) {
      return r.Fail(Member(rpath, "relates_to_product_reference"),
                    "unknown product_id '" + parent + "'");
    }
    VexProduct combined{p->second.id, {c->second.id}};
    auto fpn = rel.find("full_product_name");
    if (fpn == rel.end())
      return r.Fail(Member(rpath, "full_product_name"), "required field is missing");
    VIGIL_ASSIGN_OR_RETURN(auto entry,
                           ParseFullProductName(r, *fpn, Member(rpath, "full_product_name"), {}));
    VIGIL_RETURN_IF_ERROR(AddProduct(r, products, entry.first, std::move(combined),
                                     Member(rpath, "full_product_name")));
  }
  return OkStatus();
}

struct ProductTree {
  ProductTable products;
  GroupTable groups;
};

Result<ProductTree> ParseProductTree(const JsonReader& r, const json& root) {
  ProductTree tree;
  VIGIL_ASSIGN_OR_RETURN(const json* pt, r.OptObject(root, "product_tree", ""));
  if (pt == nullptr) return tree;
  VIGIL_ASSIGN_OR_RETURN(const json* branches, r.OptArray(*pt, "branches", "product_tree"));
  if (branches != nullptr) {
    VIGIL_RETURN_IF_ERROR(WalkBranches(r, *branches, "product_tree.branches", {}, tree.products));
  }
  VIGIL_ASSIGN_OR_RETURN(const json* fpns, r.OptArray(*pt, "full_product_names", "product_tree"));
  for (size_t i = 0; fpns != nullptr && i < fpns->size(); ++i) {
    const std::string fpath = Index("product_tree", "full_product_names", i);
    VIGIL_ASSIGN_OR_RETURN(auto entry, ParseFullProductName(r, (*fpns)[i], fpath, {}));
    VIGIL_RETURN_IF_ERROR(
        AddProduct(r, tree.products, entry.first, VexProduct{entry.second, {}}, fpath));
  }
  VIGIL_ASSIGN_OR_RETURN(const json* rels, r.OptArray(*pt, "relationships", "product_tree"));
  if (rels != nullptr) {
    VIGIL_RETURN_IF_ERROR(
        ParseRelationships(r, *rels, "product_tree.relationships", tree.products));
  }
  VIGIL_ASSIGN_OR_RETURN(const json* groups, r.OptArray(*pt, "product_groups", "product_tree"));
  for (size_t i = 0; groups != nullptr && i < groups->size(); ++i) {
    const std::string gpath = Index("product_tree", "product_groups", i);
    VIGIL_RETURN_IF_ERROR(r.ExpectObject((*groups)[i], gpath));
    VIGIL_ASSIGN_OR_RETURN(std::string gid, r.ReqString((*groups)[i], "group_id", gpath));
    VIGIL_ASSIGN_OR_RETURN(tree.groups[gid], r.OptStrings((*groups)[i], "product_ids", gpath));
  }
  return tree;
}

// product_id → text, from a list of {product_ids, group_ids, <field>} objects (flags' label,
// threats' details, remediations' details). `want` filters by "category" when not empty.
Result<std::map<std::string, std::string>> PerProduct(const JsonReader& r, const json& vuln,
                                                      const std::string& path, std::string_view key,
                                                      std::string_view field, std::string_view want,
                                                      const GroupTable& groups) {
  std::map<std::string, std::string> out;
  VIGIL_ASSIGN_OR_RETURN(const json* arr, r.OptArray(vuln, key, path));
  for (size_t i = 0; arr != nullptr && i < arr->size(); ++i) {
    const std::string ipath = Index(path, key, i);
    const json& e = (*arr)[i];
    VIGIL_RETURN_IF_ERROR(r.ExpectObject(e, ipath));
    if (!want.empty()) {
      VIGIL_ASSIGN_OR_RETURN(std::string category, r.ReqString(e, "category", ipath));
      if (category != want) continue;
    }
    VIGIL_ASSIGN_OR_RETURN(std::string value, r.ReqString(e, field, ipath));
    VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> ids, r.OptStrings(e, "product_ids", ipath));
    VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> gids, r.OptStrings(e, "group_ids", ipath));
    for (const std::string& g : gids) {
      auto it = groups.find(g);
      if (it == groups.end()) {
        return r.Fail(Member(ipath, "group_ids"), "unknown group_id '" + g + "'");
      }
      ids.insert(ids.end(), it->second.begin(), it->second.end());
    }
    for (const std::string& id : ids) out.emplace(id, value);
  }
  return out;
}

constexpr std::pair<std::string_view, VexStatus> kStatusLists[] = {
    {"known_not_affected", VexStatus::kNotAffected},
    {"fixed", VexStatus::kFixed},
    {"first_fixed", VexStatus::kFixed},
    {"known_affected", VexStatus::kAffected},
    {"first_affected", VexStatus::kAffected},
    {"last_affected", VexStatus::kAffected},
    {"under_investigation", VexStatus::kUnderInvestigation},
};

struct VulnContext {
  std::string id;
  std::vector<std::string> aliases;
  std::map<std::string, std::string> flags, impacts, remediations;
};

Result<VulnContext> ParseVulnContext(const JsonReader& r, const json& v, const std::string& path,
                                     const GroupTable& groups) {
  VulnContext ctx;
  VIGIL_ASSIGN_OR_RETURN(std::string cve, r.OptString(v, "cve", path));
  if (!cve.empty()) ctx.id = cve;
  VIGIL_ASSIGN_OR_RETURN(const json* ids, r.OptArray(v, "ids", path));
  for (size_t i = 0; ids != nullptr && i < ids->size(); ++i) {
    const std::string ipath = Index(path, "ids", i);
    VIGIL_RETURN_IF_ERROR(r.ExpectObject((*ids)[i], ipath));
    VIGIL_ASSIGN_OR_RETURN(std::string text, r.ReqString((*ids)[i], "text", ipath));
    (ctx.id.empty() ? ctx.id : ctx.aliases.emplace_back()) = text;
  }
  if (ctx.id.empty()) return r.Fail(path, "a vulnerability needs a cve or ids");
  VIGIL_ASSIGN_OR_RETURN(ctx.flags, PerProduct(r, v, path, "flags", "label", "", groups));
  for (const auto& [pid, label] : ctx.flags) {
    if (!IsCanonicalJustification(label)) {
      return r.Fail(Member(path, "flags"), "unknown flag label '" + label + "'");
    }
  }
  VIGIL_ASSIGN_OR_RETURN(ctx.impacts,
                         PerProduct(r, v, path, "threats", "details", "impact", groups));
  VIGIL_ASSIGN_OR_RETURN(ctx.remediations,
                         PerProduct(r, v, path, "remediations", "details", "", groups));
  return ctx;
}

Status ParseVulnerability(const JsonReader& r, const json& v, const std::string& path,
                          const ProductTree& tree, const JsonReader::Time& time, VexDocument& doc) {
  VIGIL_RETURN_IF_ERROR(r.ExpectObject(v, path));
  VIGIL_ASSIGN_OR_RETURN(VulnContext ctx, ParseVulnContext(r, v, path, tree.groups));
  VIGIL_ASSIGN_OR_RETURN(const json* status, r.OptObject(v, "product_status", path));
  if (status == nullptr) return OkStatus();
  const std::string spath = Member(path, "product_status");
  for (const auto& [list, vex_status] : kStatusLists) {
    VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> ids, r.OptStrings(*status, list, spath));
    for (size_t i = 0; i < ids.size(); ++i) {
      const std::string ipath = Index(spath, list, i);
      auto product = tree.products.find(ids[i]);
      if (product == tree.products.end()) {
        return r.Fail(ipath, "unknown product_id '" + ids[i] + "' (not in product_tree)");
      }
      VexStatement s;
      s.vulnerability = ctx.id;
      s.aliases = ctx.aliases;
      s.products.push_back(product->second);
      s.status = vex_status;
      if (auto f = ctx.flags.find(ids[i]); f != ctx.flags.end()) s.justification = f->second;
      if (auto t = ctx.impacts.find(ids[i]); t != ctx.impacts.end()) s.impact_statement = t->second;
      if (auto m = ctx.remediations.find(ids[i]); m != ctx.remediations.end())
        s.action_statement = m->second;
      s.timestamp = time.text;
      s.time = time.seconds;
      s.trace = r.source() + ": " + ipath;
      doc.statements.push_back(std::move(s));
    }
  }
  return OkStatus();
}

}  // namespace

Result<VexDocument> ReadCsafVex(std::string_view text, std::string_view source) {
  JsonReader r(source);
  VIGIL_ASSIGN_OR_RETURN(json root, r.ParseRoot(text));
  VIGIL_ASSIGN_OR_RETURN(const json* document, r.OptObject(root, "document", ""));
  if (document == nullptr) return r.Fail("document", "required field is missing");
  VIGIL_ASSIGN_OR_RETURN(std::string version, r.ReqString(*document, "csaf_version", "document"));
  if (version != "2.0") {
    return r.Fail("document.csaf_version", "expected '2.0', got '" + version + "'");
  }
  VIGIL_ASSIGN_OR_RETURN(std::string category, r.ReqString(*document, "category", "document"));
  VexDocument doc;
  doc.format = VexFormat::kCsaf;
  doc.source = std::string(source);
  VIGIL_ASSIGN_OR_RETURN(const json* publisher, r.OptObject(*document, "publisher", "document"));
  if (publisher != nullptr) {
    VIGIL_ASSIGN_OR_RETURN(doc.author, r.OptString(*publisher, "name", "document.publisher"));
  }
  VIGIL_ASSIGN_OR_RETURN(const json* tracking, r.OptObject(*document, "tracking", "document"));
  if (tracking == nullptr) return r.Fail("document.tracking", "required field is missing");
  VIGIL_ASSIGN_OR_RETURN(doc.id, r.ReqString(*tracking, "id", "document.tracking"));
  if (!tracking->contains("current_release_date")) {
    return r.Fail("document.tracking.current_release_date", "required field is missing");
  }
  VIGIL_ASSIGN_OR_RETURN(JsonReader::Time time,
                         r.OptTime(*tracking, "current_release_date", "document.tracking"));
  doc.timestamp = time.text;
  VIGIL_ASSIGN_OR_RETURN(ProductTree tree, ParseProductTree(r, root));
  VIGIL_ASSIGN_OR_RETURN(const json* vulns, r.OptArray(root, "vulnerabilities", ""));
  if (category == "csaf_vex" && (vulns == nullptr || vulns->empty())) {
    return r.Fail("vulnerabilities", "the CSAF VEX profile requires at least one vulnerability");
  }
  for (size_t i = 0; vulns != nullptr && i < vulns->size(); ++i) {
    VIGIL_RETURN_IF_ERROR(
        ParseVulnerability(r, (*vulns)[i], Index("", "vulnerabilities", i), tree, time, doc));
  }
  return doc;
}

Result<VexDocument> ReadVex(std::string_view text, std::string_view source) {
  internal::JsonReader r(source);
  VIGIL_ASSIGN_OR_RETURN(json root, r.ParseRoot(text));
  if (root.contains("bomFormat")) return ReadCycloneDxVex(text, source);
  if (root.contains("@context")) return ReadOpenVex(text, source);
  if (root.contains("document")) return ReadCsafVex(text, source);
  return r.Fail("$", "not a CycloneDX, OpenVEX or CSAF VEX document");
}

}  // namespace vigil::vuln
