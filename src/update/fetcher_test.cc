#include "vigil/update/fetcher.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <thread>

namespace vigil::update {
namespace {

// A loopback server with an endless body, a slow one, a 404 and a normal file.
class LoopbackServer {
 public:
  // The server closes a kept-alive connection after `keep_alive_requests` requests or
  // `keep_alive_seconds` idle, whichever comes first.
  explicit LoopbackServer(size_t keep_alive_requests = 5, time_t keep_alive_seconds = 5) {
    server_.set_keep_alive_max_count(keep_alive_requests);
    server_.set_keep_alive_timeout(keep_alive_seconds);
    server_.Get("/ok", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("hello", "application/octet-stream");
    });
    server_.Get("/endless", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("application/octet-stream",
                                       [](size_t, httplib::DataSink& sink) {
                                         std::string block(64 * 1024, 'A');
                                         return sink.write(block.data(), block.size());
                                       });
    });
    server_.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2500));
      res.set_content("late", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LoopbackServer() {
    server_.stop();
    thread_.join();
  }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

TEST(HttpFetcher, LimitsNotFoundAndTimeouts) {
  LoopbackServer server;
  auto fetcher = NewHttpFetcher(/*timeout_seconds=*/1);
  auto ok = fetcher->Fetch(server.Url("/ok"), 5);
  ASSERT_TRUE(ok.has_value()) << ok.error().message();
  EXPECT_EQ(AsStringView(*ok), "hello");
  EXPECT_EQ(fetcher->Fetch(server.Url("/ok"), 4).error().code(), ErrorCode::kResourceExhausted);
  // Endless data stops at the limit instead of filling memory.
  auto endless = fetcher->Fetch(server.Url("/endless"), 1 << 20);
  ASSERT_FALSE(endless.has_value());
  EXPECT_EQ(endless.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(fetcher->Fetch(server.Url("/missing"), 100).error().code(), ErrorCode::kNotFound);
  // Slow retrieval: the read timeout fires.
  auto slow = fetcher->Fetch(server.Url("/slow"), 100);
  ASSERT_FALSE(slow.has_value());
  EXPECT_EQ(slow.error().code(), ErrorCode::kUnavailable) << slow.error().message();
  EXPECT_EQ(fetcher->Fetch("ftp://x/y", 1).error().code(), ErrorCode::kInvalidArgument);
}

// The fetcher keeps one connection per origin; when the server has closed it (request count
// or idle timeout reached), the next fetch must reconnect instead of failing.
TEST(HttpFetcher, ReconnectsWhenTheServerClosesAKeptAliveConnection) {
  LoopbackServer server(/*keep_alive_requests=*/2, /*keep_alive_seconds=*/1);
  auto fetcher = NewHttpFetcher(/*timeout_seconds=*/5);
  for (int i = 0; i < 7; ++i) {
    auto ok = fetcher->Fetch(server.Url("/ok"), 5);
    ASSERT_TRUE(ok.has_value()) << "fetch " << i << ": " << ok.error().message();
    EXPECT_EQ(AsStringView(*ok), "hello");
    if (i == 3) std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // idle close
  }
  // A transfer cut short at the length limit leaves no half-read response for the next one.
  EXPECT_EQ(fetcher->Fetch(server.Url("/endless"), 1000).error().code(),
            ErrorCode::kResourceExhausted);
  auto after = fetcher->Fetch(server.Url("/ok"), 5);
  ASSERT_TRUE(after.has_value()) << after.error().message();
  EXPECT_EQ(AsStringView(*after), "hello");
}

TEST(FileFetcher, LimitsAndNotFound) {
  auto fetcher = NewFileFetcher(Env::Default());
  std::string path = std::string(VIGIL_DATA_DIR) + "/update/tuf-static/tuf-on-ci-0.11/targetpath";
  auto ok = fetcher->Fetch("file://" + path, 1000);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(AsStringView(*ok).substr(0, 13), "delegatedrole");
  EXPECT_EQ(fetcher->Fetch(path, 3).error().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(fetcher->Fetch(path + ".none", 3).error().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace vigil::update
