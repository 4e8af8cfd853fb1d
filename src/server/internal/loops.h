// The server's own background loops (server.h, "Background loops"): the webhook deliverer,
// which sends the fleet's outbox (fleet/webhook.h), and the watcher of an advisory folder,
// which imports new or changed feeds and re-evaluates the fleet (fleet/feed_watch.h). Each loop
// has its own thread and its own connections to the databases, so a slow webhook receiver or a
// large import never holds the mutex the API's handlers take; SQLite's busy timeout and
// PostgreSQL's transactions order their writes with the API's.
#ifndef VIGIL_SERVER_INTERNAL_LOOPS_H_
#define VIGIL_SERVER_INTERNAL_LOOPS_H_

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "vigil/core/env.h"
#include "vigil/core/result.h"
#include "vigil/server/server.h"

namespace vigil::server {

class BackgroundLoops {
 public:
  // Opens what the loops use (errors name the option: --watch without --vulndb or --register,
  // an unreadable database) and starts their threads.
  static Result<std::unique_ptr<BackgroundLoops>> Start(const ServerOptions& options, Env& env);
  ~BackgroundLoops();  // stops
  BackgroundLoops(const BackgroundLoops&) = delete;
  BackgroundLoops& operator=(const BackgroundLoops&) = delete;

  // Ends both loops after the round each is in (idempotent).
  void Stop();

  struct Parts;

 private:
  explicit BackgroundLoops(std::unique_ptr<Parts> parts);
  // Waits up to `millis`, until Stop or until `poked` (a flag of Parts, under mu_) is set;
  // clears it; false once stopped.
  bool Sleep(int64_t millis, bool& poked);
  void Deliver();
  void Watch();

  std::unique_ptr<Parts> parts_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread deliverer_, watcher_;
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_INTERNAL_LOOPS_H_
