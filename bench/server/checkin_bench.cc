// bench_server_checkin: device check-ins per second over HTTPS (TLS 1.3, mutual TLS with device
// certificates issued by the identity module's manufacturer CA, keep-alive) against the server
// in this process on loopback, its fleet an SQLite file in a temporary folder. kConnections
// devices each keep one connection and check in kCheckins times in turn: every body carries the
// device's newest signed checkpoint (a real audit::TileLog grown by one event, signed by the
// device's Ed25519 log key) and the RFC 9162 consistency proof from the one before, all made
// before the clock starts, so the figure is the server's: TLS, admission (the certificate
// checked again by identity, the rate limiter, the device looked up), the body parsed, the note
// and proof verified, the check-in recorded. The peer, in the same run over the same
// connections: a GET of a path the device listener has no route for (TLS, HTTP, admission's
// address limit and the one-line JSON 404), what any request costs. Goal (issue 18): >= 5,000/s
// on 2 cores (the clients share them with the server).
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "support/report.h"
#include "testing/loopback_pki.h"
#include "vigil/server/server.h"

namespace {

using namespace vigil;

constexpr int kConnections = 64;
constexpr int kCheckins = 100;  // per connection and run
constexpr int kRuns = 3;
constexpr char kProduct[] = "Infusion pump";

int Fail(const Error& e, const char* what) {
  std::fprintf(stderr, "bench_server_checkin: %s: %s\n", what, e.ToString().c_str());
  return 1;
}

struct Device {
  std::string serial;
  server::testing::CertFiles cert;
  std::vector<std::string> bodies;  // kRuns * kCheckins check-ins, in order
  std::unique_ptr<httplib::SSLClient> client;
};

Status Prepare(const std::string& dir, server::testing::LoopbackPki& pki, fleet::Fleet& f,
               Device& d) {
  VIGIL_ASSIGN_OR_RETURN(d.cert, pki.IssueDevice(d.serial));
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<server::testing::DeviceLog> log,
                         server::testing::DeviceLog::Create(dir + "/" + d.serial, d.serial));
  fleet::Device device;
  device.serial = d.serial;
  device.product = kProduct;
  device.release = "1.0";
  device.site = "ICU";
  device.log_key = log->VerifierKey();
  VIGIL_ASSIGN_OR_RETURN(device, f.AddDevice(std::move(device)));
  for (int i = 0; i < kRuns * kCheckins; ++i) {
    VIGIL_ASSIGN_OR_RETURN(std::string body, log->NextCheckin(1, "1.0"));
    d.bodies.push_back(std::move(body));
  }
  return OkStatus();
}

// Each connection sends `count` requests one after another; returns requests per second, or a
// negative number when an answer was not `expected`.
double Run(std::vector<Device>& devices, int count, int expected,
           const std::function<httplib::Result(Device&, int)>& send) {
  std::atomic<bool> wrong = false;
  const double t0 = bench::NowSeconds();
  std::vector<std::thread> threads;
  for (Device& d : devices) {
    threads.emplace_back([&, dp = &d] {
      for (int i = 0; i < count; ++i) {
        httplib::Result r = send(*dp, i);
        if (!r || r->status != expected) {
          if (!wrong.exchange(true)) {
            std::fprintf(stderr, "bench_server_checkin: %s: %s\n", dp->serial.c_str(),
                         r ? (std::to_string(r->status) + " " + r->body).c_str()
                           : httplib::to_string(r.error()).c_str());
          }
          return;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const double took = bench::NowSeconds() - t0;
  return wrong ? -1 : devices.size() * count / took;
}

}  // namespace

int main() {
  char tmpl[] = "/tmp/vigil-bench-checkin-XXXXXX";
  if (!mkdtemp(tmpl)) return 1;
  const std::string dir = tmpl;
  Env& env = *Env::Default();
  auto pki = server::testing::LoopbackPki::Create(dir);
  if (!pki) return Fail(pki.error(), "pki");
  server::ServerOptions o = pki->LoopbackOptions(dir + "/fleet.sqlite");
  o.requests_per_second = 1e9;  // the limiter's cost stays, its refusals would end the bench
  o.burst = 1e9;
  o.workers = kConnections;
  std::vector<Device> devices(kConnections);
  {
    auto f = server::OpenFleetDatabase(o.db, env);
    if (!f) return Fail(f.error(), "fleet");
    if (auto p = f->AddProduct({kProduct, "", ""}); !p) return Fail(p.error(), "product");
    if (auto r = f->AddRelease({kProduct, "1.0", "", "", "", "", ""}); !r) {
      return Fail(r.error(), "release");
    }
    for (int i = 0; i < kConnections; ++i) {
      devices[i].serial = "SN-" + std::to_string(1000 + i);
      if (Status s = Prepare(dir, *pki, *f, devices[i]); !s) return Fail(s.error(), "device");
    }
  }
  auto srv = server::Server::Start(o, env);
  if (!srv) return Fail(srv.error(), "server");
  for (Device& d : devices) {
    d.client = std::make_unique<httplib::SSLClient>("localhost", (*srv)->device_port(),
                                                    d.cert.cert, d.cert.key);
    d.client->set_ca_cert_path(pki->ca_file().c_str());
    d.client->enable_server_certificate_verification(true);
    d.client->set_address_family(AF_INET);
    d.client->set_keep_alive(true);
    // As the server does (server.cc Tune): a POST's header and body are separate writes, and
    // without TCP_NODELAY Nagle holds the body until the server's delayed ACK, up to 40 ms.
    d.client->set_tcp_nodelay(true);
  }
  int run = 0;
  const double checkins = bench::MedianOf(kRuns, [&] {
    const int base = kCheckins * run++;
    return Run(devices, kCheckins, 200, [base](Device& d, int i) {
      return d.client->Post("/api/v1/devices/" + d.serial + "/checkin", d.bodies[base + i],
                            "application/json");
    });
  });
  const double gets = bench::MedianOf(kRuns, [&] {
    return Run(devices, kCheckins, 404, [](Device& d, int) { return d.client->Get("/ping"); });
  });
  (*srv)->Stop();
  std::filesystem::remove_all(dir);
  if (checkins < 0 || gets < 0) return 1;
  bench::Report("server: device check-ins over mTLS keep-alive, 64 connections", checkins,
                "checkins/s", "GET of the same listener, same connections", gets);
  return 0;
}
