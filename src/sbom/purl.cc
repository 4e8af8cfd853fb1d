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

Result<std::string> PercentDecode(std::string_view s, std::string_view what) {
  if (s.find('%') == std::string_view::npos) return std::string(s);  // most purls: one copy
  std::string out;
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
  return out;
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

// Subpath and namespace segments: drop empty segments (and '.'/'..' in subpaths), decode.
Result<std::optional<std::string>> DecodeSegments(std::string_view s, bool is_subpath,
                                                  std::string_view what) {
  // Nothing to drop or decode (most namespaces): the trimmed text as it is.
  if (std::string_view t = TrimSlashes(s); !is_subpath && t.find('%') == std::string_view::npos &&
                                           t.find("//") == std::string_view::npos) {
    return t.empty() ? std::optional<std::string>() : std::optional<std::string>(std::string(t));
  }
  std::string joined;
  for (std::string_view seg : Split(TrimSlashes(s), '/')) {
    VIGIL_ASSIGN_OR_RETURN(std::string decoded, PercentDecode(seg, what));
    // Checked after decoding, so "%2e" cannot smuggle a "." segment into the canonical form.
    if (decoded.empty() || (is_subpath && (decoded == "." || decoded == ".."))) continue;
    if (decoded.find('/') != std::string::npos) {
      return InvalidArgumentError(std::string(what) + ": segment contains an encoded '/'");
    }
    if (!joined.empty()) joined.push_back('/');
    joined += decoded;
  }
  if (joined.empty()) return std::optional<std::string>();
  return std::optional<std::string>(std::move(joined));
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
    VIGIL_ASSIGN_OR_RETURN(std::string value,
                           PercentDecode(pair.substr(eq + 1), "qualifier " + key));
    if (value.empty()) continue;
    if (!out.emplace(key, std::move(value)).second) {
      return InvalidArgumentError("qualifier key '" + key + "': appears twice");
    }
  }
  return out;
}

bool AllOf(std::string_view s, bool (*pred)(char)) { return std::all_of(s.begin(), s.end(), pred); }

}  // namespace

Result<PackageUrl> PackageUrl::Parse(std::string_view text) {
  auto fail = [&](const Error& e) {
    // The input may hold a line break: keep the error on one line.
    return InvalidArgumentError(OneLine("purl '" + std::string(text) + "': " + e.message()));
  };
  PackageUrl p;
  std::string_view rest = text;
  if (size_t hash = rest.find('#'); hash != std::string_view::npos) {
    auto sub = DecodeSegments(rest.substr(hash + 1), true, "subpath");
    if (!sub) return fail(sub.error());
    p.subpath_ = std::move(*sub);
    rest = rest.substr(0, hash);
  }
  if (size_t q = FindLast(rest, '?'); q != std::string_view::npos) {
    auto quals = ParseQualifiers(rest.substr(q + 1));
    if (!quals) return fail(quals.error());
    p.qualifiers_ = std::move(*quals);
    rest = rest.substr(0, q);
  }
  size_t colon = rest.find(':');
  if (colon != 3 || Lower(rest.substr(0, colon)) != "pkg") {
    return fail(InvalidArgumentError("expected the scheme 'pkg:'"));
  }
  rest = TrimSlashes(rest.substr(colon + 1));
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) {
    return fail(InvalidArgumentError("expected 'type/name' after 'pkg:'"));
  }
  p.type_ = Lower(rest.substr(0, slash));
  if (auto st = CheckType(p.type_); !st) return fail(st.error());
  rest = rest.substr(slash + 1);
  // The version follows the last '@' of the last segment (an unencoded npm scope "@babel/"
  // is part of the namespace).
  size_t at = FindLast(rest, '@');
  if (at != std::string_view::npos && rest.find('/', at) == std::string_view::npos) {
    auto v = PercentDecode(rest.substr(at + 1), "version");
    if (!v) return fail(v.error());
    if (!v->empty()) p.version_ = std::move(*v);
    rest = rest.substr(0, at);
  }
  // A trailing '/' leaves an empty name ("pkg:swift/github.com/Alamofire/@5.4.3").
  size_t last = FindLast(rest, '/');
  std::string_view name = last == std::string_view::npos ? rest : rest.substr(last + 1);
  auto decoded_name = PercentDecode(name, "name");
  if (!decoded_name) return fail(decoded_name.error());
  p.name_ = std::move(*decoded_name);
  if (p.type_ == "git" && p.name_.find('/') != std::string::npos) {
    // The canonical form writes a git repository path with plain '/' separators, so a '/'
    // decoded from %2F in the name could not be told apart from one when read back.
    return fail(
        InvalidArgumentError("name: contains an encoded '/' (%2F), which a git "
                             "repository path cannot hold"));
  }
  if (last != std::string_view::npos) {
    auto ns = DecodeSegments(rest.substr(0, last), false, "namespace");
    if (!ns) return fail(ns.error());
    p.namespace_ = std::move(*ns);
  }
  if (auto st = p.Normalise(); !st) return fail(st.error());
  return p;
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
  // A view: comparing it with each literal checks the length first, not strlen and bytes.
  const std::string_view t = type_;
  if (t == "alpm" || t == "apk" || t == "bitbucket" || t == "composer" || t == "deb" ||
      t == "github" || t == "gitlab" || t == "hex" || t == "brew" || t == "git") {
    lower_ns();
    lower_name();
  } else if (t == "bitnami" || t == "pub" || t == "oci") {
    lower_name();
    if (t == "oci") VIGIL_RETURN_IF_ERROR(forbid_ns());
    if (t == "oci" && version_) LowerInPlace(*version_);
  } else if (t == "npm") {
    lower_ns();
    lower_name();
  } else if (t == "pypi") {
    lower_name();
    std::replace(name_.begin(), name_.end(), '_', '-');
  } else if (t == "qpkg") {
    lower_ns();
  } else if (t == "huggingface") {
    if (version_) LowerInPlace(*version_);
  } else if (t == "mlflow") {
    auto it = qualifiers_.find("repository_url");
    if (it != qualifiers_.end() && it->second.find("databricks") != std::string::npos) lower_name();
  } else if (t == "cpan") {
    if (name_.find("::") != std::string::npos) {
      return InvalidArgumentError("cpan name '" + name_ +
                                  "' is a module name; expected a distribution name (with '-')");
    }
  } else if (t == "swift") {
    VIGIL_RETURN_IF_ERROR(require_ns());
  } else if (t == "hackage") {
    VIGIL_RETURN_IF_ERROR(require_version());
  } else if (t == "julia") {
    if (!qualifiers_.contains("uuid")) {
      return InvalidArgumentError("type julia requires the 'uuid' qualifier");
    }
  } else if (t == "vcpkg" || t == "otp") {
    VIGIL_RETURN_IF_ERROR(forbid_ns());
  } else if (t == "vscode-extension") {
    VIGIL_RETURN_IF_ERROR(require_ns());
  } else if (t == "chrome-extension") {
    VIGIL_RETURN_IF_ERROR(forbid_ns());
    if (name_.size() != 32 || !AllOf(name_, [](char c) { return c >= 'a' && c <= 'p'; })) {
      return InvalidArgumentError("chrome-extension name '" + name_ +
                                  "': expected an extension id of 32 letters a-p");
    }
    if (version_) {
      auto segs = Split(*version_, '.');
      bool ok = segs.size() <= 4 && std::all_of(segs.begin(), segs.end(), [](std::string_view s) {
                  return !s.empty() && AllOf(s, IsAsciiDigit);
                });
      if (!ok) {
        return InvalidArgumentError("chrome-extension version '" + *version_ +
                                    "': expected 1 to 4 dot-separated numbers");
      }
    }
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
