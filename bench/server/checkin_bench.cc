// bench_server_checkin: device check-ins per second over HTTPS (TLS 1.3, mutual TLS with device
// certificates issued by the identity module's manufacturer CA, keep-alive) against the server
// in this process on loopback, its fleet first an SQLite file in a temporary folder, then a
// database of a PostgreSQL 15 server the bench starts (durable: fsync on, as in production);
// each fleet holds the generated fleet of support/fleet_gen.h (1,000 products, 10,000 releases,
// 1,000,000 devices) beside the benchmark's own product. kConnections
// devices each keep one connection and check in kCheckins times in turn: every body carries the
// device's newest signed checkpoint (a real audit::TileLog grown by one event, signed by the
// device's Ed25519 log key) and the RFC 9162 consistency proof from the one before, all made
// before the clock starts, so the figure is the server's: TLS, admission (the certificate
// checked again by identity, the rate limiter, the device looked up), the body parsed, the note
// and proof verified, the check-in recorded. The peer, in the same run over the same
// connections: a GET of a path the device listener has no route for (TLS, HTTP, admission's
// address limit and the one-line JSON 404), what any request costs. Goal (issue 18): >= 5,000/s
// on 2 cores (the clients share them with the server).
//
// While iterating: VIGIL_BENCH_CHECKIN_ENGINES=sqlite or =postgresql runs one engine only, and
// VIGIL_BENCH_FLEET_PRODUCTS=N generates N products (1,000 devices each) instead of 1,000 (the
// PostgreSQL fill of the full fleet takes minutes). `make bench` sets neither: both engines, 1M
// devices, what the issue asks.
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "support/fleet_gen.h"
#include "support/report.h"
#include "testing/loopback_pki.h"
#include "vigil/server/server.h"
#include "vigil/storage/postgres_server.h"

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
  std::string log_key;
  std::vector<std::string> bodies;  // kRuns * kCheckins check-ins, in order
  std::unique_ptr<httplib::SSLClient> client;
};

// The device's certificate, its log and every check-in body it will send, made once: each
// engine's fleet is new, so the same bodies are replayed to both.
Status Prepare(const std::string& dir, server::testing::LoopbackPki& pki, Device& d) {
  VIGIL_ASSIGN_OR_RETURN(d.cert, pki.IssueDevice(d.serial));
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<server::testing::DeviceLog> log,
                         server::testing::DeviceLog::Create(dir + "/" + d.serial, d.serial));
  d.log_key = log->VerifierKey();
  for (int i = 0; i < kRuns * kCheckins; ++i) {
    VIGIL_ASSIGN_OR_RETURN(std::string body, log->NextCheckin(1, "1.0"));
    d.bodies.push_back(std::move(body));
  }
  return OkStatus();
}

// What the environment asks of this run (see the top of the file).
struct Options {
  bool sqlite = true, postgresql = true;
  int products = bench::kFleetProducts;
};

Result<Options> ReadOptions() {
  Options o;
  if (const char* e = std::getenv("VIGIL_BENCH_CHECKIN_ENGINES"); e != nullptr) {
    const std::string engines = e;
    o.sqlite = engines.find("sqlite") != std::string::npos;
    o.postgresql = engines.find("postgresql") != std::string::npos;
    if (!o.sqlite && !o.postgresql) {
      return InvalidArgumentError(
          "VIGIL_BENCH_CHECKIN_ENGINES: expected sqlite, postgresql or "
          "both, got '" +
          engines + "'");
    }
  }
  if (const char* p = std::getenv("VIGIL_BENCH_FLEET_PRODUCTS"); p != nullptr) {
    o.products = std::atoi(p);
    if (o.products < 1 || o.products > bench::kFleetProducts) {
      return InvalidArgumentError("VIGIL_BENCH_FLEET_PRODUCTS: expected 1 to " +
                                  std::to_string(bench::kFleetProducts) + ", got '" + p + "'");
    }
  }
  return o;
}

// "1M devices", "10k devices": the generated fleet's size, for the figure's name.
std::string FleetSize(const Options& o) {
  const int devices = o.products * bench::kFleetReleases * bench::kFleetDevicesPerRelease;
  if (devices % 1000000 == 0) return std::to_string(devices / 1000000) + "M devices";
  return std::to_string(devices / 1000) + "k devices";
}

// A fleet database holding the generated fleet, the benchmark's product and its devices.
Status Populate(const std::string& db, Env& env, std::vector<Device>& devices, int products) {
  VIGIL_ASSIGN_OR_RETURN(fleet::Fleet f, server::OpenFleetDatabase(db, env));
  VIGIL_RETURN_IF_ERROR(bench::PopulateFleet(f, products));
  VIGIL_RETURN_IF_ERROR(f.AddProduct({kProduct, "", ""}));
  VIGIL_RETURN_IF_ERROR(f.AddRelease({kProduct, "1.0", "", "", "", "", ""}));
  for (const Device& d : devices) {
    fleet::Device device;
    device.serial = d.serial;
    device.product = kProduct;
    device.release = "1.0";
    device.site = "ICU";
    device.log_key = d.log_key;
    VIGIL_RETURN_IF_ERROR(f.AddDevice(std::move(device)));
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

// Check-ins, then GETs, through a server over the fleet database `db`: {check-ins/s, GETs/s},
// negative when an answer was wrong.
std::pair<double, double> Measure(const std::string& db,
                                  server::testing::LoopbackPki& pki, std::vector<Device>& devices,
                                  Env& env) {
  server::ServerOptions o = pki.LoopbackOptions(db);
  o.requests_per_second = 1e9;  // the limiter's cost stays, its refusals would end the bench
  o.burst = 1e9;
  o.workers = kConnections;
  auto srv = server::Server::Start(o, env);
  if (!srv) {
    Fail(srv.error(), "server");
    return {-1, -1};
  }
  for (Device& d : devices) {
    d.client = std::make_unique<httplib::SSLClient>("localhost", (*srv)->device_port(),
                                                    d.cert.cert, d.cert.key);
    d.client->set_ca_cert_path(pki.ca_file().c_str());
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
  for (Device& d : devices) d.client.reset();
  (*srv)->Stop();
  return {checkins, gets};
}

// Fills a fleet database at `db`, measures check-ins and GETs over it and reports both.
int Bench(const std::string& db, const std::string& engine, const Options& o,
          server::testing::LoopbackPki& pki, std::vector<Device>& devices, Env& env) {
  if (Status s = Populate(db, env, devices, o.products); !s) {
    return Fail(s.error(), (engine + " fleet").c_str());
  }
  const auto [checkins, gets] = Measure(db, pki, devices, env);
  if (checkins < 0 || gets < 0) return 1;
  bench::Report("server: device check-ins over mTLS keep-alive, 64 connections, " + engine + ", " +
                    FleetSize(o),
                checkins, "checkins/s", "GET of the same listener, same connections", gets);
  return 0;
}

// The bench's folder (certificates, device logs, the SQLite fleet), removed however main returns.
struct RemovedOnExit {
  std::string dir;
  ~RemovedOnExit() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

}  // namespace

int main() {
  auto options = ReadOptions();
  if (!options) return Fail(options.error(), "environment");
  char tmpl[] = "/tmp/vigil-bench-checkin-XXXXXX";
  if (!mkdtemp(tmpl)) return 1;
  const std::string dir = tmpl;
  const RemovedOnExit cleanup{dir};
  Env& env = *Env::Default();
  auto pki = server::testing::LoopbackPki::Create(dir);
  if (!pki) return Fail(pki.error(), "pki");
  std::vector<Device> devices(kConnections);
  for (int i = 0; i < kConnections; ++i) {
    devices[i].serial = "SN-" + std::to_string(1000 + i);
    if (Status s = Prepare(dir, *pki, devices[i]); !s) return Fail(s.error(), "device");
  }
  if (options->sqlite) {
    if (int rc = Bench(dir + "/fleet.sqlite", "SQLite", *options, *pki, devices, env)) return rc;
    // The full fleet's file is ~250 MB: its disk is the PostgreSQL fill's.
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::error_code ignored;
      std::filesystem::remove(dir + "/fleet.sqlite" + suffix, ignored);
    }
  }
  if (options->postgresql) {
    // Durable, as SQLite's fleet database is (synchronous=EXTRA): a check-in is acknowledged
    // only once its commit is on disk, and fsync is what a commit costs.
    auto pg = storage::testing::PostgresServer::Start(
        storage::testing::PostgresServer::Durability::kDurable);
    if (!pg) return Fail(pg.error(), "PostgreSQL server");
    auto url = (*pg)->CreateDatabase();
    if (!url) return Fail(url.error(), "PostgreSQL database");
    if (int rc = Bench(*url, "PostgreSQL", *options, *pki, devices, env)) return rc;
  }
  return 0;
}
