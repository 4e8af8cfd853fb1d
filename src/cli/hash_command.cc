// `vigil hash [--alg sha256|sha384|sha512|sha3-256] FILE...`: sha256sum-compatible lines,
// reading each file in 1 MiB chunks so large images hash in constant memory.
#include <cstdio>
#include <memory>
#include <vector>

#include "command.h"
#include "vigil/core/encoding.h"
#include "vigil/core/env.h"
#include "vigil/crypto/hash.h"

namespace vigil::cli {
namespace {

struct Options {
  std::string alg = "sha256";
  std::vector<std::string> files;
};

Result<Bytes> HashFile(crypto::AlgorithmId alg, const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(crypto::Hasher hasher, crypto::Hasher::Create(alg));
  if (path == "-") {
    uint8_t buf[1 << 16];
    size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) hasher.Update({buf, n});
    return hasher.Finish();
  }
  VIGIL_ASSIGN_OR_RETURN(auto file, Env::Default()->NewRandomAccessFile(path));
  constexpr size_t kChunk = 1 << 20;
  for (uint64_t off = 0;; off += kChunk) {
    VIGIL_ASSIGN_OR_RETURN(Bytes chunk, file->Read(off, kChunk));
    hasher.Update(chunk);
    if (chunk.size() < kChunk) break;
  }
  return hasher.Finish();
}

int Run(const Options& o) {
  auto info = crypto::FindAlgorithm(o.alg);
  if (!info || info->kind != crypto::AlgorithmKind::kHash) {
    return ReportError(
        "hash",
        InvalidArgumentError("--alg " + o.alg + ": expected sha256, sha384, sha512 or sha3-256"));
  }
  int rc = kExitOk;
  for (const std::string& f : o.files) {
    auto digest = HashFile(info->id, f);
    if (!digest) {
      rc = ReportError("hash", digest.error());
      continue;
    }
    std::printf("%s  %s\n", HexEncode(*digest).c_str(), f.c_str());
  }
  return rc;
}

void Setup(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("hash", "Hash files (output like sha256sum)");
  cmd->add_option("--alg", opts->alg, "sha256, sha384, sha512 or sha3-256")->capture_default_str();
  cmd->add_option("files", opts->files, "Files ('-' for standard input)")->required();
  cmd->callback([opts] { SetExitCode(Run(*opts)); });
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
