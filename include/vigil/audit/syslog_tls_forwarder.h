// SyslogTlsForwarder: sends queued RFC 5424 lines to a collector over syslog-over-TLS
// (RFC 5425: TLS 1.2 or 1.3, octet-counted frames "MSG-LEN SP SYSLOG-MSG", RFC 6587 §3.4.1),
// with mutual authentication, so audit events leave the device (FDA LOG-2: "kept off-device").
//
// Security properties:
//  - the collector must present a certificate that chains to Options.ca_file and carries
//    Options.server_name (DNS name, or IP address when the name is one) — no fallback to an
//    unverified or plaintext connection;
//  - the device authenticates with Options.cert_file / key_file (the collector can check
//    x509/certvalid or x509/name);
//  - TLS 1.2 is the minimum; OpenSSL 3.0's default cipher suites and security level apply.
//
// Delivery: lines are read from a SyslogQueue (durable, bounded) in order and popped only after
// they were written to the TLS connection AND the kernel reports the collector's TCP stack
// acknowledged every byte (SIOCOUTQ drained) with the connection still open — RFC 5425 has no
// application-level acknowledgement, so this is the best evidence available. A connection that
// fails at any point leaves the batch in the queue: it is sent again on the next connection
// (at-least-once; the collector may see duplicates, identified by the seq parameter). While the
// collector is down the forwarder reconnects with exponential back-off (min_backoff_ms doubling
// to max_backoff_ms); the queue keeps everything meanwhile (and survives restarts).
//
// Thread-safety: Start() runs one background thread; SendPending() must not be called while it
// runs. Wake(), WaitUntilEmpty(), counters and last_error() are safe from any thread.
#ifndef VIGIL_AUDIT_SYSLOG_TLS_FORWARDER_H_
#define VIGIL_AUDIT_SYSLOG_TLS_FORWARDER_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "vigil/audit/syslog_queue.h"
#include "vigil/core/result.h"

namespace vigil::audit {

struct SyslogTlsOptions {
  std::string host;         // collector address or name to connect to
  uint16_t port = 6514;     // IANA syslog-tls
  std::string server_name;  // name its certificate must carry; empty = host
  std::string ca_file;      // PEM: CA certificate(s) that issue collector certificates
  std::string cert_file;    // PEM: this device's certificate (chain)
  std::string key_file;     // PEM: its private key
  int connect_timeout_ms = 2000;
  int io_timeout_ms = 2000;
  int min_backoff_ms = 100;
  int max_backoff_ms = 5000;
  size_t batch_lines = 256;
};

// Frames one line for RFC 5425: "<octet count> SP <line>".
std::string OctetCountedFrame(std::string_view line);

class SyslogTlsForwarder {
 public:
  // Loads and checks the CA, certificate and key now, so misconfiguration fails at start-up:
  // InvalidArgument naming the option (missing host, unreadable or mismatching PEM files).
  // `queue` must outlive the forwarder.
  static Result<std::unique_ptr<SyslogTlsForwarder>> Create(SyslogQueue* queue,
                                                            SyslogTlsOptions options);
  ~SyslogTlsForwarder();  // Stop()s
  SyslogTlsForwarder(const SyslogTlsForwarder&) = delete;
  SyslogTlsForwarder& operator=(const SyslogTlsForwarder&) = delete;

  // One synchronous attempt: connects if needed and sends until the queue is empty.
  // Unavailable when the collector cannot be reached or the connection broke;
  // Unauthenticated when the collector's certificate or name did not verify. Lines not known
  // to be delivered stay queued.
  Status SendPending();

  // Background forwarding with reconnect and back-off. Idempotent.
  void Start();
  void Stop();
  // Nudges the background thread after an Enqueue (it also polls every 200 ms).
  void Wake();
  // True once the queue is empty, false after `timeout_ms`.
  bool WaitUntilEmpty(int timeout_ms);

  uint64_t lines_sent() const { return lines_sent_; }
  uint64_t connections() const { return connections_; }
  std::string last_error() const;

  struct Tls;  // OpenSSL state, defined in the .cc

 private:
  SyslogTlsForwarder(SyslogQueue* queue, SyslogTlsOptions options);
  Status Connect();
  void Disconnect(bool graceful = false);
  Status SendBatch();
  void Run();
  void SetError(const Status& st);

  SyslogQueue* const queue_;
  const SyslogTlsOptions options_;
  std::unique_ptr<Tls> tls_;
  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool running_ = false;
  bool wake_ = false;
  std::string last_error_;
  std::atomic<uint64_t> lines_sent_{0};
  std::atomic<uint64_t> connections_{0};
};

}  // namespace vigil::audit

#endif  // VIGIL_AUDIT_SYSLOG_TLS_FORWARDER_H_
