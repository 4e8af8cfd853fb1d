// libFuzzer target across both exports: the input bytes build an Event (every enum, sequence,
// time, reason, identifiers and object ids drawn from them). Properties for every event that
// ValidateEvent accepts: ToFhirAuditEvent succeeds with JSON that parses and names the same
// action code and device; ToSyslog5424 succeeds and EventFromSyslog5424 gives the same event
// back. For events it rejects, both exports fail too.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "vigil/audit/event.h"
#include "vigil/audit/fhir_audit_event.h"
#include "vigil/audit/syslog_message.h"

namespace {

class Bytes {
 public:
  Bytes(const uint8_t* d, size_t n) : d_(d), n_(n) {}
  uint8_t Byte() { return i_ < n_ ? d_[i_++] : 0; }
  uint64_t U64() {
    uint64_t v = 0;
    for (int k = 0; k < 8; ++k) v = v << 8 | Byte();
    return v;
  }
  // A short string: length byte then that many bytes (mostly from a friendly alphabet so
  // identifiers are often valid, sometimes raw so they are often not).
  std::string Str() {
    const size_t len = Byte() % 24;
    const bool raw = Byte() % 8 == 0;
    static constexpr char kAlpha[] = "abcXYZ019._:@/-\"\\] [";
    std::string s;
    for (size_t k = 0; k < len; ++k) {
      const uint8_t b = Byte();
      s.push_back(raw ? static_cast<char>(b) : kAlpha[b % (sizeof kAlpha - 1)]);
    }
    return s;
  }

 private:
  const uint8_t* d_;
  size_t n_;
  size_t i_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil::audit;  // NOLINT: fuzz target
  Bytes in(data, size);
  Event e;
  e.sequence = in.U64();
  e.time_unix_micros = static_cast<int64_t>(in.U64() >> (in.Byte() % 16));
  e.device_id = in.Str();
  e.actor_id = in.Str();
  e.actor_role = static_cast<Role>(in.Byte() % 7);
  e.action = static_cast<Action>(in.Byte() % kActionCount);
  e.outcome = static_cast<Outcome>(in.Byte() % 4);
  e.purpose = static_cast<Purpose>(in.Byte() % 5);
  e.reason = in.Str();
  e.interface = static_cast<Interface>(in.Byte() % 5);
  e.source = in.Str();
  for (int k = in.Byte() % 4; k > 0; --k) e.object_ids.push_back(in.Str());

  const bool valid = ValidateEvent(e).has_value();
  static const FhirNamespace kNs = FhirNamespace::Create("https://fhir.fuzz.test").value();
  auto fhir = ToFhirAuditEvent(e, kNs);
  auto line = ToSyslog5424(e, SyslogOptions{"7"});
  if (!valid) {
    if (fhir.has_value() || line.has_value()) std::abort();
    return 0;
  }
  // A valid event whose time is past 9999 is the one documented reason to fail.
  if (!fhir.has_value() || !line.has_value()) {
    if (e.time_unix_micros < 253'402'300'800'000'000) std::abort();
    return 0;
  }
  const auto j = nlohmann::json::parse(*fhir, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || j["subtype"][0]["code"] != ActionCode(e.action) ||
      j["source"]["observer"]["identifier"]["value"] != e.device_id) {
    std::abort();
  }
  auto back = EventFromSyslog5424(*line);
  if (!back.has_value() || !(*back == e)) std::abort();
  return 0;
}
