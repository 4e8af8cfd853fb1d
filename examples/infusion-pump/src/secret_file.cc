#include "secret_file.h"

namespace pump {

using vigil::crypto::SecretBytes;

vigil::Result<SecretBytes> ReadSecretFile(vigil::Env& env, const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(vigil::Bytes text, env.ReadFileLimited(path, 1024, "a secret"));
  size_t n = text.size();
  while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r')) --n;
  SecretBytes secret = SecretBytes::CopyFrom(vigil::ByteView(text.data(), n));
  vigil::crypto::SecureZero(text);
  return secret;
}

vigil::Status WriteSecretFile(vigil::Env& env, const std::string& path, const SecretBytes& secret) {
  if (env.FileExists(path)) return vigil::AlreadyExistsError(path + ": exists; not overwritten");
  SecretBytes line(secret.size() + 1);
  std::copy(secret.Reveal().begin(), secret.Reveal().end(), line.MutableReveal().begin());
  line.MutableReveal()[secret.size()] = '\n';
  VIGIL_RETURN_IF_ERROR(env.WriteFileAtomic(path, line.Reveal()));
  return env.SetFileMode(path, 0600);
}

}  // namespace pump
