// Group commit of device check-ins (server.h). A check-in is durable before the device hears
// "accepted" (a device that was told so and then finds the fleet holding an older checkpoint
// would be reported forked), and a durable commit costs the disk a few fsyncs: one commit per
// check-in caps the server at a few hundred a second whatever the CPU. So the handler threads
// queue their check-ins here; the first to find no batch running leads, taking everything
// queued into one Fleet::CheckinMany (one transaction) under the fleet's mutex, while the others
// wait for their results; then the first of what queued meanwhile leads the next batch. Each
// waiter is woken only when its own result is there or it is to lead (64 threads woken per
// batch to find nothing for most of them was a measurable share of the server's time). Under
// light load a batch is one check-in and costs what Checkin costs; under heavy load a batch is
// as many as there are devices waiting. Signatures are verified before (routes.cc), on the
// threads that received the check-ins.
//
// Thread-safety: Checkin is called from any number of threads.
#ifndef VIGIL_SERVER_INTERNAL_CHECKIN_BATCHER_H_
#define VIGIL_SERVER_INTERNAL_CHECKIN_BATCHER_H_

#include <condition_variable>
#include <mutex>
#include <optional>
#include <vector>

#include "vigil/core/result.h"
#include "vigil/fleet/checkin.h"
#include "vigil/fleet/fleet.h"

namespace vigil::server {

class CheckinBatcher {
 public:
  // `fleet` is used under `fleet_mu` only; both outlive the batcher.
  CheckinBatcher(std::mutex& fleet_mu, fleet::Fleet& fleet) : fleet_mu_(fleet_mu), fleet_(fleet) {}

  // Records one check-in (Fleet::Checkin's result and errors), committed with the others of its
  // batch; returns once that commit is done.
  Result<fleet::CheckinResult> Checkin(fleet::DeviceCheckin checkin);

 private:
  struct Slot {
    fleet::DeviceCheckin in;
    std::optional<Result<fleet::CheckinResult>> out;
    bool lead;                     // set when this slot is to lead the next batch
    std::condition_variable wake;  // out or lead was set
  };
  // Runs one batch under the fleet's mutex; the results, in the batch's order.
  std::vector<Result<fleet::CheckinResult>> Run(const std::vector<Slot*>& batch);

  std::mutex& fleet_mu_;
  fleet::Fleet& fleet_;
  std::mutex mu_;  // queue_, leading_ and every Slot's out and lead
  std::vector<Slot*> queue_;
  bool leading_ = false;
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_INTERNAL_CHECKIN_BATCHER_H_
