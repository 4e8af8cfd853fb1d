#include "vigil/update/rollback_counter.h"

#include "internal/state_json.h"
#include "vigil/core/json.h"

namespace vigil::update {
namespace {
constexpr const char* kFormat = "vigil-rollback-counter/1";
}  // namespace

Result<uint64_t> RollbackCounter::Parse(ByteView bytes, const std::string& where) {
  VIGIL_ASSIGN_OR_RETURN(json::Value doc, internal::ParseStateDocument(bytes, where, kFormat));
  return json::Node(doc, where).Get("security_version").UInt();
}

Bytes RollbackCounter::Serialize(uint64_t value) {
  json::Value j = json::Value::MakeObject();
  j.Set("format", kFormat);
  j.Set("security_version", value);
  return internal::StateFileBytes(j);
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
