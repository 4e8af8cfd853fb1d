// Checkpoints: C2SP tlog-checkpoint bodies in C2SP signed-note format.
//
// Body:   "<origin>\n<tree size>\n<base64 root hash>\n" followed by optional extension lines.
// Note:   body, an empty line, then one signature line per key:
//         "— <key name> <base64(4-byte key ID || signature)>\n" (U+2014 EM DASH, space).
// Key ID: the first 4 bytes of SHA-256(key name || "\n" || key material), where key material
//         is the signature type byte followed by the public key.
//
// Signature types: 0x01 Ed25519 (as the signed-note spec defines it). Post-quantum lines use
// type 0xff — the value signed-note leaves for types it does not define — followed by the
// registry name of the algorithm ("ml-dsa-65"), a newline byte and the FIPS 204 public key; the
// signature is pure ML-DSA over the note text with an empty context. Verifiers that do not know
// a key ignore its line, as the spec requires, so classical verifiers keep working.
// Verifier keys ("vkeys") are written "<name>+<hex key ID>+<base64 key material>".
//
// CheckpointWriter guards the device against ever signing two inconsistent checkpoints: it keeps
// the last signed checkpoint durably and refuses to sign one whose tree does not extend it
// (smaller size, or a different root at the old size — the log was rolled back or rewritten).
//
// Thread-safety: NoteSigner/NoteVerifier are immutable after creation; CheckpointWriter is not
// thread-safe.
#ifndef VIGIL_AUDIT_CHECKPOINT_H_
#define VIGIL_AUDIT_CHECKPOINT_H_

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/audit/merkle.h"
#include "vigil/core/env.h"
#include "vigil/crypto/signature.h"

namespace vigil::audit {

struct Checkpoint {
  std::string origin;  // e.g. "vigil.example/pump-SN1234/audit"
  uint64_t size = 0;
  Hash root{};
  std::vector<std::string> extensions;  // extra body lines, each non-empty
  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

// InvalidArgument if the origin or an extension is empty or holds a newline or control byte.
Result<std::string> FormatCheckpoint(const Checkpoint& c);
// Strict: DataLoss naming the line when the size is not canonical decimal, the root not 32
// bytes of standard base64, a line empty, or the text does not end in a newline.
Result<Checkpoint> ParseCheckpoint(std::string_view body);

class NoteSigner {
 public:
  // `key` is Ed25519 or ML-DSA-44/65/87 (InvalidArgument otherwise). The name is a non-empty
  // string without spaces, '+' or newlines.
  static Result<std::unique_ptr<NoteSigner>> Create(std::string name,
                                                    std::unique_ptr<crypto::SigningKey> key);
  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  std::string VerifierKey() const;  // the vkey string to hand to verifiers
  Result<Bytes> Sign(std::string_view text) const;

 private:
  NoteSigner() = default;
  std::string name_;
  uint32_t key_id_ = 0;
  Bytes material_;
  std::unique_ptr<crypto::SigningKey> key_;
};

class NoteVerifier {
 public:
  // Parses a vkey string. InvalidArgument saying which part is wrong (name, hex ID that does
  // not match the key, unknown type, key length).
  static Result<std::unique_ptr<NoteVerifier>> Parse(std::string_view vkey);
  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  crypto::AlgorithmId algorithm() const { return key_->algorithm(); }
  Status Verify(std::string_view text, ByteView signature) const;

 private:
  NoteVerifier() = default;
  std::string name_;
  uint32_t key_id_ = 0;
  std::unique_ptr<crypto::VerifyingKey> key_;
};

// Signs `text` (which must end in '\n') with every signer, in order.
Result<std::string> SignNote(std::string_view text, std::span<NoteSigner* const> signers);

struct OpenedNote {
  std::string text;                      // the signed body
  std::vector<std::string> verified_by;  // names of the known keys whose signature verified
  size_t unknown_signatures = 0;         // lines from keys not in `known` (ignored)
};
// Splits a note and verifies the signature lines from known keys. Unauthenticated if none of
// `known` signed it or a known key's signature is wrong; DataLoss for a malformed note.
Result<OpenedNote> OpenNote(std::string_view note, std::span<NoteVerifier* const> known);

// Signs checkpoints for a log, never two inconsistent ones. The last signed note lives in
// `state_path` (atomic replace); `root_at(size)` must return the log's root at an older size.
class CheckpointWriter {
 public:
  CheckpointWriter(Env& env, std::string state_path, std::string origin,
                   std::vector<NoteSigner*> signers);
  // FailedPrecondition when the new tree does not extend the last signed one (rolled back or
  // rewritten log) or `origin` is not the last one's (an origin names one log for good); the
  // previous checkpoint stays in place. Returns the signed note.
  template <typename RootAt>
  Result<std::string> Sign(uint64_t size, const Hash& root, RootAt&& root_at);
  // The last signed checkpoint, if any (parsed from state_path, signatures not re-checked).
  Result<std::optional<Checkpoint>> Last() const;

 private:
  Result<std::string> SignChecked(uint64_t size, const Hash& root,
                                  const std::optional<Checkpoint>& last, const Hash& old_root_now);
  Env& env_;
  std::string state_path_;
  std::string origin_;
  std::vector<NoteSigner*> signers_;
};

template <typename RootAt>
Result<std::string> CheckpointWriter::Sign(uint64_t size, const Hash& root, RootAt&& root_at) {
  VIGIL_ASSIGN_OR_RETURN(std::optional<Checkpoint> last, Last());
  if (!last || last->size > size) return SignChecked(size, root, last, Hash{});  // checked inside
  VIGIL_ASSIGN_OR_RETURN(Hash old_now, root_at(last->size));
  return SignChecked(size, root, last, old_now);
}

}  // namespace vigil::audit

#endif  // VIGIL_AUDIT_CHECKPOINT_H_
