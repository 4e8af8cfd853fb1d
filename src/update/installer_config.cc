// InstallerConfig (slots.json) reader and writer.
#include <nlohmann/json.hpp>

#include "json_fields.h"
#include "vigil/update/installer.h"

namespace vigil::update {
namespace {

using internal::Field;
using nlohmann::json;

constexpr const char* kFormat = "vigil-slots/1";

Result<SlotSpec> ParseSlotSpec(const Field& f) {
  VIGIL_RETURN_IF_ERROR(f.ExpectObject());
  SlotSpec s;
  VIGIL_ASSIGN_OR_RETURN(s.kind, f.Child("kind").String());
  VIGIL_ASSIGN_OR_RETURN(s.path, f.Child("path").String());
  if (s.path.empty()) return f.Child("path").Invalid("expected a non-empty path");
  if (s.kind == "image") {
    VIGIL_ASSIGN_OR_RETURN(s.capacity, f.Child("capacity").PositiveInteger());
  } else if (s.kind != "dir") {
    return f.Child("kind").Invalid("expected \"dir\" or \"image\", found \"" + s.kind + "\"");
  }
  return s;
}

}  // namespace

Result<InstallerConfig> InstallerConfig::Parse(ByteView bytes, const std::string& where) {
  VIGIL_ASSIGN_OR_RETURN(json doc, internal::ParseStateDocument(bytes, where, kFormat));
  Field f(doc, where);
  InstallerConfig c;
  VIGIL_ASSIGN_OR_RETURN(uint64_t attempts, f.Child("trial_attempts").PositiveInteger());
  if (attempts > 100) return f.Child("trial_attempts").Invalid("expected at most 100");
  c.trial_attempts = static_cast<uint32_t>(attempts);
  VIGIL_ASSIGN_OR_RETURN(c.verify_on_boot, f.Child("verify_on_boot").Bool());
  Field slots = f.Child("slots");
  VIGIL_RETURN_IF_ERROR(slots.ExpectObject());
  if (slots.value().size() != 2) return slots.Invalid("expected exactly the slots a and b");
  for (const char* name : {"a", "b"}) {
    VIGIL_ASSIGN_OR_RETURN(c.slots[name], ParseSlotSpec(slots.Child(name)));
  }
  if (c.slots["a"].path == c.slots["b"].path) {
    return slots.Invalid("slots a and b must not share the path \"" + c.slots["a"].path + "\"");
  }
  return c;
}

Bytes InstallerConfig::Serialize() const {
  json j = {{"format", kFormat},
            {"trial_attempts", trial_attempts},
            {"verify_on_boot", verify_on_boot},
            {"slots", json::object()}};
  for (const auto& [name, s] : slots) {
    j["slots"][name] = {{"kind", s.kind}, {"path", s.path}};
    if (s.kind == "image") j["slots"][name]["capacity"] = s.capacity;
  }
  return ToBytes(j.dump(1) + "\n");
}

}  // namespace vigil::update
