#include "vigil/audit/syslog_tls_forwarder.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "vigil/crypto/openssl_errors.h"

namespace vigil::audit {

struct SyslogTlsForwarder::Tls {
  SSL_CTX* ctx = nullptr;
  SSL* ssl = nullptr;
  int fd = -1;
  ~Tls() {
    if (ssl) SSL_free(ssl);
    if (fd >= 0) ::close(fd);
    if (ctx) SSL_CTX_free(ctx);
  }
};

namespace {

using Clock = std::chrono::steady_clock;

bool IsIpLiteral(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

// A write to a socket the peer closed raises SIGPIPE, which would kill the device software.
// Block it on this thread for the duration of the send and swallow one that became pending
// (the write then just fails with EPIPE).
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeGuard() {
    const timespec zero{0, 0};
    while (sigtimedwait(&pipe_, nullptr, &zero) > 0) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t pipe_{};
  sigset_t old_{};
};

Result<int> ConnectTcp(const std::string& host, uint16_t port, int timeout_ms) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  const std::string where = host + ":" + std::to_string(port);
  if (int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res); rc != 0) {
    return UnavailableError("syslog collector " + where + ": " + gai_strerror(rc));
  }
  std::string last = "no address";
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) continue;
    int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      rc = ::poll(&p, 1, timeout_ms) == 1 ? 0 : -1;
      int err = rc == 0 ? 0 : ETIMEDOUT;
      socklen_t len = sizeof err;
      if (rc == 0) getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      errno = err;
      rc = err == 0 ? 0 : -1;
    }
    if (rc == 0) {
      freeaddrinfo(res);
      ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
      timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      return fd;
    }
    last = std::strerror(errno);
    ::close(fd);
  }
  freeaddrinfo(res);
  return UnavailableError("syslog collector " + where + ": connect failed: " + last);
}

// Waits until the peer's TCP stack acknowledged every byte written (the send queue is empty)
// while the connection stays open. Unavailable when the peer closed, reset or timed out.
Status WaitDelivered(int fd, int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    // The collector never sends application data: readability means close_notify, EOF or RST.
    if (::poll(&p, 1, 0) == 1 && (p.revents & (POLLIN | POLLHUP | POLLERR))) {
      return UnavailableError("syslog collector closed the connection before acknowledging");
    }
    int unsent = 0;
    if (::ioctl(fd, SIOCOUTQ, &unsent) != 0) {
      return UnavailableError(std::string("syslog: SIOCOUTQ: ") + std::strerror(errno));
    }
    if (unsent == 0) return OkStatus();
    if (Clock::now() > deadline) {
      return UnavailableError("syslog collector did not acknowledge " + std::to_string(unsent) +
                              " bytes within " + std::to_string(timeout_ms) + " ms");
    }
    ::usleep(1000);
  }
}

Status LoadCredentials(SSL_CTX* ctx, const SyslogTlsOptions& o) {
  if (SSL_CTX_load_verify_locations(ctx, o.ca_file.c_str(), nullptr) != 1) {
    return InvalidArgumentError("syslog TLS ca_file \"" + o.ca_file +
                                "\": cannot load CA certificates: " + crypto::DrainOpenSslErrors());
  }
  if (SSL_CTX_use_certificate_chain_file(ctx, o.cert_file.c_str()) != 1) {
    return InvalidArgumentError("syslog TLS cert_file \"" + o.cert_file +
                                "\": cannot load the client certificate: " + crypto::DrainOpenSslErrors());
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, o.key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(ctx) != 1) {
    return InvalidArgumentError("syslog TLS key_file \"" + o.key_file +
                                "\": cannot load a key matching cert_file: " + crypto::DrainOpenSslErrors());
  }
  return OkStatus();
}

}  // namespace

std::string OctetCountedFrame(std::string_view line) {
  return std::to_string(line.size()) + " " + std::string(line);
}

SyslogTlsForwarder::SyslogTlsForwarder(SyslogQueue* queue, SyslogTlsOptions options)
    : queue_(queue), options_(std::move(options)), tls_(std::make_unique<Tls>()) {}

SyslogTlsForwarder::~SyslogTlsForwarder() { Stop(); }

Result<std::unique_ptr<SyslogTlsForwarder>> SyslogTlsForwarder::Create(SyslogQueue* queue,
                                                                       SyslogTlsOptions o) {
  if (queue == nullptr) return InvalidArgumentError("syslog TLS: queue is null");
  if (o.host.empty()) return InvalidArgumentError("syslog TLS: host is empty");
  if (o.server_name.empty()) o.server_name = o.host;
  if (o.batch_lines == 0 || o.min_backoff_ms <= 0 || o.max_backoff_ms < o.min_backoff_ms) {
    return InvalidArgumentError("syslog TLS: batch_lines and back-off must be positive");
  }
  std::unique_ptr<SyslogTlsForwarder> f(new SyslogTlsForwarder(queue, std::move(o)));
  f->tls_->ctx = SSL_CTX_new(TLS_client_method());
  if (f->tls_->ctx == nullptr) return InternalError("syslog TLS: SSL_CTX_new: " + crypto::DrainOpenSslErrors());
  SSL_CTX_set_min_proto_version(f->tls_->ctx, TLS1_2_VERSION);
  SSL_CTX_set_verify(f->tls_->ctx, SSL_VERIFY_PEER, nullptr);
  VIGIL_RETURN_IF_ERROR(LoadCredentials(f->tls_->ctx, f->options_));
  return f;
}

Status SyslogTlsForwarder::Connect() {
  VIGIL_ASSIGN_OR_RETURN(int fd,
                         ConnectTcp(options_.host, options_.port, options_.connect_timeout_ms));
  tls_->fd = fd;
  tls_->ssl = SSL_new(tls_->ctx);
  if (tls_->ssl == nullptr) return InternalError("syslog TLS: SSL_new: " + crypto::DrainOpenSslErrors());
  SSL_set_fd(tls_->ssl, fd);
  X509_VERIFY_PARAM* param = SSL_get0_param(tls_->ssl);
  if (IsIpLiteral(options_.server_name)) {
    X509_VERIFY_PARAM_set1_ip_asc(param, options_.server_name.c_str());
  } else {
    // SNI; SSL_set_tlsext_host_name is a macro with a C cast.
    SSL_ctrl(tls_->ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(options_.server_name.c_str()));
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    SSL_set1_host(tls_->ssl, options_.server_name.c_str());
  }
  if (SSL_connect(tls_->ssl) != 1) {
    const long verify = SSL_get_verify_result(tls_->ssl);
    const std::string errors = crypto::DrainOpenSslErrors();
    Disconnect();
    if (verify != X509_V_OK) {
      return UnauthenticatedError("syslog collector " + options_.host + ":" +
                                  std::to_string(options_.port) + " refused: its certificate " +
                                  "did not verify for \"" + options_.server_name +
                                  "\": " + X509_verify_cert_error_string(verify));
    }
    return UnavailableError("syslog collector " + options_.host + ":" +
                            std::to_string(options_.port) + ": TLS handshake failed: " + errors);
  }
  connections_++;
  return OkStatus();
}

void SyslogTlsForwarder::Disconnect(bool graceful) {
  if (graceful && tls_->ssl) {
    // close_notify, so the collector sees a clean end rather than a truncation.
    SigpipeGuard guard;
    (void)SSL_shutdown(tls_->ssl);
  }
  if (tls_->ssl) {
    SSL_free(tls_->ssl);
    tls_->ssl = nullptr;
  }
  if (tls_->fd >= 0) {
    ::close(tls_->fd);
    tls_->fd = -1;
  }
}

Status SyslogTlsForwarder::SendBatch() {
  const std::vector<std::string> lines = queue_->Peek(options_.batch_lines);
  if (lines.empty()) return OkStatus();
  std::string frames;
  for (const std::string& l : lines) frames += OctetCountedFrame(l);
  size_t done = 0;
  while (done < frames.size()) {
    size_t wrote = 0;
    if (SSL_write_ex(tls_->ssl, frames.data() + done, frames.size() - done, &wrote) != 1) {
      return UnavailableError("syslog collector: TLS write failed: " + crypto::DrainOpenSslErrors());
    }
    done += wrote;
  }
  VIGIL_RETURN_IF_ERROR(WaitDelivered(tls_->fd, options_.io_timeout_ms));
  VIGIL_RETURN_IF_ERROR(queue_->Pop(lines.size()));
  lines_sent_ += lines.size();
  return OkStatus();
}

Status SyslogTlsForwarder::SendPending() {
  SigpipeGuard guard;
  while (queue_->size() > 0) {
    if (tls_->ssl == nullptr) VIGIL_RETURN_IF_ERROR(Connect());
    if (Status st = SendBatch(); !st) {
      Disconnect();
      return st;
    }
  }
  return OkStatus();
}

void SyslogTlsForwarder::SetError(const Status& st) {
  std::lock_guard<std::mutex> lock(mu_);
  last_error_ = st ? std::string() : st.error().ToString();
}

std::string SyslogTlsForwarder::last_error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_error_;
}

void SyslogTlsForwarder::Run() {
  int backoff = options_.min_backoff_ms;
  std::unique_lock<std::mutex> lock(mu_);
  while (running_) {
    wake_ = false;
    lock.unlock();
    const Status st = SendPending();
    SetError(st);
    lock.lock();
    int wait_ms = 200;
    if (st) {
      backoff = options_.min_backoff_ms;
    } else {
      wait_ms = backoff;
      backoff = std::min(backoff * 2, options_.max_backoff_ms);
    }
    cv_.notify_all();  // WaitUntilEmpty callers
    cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), [&] { return !running_ || wake_; });
  }
}

void SyslogTlsForwarder::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (running_) return;
  running_ = true;
  thread_ = std::thread([this] { Run(); });
}

void SyslogTlsForwarder::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!running_) return;
    running_ = false;
  }
  cv_.notify_all();
  thread_.join();
  Disconnect(/*graceful=*/true);
}

void SyslogTlsForwarder::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    wake_ = true;
  }
  cv_.notify_all();
}

bool SyslogTlsForwarder::WaitUntilEmpty(int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  std::unique_lock<std::mutex> lock(mu_);
  while (queue_->size() > 0) {
    if (cv_.wait_until(lock, std::min(deadline, Clock::now() + std::chrono::milliseconds(50))) ==
            std::cv_status::timeout &&
        Clock::now() >= deadline) {
      return queue_->size() == 0;
    }
  }
  return true;
}

}  // namespace vigil::audit
