// CPE 2.3 formatted-string names (NISTIR 7695 §6.2), e.g.
//   cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*
//
// Cpe::Parse checks the binding exactly: the "cpe:2.3:" prefix, eleven ':'-separated
// attributes (part, vendor, product, version, update, edition, language, sw_edition,
// target_sw, target_hw, other), part one of a/o/h (or ANY/NA), '\'-escapes only before
// punctuation, the unquoted wildcards '*' and '?' only at the start or end of a value, and the
// language attribute as an RFC 5646 tag (2–3 letters, optional region). "*" alone is ANY,
// "-" alone is NA. Values are case-insensitive and folded to lower case.
//
// Each attribute keeps its bound (escaped) form, so wildcards stay distinguishable from
// escaped '*'/'?', plus an unescaped form for display and comparison with package versions.
//
// Failure: InvalidArgument naming the attribute and the problem, e.g.
// "cpe 'cpe:2.3:x:…': part: expected a, o, h, * or -, got 'x'".
//
// Thread-safety: immutable value type.
#ifndef VIGIL_SBOM_CPE_H_
#define VIGIL_SBOM_CPE_H_

#include <array>
#include <string>
#include <string_view>

#include "vigil/core/result.h"

namespace vigil::sbom {

// One CPE attribute value.
class CpeValue {
 public:
  enum class Kind { kAny, kNa, kValue };

  Kind kind() const { return kind_; }
  bool is_any() const { return kind_ == Kind::kAny; }
  bool is_na() const { return kind_ == Kind::kNa; }
  // The formatted-string form: "*", "-", or the value with its escapes ("1.0\\:beta").
  const std::string& bound() const { return bound_; }
  // The value with escapes removed (empty for ANY/NA). Wildcards stay as '*'/'?'.
  const std::string& unescaped() const { return unescaped_; }
  // True when the value carries an unquoted '*' or '?' (a pattern, not a single value).
  bool has_wildcard() const { return has_wildcard_; }

  friend bool operator==(const CpeValue& a, const CpeValue& b) { return a.bound_ == b.bound_; }

 private:
  friend class Cpe;
  Kind kind_ = Kind::kAny;
  std::string bound_ = "*";
  std::string unescaped_;
  bool has_wildcard_ = false;
};

class Cpe {
 public:
  enum Attribute {
    kPart,
    kVendor,
    kProduct,
    kVersion,
    kUpdate,
    kEdition,
    kLanguage,
    kSwEdition,
    kTargetSw,
    kTargetHw,
    kOther,
    kAttributeCount
  };

  // Parses a CPE 2.3 formatted string. Fails (InvalidArgument) on any deviation from the
  // binding grammar described above.
  static Result<Cpe> Parse(std::string_view text);

  const CpeValue& get(Attribute a) const { return values_[a]; }
  const CpeValue& part() const { return values_[kPart]; }
  const CpeValue& vendor() const { return values_[kVendor]; }
  const CpeValue& product() const { return values_[kProduct]; }
  const CpeValue& version() const { return values_[kVersion]; }
  const CpeValue& update() const { return values_[kUpdate]; }

  // Name of an attribute as NISTIR 7695 writes it ("sw_edition").
  static std::string_view AttributeName(Attribute a);

  // The canonical (lower-case) formatted string.
  std::string ToString() const;

  friend bool operator==(const Cpe& a, const Cpe& b) { return a.values_ == b.values_; }

 private:
  Cpe() = default;
  // Checks and unescapes one lower-cased attribute value.
  static Result<CpeValue> ParseValue(std::string_view bound);
  std::array<CpeValue, kAttributeCount> values_;
};

}  // namespace vigil::sbom

#endif  // VIGIL_SBOM_CPE_H_
