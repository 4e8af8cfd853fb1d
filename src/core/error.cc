#include "vigil/core/error.h"

#include <cstdio>
#include <cstdlib>

#include "vigil/core/result.h"

namespace vigil {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kAlreadyExists: return "already_exists";
    case ErrorCode::kFailedPrecondition: return "failed_precondition";
    case ErrorCode::kPermissionDenied: return "permission_denied";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kDataLoss: return "data_loss";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kResourceExhausted: return "resource_exhausted";
    case ErrorCode::kInternal: return "internal";
  }
  return "unknown";
}

Error Error::WithContext(std::string_view context) const {
  std::string m;
  m.reserve(context.size() + 2 + message_.size());
  m.append(context).append(": ").append(message_);
  return {code_, std::move(m)};
}

std::string Error::ToString() const {
  std::string s(ErrorCodeName(code_));
  s.append(": ").append(message_);
  return s;
}

namespace internal {
// Reaching a value that is not there is a bug in the caller: stop loudly rather than continue
// with garbage, and say which error was ignored.
void ResultAccessFailure(const Error* error) {
  if (error != nullptr) {
    std::fprintf(stderr, "vigil: value() of a failed Result: %s\n", error->ToString().c_str());
  } else {
    std::fprintf(stderr, "vigil: error() of a successful Result\n");
  }
  std::abort();
}
}  // namespace internal

}  // namespace vigil
