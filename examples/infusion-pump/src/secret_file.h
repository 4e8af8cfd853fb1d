// Secrets handed to pumpd in files (a provisioning secret, a password): never on the command
// line, where other users could read them in the process list.
#ifndef PUMP_SECRET_FILE_H_
#define PUMP_SECRET_FILE_H_

#include <string>

#include "vigil/core/env.h"
#include "vigil/crypto/secret_bytes.h"

namespace pump {

// The file's content without trailing newlines (at most 1 KiB).
vigil::Result<vigil::crypto::SecretBytes> ReadSecretFile(vigil::Env& env, const std::string& path);

// Writes `secret` and a newline to a new file of mode 0600. AlreadyExists if `path` exists.
vigil::Status WriteSecretFile(vigil::Env& env, const std::string& path,
                              const vigil::crypto::SecretBytes& secret);

}  // namespace pump

#endif  // PUMP_SECRET_FILE_H_
