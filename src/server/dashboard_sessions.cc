// The dashboard's login sessions (internal/dashboard_sessions.h).
#include "internal/dashboard_sessions.h"

#include <algorithm>
#include <array>

#include "vigil/core/encoding.h"
#include "vigil/crypto/hash.h"

namespace vigil::server {
namespace {

Result<std::string> RandomToken(Env& env) {
  std::array<uint8_t, 32> bytes{};
  VIGIL_RETURN_IF_ERROR(env.FillRandom(bytes));
  return Base64UrlEncode(bytes);
}

std::string Key(std::string_view id) { return HexEncode(crypto::Sha256(AsBytes(id))); }

bool Live(const Session& s, int64_t now) {
  return now < s.idle_until_ns && now < s.absolute_until_ns;
}

}  // namespace

Result<NewSession> SessionStore::Create(const fleet::OperatorToken& token) {
  NewSession out;
  VIGIL_ASSIGN_OR_RETURN(out.id, RandomToken(env_));
  VIGIL_ASSIGN_OR_RETURN(out.session.csrf, RandomToken(env_));
  const int64_t now = env_.NowMonotonicNanos();
  out.session.token_hash = token.hash_hex;
  out.session.token_name = token.name;
  out.session.idle_until_ns = now + kIdleNanos;
  out.session.absolute_until_ns = now + kAbsoluteNanos;
  std::lock_guard lock(mu_);
  std::erase_if(sessions_, [now](const auto& kv) { return !Live(kv.second, now); });
  if (sessions_.size() >= max_sessions_) {
    auto soonest = std::min_element(sessions_.begin(), sessions_.end(), [](auto& a, auto& b) {
      return a.second.idle_until_ns < b.second.idle_until_ns;
    });
    sessions_.erase(soonest);
  }
  sessions_[Key(out.id)] = out.session;
  return out;
}

std::optional<Session> SessionStore::Find(std::string_view id) {
  if (id.empty()) return std::nullopt;
  const int64_t now = env_.NowMonotonicNanos();
  std::lock_guard lock(mu_);
  auto it = sessions_.find(Key(id));
  if (it == sessions_.end()) return std::nullopt;
  if (!Live(it->second, now)) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.idle_until_ns = now + kIdleNanos;
  return it->second;
}

void SessionStore::Remove(std::string_view id) {
  std::lock_guard lock(mu_);
  sessions_.erase(Key(id));
}

size_t SessionStore::size() {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

}  // namespace vigil::server
