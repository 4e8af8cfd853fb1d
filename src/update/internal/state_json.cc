#include "internal/state_json.h"

#include "vigil/core/encoding.h"
#include "vigil/update/canonical_json.h"

namespace vigil::update::internal {

Result<std::map<std::string, Bytes>> ReadHashes(const json::Node& f) {
  VIGIL_RETURN_IF_ERROR(f.ExpectObject());
  std::map<std::string, Bytes> out;
  Status each = f.ForEachMember([&](std::string_view name, const json::Node& h) -> Status {
    VIGIL_ASSIGN_OR_RETURN(std::string_view hex, h.StringView());
    auto digest = HexDecode(hex);
    if (!digest || digest->empty()) return h.Invalid("expected a non-empty hex digest");
    out.emplace(name, std::move(*digest));
    return OkStatus();
  });
  VIGIL_RETURN_IF_ERROR(each);
  return out;
}

Result<json::Value> ParseStateDocument(ByteView bytes, std::string_view where,
                                       std::string_view format) {
  VIGIL_ASSIGN_OR_RETURN(json::Value doc, ParseStrictJson(AsStringView(bytes), where));
  json::Node f(doc, where);
  VIGIL_ASSIGN_OR_RETURN(std::string_view found, f.Get("format").StringView());
  if (found != format) {
    return f.Get("format").Invalid("expected \"" + std::string(format) + "\", found \"" +
                                   OneLine(found) + "\"");
  }
  return doc;
}

Bytes StateFileBytes(const json::Value& value) { return ToBytes(json::Write(value, 2) + "\n"); }

}  // namespace vigil::update::internal
