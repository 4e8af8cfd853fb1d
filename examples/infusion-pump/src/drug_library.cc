#include "drug_library.h"

#include <algorithm>
#include <set>

#include "vigil/core/encoding.h"
#include "vigil/core/json.h"
#include "vigil/crypto/mac.h"

namespace pump {
namespace {

using vigil::Result;
using vigil::Status;
using vigil::json::Node;

// Domain separation: a tag made for anything else under the same key never verifies here.
constexpr std::string_view kMacLabel = "vigil-pump drug library v1\n";
constexpr size_t kMaxDrugs = 2000;

vigil::Bytes Labelled(vigil::ByteView library_bytes) {
  vigil::Bytes data(kMacLabel.begin(), kMacLabel.end());
  data.insert(data.end(), library_bytes.begin(), library_bytes.end());
  return data;
}

Status CheckKey(const vigil::crypto::SecretBytes& key) {
  if (key.size() == DrugLibrary::kKeyBytes) return vigil::OkStatus();
  return vigil::InvalidArgumentError("drug library key: expected " +
                                     std::to_string(DrugLibrary::kKeyBytes) + " bytes, found " +
                                     std::to_string(key.size()));
}

bool IsDrugId(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// A positive quantity in µL or µL/h, at most 10^9 (1000 L: far above any pump, far below
// overflow in the delivery arithmetic).
Result<int64_t> Quantity(const Node& node) {
  VIGIL_ASSIGN_OR_RETURN(uint64_t v, node.UInt(1));
  if (v > 1'000'000'000)
    return node.Invalid("expected at most 1000000000, found " + std::to_string(v));
  return static_cast<int64_t>(v);
}

Result<RateLimits> ParseLimits(const Node& node) {
  VIGIL_RETURN_IF_ERROR(node.ExpectObject());
  VIGIL_RETURN_IF_ERROR(node.RefuseUnknown({"hard_min", "soft_min", "soft_max", "hard_max"}));
  RateLimits l;
  VIGIL_ASSIGN_OR_RETURN(l.hard_min, Quantity(node.Get("hard_min")));
  VIGIL_ASSIGN_OR_RETURN(l.soft_min, Quantity(node.Get("soft_min")));
  VIGIL_ASSIGN_OR_RETURN(l.soft_max, Quantity(node.Get("soft_max")));
  VIGIL_ASSIGN_OR_RETURN(l.hard_max, Quantity(node.Get("hard_max")));
  const std::pair<int64_t, int64_t> order[] = {
      {l.hard_min, l.soft_min}, {l.soft_min, l.soft_max}, {l.soft_max, l.hard_max}};
  for (const auto& [low, high] : order) {
    if (low > high) {
      return node.Invalid("expected hard_min <= soft_min <= soft_max <= hard_max, found " +
                          std::to_string(l.hard_min) + ", " + std::to_string(l.soft_min) + ", " +
                          std::to_string(l.soft_max) + ", " + std::to_string(l.hard_max));
    }
  }
  return l;
}

Result<Drug> ParseDrug(const Node& node) {
  VIGIL_RETURN_IF_ERROR(node.ExpectObject());
  VIGIL_RETURN_IF_ERROR(node.RefuseUnknown({"id", "name", "rate_ul_h", "max_volume_ul"}));
  Drug drug;
  VIGIL_ASSIGN_OR_RETURN(drug.id, node.Get("id").String());
  if (!IsDrugId(drug.id)) {
    return node.Get("id").Invalid("expected 1 to 64 of [a-z0-9-], found \"" +
                                  vigil::OneLine(drug.id) + "\"");
  }
  VIGIL_ASSIGN_OR_RETURN(drug.name, node.Get("name").String());
  if (drug.name.empty() || drug.name.size() > 128) {
    return node.Get("name").Invalid("expected 1 to 128 bytes, found " +
                                    std::to_string(drug.name.size()));
  }
  VIGIL_ASSIGN_OR_RETURN(drug.rate_ul_h, ParseLimits(node.Get("rate_ul_h")));
  VIGIL_ASSIGN_OR_RETURN(drug.max_volume_ul, Quantity(node.Get("max_volume_ul")));
  return drug;
}

}  // namespace

Result<DrugLibrary> DrugLibrary::Parse(std::string_view text, std::string_view source) {
  vigil::json::Limits limits;
  limits.max_bytes = kMaxBytes;
  limits.max_depth = 8;
  VIGIL_ASSIGN_OR_RETURN(vigil::json::Value doc, vigil::json::Parse(text, source, limits));
  Node root(doc, source);
  VIGIL_RETURN_IF_ERROR(root.ExpectObject());
  VIGIL_RETURN_IF_ERROR(root.RefuseUnknown({"format", "version", "drugs"}));
  VIGIL_ASSIGN_OR_RETURN(std::string format, root.Get("format").String());
  if (format != "vigil-pump-drug-library/1") {
    return root.Get("format").Invalid("expected \"vigil-pump-drug-library/1\", found \"" +
                                      vigil::OneLine(format) + "\"");
  }
  DrugLibrary library;
  VIGIL_ASSIGN_OR_RETURN(library.version_, root.Get("version").UInt(1));
  VIGIL_ASSIGN_OR_RETURN(std::vector<Node> drugs, root.Get("drugs").Elements());
  if (drugs.empty() || drugs.size() > kMaxDrugs) {
    return root.Get("drugs").Invalid("expected 1 to " + std::to_string(kMaxDrugs) +
                                     " drugs, found " + std::to_string(drugs.size()));
  }
  std::set<std::string> seen;
  for (const Node& node : drugs) {
    VIGIL_ASSIGN_OR_RETURN(Drug drug, ParseDrug(node));
    if (!seen.insert(drug.id).second) {
      return node.Get("id").Invalid("duplicate drug id \"" + drug.id + "\"");
    }
    library.drugs_.push_back(std::move(drug));
  }
  return library;
}

Result<std::string> DrugLibrary::Seal(const vigil::crypto::SecretBytes& key,
                                      vigil::ByteView library_bytes) {
  VIGIL_RETURN_IF_ERROR(CheckKey(key));
  return vigil::HexEncode(vigil::crypto::HmacSha256(key.Reveal(), Labelled(library_bytes)));
}

Result<DrugLibrary> DrugLibrary::Load(vigil::Env& env, const std::string& path,
                                      const vigil::crypto::SecretBytes& key) {
  VIGIL_RETURN_IF_ERROR(CheckKey(key));
  VIGIL_ASSIGN_OR_RETURN(vigil::Bytes bytes,
                         env.ReadFileLimited(path, kMaxBytes, "a drug library"));
  const std::string mac_path = path + ".mac";
  VIGIL_ASSIGN_OR_RETURN(vigil::Bytes mac_text,
                         env.ReadFileLimited(mac_path, 256, "a drug library tag"));
  std::string_view hex = vigil::AsStringView(mac_text);
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r')) hex.remove_suffix(1);
  Result<vigil::Bytes> tag = vigil::HexDecode(hex);
  if (!tag || tag->size() != 32) {
    return vigil::DataLossError(mac_path + ": expected 64 hex digits (HMAC-SHA-256), found \"" +
                                vigil::OneLine(hex) + "\"");
  }
  if (!vigil::crypto::VerifyHmacSha256(key.Reveal(), Labelled(bytes), *tag)) {
    return vigil::UnauthenticatedError(
        path +
        ": the drug library's integrity tag does not match (the library was changed, or "
        "sealed under another pump's key): refused");
  }
  return Parse(vigil::AsStringView(bytes), path);
}

const Drug* DrugLibrary::Find(std::string_view id) const {
  for (const Drug& drug : drugs_) {
    if (drug.id == id) return &drug;
  }
  return nullptr;
}

}  // namespace pump
