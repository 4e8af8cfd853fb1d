// CSAF 2.0 reader for the VEX profile (and the product_status of security advisories).
#include <map>
#include <utility>

#include "internal/vex_json.h"
#include "internal/vex_product.h"
#include "vigil/vuln/vex.h"

namespace vigil::vuln {
namespace {

// The VEX readers' JSON helpers (internal/vex_json.h): OptString, ReqString, OptTime, ...
using namespace internal;  // NOLINT(google-build-using-namespace)
using json::Node;

using ProductTable = std::map<std::string, VexProduct, std::less<>>;
using GroupTable = std::map<std::string, std::vector<std::string>, std::less<>>;

// Names collected on the way down the branches.
struct BranchContext {
  std::string name, version, range;
};

// A full_product_name object: product_id, name and product_identification_helper.
Result<std::pair<std::string, VexProductId>> ParseFullProductName(const Node& e,
                                                                  const BranchContext& ctx) {
  VIGIL_RETURN_IF_ERROR(e.ExpectObject());
  VIGIL_ASSIGN_OR_RETURN(std::string product_id, ReqString(e, "product_id"));
  VIGIL_ASSIGN_OR_RETURN(std::string name, ReqString(e, "name"));
  VexProductId id;
  id.ref = product_id;
  id.match_ref = false;  // a product_id is only meaningful inside this document
  VIGIL_ASSIGN_OR_RETURN(Node helper, OptObject(e, "product_identification_helper"));
  if (helper.present()) {
    VIGIL_ASSIGN_OR_RETURN(std::string purl, OptString(helper, "purl"));
    VIGIL_ASSIGN_OR_RETURN(std::string cpe, OptString(helper, "cpe"));
    if (!purl.empty()) {
      if (purl.rfind("pkg:", 0) != 0) return helper.Get("purl").Invalid("expected a purl");
      VIGIL_RETURN_IF_ERROR(internal::SetIdentifier(helper.Get("purl"), purl, id));
    }
    if (cpe.rfind("cpe:2.3:", 0) == 0) {
      VIGIL_RETURN_IF_ERROR(internal::SetIdentifier(helper.Get("cpe"), cpe, id));
    }
  }
  if (!id.purl && !id.cpe) id.name = ctx.name.empty() ? name : ctx.name;
  // A version from the branches restricts an identifier without one.
  const bool versioned = (id.purl && id.purl->version()) || (id.cpe && !id.cpe->version().is_any());
  if (!versioned && !ctx.version.empty()) id.versions.push_back(ctx.version);
  if (!versioned && ctx.range.rfind("vers:", 0) == 0) id.ranges.push_back(ctx.range);
  VIGIL_RETURN_IF_ERROR(internal::CheckRanges(e, id));
  return std::make_pair(product_id, std::move(id));
}

// `at` is the full_product_name object the product was read from.
Status AddProduct(ProductTable& products, std::string product_id, VexProduct p, const Node& at) {
  if (!products.emplace(product_id, std::move(p)).second) {
    return at.Get("product_id").Invalid("product_id '" + product_id + "' defined twice");
  }
  return OkStatus();
}

Status WalkBranches(const Node& branches, const BranchContext& ctx, ProductTable& products) {
  return branches.ForEachElement([&](const Node& b) -> Status {
    VIGIL_RETURN_IF_ERROR(b.ExpectObject());
    VIGIL_ASSIGN_OR_RETURN(std::string category, ReqString(b, "category"));
    VIGIL_ASSIGN_OR_RETURN(std::string name, ReqString(b, "name"));
    BranchContext inner = ctx;
    if (category == "product_name") inner.name = name;
    if (category == "product_version") inner.version = name;
    if (category == "product_version_range") inner.range = name;
    VIGIL_ASSIGN_OR_RETURN(Node product, OptObject(b, "product"));
    if (product.present()) {
      VIGIL_ASSIGN_OR_RETURN(auto entry, ParseFullProductName(product, inner));
      VIGIL_RETURN_IF_ERROR(
          AddProduct(products, entry.first, VexProduct{entry.second, {}}, product));
    }
    VIGIL_ASSIGN_OR_RETURN(Node sub, OptArray(b, "branches"));
    if (sub.present()) VIGIL_RETURN_IF_ERROR(WalkBranches(sub, inner, products));
    return OkStatus();
  });
}

Status ParseRelationships(const Node& rels, ProductTable& products) {
  return rels.ForEachElement([&](const Node& rel) -> Status {
    VIGIL_RETURN_IF_ERROR(rel.ExpectObject());
    VIGIL_ASSIGN_OR_RETURN(std::string component, ReqString(rel, "product_reference"));
    VIGIL_ASSIGN_OR_RETURN(std::string parent, ReqString(rel, "relates_to_product_reference"));
    auto c = products.find(component);
    if (c == products.end()) {
      return rel.Get("product_reference").Invalid("unknown product_id '" + component + "'");
    }
    auto p = products.find(parent);
    if (p == products.end()) {
      return rel.Get("relates_to_product_reference")
          .Invalid("unknown product_id '" + parent + "'");
    }
    VexProduct combined{p->second.id, {c->second.id}};
    Node fpn = rel.Get("full_product_name");
    VIGIL_ASSIGN_OR_RETURN(auto entry, ParseFullProductName(fpn, {}));
    return AddProduct(products, entry.first, std::move(combined), fpn);
  });
}

struct ProductTree {
  ProductTable products;
  GroupTable groups;
};

Result<ProductTree> ParseProductTree(const Node& root) {
  ProductTree tree;
  VIGIL_ASSIGN_OR_RETURN(Node pt, OptObject(root, "product_tree"));
  if (!pt.present()) return tree;
  VIGIL_ASSIGN_OR_RETURN(Node branches, OptArray(pt, "branches"));
  if (branches.present()) VIGIL_RETURN_IF_ERROR(WalkBranches(branches, {}, tree.products));
  VIGIL_ASSIGN_OR_RETURN(Node fpns, OptArray(pt, "full_product_names"));
  if (fpns.present()) {
    Status fpns_ok = fpns.ForEachElement([&](const Node& fpn) -> Status {
      VIGIL_ASSIGN_OR_RETURN(auto entry, ParseFullProductName(fpn, {}));
      return AddProduct(tree.products, entry.first, VexProduct{entry.second, {}}, fpn);
    });
    VIGIL_RETURN_IF_ERROR(fpns_ok);
  }
  VIGIL_ASSIGN_OR_RETURN(Node rels, OptArray(pt, "relationships"));
  if (rels.present()) VIGIL_RETURN_IF_ERROR(ParseRelationships(rels, tree.products));
  VIGIL_ASSIGN_OR_RETURN(Node groups, OptArray(pt, "product_groups"));
  if (groups.present()) {
    Status groups_ok = groups.ForEachElement([&](const Node& g) -> Status {
      VIGIL_RETURN_IF_ERROR(g.ExpectObject());
      VIGIL_ASSIGN_OR_RETURN(std::string gid, ReqString(g, "group_id"));
      VIGIL_ASSIGN_OR_RETURN(tree.groups[gid], OptStrings(g, "product_ids"));
      return OkStatus();
    });
    VIGIL_RETURN_IF_ERROR(groups_ok);
  }
  return tree;
}

// product_id → text, from a list of {product_ids, group_ids, <field>} objects (flags' label,
// threats' details, remediations' details). `want` filters by "category" when not empty.
Result<std::map<std::string, std::string>> PerProduct(const Node& vuln, std::string_view key,
                                                      std::string_view field, std::string_view want,
                                                      const GroupTable& groups) {
  std::map<std::string, std::string> out;
  VIGIL_ASSIGN_OR_RETURN(Node list, OptArray(vuln, key));
  if (!list.present()) return out;
  Status each = list.ForEachElement([&](const Node& e) -> Status {
    VIGIL_RETURN_IF_ERROR(e.ExpectObject());
    if (!want.empty()) {
      VIGIL_ASSIGN_OR_RETURN(std::string category, ReqString(e, "category"));
      if (category != want) return OkStatus();
    }
    VIGIL_ASSIGN_OR_RETURN(std::string value, ReqString(e, field));
    VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> ids, OptStrings(e, "product_ids"));
    VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> gids, OptStrings(e, "group_ids"));
    for (const std::string& g : gids) {
      auto it = groups.find(g);
      if (it == groups.end()) return e.Get("group_ids").Invalid("unknown group_id '" + g + "'");
      ids.insert(ids.end(), it->second.begin(), it->second.end());
    }
    for (const std::string& id : ids) out.emplace(id, value);
    return OkStatus();
  });
  VIGIL_RETURN_IF_ERROR(each);
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

Result<VulnContext> ParseVulnContext(const Node& v, const GroupTable& groups) {
  VulnContext ctx;
  VIGIL_ASSIGN_OR_RETURN(std::string cve, OptString(v, "cve"));
  if (!cve.empty()) ctx.id = cve;
  VIGIL_ASSIGN_OR_RETURN(Node ids, OptArray(v, "ids"));
  if (ids.present()) {
    Status ids_ok = ids.ForEachElement([&](const Node& id) -> Status {
      VIGIL_RETURN_IF_ERROR(id.ExpectObject());
      VIGIL_ASSIGN_OR_RETURN(std::string text, ReqString(id, "text"));
      (ctx.id.empty() ? ctx.id : ctx.aliases.emplace_back()) = text;
      return OkStatus();
    });
    VIGIL_RETURN_IF_ERROR(ids_ok);
  }
  if (ctx.id.empty()) return v.Invalid("a vulnerability needs a cve or ids");
  VIGIL_ASSIGN_OR_RETURN(ctx.flags, PerProduct(v, "flags", "label", "", groups));
  for (const auto& [pid, label] : ctx.flags) {
    if (!IsCanonicalJustification(label)) {
      return v.Get("flags").Invalid("unknown flag label '" + label + "'");
    }
  }
  VIGIL_ASSIGN_OR_RETURN(ctx.impacts, PerProduct(v, "threats", "details", "impact", groups));
  VIGIL_ASSIGN_OR_RETURN(ctx.remediations, PerProduct(v, "remediations", "details", "", groups));
  return ctx;
}

Status ParseVulnerability(const Node& v, const ProductTree& tree, const Time& time,
                          VexDocument& doc) {
  VIGIL_RETURN_IF_ERROR(v.ExpectObject());
  VIGIL_ASSIGN_OR_RETURN(VulnContext ctx, ParseVulnContext(v, tree.groups));
  VIGIL_ASSIGN_OR_RETURN(Node status, OptObject(v, "product_status"));
  if (!status.present()) return OkStatus();
  for (const auto& [list, vex_status] : kStatusLists) {
    VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> ids, OptStrings(status, list));
    for (size_t i = 0; i < ids.size(); ++i) {
      const Node at = status.Get(list).At(i);
      auto product = tree.products.find(ids[i]);
      if (product == tree.products.end()) {
        return at.Invalid("unknown product_id '" + ids[i] + "' (not in product_tree)");
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
      s.trace = at.name() + ": " + at.path();
      doc.statements.push_back(std::move(s));
    }
  }
  return OkStatus();
}

}  // namespace

Result<VexDocument> ReadCsafVex(std::string_view text, std::string_view source) {
  VIGIL_ASSIGN_OR_RETURN(json::Value value, internal::ParseVexRoot(text, source));
  Node root(value, source);
  Node document = root.Get("document");
  VIGIL_RETURN_IF_ERROR(document.ExpectObject());
  VIGIL_ASSIGN_OR_RETURN(std::string version, ReqString(document, "csaf_version"));
  if (version != "2.0") {
    return document.Get("csaf_version").Invalid("expected '2.0', got '" + version + "'");
  }
  VIGIL_ASSIGN_OR_RETURN(std::string category, ReqString(document, "category"));
  VexDocument doc;
  doc.format = VexFormat::kCsaf;
  doc.source = std::string(source);
  VIGIL_ASSIGN_OR_RETURN(Node publisher, OptObject(document, "publisher"));
  if (publisher.present()) {
    VIGIL_ASSIGN_OR_RETURN(doc.author, OptString(publisher, "name"));
  }
  Node tracking = document.Get("tracking");
  VIGIL_RETURN_IF_ERROR(tracking.ExpectObject());
  VIGIL_ASSIGN_OR_RETURN(doc.id, ReqString(tracking, "id"));
  if (auto t = tracking.Get("current_release_date").StringView(); !t) return t.error();
  VIGIL_ASSIGN_OR_RETURN(Time time, OptTime(tracking, "current_release_date"));
  doc.timestamp = time.text;
  VIGIL_ASSIGN_OR_RETURN(ProductTree tree, ParseProductTree(root));
  VIGIL_ASSIGN_OR_RETURN(Node vulns, OptArray(root, "vulnerabilities"));
  if (category == "csaf_vex" && vulns.size() == 0) {
    return vulns.Invalid("the CSAF VEX profile requires at least one vulnerability");
  }
  if (!vulns.present()) return doc;
  Status each = vulns.ForEachElement(
      [&](const Node& v) -> Status { return ParseVulnerability(v, tree, time, doc); });
  VIGIL_RETURN_IF_ERROR(each);
  return doc;
}

Result<VexDocument> ReadVex(std::string_view text, std::string_view source) {
  VIGIL_ASSIGN_OR_RETURN(json::Value root, internal::ParseVexRoot(text, source));
  if (root.Find("bomFormat") != nullptr) return ReadCycloneDxVex(text, source);
  if (root.Find("@context") != nullptr) return ReadOpenVex(text, source);
  if (root.Find("document") != nullptr) return ReadCsafVex(text, source);
  return json::Node(root, source).Invalid("not a CycloneDX, OpenVEX or CSAF VEX document");
}

}  // namespace vigil::vuln
