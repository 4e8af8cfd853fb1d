// Error values. Vigil reports failures as values, never as exceptions crossing a module
// boundary. An Error carries one code from a small fixed set and a message written for the
// person who must fix the problem: where (file, field, index), what was expected, what was found.
//
// Thread-safety: Error is a value type; distinct objects may be used from distinct threads.
#ifndef VIGIL_CORE_ERROR_H_
#define VIGIL_CORE_ERROR_H_

#include <string>
#include <string_view>

namespace vigil {

// The fixed set of error codes (STYLE.md). Callers branch on the code, people read the message.
enum class ErrorCode {
  kInvalidArgument,     // input is malformed or out of range; retrying will not help
  kNotFound,            // a named thing (file, key, account, record) does not exist
  kAlreadyExists,       // creating something that exists
  kFailedPrecondition,  // the system is not in a state that allows the operation
  kPermissionDenied,    // authenticated, but not allowed
  kUnauthenticated,     // identity not established, or a signature/tag did not verify
  kDataLoss,            // stored data is corrupt or truncated
  kUnavailable,         // a transient failure (I/O, peer down); retrying may help
  kResourceExhausted,   // a limit was reached (disk full, key exhausted, throttled)
  kInternal,            // a bug or an invariant broken inside Vigil
};

// Stable lower-case name of a code, e.g. "invalid_argument".
std::string_view ErrorCodeName(ErrorCode code);

class Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "<context>: <message>", for adding the file name or field
  // path as an error travels outwards.
  Error WithContext(std::string_view context) const;

  // "<code name>: <message>", for logs and the command line.
  std::string ToString() const;

  friend bool operator==(const Error& a, const Error& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  ErrorCode code_;
  std::string message_;
};

// Shorthands, one per code.
inline Error InvalidArgumentError(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
inline Error NotFoundError(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
inline Error AlreadyExistsError(std::string m) { return {ErrorCode::kAlreadyExists, std::move(m)}; }
inline Error FailedPreconditionError(std::string m) {
  return {ErrorCode::kFailedPrecondition, std::move(m)};
}
inline Error PermissionDeniedError(std::string m) {
  return {ErrorCode::kPermissionDenied, std::move(m)};
}
inline Error UnauthenticatedError(std::string m) {
  return {ErrorCode::kUnauthenticated, std::move(m)};
}
inline Error DataLossError(std::string m) { return {ErrorCode::kDataLoss, std::move(m)}; }
inline Error UnavailableError(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }
inline Error ResourceExhaustedError(std::string m) {
  return {ErrorCode::kResourceExhausted, std::move(m)};
}
inline Error InternalError(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

}  // namespace vigil

#endif  // VIGIL_CORE_ERROR_H_
