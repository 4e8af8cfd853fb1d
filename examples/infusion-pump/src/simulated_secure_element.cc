#include "simulated_secure_element.h"

#include <algorithm>

#include "vigil/core/encoding.h"

namespace pump {

using vigil::Result;
using vigil::Status;
using vigil::crypto::SecretBytes;

Result<std::string> SimulatedSecureElement::SlotPath(std::string_view slot) const {
  const bool ok =
      !slot.empty() && slot.size() <= 32 && std::all_of(slot.begin(), slot.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      });
  if (!ok) {
    return vigil::InvalidArgumentError(Name() + ": slot \"" + vigil::OneLine(slot) +
                                       "\": expected 1 to 32 of [a-z0-9-]");
  }
  return vigil::JoinPath(dir_, std::string(slot) + ".key");
}

Status SimulatedSecureElement::Answering() const {
  if (!locked_ && !env_.FileExists(vigil::JoinPath(dir_, kLockFile))) return vigil::OkStatus();
  return vigil::UnavailableError(Name() + ": the secure element does not answer (locked)");
}

Result<SecretBytes> SimulatedSecureElement::ReadKey(std::string_view slot) {
  VIGIL_RETURN_IF_ERROR(Answering());
  VIGIL_ASSIGN_OR_RETURN(std::string path, SlotPath(slot));
  if (!env_.FileExists(path)) return vigil::NotFoundError(path + ": slot empty");
  VIGIL_ASSIGN_OR_RETURN(vigil::Bytes bytes, env_.ReadFileLimited(path, 64, "a key slot"));
  SecretBytes key = SecretBytes::CopyFrom(bytes);
  vigil::crypto::SecureZero(bytes);
  return key;
}

Status SimulatedSecureElement::WriteKey(std::string_view slot, const SecretBytes& key) {
  VIGIL_RETURN_IF_ERROR(Answering());
  VIGIL_ASSIGN_OR_RETURN(std::string path, SlotPath(slot));
  VIGIL_RETURN_IF_ERROR(env_.CreateDir(dir_));
  VIGIL_RETURN_IF_ERROR(env_.WriteFileAtomic(path, key.Reveal()));
  return env_.SetFileMode(path, 0600);
}

Status SimulatedSecureElement::ZeroizeKey(std::string_view slot) {
  VIGIL_RETURN_IF_ERROR(Answering());
  VIGIL_ASSIGN_OR_RETURN(std::string path, SlotPath(slot));
  if (!env_.FileExists(path)) return vigil::OkStatus();
  VIGIL_ASSIGN_OR_RETURN(uint64_t size, env_.GetFileSize(path));
  VIGIL_ASSIGN_OR_RETURN(auto file, env_.NewWritableFile(path));
  VIGIL_RETURN_IF_ERROR(file->Append(vigil::Bytes(size, 0)));
  VIGIL_RETURN_IF_ERROR(file->Sync());
  VIGIL_RETURN_IF_ERROR(file->Close());
  VIGIL_RETURN_IF_ERROR(env_.RemoveFile(path));
  return env_.SyncDir(dir_);
}

}  // namespace pump
