#include "vigil/threat/rules.h"

#include <array>

#include "internal/condition.h"
#include "internal/names.h"
#include "internal/yaml_doc.h"
#include "vigil/core/encoding.h"

namespace vigil::threat {
namespace {

using internal::EnumName;
using internal::Fields;
using internal::LocationOf;
using internal::ParseYamlFile;
using internal::YamlDoc;

constexpr uint64_t kMaxRuleFileBytes = 1u << 20;

constexpr uint8_t Bit(ElementKind k) { return static_cast<uint8_t>(1u << static_cast<int>(k)); }
constexpr uint8_t kAssets = Bit(ElementKind::kProcess) | Bit(ElementKind::kDatastore) |
                            Bit(ElementKind::kExternalEntity) | Bit(ElementKind::kInterface);
constexpr uint8_t kLinks = Bit(ElementKind::kLink);
constexpr uint8_t kAll = kAssets | kLinks;

constexpr std::array<EnumName<ElementKind>, 5> kElementKinds{
    {{"process", ElementKind::kProcess},
     {"datastore", ElementKind::kDatastore},
     {"external_entity", ElementKind::kExternalEntity},
     {"interface", ElementKind::kInterface},
     {"link", ElementKind::kLink}}};

constexpr std::array<EnumName<Stride>, 6> kStrides{
    {{"spoofing", Stride::kSpoofing},
     {"tampering", Stride::kTampering},
     {"repudiation", Stride::kRepudiation},
     {"information_disclosure", Stride::kInformationDisclosure},
     {"denial_of_service", Stride::kDenialOfService},
     {"elevation_of_privilege", Stride::kElevationOfPrivilege}}};

template <typename E, size_t N>
std::vector<std::string_view> WordsOf(const std::array<EnumName<E>, N>& names) {
  std::vector<std::string_view> out;
  for (const EnumName<E>& e : names) out.push_back(e.name);
  return out;
}

std::vector<FactInfo> MakeFacts() {
  namespace n = internal;
  std::vector<FactInfo> f = {
      {"kind", false, WordsOf(kElementKinds), kAll, "the element's kind"},
      {"harm", false, WordsOf(n::kHarms), kAll,
       "highest severity of harm of the clinical functions it supports (a link: of either end)"},
      {"essential", true, {}, kAll, "supports a function of essential performance"},
      {"phi", true, {}, kAll, "holds or carries protected health information"},
      {"authentication", false, WordsOf(n::kAuthentications), kAll,
       "how callers (a link: its peers) authenticate"},
      {"sole_support_of_essential_function",
       true,
       {},
       kAssets,
       "the only asset of its kind supporting some essential function, without failover"},
      {"interface_type", false, WordsOf(n::kInterfaceTypes), kAssets, "physical or radio type"},
      {"enabled_in_production", true, {}, kAssets, "an interface left enabled in the field"},
      {"credentials", false, WordsOf(n::kCredentials), kAssets, "the secrets behind it"},
      {"long_lived_keys", false, WordsOf(n::kKeyKinds), kAssets, "the long-lived keys held"},
      {"inbound_unauthenticated", true, {}, kAssets, "some link into it is unauthenticated"},
      {"receives_updates", true, {}, kAssets, "the end of an update path"},
      {"encryption", false, WordsOf(n::kEncryptions), kLinks, "the link's encryption"},
      {"protocol", false, {}, kLinks, "the link's protocol (any word)"},
      {"crosses_boundary", true, {}, kLinks, "its ends are in different trust boundaries"},
      {"outside_device",
       true,
       {},
       kAssets,
       "not inside any trust boundary of kind device (the hospital network, the cloud, ...)"},
      {"from_outside_device",
       true,
       {},
       kLinks,
       "its source is outside every trust boundary of kind device"},
  };
  for (std::string_view flag :
       {"encrypted_at_rest", "logs_phi", "off_device_log", "audited", "crypto_agile",
        "integrity_protected", "least_privilege", "watchdog", "failover"}) {
    f.push_back({flag, true, {}, kAssets, "declared in the model (absent: false)"});
  }
  for (std::string_view flag :
       {"carries_therapy_commands", "anti_replay", "update_path", "signed"}) {
    f.push_back({flag, true, {}, kLinks, "declared in the model (absent: false)"});
  }
  return f;
}

Result<uint8_t> ReadKinds(const YamlDoc& doc, const Fields& f) {
  json::Node list = f.Get("applies_to");
  auto elements = list.Elements();
  if (!elements) return doc.Locate(elements.error());
  if (elements->empty()) return f.Invalid("applies_to", "expected at least one element kind");
  uint8_t kinds = 0;
  for (const json::Node& e : *elements) {
    auto word = e.StringView();
    if (!word) return doc.Locate(word.error());
    bool known = false;
    for (const EnumName<ElementKind>& k : kElementKinds) {
      if (k.name == *word) {
        kinds |= Bit(k.value);
        known = true;
      }
    }
    if (!known) {
      return doc.At(e, "expected one of " + Fields::Words<ElementKind>(kElementKinds) +
                           "; found \"" + OneLine(*word) + "\"");
    }
  }
  return kinds;
}

Result<Rule> ReadRule(const YamlDoc& doc, const Fields& f) {
  VIGIL_RETURN_IF_ERROR(
      f.Expect({"id", "title", "stride", "applies_to", "when", "exploitability", "description"}));
  Rule r;
  r.at = LocationOf(f);
  VIGIL_ASSIGN_OR_RETURN(r.id, f.Id("id"));
  VIGIL_ASSIGN_OR_RETURN(r.title, f.String("title"));
  VIGIL_ASSIGN_OR_RETURN(r.stride, f.Enum<Stride>("stride", kStrides, {}));
  VIGIL_ASSIGN_OR_RETURN(r.applies_to, ReadKinds(doc, f));
  VIGIL_ASSIGN_OR_RETURN(r.when, f.String("when"));
  auto condition = Condition::Parse(r.when, r.applies_to);
  if (!condition) return f.Invalid("when", condition.error().message());
  r.condition = std::make_shared<const Condition>(std::move(*condition));
  VIGIL_ASSIGN_OR_RETURN(r.exploitability, f.Number("exploitability", 0, 10));
  VIGIL_ASSIGN_OR_RETURN(r.description, f.OptionalString("description"));
  return r;
}

}  // namespace

std::string_view ElementKindName(ElementKind k) {
  return internal::NameOf<ElementKind>(kElementKinds, k);
}
std::string_view StrideName(Stride s) { return internal::NameOf<Stride>(kStrides, s); }

const std::vector<FactInfo>& Facts() {
  static const std::vector<FactInfo> facts = MakeFacts();
  return facts;
}

const Rule* RuleSet::Find(std::string_view id) const {
  for (const Rule& r : rules) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

Status ParseRules(std::string_view yaml, const std::string& file, RuleSet& into) {
  VIGIL_ASSIGN_OR_RETURN(YamlDoc doc, ParseYamlFile(yaml, file, kMaxRuleFileBytes));
  Fields root(doc, doc.Root());
  VIGIL_RETURN_IF_ERROR(root.Expect({"ruleset", "version", "rules"}));
  VIGIL_ASSIGN_OR_RETURN(std::string name, root.Id("ruleset"));
  VIGIL_ASSIGN_OR_RETURN(std::string version, root.String("version"));
  auto rules = root.Get("rules").Elements();
  if (!rules) return doc.Locate(rules.error());
  std::vector<Rule> read;
  for (const json::Node& n : *rules) {
    Fields f(doc, n);
    VIGIL_ASSIGN_OR_RETURN(Rule r, ReadRule(doc, f));
    const Rule* seen = into.Find(r.id);
    for (const Rule& x : read) seen = seen ? seen : (x.id == r.id ? &x : nullptr);
    if (seen) {
      return f.Invalid("id", "duplicate rule id \"" + r.id + "\" (first defined at " +
                                 seen->at.ToString() + ")");
    }
    read.push_back(std::move(r));
  }
  for (Rule& r : read) into.rules.push_back(std::move(r));
  into.sources.push_back(name + " " + version + " (" + file + ")");
  return OkStatus();
}

bool Fires(const Rule& rule, const FactValues& facts, std::vector<std::string>* why) {
  return rule.condition->Eval(facts, why);
}

}  // namespace vigil::threat
