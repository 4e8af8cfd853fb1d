#include "vigil/audit/checkpoint.h"

#include <algorithm>
#include <charconv>

#include "vigil/core/encoding.h"
#include "vigil/crypto/ed25519.h"
#include "vigil/crypto/hash.h"
#include "vigil/crypto/pq/ml_dsa.h"

namespace vigil::audit {
namespace {

constexpr std::string_view kEmDash = "\xe2\x80\x94";  // U+2014
constexpr uint8_t kTypeEd25519 = 0x01;
constexpr uint8_t kTypeExtension = 0xff;

bool IsMlDsa(crypto::AlgorithmId a) {
  return a == crypto::AlgorithmId::kMlDsa44 || a == crypto::AlgorithmId::kMlDsa65 ||
         a == crypto::AlgorithmId::kMlDsa87;
}

bool ValidKeyName(std::string_view n) {
  if (n.empty()) return false;
  for (unsigned char c : n) {
    if (c <= 0x20 || c == '+' || c == 0x7f) return false;
  }
  return true;
}

uint32_t KeyId(std::string_view name, ByteView material) {
  auto h = crypto::Sha256({AsBytes(name), AsBytes("\n"), material});
  return (uint32_t{h[0]} << 24) | (uint32_t{h[1]} << 16) | (uint32_t{h[2]} << 8) | h[3];
}

Result<Bytes> Material(const crypto::VerifyingKey& key) {
  Bytes m;
  if (key.algorithm() == crypto::AlgorithmId::kEd25519) {
    m.push_back(kTypeEd25519);
  } else if (IsMlDsa(key.algorithm())) {
    VIGIL_ASSIGN_OR_RETURN(auto info, crypto::FindAlgorithm(key.algorithm()));
    m.push_back(kTypeExtension);
    Append(m, AsBytes(info.name));
    m.push_back('\n');
  } else {
    return InvalidArgumentError("signed note: keys must be Ed25519 or ML-DSA");
  }
  Append(m, key.Encode());
  return m;
}

std::string Hex8(uint32_t v) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s(8, '0');
  for (int i = 7; i >= 0; --i, v >>= 4) s[i] = kHex[v & 15];
  return s;
}

Status CheckLine(std::string_view what, std::string_view s) {
  if (s.empty()) return InvalidArgumentError("checkpoint: " + std::string(what) + " is empty");
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) {
      return InvalidArgumentError("checkpoint: " + std::string(what) +
                                  " holds a newline or control character");
    }
  }
  return OkStatus();
}

}  // namespace

Result<std::string> FormatCheckpoint(const Checkpoint& c) {
  VIGIL_RETURN_IF_ERROR(CheckLine("origin", c.origin));
  std::string out = c.origin + "\n" + std::to_string(c.size) + "\n" + Base64Encode(c.root) + "\n";
  for (const auto& e : c.extensions) {
    VIGIL_RETURN_IF_ERROR(CheckLine("extension line", e));
    out += e + "\n";
  }
  return out;
}

Result<Checkpoint> ParseCheckpoint(std::string_view body) {
  if (body.empty() || body.back() != '\n') {
    return DataLossError("checkpoint: body must end with a newline");
  }
  std::vector<std::string_view> lines;
  for (size_t start = 0; start < body.size();) {
    size_t nl = body.find('\n', start);
    lines.push_back(body.substr(start, nl - start));
    start = nl + 1;
  }
  if (lines.size() < 3) {
    return DataLossError("checkpoint: expected origin, size and root lines, found " +
                         std::to_string(lines.size()) + " lines");
  }
  Checkpoint c;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty())
      return DataLossError("checkpoint: line " + std::to_string(i + 1) + " is empty");
  }
  c.origin = lines[0];
  std::string_view sz = lines[1];
  auto [end, ec] = std::from_chars(sz.data(), sz.data() + sz.size(), c.size);
  if (ec != std::errc() || end != sz.data() + sz.size() || (sz.size() > 1 && sz[0] == '0')) {
    return DataLossError(
        "checkpoint: line 2 (tree size) must be a decimal number without "
        "leading zeros, found \"" +
        std::string(sz.substr(0, 30)) + "\"");
  }
  auto root = Base64Decode(lines[2]);
  if (!root || root->size() != 32) {
    return DataLossError("checkpoint: line 3 (root hash) must be 32 bytes in standard base64");
  }
  std::copy(root->begin(), root->end(), c.root.begin());
  for (size_t i = 3; i < lines.size(); ++i) c.extensions.emplace_back(lines[i]);
  return c;
}

// ---- signers and verifiers ----
Result<std::unique_ptr<NoteSigner>> NoteSigner::Create(std::string name,
                                                       std::unique_ptr<crypto::SigningKey> key) {
  if (!ValidKeyName(name)) {
    return InvalidArgumentError("signed note: key name \"" + name +
                                "\" must be non-empty, without spaces, '+' or control characters");
  }
  if (!key) return InvalidArgumentError("signed note: no key");
  std::unique_ptr<NoteSigner> s(new NoteSigner());
  VIGIL_ASSIGN_OR_RETURN(s->material_, Material(*key->PublicKey()));
  s->name_ = std::move(name);
  s->key_id_ = KeyId(s->name_, s->material_);
  s->key_ = std::move(key);
  return s;
}

std::string NoteSigner::VerifierKey() const {
  return name_ + "+" + Hex8(key_id_) + "+" + Base64Encode(material_);
}

Result<Bytes> NoteSigner::Sign(std::string_view text) const {
  if (IsMlDsa(key_->algorithm())) return crypto::pq::MlDsaSign(*key_, AsBytes(text), {});
  return key_->Sign(AsBytes(text));
}

Result<std::unique_ptr<NoteVerifier>> NoteVerifier::Parse(std::string_view vkey) {
  auto bad = [](std::string why) { return InvalidArgumentError("verifier key: " + why); };
  size_t p1 = vkey.find('+');
  size_t p2 = p1 == std::string_view::npos ? p1 : vkey.find('+', p1 + 1);
  if (p2 == std::string_view::npos) return bad("expected <name>+<hex key ID>+<base64 key>");
  std::unique_ptr<NoteVerifier> v(new NoteVerifier());
  v->name_ = std::string(vkey.substr(0, p1));
  if (!ValidKeyName(v->name_)) return bad("invalid key name");
  std::string_view hex = vkey.substr(p1 + 1, p2 - p1 - 1);
  auto id = HexDecode(hex);
  if (!id || id->size() != 4) return bad("key ID must be 8 hex digits");
  auto material = Base64Decode(vkey.substr(p2 + 1));
  if (!material || material->empty()) return bad("key must be standard base64");
  const Bytes& m = *material;
  if (m[0] == kTypeEd25519) {
    VIGIL_ASSIGN_OR_RETURN(v->key_, crypto::Ed25519PublicKey(ByteView(m).subspan(1)));
  } else if (m[0] == kTypeExtension) {
    auto nl = std::find(m.begin() + 1, m.end(), uint8_t{'\n'});
    if (nl == m.end()) return bad("extension key without an algorithm name");
    std::string alg_name(m.begin() + 1, nl);
    auto info = crypto::FindAlgorithm(alg_name);
    if (!info || !IsMlDsa(info->id)) return bad("unsupported algorithm \"" + alg_name + "\"");
    ByteView pk = ByteView(m).subspan(static_cast<size_t>(nl - m.begin()) + 1);
    VIGIL_ASSIGN_OR_RETURN(v->key_, crypto::pq::MlDsaPublicKey(info->id, pk));
  } else {
    return bad("unknown signature type " + std::to_string(m[0]));
  }
  v->key_id_ = KeyId(v->name_, m);
  uint32_t given = (uint32_t{(*id)[0]} << 24) | (uint32_t{(*id)[1]} << 16) |
                   (uint32_t{(*id)[2]} << 8) | (*id)[3];
  if (given != v->key_id_) return bad("key ID does not match the name and key");
  return v;
}

Status NoteVerifier::Verify(std::string_view text, ByteView sig) const {
  if (IsMlDsa(key_->algorithm())) return crypto::pq::MlDsaVerify(*key_, AsBytes(text), {}, sig);
  return key_->Verify(AsBytes(text), sig);
}

Result<std::string> SignNote(std::string_view text, std::span<NoteSigner* const> signers) {
  if (text.empty() || text.back() != '\n') {
    return InvalidArgumentError("signed note: text must end with a newline");
  }
  if (signers.empty()) return InvalidArgumentError("signed note: no signer");
  std::string out(text);
  out += "\n";
  for (const NoteSigner* s : signers) {
    VIGIL_ASSIGN_OR_RETURN(Bytes sig, s->Sign(text));
    Bytes blob;
    uint32_t id = s->key_id();
    for (int i = 3; i >= 0; --i) blob.push_back(static_cast<uint8_t>(id >> (8 * i)));
    Append(blob, sig);
    out += std::string(kEmDash) + " " + s->name() + " " + Base64Encode(blob) + "\n";
  }
  return out;
}

Result<OpenedNote> OpenNote(std::string_view note, std::span<NoteVerifier* const> known) {
  size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) {
    return DataLossError("signed note: no blank line between text and signatures");
  }
  OpenedNote out;
  out.text = std::string(note.substr(0, split + 1));
  std::string_view sigs = note.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n') {
    return DataLossError("signed note: signature lines must end with a newline");
  }
  size_t line_no = 0;
  while (!sigs.empty()) {
    ++line_no;
    size_t nl = sigs.find('\n');
    std::string_view line = sigs.substr(0, nl);
    sigs.remove_prefix(nl + 1);
    auto bad = [&](std::string why) {
      return DataLossError("signed note: signature line " + std::to_string(line_no) + ": " + why);
    };
    if (!line.starts_with(kEmDash) || line.size() < kEmDash.size() + 1 ||
        line[kEmDash.size()] != ' ') {
      return bad("must start with an em dash and a space");
    }
    line.remove_prefix(kEmDash.size() + 1);
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return bad("expected \"<name> <base64 signature>\"");
    std::string_view name = line.substr(0, sp);
    auto blob = Base64Decode(line.substr(sp + 1));
    if (!blob || blob->size() < 5) return bad("signature is not base64 of a key ID and signature");
    uint32_t id = (uint32_t{(*blob)[0]} << 24) | (uint32_t{(*blob)[1]} << 16) |
                  (uint32_t{(*blob)[2]} << 8) | (*blob)[3];
    const NoteVerifier* v = nullptr;
    for (const NoteVerifier* k : known) {
      if (k->name() == name && k->key_id() == id) v = k;
    }
    if (v == nullptr) {
      ++out.unknown_signatures;
      continue;
    }
    if (Status s = v->Verify(out.text, ByteView(*blob).subspan(4)); !s) {
      return UnauthenticatedError("signed note: signature by " + std::string(name) +
                                  " does not verify");
    }
    out.verified_by.emplace_back(name);
  }
  if (out.verified_by.empty()) {
    return UnauthenticatedError("signed note: no signature from a known key (" +
                                std::to_string(out.unknown_signatures) + " from unknown keys)");
  }
  return out;
}

// ---- writer ----
CheckpointWriter::CheckpointWriter(Env& env, std::string state_path, std::string origin,
                                   std::vector<NoteSigner*> signers)
    : env_(env),
      state_path_(std::move(state_path)),
      origin_(std::move(origin)),
      signers_(std::move(signers)) {}

Result<std::optional<Checkpoint>> CheckpointWriter::Last() const {
  if (!env_.FileExists(state_path_)) return std::optional<Checkpoint>();
  VIGIL_ASSIGN_OR_RETURN(Bytes note, env_.ReadFile(state_path_));
  std::string_view text = AsStringView(note);
  size_t split = text.rfind("\n\n");
  if (split == std::string_view::npos) {
    return DataLossError(state_path_ + ": not a signed note");
  }
  auto c = ParseCheckpoint(text.substr(0, split + 1));
  if (!c) return DataLossError(state_path_ + ": " + c.error().message());
  return std::optional<Checkpoint>(std::move(*c));
}

Result<std::string> CheckpointWriter::SignChecked(uint64_t size, const Hash& root,
                                                  const std::optional<Checkpoint>& last,
                                                  const Hash& old_root_now) {
  if (last) {
    if (last->origin != origin_) {
      return FailedPreconditionError(
          state_path_ + ": this log's checkpoints are signed for origin \"" + last->origin +
          "\", not \"" + origin_ + "\"; a log's origin is its name and never changes");
    }
    if (last->size > size) {
      return FailedPreconditionError("checkpoint: the log has " + std::to_string(size) +
                                     " entries but checkpoint " + std::to_string(last->size) +
                                     " was already signed (rolled back or lost entries); "
                                     "refusing to sign an inconsistent checkpoint");
    }
    if (old_root_now != last->root) {
      return FailedPreconditionError(
          "checkpoint: the log's first " + std::to_string(last->size) +
          " entries no longer match the last signed checkpoint (rewritten history); refusing "
          "to sign an inconsistent checkpoint");
    }
  }
  Checkpoint c{origin_, size, root, {}};
  VIGIL_ASSIGN_OR_RETURN(std::string body, FormatCheckpoint(c));
  VIGIL_ASSIGN_OR_RETURN(std::string note, SignNote(body, signers_));
  VIGIL_RETURN_IF_ERROR(env_.WriteFileAtomic(state_path_, AsBytes(note)));
  return note;
}

}  // namespace vigil::audit
