#include "vigil/update/boot_state.h"

#include <array>

#include "internal/state_json.h"
#include "vigil/core/encoding.h"
#include "vigil/core/json.h"

namespace vigil::update {
namespace {

using Field = json::Node;

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
  Field member = parent.Get(key);
  if (!member.present()) return member.Invalid("required field missing (null if unset)");
  return member.value().is_null();
}

// Member `key`: either null or a slot name.
Result<std::optional<std::string>> OptionalSlot(const Field& parent, const std::string& key) {
  VIGIL_ASSIGN_OR_RETURN(bool null, IsNull(parent, key));
  if (null) return std::optional<std::string>();
  VIGIL_ASSIGN_OR_RETURN(std::string name, SlotName(parent.Get(key)));
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
  VIGIL_ASSIGN_OR_RETURN(r.status, ParseStatus(f.Get("status")));
  if (r.status == SlotStatus::kEmpty) return r;
  VIGIL_ASSIGN_OR_RETURN(r.target, f.Get("target").String());
  if (r.status == SlotStatus::kWriting) return r;  // content undefined: no image fields
  VIGIL_ASSIGN_OR_RETURN(r.length, f.Get("length").UInt());
  VIGIL_ASSIGN_OR_RETURN(r.hashes, ParseHashes(f.Get("hashes")));
  VIGIL_ASSIGN_OR_RETURN(r.release, f.Get("release").UInt(1));
  VIGIL_ASSIGN_OR_RETURN(r.security_version, f.Get("security_version").UInt());
  return r;
}

Result<std::optional<TrialBoot>> ParseTrial(const Field& parent) {
  VIGIL_ASSIGN_OR_RETURN(bool null, IsNull(parent, "trial"));
  if (null) return std::optional<TrialBoot>();
  Field f = parent.Get("trial");
  VIGIL_RETURN_IF_ERROR(f.ExpectObject());
  TrialBoot t;
  VIGIL_ASSIGN_OR_RETURN(t.slot, SlotName(f.Get("slot")));
  VIGIL_ASSIGN_OR_RETURN(uint64_t left, f.Get("attempts_left").UInt());
  if (left > 1000) return f.Get("attempts_left").Invalid("expected at most 1000");
  t.attempts_left = static_cast<uint32_t>(left);
  return std::optional<TrialBoot>(t);
}

// Cross-field rules: what a committed or trial slot must be.
Status CheckConsistent(const BootState& s, const Field& f) {
  if (s.committed && s.slots.at(*s.committed).status != SlotStatus::kGood) {
    return f.Get("committed")
        .Invalid("the committed slot " + *s.committed + " must have status good");
  }
  if (s.trial) {
    if (s.slots.at(s.trial->slot).status != SlotStatus::kVerified) {
      return f.Get("trial").Invalid("the trial slot " + s.trial->slot +
                                      " must have status verified");
    }
    if (s.committed == s.trial->slot) {
      return f.Get("trial").Invalid("the trial slot cannot be the committed slot");
    }
  }
  return OkStatus();
}

json::Value SlotJson(const SlotRecord& r) {
  json::Value j = json::Value::MakeObject();
  j.Set("status", SlotStatusName(r.status));
  if (r.status == SlotStatus::kEmpty) return j;
  j.Set("target", r.target);
  if (r.status == SlotStatus::kWriting) return j;
  j.Set("length", r.length);
  json::Value& hashes = j.Set("hashes", json::Value::MakeObject());
  for (const auto& [name, digest] : r.hashes) hashes.Set(name, HexEncode(digest));
  j.Set("release", r.release);
  j.Set("security_version", r.security_version);
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
  VIGIL_ASSIGN_OR_RETURN(json::Value doc, internal::ParseStateDocument(bytes, where, kFormat));
  Field f(doc, where);
  BootState s;
  VIGIL_ASSIGN_OR_RETURN(s.generation, f.Get("generation").UInt());
  VIGIL_ASSIGN_OR_RETURN(s.committed, OptionalSlot(f, "committed"));
  VIGIL_ASSIGN_OR_RETURN(s.booted, OptionalSlot(f, "booted"));
  VIGIL_ASSIGN_OR_RETURN(s.trial, ParseTrial(f));
  Field slots = f.Get("slots");
  VIGIL_RETURN_IF_ERROR(slots.ExpectObject());
  if (slots.size() != 2) return slots.Invalid("expected exactly the slots a and b");
  for (const char* name : {"a", "b"}) {
    VIGIL_ASSIGN_OR_RETURN(s.slots[name], ParseSlot(slots.Get(name)));
  }
  VIGIL_RETURN_IF_ERROR(CheckConsistent(s, f));
  return s;
}

Bytes BootState::Serialize() const {
  auto opt = [](const std::optional<std::string>& v) {
    return v ? json::Value(*v) : json::Value(nullptr);
  };
  json::Value j = json::Value::MakeObject();
  j.Set("format", kFormat);
  j.Set("generation", generation);
  j.Set("committed", opt(committed));
  j.Set("booted", opt(booted));
  json::Value& t = j.Set("trial", nullptr);
  if (trial) {
    t = json::Value::MakeObject();
    t.Set("slot", trial->slot);
    t.Set("attempts_left", trial->attempts_left);
  }
  json::Value& out = j.Set("slots", json::Value::MakeObject());
  for (const auto& [name, record] : slots) out.Set(name, SlotJson(record));
  return internal::StateFileBytes(j);
}

}  // namespace vigil::update
