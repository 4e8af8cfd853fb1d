// libFuzzer target for syslog send-queue recovery: arbitrary bytes as the queue file (and, when
// the input starts with 'H', a head file from its first line). Properties: Open never crashes;
// when it succeeds, the recovered records plus the cut torn tail account for exactly the file
// (without a head) or at most the file (with one) — nothing invented —, and the queue stays
// usable: a new line can be appended and everything reloads after a power cut.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "vigil/audit/syslog_queue.h"
#include "vigil/core/fault_env.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bool have_head = false;
  std::string_view in(reinterpret_cast<const char*>(data), size);  // NOLINT: fuzz bytes
  vigil::FaultInjectingEnv env;
  if (!env.CreateDir("/q")) return 0;
  if (!in.empty() && in[0] == 'H') {
    const size_t nl = in.find('\n');
    if (nl == std::string_view::npos) return 0;
    const std::string head = "vigil-syslog-queue 1 " + std::string(in.substr(1, nl));
    if (!env.WriteFileAtomic("/q/head", vigil::AsBytes(head))) return 0;
    in.remove_prefix(nl + 1);
    have_head = true;
  }
  if (!env.AppendFileDurable("/q/queue-0.log", vigil::AsBytes(in))) return 0;
  auto q = vigil::audit::SyslogQueue::Open(&env, "/q");
  if (!q.has_value()) return 0;
  const size_t n = (*q)->size();
  uint64_t framed = 0;
  for (const std::string& line : (*q)->Peek(n)) framed += 8 + line.size();
  const uint64_t accounted = framed + (*q)->recovered_torn_bytes();
  if (accounted > in.size() || (!have_head && accounted != in.size())) std::abort();
  if (!(*q)->Enqueue("<86>1 - h vigil - m -")) return 0;
  q->reset();
  env.SimulatePowerLoss();
  auto again = vigil::audit::SyslogQueue::Open(&env, "/q");
  if (!again.has_value() || (*again)->size() != n + 1) std::abort();
  return 0;
}
