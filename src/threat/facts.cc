// The facts of each element, computed from the model once per analysis: the declared fields as
// they are, and the facts that need the whole model (harm, sole support of an essential function,
// unauthenticated inbound links, boundaries crossed) from indices built here.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "vigil/threat/analysis.h"

namespace vigil::threat {
namespace {

std::string_view Bool(bool b) { return b ? "true" : "false"; }

ElementKind KindOf(AssetKind k) {
  switch (k) {
    case AssetKind::kProcess:
      return ElementKind::kProcess;
    case AssetKind::kDatastore:
      return ElementKind::kDatastore;
    case AssetKind::kExternalEntity:
      return ElementKind::kExternalEntity;
    case AssetKind::kInterface:
      return ElementKind::kInterface;
  }
  return ElementKind::kProcess;
}

// Writes facts by name into one element's values.
class FactWriter {
 public:
  explicit FactWriter(FactValues& values) : values_(values) {}
  void Set(std::string_view name, std::string_view value) {
    values_[Index(name)] = std::string(value);
  }

 private:
  static size_t Index(std::string_view name) {
    static const std::unordered_map<std::string_view, size_t> index = [] {
      std::unordered_map<std::string_view, size_t> m;
      for (size_t i = 0; i < Facts().size(); ++i) m.emplace(Facts()[i].name, i);
      return m;
    }();
    return index.at(name);
  }
  FactValues& values_;
};

// What the facts of the model as a whole say about each asset.
struct ModelIndex {
  std::unordered_map<std::string_view, const Asset*> assets;
  std::unordered_map<std::string_view, const ClinicalFunction*> functions;
  std::unordered_map<std::string_view, const Boundary*> boundaries;
  std::unordered_map<std::string_view, bool> data_phi;
  std::map<std::pair<std::string_view, AssetKind>, int> supporters;  // (function, kind) → count
  std::unordered_map<std::string_view, bool> inbound_unauthenticated, receives_updates;

  explicit ModelIndex(const Model& m) {
    for (const Asset& a : m.assets) {
      assets.emplace(a.id, &a);
      for (const std::string& f : a.supports) ++supporters[{f, a.kind}];
    }
    for (const ClinicalFunction& f : m.functions) functions.emplace(f.id, &f);
    for (const Boundary& b : m.boundaries) boundaries.emplace(b.id, &b);
    for (const DataAsset& d : m.data) data_phi.emplace(d.id, d.phi);
    for (const Link& l : m.links) {
      if (l.authentication == Authentication::kNone) inbound_unauthenticated[l.to] = true;
      if (l.update_path) receives_updates[l.to] = true;
    }
  }

  risk::Harm HarmOf(const Asset& a) const {
    risk::Harm h = risk::Harm::kNegligible;
    for (const std::string& f : a.supports) h = std::max(h, functions.at(f)->severity);
    return h;
  }
  bool Essential(const Asset& a) const {
    return std::any_of(a.supports.begin(), a.supports.end(), [&](const std::string& f) {
      return functions.at(f)->essential_performance;
    });
  }
  bool SoleSupport(const Asset& a) const {
    if (a.failover) return false;
    return std::any_of(a.supports.begin(), a.supports.end(), [&](const std::string& f) {
      return functions.at(f)->essential_performance && supporters.at({f, a.kind}) == 1;
    });
  }
  bool Phi(const std::vector<std::string>& data) const {
    return std::any_of(data.begin(), data.end(),
                       [&](const std::string& d) { return data_phi.at(d); });
  }
  bool InDevice(const Asset& a) const {
    for (const Boundary* b = boundaries.at(a.boundary); b != nullptr;
         b = b->parent.empty() ? nullptr : boundaries.at(b->parent)) {
      if (b->kind == BoundaryKind::kDevice) return true;
    }
    return false;
  }
  static bool Flag(const std::unordered_map<std::string_view, bool>& m, std::string_view id) {
    auto it = m.find(id);
    return it != m.end() && it->second;
  }
};

void AssetFacts(const ModelIndex& ix, const Asset& a, FactWriter w) {
  w.Set("kind", ElementKindName(KindOf(a.kind)));
  w.Set("harm", risk::HarmName(ix.HarmOf(a)));
  w.Set("essential", Bool(ix.Essential(a)));
  w.Set("phi", Bool(ix.Phi(a.data)));
  w.Set("authentication", AuthenticationName(a.authentication));
  w.Set("sole_support_of_essential_function", Bool(ix.SoleSupport(a)));
  w.Set("interface_type", InterfaceTypeName(a.interface_type));
  w.Set("enabled_in_production", Bool(a.enabled_in_production));
  w.Set("credentials", CredentialsName(a.credentials));
  w.Set("long_lived_keys", KeyKindName(a.long_lived_keys));
  w.Set("inbound_unauthenticated", Bool(ModelIndex::Flag(ix.inbound_unauthenticated, a.id)));
  w.Set("receives_updates", Bool(ModelIndex::Flag(ix.receives_updates, a.id)));
  w.Set("outside_device", Bool(!ix.InDevice(a)));
  w.Set("encrypted_at_rest", Bool(a.encrypted_at_rest));
  w.Set("logs_phi", Bool(a.logs_phi));
  w.Set("off_device_log", Bool(a.off_device_log));
  w.Set("audited", Bool(a.audited));
  w.Set("crypto_agile", Bool(a.crypto_agile));
  w.Set("integrity_protected", Bool(a.integrity_protected));
  w.Set("least_privilege", Bool(a.least_privilege));
  w.Set("watchdog", Bool(a.watchdog));
  w.Set("failover", Bool(a.failover));
}

void LinkFacts(const ModelIndex& ix, const Link& l, FactWriter w) {
  const Asset& from = *ix.assets.at(l.from);
  const Asset& to = *ix.assets.at(l.to);
  w.Set("kind", "link");
  w.Set("harm", risk::HarmName(std::max(ix.HarmOf(from), ix.HarmOf(to))));
  w.Set("essential", Bool(ix.Essential(from) || ix.Essential(to)));
  w.Set("phi", Bool(ix.Phi(l.data)));
  w.Set("authentication", AuthenticationName(l.authentication));
  w.Set("encryption", EncryptionName(l.encryption));
  w.Set("protocol", l.protocol);
  w.Set("crosses_boundary", Bool(from.boundary != to.boundary));
  w.Set("from_outside_device", Bool(!ix.InDevice(from)));
  w.Set("carries_therapy_commands", Bool(l.carries_therapy_commands));
  w.Set("anti_replay", Bool(l.anti_replay));
  w.Set("update_path", Bool(l.update_path));
  w.Set("signed", Bool(l.signed_payload));
}

}  // namespace

std::vector<ElementFacts> ComputeFacts(const Model& model) {
  const ModelIndex ix(model);
  std::vector<ElementFacts> out;
  out.reserve(model.assets.size() + model.links.size());
  // Facts an element kind does not have stay "" and no rule can read them (rules.h).
  for (const Asset& a : model.assets) {
    out.push_back({a.id, KindOf(a.kind), FactValues(Facts().size())});
    AssetFacts(ix, a, FactWriter(out.back().values));
  }
  for (const Link& l : model.links) {
    out.push_back({l.id, ElementKind::kLink, FactValues(Facts().size())});
    LinkFacts(ix, l, FactWriter(out.back().values));
  }
  return out;
}

}  // namespace vigil::threat
