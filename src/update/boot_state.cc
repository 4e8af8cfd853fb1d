#include "vigil/update/boot_state.h"

#include <array>
#include <nlohmann/json.hpp>

#include "json_fields.h"
#include "vigil/core/encoding.h"

namespace vigil::update {
namespace {

using internal::Field;
using nlohmann::json;

constexpr const char* kFormat = "vigil-boot-state/1";
constexpr std::array<std::pair<SlotStatus, const char*>, 5> kStatusNames = {{
    {SlotStatus::kEmpty, "empty"},
    {SlotStatus::kWriting, "writing"},
    {SlotStatus::kVerified, "verified"},
    {SlotStatus::kGood, "good"},
    {SlotStatus::kFailed, "failed"},
}};

Result<std::string> SlotName(const Field& f) {
  VIGIL_ASSIGN_OR_RETURN(std::string name, f.String());
  if (name != "a" && name != "b")
    return f.Invalid("expected \"a\" or \"b\", found \"" + name + "\"");
  return name;
}

// Whether required member `key` of `parent` is null (InvalidArgument if it is missing).
Result<bool> IsNull(const Field& parent, const std::string& key) {
  if (!parent.Has(key)) return parent.Child(key).Invalid("required field missing (null if unset)");
  return parent.value().at(key).is_null();
}

// Member `key`: either null or a slot name.
Result<std::optional<std::string>> OptionalSlot(const Field& parent, const std::string& key) {
  VIGIL_ASSIGN_OR_RETURN(bool null, IsNull(parent, key));
  if (null) return std::optional<std::string>();
  VIGIL_ASSIGN_OR_RETURN(std::string name, SlotName(parent.Child(key)));
  return std::optional<std::string>(name);
}

Result<SlotStatus> ParseStatus(const Field& f) {
  VIGIL_ASSIGN_OR_RETURN(std::string text, f.String());
  for (const auto& [status, name] : kStatusNames) {
    if (text == name) return status;
  }
  return f.Invalid("expected empty, writing, verified, good or failed, found \"" + text + "\"");
}

Result<std::map<std::string, Bytes>> ParseHashes(const Field& f) {
  VIGIL_ASSIGN_OR_RETURN(auto out, internal::ReadHashes(f));
  if (out.empty()) return f.Invalid("expected at least one hash");
  return out;
}

Result<SlotRecord> ParseSlot(const Field& f) {
  VIGIL_RETURN_IF_ERROR(f.ExpectObject());
  SlotRecord r;
  VIGIL_ASSIGN_OR_RETURN(r.status, ParseStatus(f.Child("status")));
  if (r.status == SlotStatus::kEmpty) return r;
  VIGIL_ASSIGN_OR_RETURN(r.target, f.Child("target").String());
  if (r.status == SlotStatus::kWriting) return r;  // content undefined: no image fields
  VIGIL_ASSIGN_OR_RETURN(r.length, f.Child("length").Integer());
  VIGIL_ASSIGN_OR_RETURN(r.hashes, ParseHashes(f.Child("hashes")));
  VIGIL_ASSIGN_OR_RETURN(r.release, f.Child("release").PositiveInteger());
  VIGIL_ASSIGN_OR_RETURN(r.security_version, f.Child("security_version").Integer());
  return r;
}

Result<std::optional<TrialBoot>> ParseTrial(const Field& parent) {
  VIGIL_ASSIGN_OR_RETURN(bool null, IsNull(parent, "trial"));
  if (null) return std::optional<TrialBoot>();
  Field f = parent.Child("trial");
  VIGIL_RETURN_IF_ERROR(f.ExpectObject());
  TrialBoot t;
  VIGIL_ASSIGN_OR_RETURN(t.slot, SlotName(f.Child("slot")));
  VIGIL_ASSIGN_OR_RETURN(uint64_t left, f.Child("attempts_left").Integer());
  if (left > 1000) return f.Child("attempts_left").Invalid("expected at most 1000");
  t.attempts_left = static_cast<uint32_t>(left);
  return std::optional<TrialBoot>(t);
}

// Cross-field rules: what a committed or trial slot must be.
Status CheckConsistent(const BootState& s, const Field& f) {
  if (s.committed && s.slots.at(*s.committed).status != SlotStatus::kGood) {
    return f.Child("committed")
        .Invalid("the committed slot " + *s.committed + " must have status good");
  }
  if (s.trial) {
    if (s.slots.at(s.trial->slot).status != SlotStatus::kVerified) {
      return f.Child("trial").Invalid("the trial slot " + s.trial->slot +
                                      " must have status verified");
    }
    if (s.committed == s.trial->slot) {
      return f.Child("trial").Invalid("the trial slot cannot be the committed slot");
    }
  }
  return OkStatus();
}

json SlotJson(const SlotRecord& r) {
  json j = {{"status", SlotStatusName(r.status)}};
  if (r.status == SlotStatus::kEmpty) return j;
  j["target"] = r.target;
  if (r.status == SlotStatus::kWriting) return j;
  j["length"] = r.length;
  j["hashes"] = json::object();
  for (const auto& [name, digest] : r.hashes) j["hashes"][name] = HexEncode(digest);
  j["release"] = r.release;
  j["security_version"] = r.security_version;
  return j;
}

}  // namespace

std::string_view SlotStatusName(SlotStatus status) {
  for (const auto& [s, name] : kStatusNames) {
    if (s == status) return name;
  }
  return "unknown";
}

BootState BootState::Initial() {
  BootState s;
  s.slots["a"] = SlotRecord{};
  s.slots["b"] = SlotRecord{};
  return s;
}

Result<BootState> BootState::Parse(ByteView bytes, const std::string& where) {
  VIGIL_ASSIGN_OR_RETURN(json doc, internal::ParseStateDocument(bytes, where, kFormat));
  Field f(doc, where);
  BootState s;
  VIGIL_ASSIGN_OR_RETURN(s.generation, f.Child("generation").Integer());
  VIGIL_ASSIGN_OR_RETURN(s.committed, OptionalSlot(f, "committed"));
  VIGIL_ASSIGN_OR_RETURN(s.booted, OptionalSlot(f, "booted"));
  VIGIL_ASSIGN_OR_RETURN(s.trial, ParseTrial(f));
  Field slots = f.Child("slots");
  VIGIL_RETURN_IF_ERROR(slots.ExpectObject());
  if (slots.value().size() != 2) return slots.Invalid("expected exactly the slots a and b");
  for (const char* name : {"a", "b"}) {
    VIGIL_ASSIGN_OR_RETURN(s.slots[name], ParseSlot(slots.Child(name)));
  }
  VIGIL_RETURN_IF_ERROR(CheckConsistent(s, f));
  return s;
}

Bytes BootState::Serialize() const {
  auto opt = [](const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); };
  json j = {{"format", kFormat},
            {"generation", generation},
            {"committed", opt(committed)},
            {"booted", opt(booted)},
            {"trial", trial ? json{{"slot", trial->slot}, {"attempts_left", trial->attempts_left}}
                            : json(nullptr)},
            {"slots", json::object()}};
  for (const auto& [name, record] : slots) j["slots"][name] = SlotJson(record);
  return ToBytes(j.dump(1) + "\n");
}

}  // namespace vigil::update
