// A webhook transport for tests about which events are enqueued (not about HTTP, which
// webhook_test.cc tests against a real receiver): it keeps each body it is asked to send and
// answers 200.
#ifndef VIGIL_FLEET_TESTING_RECORDING_TRANSPORT_H_
#define VIGIL_FLEET_TESTING_RECORDING_TRANSPORT_H_

#include <string>
#include <vector>

#include "vigil/fleet/webhook.h"

namespace vigil::fleet::testing {

class RecordingTransport : public WebhookTransport {
 public:
  Result<int> Post(const WebhookRequest& r) override {
    bodies.push_back(r.body);
    return 200;
  }
  std::vector<std::string> bodies;
};

}  // namespace vigil::fleet::testing

#endif  // VIGIL_FLEET_TESTING_RECORDING_TRANSPORT_H_
