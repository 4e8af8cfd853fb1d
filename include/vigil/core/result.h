// Result<T>: a value of type T or an Error, with the subset of std::expected's interface that
// Vigil uses (has_value, operator bool, value, operator*, operator->, error, value_or). Status is
// Result<void>. Both are [[nodiscard]]: a failure cannot be dropped silently.
//
// libstdc++ 12 offers std::expected to GCC in C++23 mode only and not to Clang, so this type is
// ours; it differs from std::expected in one way: it converts implicitly from Error (no
// std::unexpected wrapper), which keeps `return InvalidArgumentError(...)` short.
//
// Accessing value() of a failed Result, or error() of a successful one, is a programming error
// and aborts with the error's message (it never throws).
//
// Thread-safety: a value type, as thread-safe as T.
#ifndef VIGIL_CORE_RESULT_H_
#define VIGIL_CORE_RESULT_H_

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "vigil/core/error.h"

namespace vigil {

namespace internal {
[[noreturn]] void ResultAccessFailure(const Error* error);
}  // namespace internal

template <typename T>
class [[nodiscard]] Result {
 public:
  using value_type = T;
  using error_type = Error;

  // Success. Accepts anything T can be constructed from, except Error.
  template <typename U = T,
            typename = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                        !std::is_same_v<std::decay_t<U>, Error> &&
                                        !std::is_same_v<std::decay_t<U>, Result>>>
  Result(U&& value) : state_(std::in_place_index<0>, std::forward<U>(value)) {}  // NOLINT
  // Failure.
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { Check(); return std::get<0>(state_); }
  const T& value() const& { Check(); return std::get<0>(state_); }
  T&& value() && { Check(); return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    if (has_value()) internal::ResultAccessFailure(nullptr);
    return std::get<1>(state_);
  }
  Error&& error() && {
    if (has_value()) internal::ResultAccessFailure(nullptr);
    return std::get<1>(std::move(state_));
  }

  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(state_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  void Check() const {
    if (!has_value()) internal::ResultAccessFailure(&std::get<1>(state_));
  }
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  using value_type = void;
  using error_type = Error;

  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT

  bool has_value() const { return !error_.has_value(); }
  explicit operator bool() const { return has_value(); }
  void value() const {
    if (error_) internal::ResultAccessFailure(&*error_);
  }
  const Error& error() const& {
    if (!error_) internal::ResultAccessFailure(nullptr);
    return *error_;
  }
  Error&& error() && {
    if (!error_) internal::ResultAccessFailure(nullptr);
    return std::move(*error_);
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

// The success Status, for `return OkStatus();`.
inline Status OkStatus() { return {}; }

}  // namespace vigil

#define VIGIL_INTERNAL_CONCAT_(a, b) a##b
#define VIGIL_INTERNAL_CONCAT(a, b) VIGIL_INTERNAL_CONCAT_(a, b)

// Evaluates `expr` (a Status or Result); returns its Error from the enclosing function on failure.
#define VIGIL_RETURN_IF_ERROR(expr)                                        \
  do {                                                                     \
    auto&& vigil_status_ = (expr);                                         \
    if (!vigil_status_.has_value()) return std::move(vigil_status_).error(); \
  } while (0)

// `VIGIL_ASSIGN_OR_RETURN(auto x, Foo());` declares x from a successful Result, or returns its
// Error from the enclosing function.
#define VIGIL_ASSIGN_OR_RETURN(lhs, expr) \
  VIGIL_INTERNAL_ASSIGN_OR_RETURN(VIGIL_INTERNAL_CONCAT(vigil_result_, __LINE__), lhs, expr)
#define VIGIL_INTERNAL_ASSIGN_OR_RETURN(tmp, lhs, expr) \
  auto tmp = (expr);                                    \
  if (!tmp.has_value()) return std::move(tmp).error();  \
  lhs = std::move(tmp).value()

#endif  // VIGIL_CORE_RESULT_H_
