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
  LoopbackServer() {
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
