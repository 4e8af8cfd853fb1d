// Integration test of the RFC 5425 forwarder against a real collector: rsyslogd (imtcp with the
// GnuTLS stream driver, mode 1, x509/certvalid — so the device must present a certificate from
// the test CA) started on loopback by the test with its own configuration, writing the raw
// messages it receives to a file. Checks that every event arrives byte for byte, that events
// queued while rsyslog is down (and across a forwarder/queue restart) arrive once it is back,
// and that the forwarder refuses collectors whose certificate is untrusted or has another name.
// Fails, naming what to install, when rsyslogd, its gtls driver or the openssl command are
// missing (scripts/setup installs them): a missing tool is never a pass.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "vigil/audit/syslog_message.h"
#include "vigil/audit/syslog_queue.h"
#include "vigil/audit/syslog_tls_forwarder.h"

extern char** environ;

namespace vigil::audit {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

const char* const kGtlsDriver = "/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so";

bool Have(const std::string& cmd) {
  return std::system(("command -v " + cmd + " >/dev/null 2>&1").c_str()) == 0;
}

uint16_t FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

bool Listening(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

bool WaitFor(const std::function<bool()>& cond, int timeout_ms) {
  const auto end = std::chrono::steady_clock::now() + milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < end) {
    if (cond()) return true;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return cond();
}

// Starts argv[0] with stdout/stderr to `log`; returns the pid.
pid_t Spawn(const std::vector<std::string>& args, const fs::path& log) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&fa);
  return pid;
}

void Terminate(pid_t& pid) {
  if (pid <= 0) return;
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  pid = -1;
}

std::vector<std::string> ReadLines(const fs::path& p) {
  std::vector<std::string> out;
  std::ifstream in(p);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

Event MakeEvent(uint64_t seq) {
  Event e;
  e.sequence = seq;
  e.time_unix_micros = 1'795'000'000'000'000 + static_cast<int64_t>(seq) * 1000;
  e.device_id = "pump-0042";
  e.actor_id = "nurse.ann";
  e.actor_role = Role::kClinician;
  e.action = seq % 5 == 0 ? Action::kBreakGlassOpen : Action::kAccessDecision;
  e.purpose = seq % 5 == 0 ? Purpose::kBreakGlass : Purpose::kTreatment;
  e.reason = seq % 5 == 0 ? "code \"blue\" bed [4] \\ ward 7" : "";
  e.outcome = static_cast<Outcome>(seq % 4);
  e.object_ids = {"perm/therapy.start"};
  return e;
}

class RsyslogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!Have("rsyslogd") || !fs::exists(kGtlsDriver) || !Have("openssl")) {
      std::cout << "\n*** MISSING TOOL (run scripts/setup): syslog-over-TLS test against rsyslog: "
                   "rsyslogd, rsyslog-gnutls "
                   "or openssl is not installed (apt-get install rsyslog rsyslog-gnutls) ***\n\n";
      GTEST_FAIL() << "rsyslog absent";
    }
    dir_ = fs::temp_directory_path() / ("vigil-rsyslog-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "pki");
    fs::create_directories(dir_ / "work");
    const std::string pki = std::string(VIGIL_SOURCE_DIR) + "/tests/audit_export/make-test-pki.sh";
    ASSERT_EQ(std::system(("bash '" + pki + "' '" + (dir_ / "pki").string() + "'").c_str()), 0);
    port_ = FreePort();
    WriteConfig();
  }
  void TearDown() override {
    Terminate(rsyslog_);
    if (!dir_.empty() && !HasFailure()) fs::remove_all(dir_);
    if (HasFailure()) std::cout << "kept " << dir_ << " (rsyslog.log has rsyslogd's output)\n";
  }

  fs::path Pki(const std::string& name) const { return dir_ / "pki" / name; }

  void WriteConfig() {
    std::ofstream c(dir_ / "rsyslog.conf");
    c << "global(workDirectory=\"" << (dir_ / "work").string() << "\"\n"
      << "  defaultNetstreamDriver=\"gtls\"\n"
      << "  defaultNetstreamDriverCAFile=\"" << Pki("ca.pem").string() << "\"\n"
      << "  defaultNetstreamDriverCertFile=\"" << Pki("server.pem").string() << "\"\n"
      << "  defaultNetstreamDriverKeyFile=\"" << Pki("server.key").string() << "\")\n"
      << "module(load=\"imtcp\" streamDriver.name=\"gtls\" streamDriver.mode=\"1\"\n"
      << "  streamDriver.authMode=\"x509/certvalid\")\n"
      << "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" << port_ << "\")\n"
      << "template(name=\"raw\" type=\"string\" string=\"%rawmsg%\\n\")\n"
      << "action(type=\"omfile\" file=\"" << Out().string()
      << "\" template=\"raw\" flushOnTXEnd=\"on\")\n";
  }
  fs::path Out() const { return dir_ / "received.log"; }

  void StartRsyslog() {
    rsyslog_ = Spawn({"rsyslogd", "-n", "-f", (dir_ / "rsyslog.conf").string(), "-i",
                      (dir_ / "rsyslogd.pid").string()},
                     dir_ / "rsyslog.log");
    ASSERT_GT(rsyslog_, 0);
    ASSERT_TRUE(WaitFor([&] { return Listening(port_); }, 10'000)) << "rsyslogd did not listen";
  }

  SyslogTlsOptions Options() const {
    SyslogTlsOptions o;
    o.host = "127.0.0.1";
    o.port = port_;
    o.server_name = "localhost";
    o.ca_file = Pki("ca.pem").string();
    o.cert_file = Pki("client.pem").string();
    o.key_file = Pki("client.key").string();
    o.min_backoff_ms = 50;
    o.max_backoff_ms = 400;
    return o;
  }

  fs::path dir_;
  uint16_t port_ = 0;
  pid_t rsyslog_ = -1;
};

TEST_F(RsyslogTest, DeliversEverythingIncludingTheBacklogAfterAnOutage) {
  StartRsyslog();
  const std::string qdir = (dir_ / "queue").string();
  std::vector<std::string> sent;
  auto enqueue = [&](SyslogQueue& q, uint64_t seq) {
    const std::string line = ToSyslog5424(MakeEvent(seq), {"4242"}).value();
    ASSERT_TRUE(q.Enqueue(line));
    sent.push_back(line);
  };
  {
    auto queue = SyslogQueue::Open(Env::Default(), qdir).value();
    auto fwd = SyslogTlsForwarder::Create(queue.get(), Options()).value();
    fwd->Start();
    for (uint64_t i = 0; i < 60; ++i) enqueue(*queue, i);
    fwd->Wake();
    ASSERT_TRUE(fwd->WaitUntilEmpty(10'000)) << fwd->last_error();
    ASSERT_TRUE(WaitFor([&] { return ReadLines(Out()).size() >= 60; }, 5000));
    EXPECT_EQ(ReadLines(Out()), sent);

    // Collector down: events stay queued (durably), the forwarder keeps retrying.
    Terminate(rsyslog_);
    for (uint64_t i = 60; i < 100; ++i) enqueue(*queue, i);
    fwd->Wake();
    std::this_thread::sleep_for(milliseconds(600));
    EXPECT_GT(queue->size(), 0u);
    EXPECT_FALSE(fwd->last_error().empty());
    std::cout << "while rsyslog is down: " << queue->size()
              << " queued, last error: " << fwd->last_error() << "\n";
    fwd->Stop();
  }
  // Device restart: the queue is reloaded from disk, then rsyslog comes back.
  auto queue = SyslogQueue::Open(Env::Default(), qdir).value();
  EXPECT_GE(queue->size(), 40u);
  auto fwd = SyslogTlsForwarder::Create(queue.get(), Options()).value();
  fwd->Start();
  StartRsyslog();
  fwd->Wake();
  ASSERT_TRUE(fwd->WaitUntilEmpty(15'000)) << fwd->last_error();
  ASSERT_TRUE(WaitFor([&] { return ReadLines(Out()).size() >= 100; }, 5000));
  const std::vector<std::string> got = ReadLines(Out());
  std::map<std::string, int> count;
  for (const auto& l : got) count[l]++;
  int duplicates = 0;
  for (const auto& l : sent) {
    EXPECT_GE(count[l], 1) << "lost: " << l;
    duplicates += count[l] > 1 ? count[l] - 1 : 0;
  }
  EXPECT_EQ(got.size(), sent.size() + static_cast<size_t>(duplicates));  // nothing foreign
  for (const auto& l : got) EXPECT_TRUE(EventFromSyslog5424(l).has_value()) << l;
  std::cout << "rsyslog received " << got.size() << " lines for " << sent.size() << " events ("
            << duplicates << " duplicates), over " << fwd->connections()
            << " connection(s) after the restart\n";
}

TEST_F(RsyslogTest, RefusesUntrustedOrMisnamedCollectors) {
  StartRsyslog();
  auto queue = SyslogQueue::Open(Env::Default(), (dir_ / "queue").string()).value();
  ASSERT_TRUE(queue->Enqueue(ToSyslog5424(MakeEvent(1)).value()));

  SyslogTlsOptions wrong_ca = Options();
  wrong_ca.ca_file = Pki("rogue-ca.pem").string();
  Status st = SyslogTlsForwarder::Create(queue.get(), wrong_ca).value()->SendPending();
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code(), ErrorCode::kUnauthenticated) << st.error().ToString();

  SyslogTlsOptions wrong_name = Options();
  wrong_name.server_name = "collector.example.org";
  st = SyslogTlsForwarder::Create(queue.get(), wrong_name).value()->SendPending();
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code(), ErrorCode::kUnauthenticated) << st.error().ToString();
  EXPECT_NE(st.error().message().find("collector.example.org"), std::string::npos);

  // A server with a certificate from a CA we do not trust (openssl s_server as the impostor).
  const uint16_t rogue_port = FreePort();
  pid_t rogue =
      Spawn({"openssl", "s_server", "-quiet", "-accept", std::to_string(rogue_port), "-cert",
             Pki("rogue-server.pem").string(), "-key", Pki("rogue-server.key").string()},
            dir_ / "rogue.log");
  ASSERT_TRUE(WaitFor([&] { return Listening(rogue_port); }, 5000));
  SyslogTlsOptions impostor = Options();
  impostor.port = rogue_port;
  st = SyslogTlsForwarder::Create(queue.get(), impostor).value()->SendPending();
  Terminate(rogue);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code(), ErrorCode::kUnauthenticated) << st.error().ToString();
  EXPECT_EQ(queue->size(), 1u);  // nothing was given to an unverified peer

  // The genuine collector gets it.
  ASSERT_TRUE(SyslogTlsForwarder::Create(queue.get(), Options()).value()->SendPending());
  EXPECT_EQ(queue->size(), 0u);
  ASSERT_TRUE(WaitFor([&] { return ReadLines(Out()).size() == 1; }, 5000));

  // Misconfiguration fails at Create.
  SyslogTlsOptions bad_key = Options();
  bad_key.key_file = Pki("server.key").string();  // does not match client.pem
  EXPECT_EQ(SyslogTlsForwarder::Create(queue.get(), bad_key).error().code(),
            ErrorCode::kInvalidArgument);
  SyslogTlsOptions no_host = Options();
  no_host.host = "";
  EXPECT_EQ(SyslogTlsForwarder::Create(queue.get(), no_host).error().code(),
            ErrorCode::kInvalidArgument);
}

TEST(OctetCounting, FramesByByteCount) {
  EXPECT_EQ(OctetCountedFrame("<86>1 - h a - m -"), "17 <86>1 - h a - m -");
  EXPECT_EQ(OctetCountedFrame("\xc3\xa9"), "2 \xc3\xa9");
}

}  // namespace
}  // namespace vigil::audit
