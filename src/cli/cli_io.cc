#include "cli_io.h"

#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "vigil/core/dates.h"
#include "vigil/core/encoding.h"
#include "vigil/core/env.h"
#include "vigil/crypto/hash.h"

#ifndef VIGIL_DOC_FROM_BIN
#error "VIGIL_DOC_FROM_BIN names the documentation's folder from bin/ (src/cli/CMakeLists.txt)"
#endif

namespace vigil::cli {

namespace {

// Standard input up to `stop_after` bytes (a pipe has no size to check first: reading stops
// one buffer past the bound).
Result<Bytes> ReadStdin(uint64_t stop_after) {
  Bytes out;
  uint8_t buf[65536];
  size_t n = 0;
  while (out.size() <= stop_after && (n = std::fread(buf, 1, sizeof buf, stdin)) > 0) {
    out.insert(out.end(), buf, buf + n);
  }
  if (std::ferror(stdin)) return UnavailableError("standard input: read error");
  return out;
}

}  // namespace

Result<Bytes> ReadInput(const std::string& path) {
  if (path != "-") return Env::Default()->ReadFile(path);
  return ReadStdin(UINT64_MAX);
}

Result<Bytes> ReadInputLimited(const std::string& path, uint64_t max_bytes, std::string_view what) {
  if (path != "-") return Env::Default()->ReadFileLimited(path, max_bytes, what);
  VIGIL_ASSIGN_OR_RETURN(Bytes out, ReadStdin(max_bytes));
  if (out.size() > max_bytes) {
    return ResourceExhaustedError("standard input: more than " + std::to_string(max_bytes) +
                                  " bytes, over the " + HumanBytes(max_bytes) + " limit for " +
                                  std::string(what));
  }
  return out;
}

namespace {

Status RefuseToReplace(const std::string& path, bool force) {
  if (!force && Env::Default()->FileExists(path)) {
    return AlreadyExistsError(path + ": exists; use --force to replace it");
  }
  return OkStatus();
}

}  // namespace

Status WriteOutput(const std::string& path, ByteView data, bool force) {
  VIGIL_RETURN_IF_ERROR(RefuseToReplace(path, force));
  return Env::Default()->WriteFileAtomic(path, data);
}

Result<AtomicFile> CreateOutput(const std::string& path, bool force) {
  VIGIL_RETURN_IF_ERROR(RefuseToReplace(path, force));
  return AtomicFile::Create(Env::Default(), path);
}

Status WritePublicOutput(const std::string& path, ByteView data, bool force) {
  VIGIL_RETURN_IF_ERROR(WriteOutput(path, data, force));
  return Env::Default()->SetFileMode(path, 0644);
}

Status CheckCsafPublisher(const std::string& name, const std::string& ns) {
  if (name.empty() || ns.empty()) {
    return InvalidArgumentError(
        "--format csaf: --publisher NAME and --publisher-namespace URL are required (CSAF 2.0 "
        "document.publisher: who issues the document, e.g. --publisher 'Example Medical' "
        "--publisher-namespace https://example-medical.com)");
  }
  const size_t scheme = ns.find("://");
  if ((ns.rfind("https://", 0) != 0 && ns.rfind("http://", 0) != 0) || scheme + 3 >= ns.size() ||
      ns.find_first_of(" \t\r\n") != std::string::npos) {
    return InvalidArgumentError(
        "--publisher-namespace: expected an http(s) URL such as "
        "https://example-medical.com, got '" +
        OneLine(ns) + "'");
  }
  return OkStatus();
}

Result<vuln::csaf::Tlp> ParseTlpOption(const std::string& label) {
  if (auto tlp = vuln::csaf::ParseTlp(label)) return *tlp;
  return InvalidArgumentError(
      "--tlp: expected WHITE, GREEN, AMBER or RED (the TLP 1.0 labels "
      "CSAF 2.0 knows), got '" +
      OneLine(label) + "'");
}

Result<std::string> InstalledPath(std::string_view from_bin) {
  std::string exe(4096, '\0');
  const ssize_t n = readlink("/proc/self/exe", exe.data(), exe.size());
  if (n <= 0 || static_cast<size_t>(n) == exe.size()) {
    return InternalError(std::string("/proc/self/exe: cannot read the executable's path: ") +
                         (n < 0 ? std::strerror(errno) : "too long"));
  }
  exe.resize(static_cast<size_t>(n));
  return std::filesystem::path(JoinPath(DirName(exe), from_bin)).lexically_normal().string();
}

std::string InstalledDocumentation() {
  Result<std::string> readme = InstalledPath(VIGIL_DOC_FROM_BIN "/README.md");
  return readme && Env::Default()->FileExists(*readme) ? *readme : std::string();
}

std::string NowRfc3339() { return FormatRfc3339Seconds(Env::Default()->NowUnixMicros() / 1000000); }

std::string ContentUuid(std::string_view content) {
  crypto::Sha256Digest d = crypto::Sha256(AsBytes(content));
  d[6] = static_cast<uint8_t>((d[6] & 0x0f) | 0x80);
  d[8] = static_cast<uint8_t>((d[8] & 0x3f) | 0x80);
  std::string h = HexEncode(ByteView(d.data(), 16));
  return "urn:uuid:" + h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" +
         h.substr(16, 4) + "-" + h.substr(20);
}

}  // namespace vigil::cli
