// The identity state reader (IdentityService::Open) on arbitrary file contents: never crashes;
// a refusal is DataLoss in one line naming the file; an accepted state opens the same way twice
// and reports the same break-glass reviews.
#include <cstddef>
#include <cstdint>
#include <string>

#include "vigil/core/fault_env.h"
#include "vigil/identity/identity_service.h"

namespace {

constexpr char kPath[] = "/etc/identity.json";

class DiscardingSink final : public vigil::audit::EventSink {
 public:
  vigil::Status Record(vigil::audit::Event) override { return vigil::OkStatus(); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vigil::FaultInjectingEnv env;
  if (!env.CreateDir("/etc") || !env.WriteFileAtomic(kPath, vigil::ByteView(data, size))) {
    __builtin_trap();
  }
  DiscardingSink sink;
  vigil::identity::IdentityOptions options;
  options.state_key = vigil::crypto::SecretBytes::CopyFrom(vigil::Bytes(32, 0x5a));
  auto s = vigil::identity::IdentityService::Open(env, kPath, sink, options);
  if (!s) {
    const std::string& m = s.error().message();
    if (s.error().code() != vigil::ErrorCode::kDataLoss ||
        m.rfind(std::string(kPath) + ": ", 0) != 0 || m.find('\n') != std::string::npos) {
      __builtin_trap();
    }
    return 0;
  }
  auto again = vigil::identity::IdentityService::Open(env, kPath, sink, options);
  if (!again) __builtin_trap();
  auto a = (*s)->PendingReviews();
  auto b = (*again)->PendingReviews();
  if (a.size() != b.size() || (*s)->provisioned() != (*again)->provisioned()) __builtin_trap();
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].id != b[i].id || a[i].account != b[i].account || a[i].closed) __builtin_trap();
  }
  return 0;
}
