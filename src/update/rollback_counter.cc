#include "vigil/update/rollback_counter.h"

#include <nlohmann/json.hpp>

#include "json_fields.h"

namespace vigil::update {
namespace {
constexpr const char* kFormat = "vigil-rollback-counter/1";
}  // namespace

Result<uint64_t> RollbackCounter::Parse(ByteView bytes, const std::string& where) {
  VIGIL_ASSIGN_OR_RETURN(nlohmann::json doc, internal::ParseStateDocument(bytes, where, kFormat));
  internal::Field f(doc, where);
  return f.Child("security_version").Integer();
}

Bytes RollbackCounter::Serialize(uint64_t value) {
  return ToBytes(nlohmann::json{{"format", kFormat}, {"security_version", value}}.dump() + "\n");
}

Status RollbackCounter::Provision(Env* env, const std::string& path, uint64_t initial) {
  if (env->FileExists(path)) {
    return AlreadyExistsError(path + ": the anti-rollback counter is already provisioned");
  }
  return env->WriteFileAtomic(path, Serialize(initial));
}

Result<RollbackCounter> RollbackCounter::Open(Env* env, const std::string& path) {
  if (!env->FileExists(path)) {
    return NotFoundError(path + ": anti-rollback counter missing (never read as 0; provision the " +
                         "device or restore the file)");
  }
  VIGIL_ASSIGN_OR_RETURN(Bytes bytes,
                         env->ReadFileLimited(path, kMaxFileBytes, "an anti-rollback counter"));
  auto value = Parse(bytes, path);
  if (!value) return DataLossError(value.error().message());
  return RollbackCounter(env, path, *value);
}

Status RollbackCounter::RaiseTo(uint64_t security_version) {
  if (security_version <= value_) return OkStatus();
  VIGIL_RETURN_IF_ERROR(env_->WriteFileAtomic(path_, Serialize(security_version)));
  value_ = security_version;
  return OkStatus();
}

}  // namespace vigil::update
