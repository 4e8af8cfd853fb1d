// The watched advisory folder (feed_watch.h).
#include "vigil/fleet/feed_watch.h"

#include "vigil/core/encoding.h"
#include "vigil/crypto/hash.h"

namespace vigil::fleet {

Result<std::vector<std::string>> FeedFolder::Changed(Env& env) {
  Result<std::vector<std::string>> names = env.GetChildren(dir_);
  if (!names) {
    seen_.clear();
    return names.error();
  }
  std::map<std::string, std::string> now;
  std::vector<std::string> changed;
  for (const std::string& name : *names) {  // GetChildren sorts them
    if (name.empty() || name[0] == '.') continue;
    const std::string path = dir_ + "/" + name;
    Result<Bytes> content = env.ReadFile(path);
    if (!content) continue;  // a subfolder, or removed since the listing
    std::string digest = HexEncode(crypto::Sha256(*content));
    auto before = seen_.find(name);
    if (before == seen_.end() || before->second != digest) changed.push_back(path);
    now.emplace(name, std::move(digest));
  }
  seen_ = std::move(now);  // a removed file is forgotten: put back, it is read again
  return changed;
}

void FeedFolder::Forget(std::span<const std::string> paths) {
  for (const std::string& path : paths) {
    if (path.starts_with(dir_ + "/")) seen_.erase(path.substr(dir_.size() + 1));
  }
}

Result<WatchRound> ImportAndReevaluate(Fleet& fleet, vuln::AdvisoryDb& db, triage::Register& reg,
                                       std::span<const std::string> files, Env& env) {
  WatchRound round;
  vuln::ImportOptions options;
  options.keep_going = true;  // one malformed feed must not hold back the others
  VIGIL_ASSIGN_OR_RETURN(round.imported,
                         vuln::ImportFeeds(env, db, {files.begin(), files.end()}, options));
  VIGIL_ASSIGN_OR_RETURN(round.reevaluation,
                         Reevaluate(fleet, db, reg, round.imported.changed, env));
  return round;
}

}  // namespace vigil::fleet
