// The dashboard's login sessions: an operator pastes a bearer token once (operator_tokens.h) and
// gets a session cookie instead. The cookie holds only a random 256-bit id; the server keeps, per
// SHA-256 of the id, the token's hash and name, a per-session CSRF token and the expiry (idle and
// absolute), so a session can be ended or expire on the server whatever the browser keeps.
//
// Security property: an id is looked up by its hash (a timing leak of the map reveals nothing of
// a live id); an expired or removed id finds nothing; the number of sessions is bounded (the one
// closest to expiry is dropped first).
// Thread-safety: thread-safe (one mutex).
#ifndef VIGIL_SERVER_INTERNAL_DASHBOARD_SESSIONS_H_
#define VIGIL_SERVER_INTERNAL_DASHBOARD_SESSIONS_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "vigil/core/env.h"
#include "vigil/core/result.h"
#include "vigil/fleet/fleet.h"

namespace vigil::server {

struct Session {
  std::string token_hash;  // the operator token's SHA-256 (checked again on every request)
  std::string token_name;
  std::string csrf;               // the form token of this session (43 base64url characters)
  int64_t idle_until_ns = 0;      // monotonic
  int64_t absolute_until_ns = 0;  // monotonic
};

struct NewSession {
  std::string id;  // the cookie value: 43 base64url characters
  Session session;
};

class SessionStore {
 public:
  static constexpr int64_t kIdleNanos = 15LL * 60 * 1000000000;       // 15 minutes
  static constexpr int64_t kAbsoluteNanos = 8LL * 3600 * 1000000000;  // 8 hours

  explicit SessionStore(Env& env, size_t max_sessions = 1024)
      : env_(env), max_sessions_(max_sessions) {}

  // A new session for `token` (random id and CSRF token from the Env). Errors of the randomness.
  Result<NewSession> Create(const fleet::OperatorToken& token);
  // The live session of cookie value `id` (its idle expiry moved on), or nothing.
  std::optional<Session> Find(std::string_view id);
  // Ends the session of `id` (nothing when there is none).
  void Remove(std::string_view id);
  size_t size();

 private:
  Env& env_;
  const size_t max_sessions_;
  std::mutex mu_;
  std::map<std::string, Session> sessions_;  // by SHA-256 hex of the id
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_INTERNAL_DASHBOARD_SESSIONS_H_
