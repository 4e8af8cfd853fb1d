// InstallerConfig (slots.json) reader and writer.
#include "internal/state_json.h"
#include "vigil/core/json.h"
#include "vigil/update/installer.h"

namespace vigil::update {
namespace {

using Field = json::Node;

constexpr const char* kFormat = "vigil-slots/1";

Result<SlotSpec> ParseSlotSpec(const Field& f) {
  VIGIL_RETURN_IF_ERROR(f.ExpectObject());
  SlotSpec s;
  VIGIL_ASSIGN_OR_RETURN(s.kind, f.Get("kind").String());
  VIGIL_ASSIGN_OR_RETURN(s.path, f.Get("path").String());
  if (s.path.empty()) return f.Get("path").Invalid("expected a non-empty path");
  if (s.kind == "image") {
    VIGIL_ASSIGN_OR_RETURN(s.capacity, f.Get("capacity").UInt(1));
  } else if (s.kind != "dir") {
    return f.Get("kind").Invalid("expected \"dir\" or \"image\", found \"" + s.kind + "\"");
  }
  return s;
}

}  // namespace

Result<InstallerConfig> InstallerConfig::Parse(ByteView bytes, const std::string& where) {
  VIGIL_ASSIGN_OR_RETURN(json::Value doc, internal::ParseStateDocument(bytes, where, kFormat));
  Field f(doc, where);
  InstallerConfig c;
  VIGIL_ASSIGN_OR_RETURN(uint64_t attempts, f.Get("trial_attempts").UInt(1));
  if (attempts > 100) return f.Get("trial_attempts").Invalid("expected at most 100");
  c.trial_attempts = static_cast<uint32_t>(attempts);
  VIGIL_ASSIGN_OR_RETURN(c.verify_on_boot, f.Get("verify_on_boot").Bool());
  Field slots = f.Get("slots");
  VIGIL_RETURN_IF_ERROR(slots.ExpectObject());
  if (slots.size() != 2) return slots.Invalid("expected exactly the slots a and b");
  for (const char* name : {"a", "b"}) {
    VIGIL_ASSIGN_OR_RETURN(c.slots[name], ParseSlotSpec(slots.Get(name)));
  }
  if (c.slots["a"].path == c.slots["b"].path) {
    return slots.Invalid("slots a and b must not share the path \"" + c.slots["a"].path + "\"");
  }
  return c;
}

Bytes InstallerConfig::Serialize() const {
  json::Value j = json::Value::MakeObject();
  j.Set("format", kFormat);
  j.Set("trial_attempts", trial_attempts);
  j.Set("verify_on_boot", verify_on_boot);
  json::Value& out = j.Set("slots", json::Value::MakeObject());
  for (const auto& [name, s] : slots) {
    json::Value& slot = out.Set(name, json::Value::MakeObject());
    slot.Set("kind", s.kind);
    slot.Set("path", s.path);
    if (s.kind == "image") slot.Set("capacity", s.capacity);
  }
  return internal::StateFileBytes(j);
}

}  // namespace vigil::update
