// Fetcher::FetchTo: streaming downloads (HTTP and files) hand over the bytes in order, stop at
// the length limit, keep error pages away from the sink, and stop when the sink refuses.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "vigil/update/fetcher.h"

namespace vigil::update {
namespace {

std::string Pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 13) % 26);
  return s;
}

class StreamServer {
 public:
  explicit StreamServer(std::string body) : body_(std::move(body)) {
    server_.Get("/big", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content_provider(body_.size(), "application/octet-stream",
                               [this](size_t off, size_t len, httplib::DataSink& sink) {
                                 return sink.write(body_.data() + off, std::min<size_t>(len, 8192));
                               });
    });
    server_.Get("/missing", [](const httplib::Request&, httplib::Response& res) {
      res.status = 404;
      res.set_content("not here", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~StreamServer() {
    server_.stop();
    thread_.join();
  }
  std::string Url(const std::string& p) const {
    return "http://127.0.0.1:" + std::to_string(port_) + p;
  }

 private:
  std::string body_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

TEST(FetchTo, HttpStreamsInOrderAndEnforcesTheLimit) {
  const std::string body = Pattern(300000);
  StreamServer server(body);
  auto fetcher = NewHttpFetcher(5);
  std::string got;
  int pieces = 0;
  auto sink = [&](ByteView chunk) {
    got.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
    ++pieces;
    return OkStatus();
  };
  ASSERT_TRUE(fetcher->FetchTo(server.Url("/big"), body.size(), sink).has_value());
  EXPECT_EQ(got, body);
  EXPECT_GT(pieces, 1);  // streamed, not handed over whole
  got.clear();
  Status limited = fetcher->FetchTo(server.Url("/big"), 100000, sink);
  ASSERT_FALSE(limited.has_value());
  EXPECT_EQ(limited.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_LE(got.size(), 100000u);
  got.clear();
  Status missing = fetcher->FetchTo(server.Url("/missing"), 1000, sink);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(got.empty()) << "an error page reached the sink";
  int calls = 0;
  Status refused = fetcher->FetchTo(server.Url("/big"), body.size(), [&](ByteView) -> Status {
    ++calls;
    return DataLossError("sink says stop");
  });
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().message(), "sink says stop");
  EXPECT_EQ(calls, 1);
}

TEST(FetchTo, FilesStreamThroughTheEnvAndTheDefaultFallsBackToFetch) {
  const std::string body = Pattern(2500000);
  std::string path = ::testing::TempDir() + "fetch-to-" + std::to_string(::getpid());
  std::ofstream(path, std::ios::binary) << body;
  auto fetcher = NewDefaultFetcher(Env::Default());
  std::string got;
  int pieces = 0;
  auto sink = [&](ByteView chunk) {
    got.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
    ++pieces;
    return OkStatus();
  };
  ASSERT_TRUE(fetcher->FetchTo("file://" + path, body.size(), sink).has_value());
  EXPECT_EQ(got, body);
  EXPECT_EQ(pieces, 3);  // 1 MiB pieces
  EXPECT_EQ(fetcher->FetchTo(path, body.size() - 1, sink).error().code(),
            ErrorCode::kResourceExhausted);
  EXPECT_EQ(fetcher->FetchTo(path + ".none", 10, sink).error().code(), ErrorCode::kNotFound);
  std::filesystem::remove(path);

  // A Fetcher that only implements Fetch still streams (in one piece).
  class OneShot : public Fetcher {
   public:
    Result<Bytes> Fetch(const std::string&, uint64_t) override { return ToBytes("abc"); }
  } one;
  got.clear();
  pieces = 0;
  ASSERT_TRUE(one.FetchTo("x", 3, sink).has_value());
  EXPECT_EQ(got, "abc");
  EXPECT_EQ(pieces, 1);
}

}  // namespace
}  // namespace vigil::update
