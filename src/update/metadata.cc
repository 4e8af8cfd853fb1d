#include "vigil/update/metadata.h"

#include <ctime>
#include <memory>
#include <optional>
#include <set>

#include "internal/state_json.h"
#include "vigil/core/encoding.h"
#include "vigil/core/json.h"
#include "vigil/crypto/hash.h"
#include "vigil/update/canonical_json.h"

namespace vigil::update {
namespace {

using Field = json::Node;
using internal::ReadHashes;  // hash names this client cannot compute are kept, not checked

Result<MetaFile> ReadMetaFile(const Field& f) {
  VIGIL_RETURN_IF_ERROR(f.ExpectObject());
  MetaFile m;
  VIGIL_ASSIGN_OR_RETURN(m.version, f.Get("version").UInt(1));
  if (f.Has("length")) {
    VIGIL_ASSIGN_OR_RETURN(uint64_t length, f.Get("length").UInt());
    m.length = length;
  }
  if (f.Has("hashes")) {
    VIGIL_ASSIGN_OR_RETURN(m.hashes, ReadHashes(f.Get("hashes")));
    if (m.hashes.empty()) return f.Get("hashes").Invalid("expected at least one hash");
  }
  return m;
}

Result<std::vector<std::string>> ReadStringList(const Field& f, bool distinct) {
  VIGIL_RETURN_IF_ERROR(f.ExpectArray());
  std::vector<std::string> out;
  std::set<std::string> seen;
  Status each = f.ForEachElement([&](const Field& e) -> Status {
    VIGIL_ASSIGN_OR_RETURN(std::string s, e.String());
    if (distinct && !seen.insert(s).second) {
      return e.Invalid("duplicate entry \"" + OneLine(s) + "\"");
    }
    out.push_back(std::move(s));
    return OkStatus();
  });
  VIGIL_RETURN_IF_ERROR(each);
  return out;
}

Result<RoleKeys> ReadRoleKeys(const Field& f) {
  VIGIL_RETURN_IF_ERROR(f.ExpectObject());
  RoleKeys r;
  VIGIL_ASSIGN_OR_RETURN(r.keyids, ReadStringList(f.Get("keyids"), /*distinct=*/true));
  VIGIL_ASSIGN_OR_RETURN(uint64_t threshold, f.Get("threshold").UInt(1));
  if (threshold > 1024) return f.Get("threshold").Invalid("expected at most 1024");
  r.threshold = static_cast<uint32_t>(threshold);
  return r;
}

Result<std::map<std::string, TufKey>> ReadKeys(const Field& f) {
  VIGIL_RETURN_IF_ERROR(f.ExpectObject());
  std::map<std::string, TufKey> keys;
  Status each = f.ForEachMember([&](std::string_view keyid, const Field& k) -> Status {
    if (keyid.empty()) return k.Invalid("key IDs must be non-empty");
    VIGIL_ASSIGN_OR_RETURN(TufKey key, TufKey::Parse(k));
    keys.emplace_hint(keys.end(), keyid, std::move(key));
    return OkStatus();
  });
  VIGIL_RETURN_IF_ERROR(each);
  return keys;
}

// Checks that every key ID a role names is defined (a role counting on a missing key could
// never reach its threshold, which is an authoring error worth naming).
Status CheckKeyIdsDefined(const Field& f, const RoleKeys& role,
                          const std::map<std::string, TufKey>& keys) {
  for (size_t i = 0; i < role.keyids.size(); ++i) {
    if (!keys.contains(role.keyids[i])) {
      return f.Get("keyids").At(i).Invalid("key ID \"" + OneLine(role.keyids[i]) +
                                                "\" is not defined in keys");
    }
  }
  return OkStatus();
}

Status CheckSpecVersion(const Field& f, const std::string& v) {
  size_t dot = v.find('.');
  std::string major = v.substr(0, dot);
  if (major != "1") {
    return f.Invalid("expected specification version 1.x.y, found \"" + OneLine(v) + "\"");
  }
  return OkStatus();
}

// The canonical bytes of "signed", which the signatures cover. Metadata written canonically (as
// Vigil's repository publishes it; the parser said so in `canonical_text`) holds them as they
// are: {"signatures":[...],"signed":{...}} with nothing else, so they are copied out rather than
// written again (a refresh reads 1.5 MB of metadata for 10,000 targets).
Result<std::string> CanonicalSigned(const Field& top, std::string_view text, bool canonical_text) {
  const json::Value& root = top.value();
  if (root.size() == 2 && canonical_text) {
    auto signatures = json::Canonical(root["signatures"]);
    constexpr std::string_view kBefore = "{\"signatures\":", kBetween = ",\"signed\":";
    size_t start = kBefore.size() + (signatures ? signatures->size() : 0) + kBetween.size();
    if (signatures && start < text.size() &&
        text.substr(kBefore.size() + signatures->size(), kBetween.size()) == kBetween) {
      return std::string(text.substr(start, text.size() - start - 1));
    }
  }
  Field sf = top.Get("signed");
  auto canonical = json::Canonical(sf.value());
  if (!canonical) return canonical.error().WithContext(sf.name() + ": " + sf.path());
  return canonical;
}

// Reads signatures and the common "signed" fields, checks _type, and writes the canonical bytes
// the signatures cover (once per document, whatever the number of signatures). `text` is what
// `top` was parsed from, `canonical_text` whether it is top's canonical form.
Result<Envelope> ReadEnvelope(const Field& top, std::string_view text, bool canonical_text,
                              std::string_view expected_type) {
  VIGIL_RETURN_IF_ERROR(top.ExpectObject());
  Field sigs = top.Get("signatures");
  VIGIL_RETURN_IF_ERROR(sigs.ExpectArray());
  Envelope env;
  std::set<std::string, std::less<>> seen;
  Status each = sigs.ForEachElement([&](const Field& s) -> Status {
    VIGIL_RETURN_IF_ERROR(s.ExpectObject());
    TufSignature sig;
    VIGIL_ASSIGN_OR_RETURN(sig.keyid, s.Get("keyid").String());
    VIGIL_ASSIGN_OR_RETURN(sig.sig, s.Get("sig").String());
    // The specification requires unique key IDs here. A repeat never counts twice towards the
    // threshold (VerifyThreshold), but a document that breaks the rule is refused whole rather
    // than stored: what a client stores is what another client must accept.
    if (!seen.insert(sig.keyid).second) {
      return s.Get("keyid").Invalid("key ID \"" + OneLine(sig.keyid) +
                                      "\" signs more than once; each key ID may appear once");
    }
    env.signatures.push_back(std::move(sig));
    return OkStatus();
  });
  VIGIL_RETURN_IF_ERROR(each);
  Field sf = top.Get("signed");
  VIGIL_RETURN_IF_ERROR(sf.ExpectObject());
  VIGIL_ASSIGN_OR_RETURN(env.type, sf.Get("_type").String());
  if (env.type != expected_type) {
    return sf.Get("_type").Invalid("expected \"" + std::string(expected_type) + "\", found \"" +
                                     OneLine(env.type) + "\"");
  }
  VIGIL_ASSIGN_OR_RETURN(env.spec_version, sf.Get("spec_version").String());
  VIGIL_RETURN_IF_ERROR(CheckSpecVersion(sf.Get("spec_version"), env.spec_version));
  VIGIL_ASSIGN_OR_RETURN(env.version, sf.Get("version").UInt(1));
  VIGIL_ASSIGN_OR_RETURN(std::string expires, sf.Get("expires").String());
  auto t = ParseTufTime(expires);
  if (!t) return sf.Get("expires").Invalid(t.error().message());
  env.expires = *t;
  VIGIL_ASSIGN_OR_RETURN(env.canonical_signed, CanonicalSigned(top, text, canonical_text));
  return env;
}

// A role file: its envelope and the parsed document, whose "signed" member the role readers
// walk. Held by pointer so the nodes' views stay put when the Document moves.
struct Document {
  Envelope envelope;
  std::unique_ptr<json::Value> doc;
  std::string where;
  // Precondition: ReadDocument accepted the file (so "signed" is an object).
  Field Signed() const { return Field(*doc, where).Get("signed"); }
};

// Parses bytes into (envelope, document) for a role file, with the strict reader's limits
// (ParseStrictJson: duplicate keys, depth, UTF-8).
Result<Document> ReadDocument(ByteView bytes, std::string_view where, std::string_view type) {
  bool canonical_text = false;
  VIGIL_ASSIGN_OR_RETURN(json::Value doc,
                         ParseStrictJson(AsStringView(bytes), where, &canonical_text));
  Document d{Envelope{}, std::make_unique<json::Value>(std::move(doc)), std::string(where)};
  VIGIL_ASSIGN_OR_RETURN(
      d.envelope, ReadEnvelope(Field(*d.doc, d.where), AsStringView(bytes), canonical_text, type));
  return d;
}

// The same rules as ReadTargetFile, read straight from the value without a cursor per field:
// a targets role lists up to 10,000 files, and building a path for every field of every entry
// was a third of a refresh. Returns nullopt on any breach of the rules, and the caller asks
// ReadTargetFile, the reader that states them, which gives the error (metadata_test checks
// each rule through both).
// The entry's custom object is moved out of `v` (the document is not read again).
std::optional<TargetFile> ReadTargetFileQuickly(json::Value& v) {
  if (!v.is_object()) return std::nullopt;
  const json::Value* length = nullptr;
  const json::Value* hashes = nullptr;
  json::Value* custom = nullptr;
  for (json::Member& m : v.as_object()) {  // one walk for the three fields (names are unique)
    if (m.key == "length") {
      length = &m.value;
    } else if (m.key == "hashes") {
      hashes = &m.value;
    } else if (m.key == "custom") {
      custom = &m.value;
    }
  }
  if (length == nullptr || !length->is_integer() || length->as_int() < 0 || hashes == nullptr ||
      !hashes->is_object() || hashes->size() == 0) {
    return std::nullopt;
  }
  TargetFile t;
  t.length = static_cast<uint64_t>(length->as_int());
  for (const json::Member& h : hashes->as_object()) {
    if (!h.value.is_string()) return std::nullopt;
    auto digest = HexDecode(h.value.as_string());
    if (!digest || digest->empty()) return std::nullopt;
    t.hashes.emplace(h.key, std::move(*digest));
  }
  if (custom != nullptr) t.custom = std::move(*custom);
  return t;
}

Result<TargetFile> ReadTargetFile(const Field& f) {
  VIGIL_RETURN_IF_ERROR(f.ExpectObject());
  TargetFile t;
  VIGIL_ASSIGN_OR_RETURN(t.length, f.Get("length").UInt());
  VIGIL_ASSIGN_OR_RETURN(t.hashes, ReadHashes(f.Get("hashes")));
  if (t.hashes.empty()) return f.Get("hashes").Invalid("expected at least one hash");
  if (f.Has("custom")) t.custom = f.Get("custom").value();
  return t;
}

Result<DelegatedRole> ReadDelegatedRole(const Field& f) {
  VIGIL_RETURN_IF_ERROR(f.ExpectObject());
  DelegatedRole r;
  VIGIL_ASSIGN_OR_RETURN(r.name, f.Get("name").String());
  if (r.name.empty()) return f.Get("name").Invalid("expected a non-empty role name");
  if (r.name == "root" || r.name == "snapshot" || r.name == "timestamp" || r.name == "targets") {
    return f.Get("name").Invalid("a delegated role may not be named after a top-level role");
  }
  VIGIL_ASSIGN_OR_RETURN(r.keys, ReadRoleKeys(f));
  VIGIL_ASSIGN_OR_RETURN(r.terminating, f.Get("terminating").Bool());
  bool has_paths = f.Has("paths");
  bool has_prefixes = f.Has("path_hash_prefixes");
  if (has_paths == has_prefixes) {
    return f.Invalid("expected exactly one of \"paths\" and \"path_hash_prefixes\"");
  }
  if (has_paths) {
    VIGIL_ASSIGN_OR_RETURN(r.paths, ReadStringList(f.Get("paths"), false));
  } else {
    VIGIL_ASSIGN_OR_RETURN(r.path_hash_prefixes,
                           ReadStringList(f.Get("path_hash_prefixes"), false));
  }
  return r;
}

Result<Delegations> ReadDelegations(const Field& f) {
  VIGIL_RETURN_IF_ERROR(f.ExpectObject());
  if (f.Has("succinct_roles")) {
    return f.Get("succinct_roles")
        .Invalid(
            "succinct hash-bin delegations (TAP 15) are not "
            "part of TUF 1.0.x and are not supported");
  }
  Delegations d;
  VIGIL_ASSIGN_OR_RETURN(d.keys, ReadKeys(f.Get("keys")));
  Field roles = f.Get("roles");
  VIGIL_RETURN_IF_ERROR(roles.ExpectArray());
  std::set<std::string> names;
  Status each = roles.ForEachElement([&](const Field& role) -> Status {
    VIGIL_ASSIGN_OR_RETURN(DelegatedRole r, ReadDelegatedRole(role));
    if (!names.insert(r.name).second) {
      return role.Get("name").Invalid("duplicate role name \"" + OneLine(r.name) + "\"");
    }
    VIGIL_RETURN_IF_ERROR(CheckKeyIdsDefined(role, r.keys, d.keys));
    d.roles.push_back(std::move(r));
    return OkStatus();
  });
  VIGIL_RETURN_IF_ERROR(each);
  return d;
}

bool GlobSegmentMatch(std::string_view pat, std::string_view s);

// Matches a bracket expression at pat[0] == '['; sets `consumed` to its length.
bool BracketMatch(std::string_view pat, char c, size_t& consumed) {
  size_t i = 1;
  bool negate = i < pat.size() && (pat[i] == '!' || pat[i] == '^');
  if (negate) ++i;
  bool matched = false;
  size_t first = i;
  for (; i < pat.size() && (pat[i] != ']' || i == first); ++i) {
    if (i + 2 < pat.size() && pat[i + 1] == '-' && pat[i + 2] != ']') {
      if (pat[i] <= c && c <= pat[i + 2]) matched = true;
      i += 2;
    } else if (pat[i] == c) {
      matched = true;
    }
  }
  if (i >= pat.size()) {  // no closing bracket: '[' is a literal
    consumed = 1;
    return c == '[';
  }
  consumed = i + 1;
  return matched != negate;
}

// fnmatch-style match of one path segment: '*', '?', '[...]'.
bool GlobSegmentMatch(std::string_view pat, std::string_view s) {
  size_t p = 0, i = 0, star_p = std::string_view::npos, star_i = 0;
  while (i < s.size()) {
    size_t consumed = 1;
    if (p < pat.size() && pat[p] == '*') {
      star_p = p++;
      star_i = i;
      continue;
    }
    if (p < pat.size() &&
        (pat[p] == '?' ||
         (pat[p] == '[' ? BracketMatch(pat.substr(p), s[i], consumed) : pat[p] == s[i]))) {
      p += consumed;
      ++i;
      continue;
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p + 1;
    i = ++star_i;
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

// Whether every '/'-separated segment of `target` matches the pattern's segment at the same
// place, and both have as many. Walked in place: a lookup may try every delegation.
bool PathPatternMatch(std::string_view pattern, std::string_view target) {
  for (;;) {
    size_t p = pattern.find('/');
    size_t t = target.find('/');
    if (!GlobSegmentMatch(pattern.substr(0, p), target.substr(0, t))) return false;
    if (p == std::string_view::npos || t == std::string_view::npos) return p == t;
    pattern.remove_prefix(p + 1);
    target.remove_prefix(t + 1);
  }
}

}  // namespace

bool DelegatedRole::IsDelegatedPath(std::string_view target_path) const {
  if (paths) {
    for (const auto& p : *paths) {
      if (PathPatternMatch(p, target_path)) return true;
    }
    return false;
  }
  std::string digest = HexEncode(crypto::Sha256(AsBytes(target_path)));
  for (const auto& prefix : *path_hash_prefixes) {
    if (digest.starts_with(prefix)) return true;
  }
  return false;
}

uint64_t MaxMetadataBytes(std::string_view role) {
  if (role == "root") return kMaxRootBytes;
  if (role == "timestamp") return kMaxTimestampBytes;
  if (role == "snapshot") return kMaxSnapshotBytes;
  return kMaxTargetsBytes;
}

Result<int64_t> ParseTufTime(std::string_view t) {
  // Exactly "YYYY-MM-DDTHH:MM:SSZ".
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
  bool ok = t.size() == kShape.size();
  for (size_t i = 0; ok && i < t.size(); ++i) {
    ok = kShape[i] == 'd' ? (t[i] >= '0' && t[i] <= '9') : t[i] == kShape[i];
  }
  auto num = [&](size_t pos, size_t len) {
    int64_t v = 0;
    for (size_t i = 0; i < len; ++i) v = v * 10 + (t[pos + i] - '0');
    return v;
  };
  if (ok) {
    int64_t y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2),
            s = num(17, 2);
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= kDays[mo - 1] && (mo != 2 || d <= 28 || leap) &&
        h < 24 && mi < 60 && s < 60) {
      std::tm tm{};
      tm.tm_year = static_cast<int>(y - 1900);
      tm.tm_mon = static_cast<int>(mo - 1);
      tm.tm_mday = static_cast<int>(d);
      tm.tm_hour = static_cast<int>(h);
      tm.tm_min = static_cast<int>(mi);
      tm.tm_sec = static_cast<int>(s);
      return static_cast<int64_t>(timegm(&tm));
    }
  }
  return InvalidArgumentError("expected a UTC time \"YYYY-MM-DDTHH:MM:SSZ\", found \"" +
                              std::string(t.substr(0, 64)) + "\"");
}

Result<Root> Root::Parse(ByteView bytes, std::string_view where) {
  VIGIL_ASSIGN_OR_RETURN(auto doc, ReadDocument(bytes, where, "root"));
  Field sf = doc.Signed();
  Root root;
  root.envelope = std::move(doc.envelope);
  VIGIL_ASSIGN_OR_RETURN(root.consistent_snapshot, sf.Get("consistent_snapshot").Bool());
  VIGIL_ASSIGN_OR_RETURN(root.keys, ReadKeys(sf.Get("keys")));
  Field roles = sf.Get("roles");
  VIGIL_RETURN_IF_ERROR(roles.ExpectObject());
  for (const char* name : {"root", "snapshot", "targets", "timestamp"}) {
    VIGIL_ASSIGN_OR_RETURN(RoleKeys r, ReadRoleKeys(roles.Get(name)));
    VIGIL_RETURN_IF_ERROR(CheckKeyIdsDefined(roles.Get(name), r, root.keys));
    root.roles.emplace(name, std::move(r));
  }
  if (roles.size() != 4) {
    return roles.Invalid("expected exactly the roles root, snapshot, targets and timestamp");
  }
  return root;
}

Result<Timestamp> Timestamp::Parse(ByteView bytes, std::string_view where) {
  VIGIL_ASSIGN_OR_RETURN(auto doc, ReadDocument(bytes, where, "timestamp"));
  Field sf = doc.Signed();
  Timestamp ts;
  ts.envelope = std::move(doc.envelope);
  Field meta = sf.Get("meta");
  VIGIL_RETURN_IF_ERROR(meta.ExpectObject());
  if (meta.size() != 1) return meta.Invalid("expected exactly one entry, snapshot.json");
  VIGIL_ASSIGN_OR_RETURN(ts.snapshot_meta, ReadMetaFile(meta.Get("snapshot.json")));
  return ts;
}

Result<Snapshot> Snapshot::Parse(ByteView bytes, std::string_view where) {
  VIGIL_ASSIGN_OR_RETURN(auto doc, ReadDocument(bytes, where, "snapshot"));
  Field sf = doc.Signed();
  Snapshot snap;
  snap.envelope = std::move(doc.envelope);
  Field meta = sf.Get("meta");
  VIGIL_RETURN_IF_ERROR(meta.ExpectObject());
  Status each = meta.ForEachMember([&](std::string_view name, const Field& m) -> Status {
    VIGIL_ASSIGN_OR_RETURN(MetaFile file, ReadMetaFile(m));
    snap.meta.emplace_hint(snap.meta.end(), name, std::move(file));
    return OkStatus();
  });
  VIGIL_RETURN_IF_ERROR(each);
  if (!snap.meta.contains("targets.json")) {
    return meta.Invalid("expected an entry for targets.json");
  }
  return snap;
}

Result<Targets> Targets::Parse(ByteView bytes, std::string_view where) {
  VIGIL_ASSIGN_OR_RETURN(auto doc, ReadDocument(bytes, where, "targets"));
  Field sf = doc.Signed();
  Targets t;
  t.envelope = std::move(doc.envelope);
  Field targets = sf.Get("targets");
  VIGIL_RETURN_IF_ERROR(targets.ExpectObject());
  // One pass over the entries, each read, its name moved into the map and its value freed while
  // its memory is in cache: the tree of a role's 200 entries is three times the first-level
  // cache, and walking it again to move the names and once more to free it was most of what the
  // refresh spent beyond the flat reader (cache misses, not instructions). An entry the quick
  // reader refuses is named by its own node, not looked up among names already moved.
  json::Object& entries = (*doc.doc)["signed"]["targets"].as_object();
  for (json::Member& entry : entries) {
    std::optional<TargetFile> file = ReadTargetFileQuickly(entry.value);
    if (!file) {
      Field f(entry.value, targets.name(), json::MemberPath(targets.path(), entry.key));
      VIGIL_ASSIGN_OR_RETURN(file, ReadTargetFile(f));
    }
    // Published metadata lists its targets in canonical (name) order: each lands at the end.
    t.targets.emplace_hint(t.targets.end(), std::move(entry.key), *std::move(file));
    entry.value = json::Value();
  }
  if (sf.Has("delegations")) {
    VIGIL_ASSIGN_OR_RETURN(t.delegations, ReadDelegations(sf.Get("delegations")));
  }
  return t;
}

Status VerifyThreshold(const Envelope& envelope, const std::map<std::string, TufKey>& keys,
                       const RoleKeys& role, std::string_view role_name) {
  std::set<std::string> role_keyids(role.keyids.begin(), role.keyids.end());
  std::set<std::string> counted_ids;
  std::set<std::string> counted_keys;  // key material, so two IDs of one key count once
  for (const TufSignature& sig : envelope.signatures) {
    if (!role_keyids.contains(sig.keyid) || counted_ids.contains(sig.keyid)) continue;
    auto key = keys.find(sig.keyid);
    if (key == keys.end() || counted_keys.contains(key->second.identity())) continue;
    if (!key->second.Verify(AsBytes(envelope.canonical_signed), sig.sig)) continue;
    counted_ids.insert(sig.keyid);
    counted_keys.insert(key->second.identity());
  }
  if (counted_ids.size() >= role.threshold) return OkStatus();
  return UnauthenticatedError(std::string(role_name) + ": " + std::to_string(counted_ids.size()) +
                              " valid signature(s) from distinct keys, threshold " +
                              std::to_string(role.threshold));
}

}  // namespace vigil::update
