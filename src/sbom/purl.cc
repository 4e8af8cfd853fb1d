// Package URL parsing follows the spec's "How to parse a purl string" algorithm: peel the
// subpath (right of '#'), the qualifiers (right of '?'), the scheme, the type, the version
// (right of the last '@') and the name (right of the last '/'), leaving the namespace.
#include "vigil/sbom/purl.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <vector>

#include "vigil/core/encoding.h"

namespace vigil::sbom {
namespace {

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// ASCII only (purl folds ASCII case); inline instead of a locale lookup per character.
void LowerInPlace(std::string& s) {
  for (char& c : s) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  LowerInPlace(out);
  return out;
}

int HexValue(char c) {
  if (IsAsciiDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes into `out` (replacing it): the caller's string is filled in place, so a purl's parts
// are not built aside and moved.
Status PercentDecodeInto(std::string_view s, std::string_view what, std::string& out) {
  if (s.find('%') == std::string_view::npos) {  // most purls: one copy
    out.assign(s);
    return OkStatus();
  }
  out.clear();
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    int hi = i + 2 < s.size() ? HexValue(s[i + 1]) : -1;
    int lo = i + 2 < s.size() ? HexValue(s[i + 2]) : -1;
    if (hi < 0 || lo < 0) {
      return InvalidArgumentError(std::string(what) + ": invalid percent-encoding at offset " +
                                  std::to_string(i));
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return OkStatus();
}

// Keeps the unreserved characters and ':' (the spec's canonical encoder leaves ':' alone);
// '/' is kept only where it separates segments (keep_slash).
std::string PercentEncode(std::string_view s, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (IsAsciiAlpha(ch) || IsAsciiDigit(ch) || ch == '.' || ch == '-' || ch == '_' || ch == '~' ||
        ch == ':' || (keep_slash && ch == '/')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    parts.push_back(s.substr(start, pos - start));
    if (pos == std::string_view::npos) return parts;
    start = pos + 1;
  }
}

// string_view::rfind of one character, through glibc's vectorised memrchr: libstdc++'s rfind
// compares a character at a time, and every component of a large SBOM has a purl.
size_t FindLast(std::string_view s, char c) {
  const void* hit = s.empty() ? nullptr : memrchr(s.data(), c, s.size());
  return hit == nullptr ? std::string_view::npos
                        : static_cast<size_t>(static_cast<const char*>(hit) - s.data());
}

std::string_view TrimSlashes(std::string_view s) {
  while (!s.empty() && s.front() == '/') s.remove_prefix(1);
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  return s;
}

Status CheckType(std::string_view type) {
  if (type.empty()) return InvalidArgumentError("type: missing");
  if (!IsAsciiAlpha(type[0])) {
    return InvalidArgumentError("type '" + std::string(type) + "': must start with a letter");
  }
  for (char c : type) {
    if (!IsAsciiAlpha(c) && !IsAsciiDigit(c) && c != '.' && c != '-' && c != '+') {
      return InvalidArgumentError("type '" + std::string(type) + "': invalid character '" +
                                  std::string(1, c) + "'");
    }
  }
  return OkStatus();
}

Status CheckQualifierKey(std::string_view key) {
  if (key.empty()) return InvalidArgumentError("qualifiers: empty key");
  if (!IsAsciiAlpha(key[0])) {
    return InvalidArgumentError("qualifier key '" + std::string(key) +
                                "': must start with a letter");
  }
  for (char c : key) {
    if (!IsAsciiAlpha(c) && !IsAsciiDigit(c) && c != '.' && c != '-' && c != '_') {
      return InvalidArgumentError("qualifier key '" + std::string(key) + "': invalid character '" +
                                  std::string(1, c) + "'");
    }
  }
  return OkStatus();
}

// Subpath and namespace segments: drop empty segments (and '.'/'..' in subpaths), decode;
// `out` is left empty when no segment remains.
Status DecodeSegmentsInto(std::string_view s, bool is_subpath, std::string_view what,
                          std::optional<std::string>& out) {
  // Nothing to drop or decode (most namespaces): the trimmed text as it is.
  if (std::string_view t = TrimSlashes(s); !is_subpath && t.find('%') == std::string_view::npos &&
                                           t.find("//") == std::string_view::npos) {
    if (!t.empty()) out.emplace(t);
    return OkStatus();
  }
  std::string joined, decoded;
  for (std::string_view seg : Split(TrimSlashes(s), '/')) {
    VIGIL_RETURN_IF_ERROR(PercentDecodeInto(seg, what, decoded));
    // Checked after decoding, so "%2e" cannot smuggle a "." segment into the canonical form.
    if (decoded.empty() || (is_subpath && (decoded == "." || decoded == ".."))) continue;
    if (decoded.find('/') != std::string::npos) {
      return InvalidArgumentError(std::string(what) + ": segment contains an encoded '/'");
    }
    if (!joined.empty()) joined.push_back('/');
    joined += decoded;
  }
  if (!joined.empty()) out = std::move(joined);
  return OkStatus();
}

Result<PackageUrl::Qualifiers> ParseQualifiers(std::string_view s) {
  PackageUrl::Qualifiers out;
  for (std::string_view pair : Split(s, '&')) {
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      return InvalidArgumentError("qualifier '" + std::string(pair) + "': expected key=value");
    }
    std::string key = Lower(pair.substr(0, eq));
    VIGIL_RETURN_IF_ERROR(CheckQualifierKey(key));
    std::string value;
    VIGIL_RETURN_IF_ERROR(PercentDecodeInto(pair.substr(eq + 1), "qualifier " + key, value));
    if (value.empty()) continue;
    if (!out.emplace(key, std::move(value)).second) {
      return InvalidArgumentError("qualifier key '" + key + "': appears twice");
    }
  }
  return out;
}

bool AllOf(std::string_view s, bool (*pred)(char)) { return std::all_of(s.begin(), s.end(), pred); }

Status CheckChromeExtension(const std::string& name, const std::optional<std::string>& version) {
  if (name.size() != 32 || !AllOf(name, [](char c) { return c >= 'a' && c <= 'p'; })) {
    return InvalidArgumentError("chrome-extension name '" + name +
                                "': expected an extension id of 32 letters a-p");
  }
  if (version) {
    auto segs = Split(*version, '.');
    bool ok = segs.size() <= 4 && std::all_of(segs.begin(), segs.end(), [](std::string_view s) {
                return !s.empty() && AllOf(s, IsAsciiDigit);
              });
    if (!ok) {
      return InvalidArgumentError("chrome-extension version '" + *version +
                                  "': expected 1 to 4 dot-separated numbers");
    }
  }
  return OkStatus();
}

// What the purl-spec's type definitions ask of a type beyond the generic rules.
enum class TypeRule {
  kGeneric,
  kLowerNamespaceAndName,  // case-insensitive registry
  kLowerName,
  kLowerNamespace,
  kLowerVersion,
  kOci,
  kPypi,
  kMlflow,
  kCpan,
  kRequireNamespace,
  kRequireVersion,
  kJulia,
  kForbidNamespace,
  kChromeExtension,
};

// The rule of a (lower-case) type, dispatched on its first letter: comparing the type with each
// known one in turn was a fifth of parsing a purl, and most types (golang, maven, cargo, …)
// went through all of them.
TypeRule RuleOf(std::string_view t) {
  using R = TypeRule;
  auto is = [t](std::string_view known, R rule) { return t == known ? rule : R::kGeneric; };
  switch (t.empty() ? '\0' : t[0]) {
    case 'a':
      return t == "alpm" || t == "apk" ? R::kLowerNamespaceAndName : R::kGeneric;
    case 'b':
      if (t == "bitnami") return R::kLowerName;
      return t == "bitbucket" || t == "brew" ? R::kLowerNamespaceAndName : R::kGeneric;
    case 'c':
      if (t == "cpan") return R::kCpan;
      if (t == "chrome-extension") return R::kChromeExtension;
      return is("composer", R::kLowerNamespaceAndName);
    case 'd':
      return is("deb", R::kLowerNamespaceAndName);
    case 'g':
      return t == "github" || t == "gitlab" || t == "git" ? R::kLowerNamespaceAndName : R::kGeneric;
    case 'h':
      if (t == "hex") return R::kLowerNamespaceAndName;
      if (t == "huggingface") return R::kLowerVersion;
      return is("hackage", R::kRequireVersion);
    case 'j':
      return is("julia", R::kJulia);
    case 'm':
      return is("mlflow", R::kMlflow);
    case 'n':
      return is("npm", R::kLowerNamespaceAndName);
    case 'o':
      if (t == "oci") return R::kOci;
      return is("otp", R::kForbidNamespace);
    case 'p':
      if (t == "pypi") return R::kPypi;
      return is("pub", R::kLowerName);
    case 'q':
      return is("qpkg", R::kLowerNamespace);
    case 's':
      return is("swift", R::kRequireNamespace);
    case 'v':
      if (t == "vcpkg") return R::kForbidNamespace;
      return is("vscode-extension", R::kRequireNamespace);
    default:
      return R::kGeneric;
  }
}

}  // namespace

Result<PackageUrl> PackageUrl::Parse(std::string_view text) {
  PackageUrl p;
  if (auto st = p.ParseParts(text); !st) {
    // The input may hold a line break: keep the error on one line.
    return InvalidArgumentError(
        OneLine("purl '" + std::string(text) + "': " + st.error().message()));
  }
  return p;
}

// Each part is decoded straight into its member (no part is built aside and moved).
Status PackageUrl::ParseParts(std::string_view text) {
  std::string_view rest = text;
  if (size_t hash = rest.find('#'); hash != std::string_view::npos) {
    VIGIL_RETURN_IF_ERROR(DecodeSegmentsInto(rest.substr(hash + 1), true, "subpath", subpath_));
    rest = rest.substr(0, hash);
  }
  if (size_t q = FindLast(rest, '?'); q != std::string_view::npos) {
    VIGIL_ASSIGN_OR_RETURN(qualifiers_, ParseQualifiers(rest.substr(q + 1)));
    rest = rest.substr(0, q);
  }
  if (rest.find(':') != 3 || (rest[0] | 0x20) != 'p' || (rest[1] | 0x20) != 'k' ||
      (rest[2] | 0x20) != 'g') {
    return InvalidArgumentError("expected the scheme 'pkg:'");
  }
  rest = TrimSlashes(rest.substr(4));
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) {
    return InvalidArgumentError("expected 'type/name' after 'pkg:'");
  }
  type_.assign(rest.substr(0, slash));
  LowerInPlace(type_);
  VIGIL_RETURN_IF_ERROR(CheckType(type_));
  rest = rest.substr(slash + 1);
  // The version follows the last '@' of the last segment (an unencoded npm scope "@babel/"
  // is part of the namespace).
  size_t at = FindLast(rest, '@');
  if (at != std::string_view::npos && rest.find('/', at) == std::string_view::npos) {
    VIGIL_RETURN_IF_ERROR(PercentDecodeInto(rest.substr(at + 1), "version", version_.emplace()));
    if (version_->empty()) version_.reset();
    rest = rest.substr(0, at);
  }
  // A trailing '/' leaves an empty name ("pkg:swift/github.com/Alamofire/@5.4.3").
  size_t last = FindLast(rest, '/');
  std::string_view name = last == std::string_view::npos ? rest : rest.substr(last + 1);
  VIGIL_RETURN_IF_ERROR(PercentDecodeInto(name, "name", name_));
  if (type_ == "git" && name_.find('/') != std::string::npos) {
    // The canonical form writes a git repository path with plain '/' separators, so a '/'
    // decoded from %2F in the name could not be told apart from one when read back.
    return InvalidArgumentError(
        "name: contains an encoded '/' (%2F), which a git repository path cannot hold");
  }
  if (last != std::string_view::npos) {
    VIGIL_RETURN_IF_ERROR(DecodeSegmentsInto(rest.substr(0, last), false, "namespace", namespace_));
  }
  return Normalise();
}

Result<PackageUrl> PackageUrl::Create(std::string_view type, std::optional<std::string> ns,
                                      std::string_view name, std::optional<std::string> version,
                                      Qualifiers qualifiers, std::optional<std::string> subpath) {
  PackageUrl p;
  p.type_ = Lower(type);
  VIGIL_RETURN_IF_ERROR(CheckType(p.type_));
  if (ns && !ns->empty()) {
    std::string joined;
    for (std::string_view seg : Split(TrimSlashes(*ns), '/')) {
      if (seg.empty()) continue;
      if (!joined.empty()) joined.push_back('/');
      joined += seg;
    }
    if (!joined.empty()) p.namespace_ = std::move(joined);
  }
  p.name_ = std::string(name);
  if (version && !version->empty()) p.version_ = std::move(version);
  for (auto& [key, value] : qualifiers) {
    std::string k = Lower(key);
    VIGIL_RETURN_IF_ERROR(CheckQualifierKey(k));
    if (!value.empty()) p.qualifiers_[k] = value;
  }
  if (subpath && !subpath->empty()) {
    std::string joined;
    for (std::string_view seg : Split(TrimSlashes(*subpath), '/')) {
      if (seg.empty() || seg == "." || seg == "..") continue;
      if (!joined.empty()) joined.push_back('/');
      joined += seg;
    }
    if (!joined.empty()) p.subpath_ = std::move(joined);
  }
  VIGIL_RETURN_IF_ERROR(p.Normalise());
  return p;
}

Status PackageUrl::Normalise() {
  if (name_.empty()) return InvalidArgumentError("name: missing");
  auto lower_ns = [&] {
    if (namespace_) LowerInPlace(*namespace_);
  };
  auto lower_name = [&] { LowerInPlace(name_); };
  if (type_ == "git" && namespace_) {
    // git: the namespace is the host, the name is the repository path below it.
    size_t slash = namespace_->find('/');
    if (slash != std::string::npos) {
      name_ = namespace_->substr(slash + 1) + "/" + name_;
      namespace_->resize(slash);
    }
  }
  auto require_ns = [&]() -> Status {
    if (!namespace_) return InvalidArgumentError("type " + type_ + " requires a namespace");
    return OkStatus();
  };
  auto forbid_ns = [&]() -> Status {
    if (namespace_) return InvalidArgumentError("type " + type_ + " must not have a namespace");
    return OkStatus();
  };
  auto require_version = [&]() -> Status {
    if (!version_) return InvalidArgumentError("type " + type_ + " requires a version");
    return OkStatus();
  };
  switch (RuleOf(type_)) {
    case TypeRule::kGeneric:
      break;
    case TypeRule::kLowerNamespaceAndName:
      lower_ns();
      lower_name();
      break;
    case TypeRule::kLowerName:
      lower_name();
      break;
    case TypeRule::kOci:
      lower_name();
      VIGIL_RETURN_IF_ERROR(forbid_ns());
      if (version_) LowerInPlace(*version_);
      break;
    case TypeRule::kPypi:
      lower_name();
      std::replace(name_.begin(), name_.end(), '_', '-');
      break;
    case TypeRule::kLowerNamespace:
      lower_ns();
      break;
    case TypeRule::kLowerVersion:
      if (version_) LowerInPlace(*version_);
      break;
    case TypeRule::kMlflow: {
      auto it = qualifiers_.find("repository_url");
      if (it != qualifiers_.end() && it->second.find("databricks") != std::string::npos) {
        lower_name();
      }
      break;
    }
    case TypeRule::kCpan:
      if (name_.find("::") != std::string::npos) {
        return InvalidArgumentError("cpan name '" + name_ +
                                    "' is a module name; expected a distribution name (with '-')");
      }
      break;
    case TypeRule::kRequireNamespace:
      VIGIL_RETURN_IF_ERROR(require_ns());
      break;
    case TypeRule::kRequireVersion:
      VIGIL_RETURN_IF_ERROR(require_version());
      break;
    case TypeRule::kJulia:
      if (!qualifiers_.contains("uuid")) {
        return InvalidArgumentError("type julia requires the 'uuid' qualifier");
      }
      break;
    case TypeRule::kForbidNamespace:
      VIGIL_RETURN_IF_ERROR(forbid_ns());
      break;
    case TypeRule::kChromeExtension:
      VIGIL_RETURN_IF_ERROR(forbid_ns());
      return CheckChromeExtension(name_, version_);
  }
  return OkStatus();
}

std::string PackageUrl::ToString() const {
  // Appends one piece at a time (GCC 12 -O2 warns falsely on "x" + std::string chains).
  std::string out = "pkg:";
  out.append(type_).push_back('/');
  if (namespace_) out.append(PercentEncode(*namespace_, true)).push_back('/');
  out.append(PercentEncode(name_, type_ == "git"));
  if (version_) out.append(1, '@').append(PercentEncode(*version_, false));
  char sep = '?';
  for (const auto& [key, value] : qualifiers_) {
    out.append(1, sep).append(key).append(1, '=').append(PercentEncode(value, false));
    sep = '&';
  }
  if (subpath_) out.append(1, '#').append(PercentEncode(*subpath_, true));
  return out;
}

}  // namespace vigil::sbom
