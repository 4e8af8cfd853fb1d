// The private half of vigil::update::Repository (vigil/update/repository.h): the staged TUF
// documents (json::Value trees, edited in place) and the code that edits, signs and publishes
// them. Repository forwards every call; the semantics are documented there.
//
// Thread-safety: as Repository (one user at a time).
#ifndef VIGIL_SRC_UPDATE_INTERNAL_REPOSITORY_IMPL_H_
#define VIGIL_SRC_UPDATE_INTERNAL_REPOSITORY_IMPL_H_

#include "vigil/core/json.h"
#include "vigil/update/repository.h"

namespace vigil::update::internal {

class RepositoryImpl {
 public:
  static Result<RepositoryImpl> Init(Env* env, const std::string& dir,
                                     const RepoInitOptions& options, int64_t now);

  static Result<RepositoryImpl> Open(Env* env, const std::string& dir);

  Status AddTarget(const std::string& role, const std::string& target_path, ByteView content,
                   const json::Value& custom, int64_t now);

  Status Delegate(const DelegationOptions& options, int64_t now);

  Status Rotate(const RotateOptions& options, int64_t now);

  Status Sign(const std::string& role, const RepoKey& key);

  Status SetExpiry(const std::string& role, std::optional<int64_t> duration,
                   std::optional<int64_t> at, int64_t now);

  Result<PublishReport> Publish(int64_t now);

  Status Save();

  Result<const json::Value*> Staged(const std::string& role) const;
  const std::string& dir() const { return dir_; }

 private:
  RepositoryImpl(Env* env, std::string dir) : env_(env), dir_(std::move(dir)) {}

  Status MarkChanged(const std::string& role, int64_t now);
  Status RotateDelegated(const RotateOptions& options, int64_t now);
  void UpdateOnlineKeys(const RotateOptions& options);
  Status CheckNotRootKeys(const std::string& what, const std::vector<RepoKey>& keys) const;
  Result<std::pair<std::string, json::Value*>> Delegation(const std::string& role);
  Result<std::pair<json::Value, json::Value>> KeysOf(const std::string& role) const;
  Status CheckThreshold(const std::string& role, const json::Value& doc) const;
  Status CheckRootThresholds(const json::Value& doc) const;
  Status CheckFresh(const std::string& role, const json::Value& doc, int64_t now) const;
  Status MoveStagedTargets(size_t& moved);
  Status SignDocument(json::Value& doc, crypto::SigningKey& key, const std::string& keyid);
  Status SignWithOnlineKeys(const std::string& role, json::Value& doc);
  Result<json::Value> BuildOnlineRole(const std::string& role, json::Value meta, int64_t now);
  Result<json::Value> PreviousRoot() const;
  Status WritePublic(const std::string& rel, ByteView bytes);
  std::string MetadataName(const std::string& role, uint64_t version) const;

  Env* env_;
  std::string dir_;
  RepoState state_;
  std::map<std::string, json::Value> staged_;  // role → document
};

}  // namespace vigil::update::internal

#endif  // VIGIL_SRC_UPDATE_INTERNAL_REPOSITORY_IMPL_H_
