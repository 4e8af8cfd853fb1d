// Boxed<T>: an optional value kept on the heap, with value semantics (copies copy the value).
//
// For large, usually-absent members of records held by the hundred thousand: an SBOM component's
// parsed CPE is 880 bytes inline in std::optional whether or not the component has one, and a
// 300,000-component SBOM's model paid ~490 MiB for mostly-empty optionals; boxed, an absent value
// costs one pointer. The interface is the part of std::optional Vigil uses.
//
// Thread-safety: as the value type's.
#ifndef VIGIL_CORE_BOXED_H_
#define VIGIL_CORE_BOXED_H_

#include <memory>
#include <optional>
#include <utility>

namespace vigil {

template <typename T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(std::nullopt_t) {}  // NOLINT(google-explicit-constructor): as std::optional
  Boxed(T value) : p_(std::make_unique<T>(std::move(value))) {}  // NOLINT: as std::optional
  Boxed(std::optional<T> value) {  // NOLINT(google-explicit-constructor): as std::optional
    if (value) p_ = std::make_unique<T>(std::move(*value));
  }
  Boxed(const Boxed& other) : p_(other.p_ ? std::make_unique<T>(*other.p_) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& other) {
    if (this != &other) p_ = other.p_ ? std::make_unique<T>(*other.p_) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;
  Boxed& operator=(std::nullopt_t) {
    p_.reset();
    return *this;
  }

  bool has_value() const { return p_ != nullptr; }
  explicit operator bool() const { return p_ != nullptr; }
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }
  void reset() { p_.reset(); }
  template <typename... Args>
  T& emplace(Args&&... args) {
    p_ = std::make_unique<T>(std::forward<Args>(args)...);
    return *p_;
  }

  friend bool operator==(const Boxed& a, const Boxed& b) {
    return a.p_ && b.p_ ? *a.p_ == *b.p_ : a.p_ == b.p_;
  }
  friend bool operator==(const Boxed& a, std::nullopt_t) { return !a.p_; }

 private:
  std::unique_ptr<T> p_;
};

}  // namespace vigil

#endif  // VIGIL_CORE_BOXED_H_
