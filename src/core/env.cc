// The composed Env operations (defined once over the primitives, so FaultInjectingEnv's faults
// reach them too) and path helpers.
#include "vigil/core/env.h"

namespace vigil {

Status Env::WriteFileAtomic(const std::string& path, ByteView data) {
  // A crash before the rename leaves the old file (and maybe a stray tmp); after the directory
  // sync, the new one.
  VIGIL_RETURN_IF_ERROR(ReplaceFile(path, data, /*sync_data=*/true));
  return SyncDir(DirName(path));
}

Status Env::ReplaceFile(const std::string& path, ByteView data, bool sync_data) {
  const std::string tmp = path + ".tmp";
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, NewWritableFile(tmp));
  Status s = file->Append(data);
  if (s && sync_data) s = file->Sync();
  Status c = file->Close();
  if (s && !c) s = c;
  if (!s) {
    (void)RemoveFile(tmp);  // best effort; the error that matters is `s`
    return s;
  }
  return RenameFile(tmp, path);
}

Status Env::AppendFileDurable(const std::string& path, ByteView data) {
  const bool existed = FileExists(path);
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, NewAppendableFile(path));
  VIGIL_RETURN_IF_ERROR(file->Append(data));
  VIGIL_RETURN_IF_ERROR(file->Sync());
  VIGIL_RETURN_IF_ERROR(file->Close());
  // A new file's directory entry must be durable too, or its synced bytes are unreachable.
  if (!existed) VIGIL_RETURN_IF_ERROR(SyncDir(DirName(path)));
  return OkStatus();
}

Result<Bytes> Env::RandomBytes(size_t n) {
  Bytes out(n);
  VIGIL_RETURN_IF_ERROR(FillRandom(out));
  return out;
}

std::string DirName(std::string_view path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

std::string JoinPath(std::string_view dir, std::string_view name) {
  if (dir.empty() || dir == ".") return std::string(name);
  std::string out(dir);
  if (out.back() != '/') out.push_back('/');
  out.append(name);
  return out;
}

}  // namespace vigil
