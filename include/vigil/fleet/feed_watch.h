// A watched advisory folder: what `vigil serve --watch DIR` re-evaluates the fleet from.
//
// FeedFolder remembers the files directly in a folder by the SHA-256 of their content and
// returns, on each call, the ones that appeared or whose content changed since the last call.
// Hidden files (a leading '.') are skipped, so a feed written under a dot name and renamed into
// place (what an atomic writer does) is read once, whole. Subfolders are not watched.
// ImportAndReevaluate then imports those files (vuln::ImportFeeds, keep_going: a malformed
// document is refused alone and listed) and re-evaluates the fleet for the advisories the import
// added or changed (reevaluate.h), which files the new findings in the register and enqueues
// their finding.new webhooks.
//
// Thread-safety: a FeedFolder belongs to one thread at a time; ImportAndReevaluate is as
// Fleet, Register and AdvisoryDb (one thread at a time each).
#ifndef VIGIL_FLEET_FEED_WATCH_H_
#define VIGIL_FLEET_FEED_WATCH_H_

#include <map>
#include <span>
#include <string>
#include <vector>

#include "vigil/core/env.h"
#include "vigil/core/result.h"
#include "vigil/fleet/fleet.h"
#include "vigil/fleet/reevaluate.h"
#include "vigil/triage/register.h"
#include "vigil/vuln/advisory_db.h"
#include "vigil/vuln/feed_import.h"

namespace vigil::fleet {

class FeedFolder {
 public:
  explicit FeedFolder(std::string dir) : dir_(std::move(dir)) {}

  // The paths ("DIR/name") of the files new or changed since the previous call (every file on
  // the first), sorted by name. An entry that cannot be read as a file (a subfolder, a file
  // removed meanwhile) is skipped. NotFound / Unavailable (from Env) when the folder cannot be
  // listed; the folder is then rescanned whole on the next call.
  Result<std::vector<std::string>> Changed(Env& env);
  // Forgets `paths` (as Changed returned them), so the next Changed returns them again: for
  // files whose import failed for a reason of the database, not of their content.
  void Forget(std::span<const std::string> paths);

 private:
  std::string dir_;
  std::map<std::string, std::string> seen_;  // name → SHA-256 (hex) of the content last seen
};

struct WatchRound {
  vuln::ImportReport imported;
  ReevaluationReport reevaluation;
};

// Imports `files` into `db` and re-evaluates `fleet` for what the import added or changed.
// Errors: ImportFeeds' (a database error) and Reevaluate's, unchanged.
Result<WatchRound> ImportAndReevaluate(Fleet& fleet, vuln::AdvisoryDb& db, triage::Register& reg,
                                       std::span<const std::string> files, Env& env);

}  // namespace vigil::fleet

#endif  // VIGIL_FLEET_FEED_WATCH_H_
