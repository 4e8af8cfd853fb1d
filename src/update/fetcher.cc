#include "vigil/update/fetcher.h"

#include <httplib.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>

namespace vigil::update {
namespace {

Error TooLarge(const std::string& url, uint64_t max_length) {
  return ResourceExhaustedError(url + ": larger than the limit of " + std::to_string(max_length) +
                                " bytes");
}

class FileFetcher : public Fetcher {
 public:
  explicit FileFetcher(Env* env) : env_(env) {}
  Result<Bytes> Fetch(const std::string& url, uint64_t max_length) override {
    VIGIL_ASSIGN_OR_RETURN(std::string path, CheckedPath(url, max_length));
    // Bounded again while reading: a file that grows after the size check is still refused.
    return env_->ReadFileLimited(path, max_length, "a download");
  }

  Status FetchTo(const std::string& url, uint64_t max_length, const ChunkSink& sink) override {
    VIGIL_ASSIGN_OR_RETURN(std::string path, CheckedPath(url, max_length));
    VIGIL_ASSIGN_OR_RETURN(auto file, env_->NewRandomAccessFile(path));
    constexpr size_t kChunk = 1 << 20;
    for (uint64_t offset = 0;; offset += kChunk) {
      VIGIL_ASSIGN_OR_RETURN(Bytes chunk, file->Read(offset, kChunk));
      if (chunk.empty()) return OkStatus();
      if (offset + chunk.size() > max_length) return TooLarge(url, max_length);
      VIGIL_RETURN_IF_ERROR(sink(chunk));
    }
  }

 private:
  // The local path of `url`, once it exists and is within the limit.
  Result<std::string> CheckedPath(const std::string& url, uint64_t max_length) {
    std::string path = url.starts_with("file://") ? url.substr(7) : url;
    if (!env_->FileExists(path)) return NotFoundError(url + ": no such file");
    VIGIL_ASSIGN_OR_RETURN(uint64_t size, env_->GetFileSize(path));
    if (size > max_length) return TooLarge(url, max_length);
    return path;
  }

  Env* env_;
};

class HttpFetcher : public Fetcher {
 public:
  explicit HttpFetcher(int timeout_seconds) : timeout_(timeout_seconds) {}
  Result<Bytes> Fetch(const std::string& url, uint64_t max_length) override {
    Bytes body;
    VIGIL_RETURN_IF_ERROR(GetInto(
        url, max_length,
        [&](uint64_t announced) {
          // Sized once from Content-Length rather than grown by doubling as chunks come; never
          // past the caller's limit, nor past kMaxReserve on a server's word alone.
          constexpr uint64_t kMaxReserve = 16 << 20;
          body.reserve(static_cast<size_t>(std::min({announced, max_length, kMaxReserve})));
        },
        [&](ByteView chunk) {
          body.insert(body.end(), chunk.begin(), chunk.end());
          return OkStatus();
        }));
    return body;
  }

  Status FetchTo(const std::string& url, uint64_t max_length, const ChunkSink& sink) override {
    return GetInto(
        url, max_length, [](uint64_t) {}, sink);
  }

 private:
  // GET `url`: `announced` gets a 200 response's Content-Length (if any) before the body, and
  // `sink` the body's chunks.
  Status GetInto(const std::string& url, uint64_t max_length,
                 const std::function<void(uint64_t)>& announced, const ChunkSink& sink) {
    if (!url.starts_with("http://")) return InvalidArgumentError(url + ": expected an http:// URL");
    size_t slash = url.find('/', 7);
    std::string origin = url.substr(0, slash);
    std::string path = slash == std::string::npos ? "/" : url.substr(slash);
    httplib::Client& client = ClientFor(origin);
    uint64_t received = 0;
    bool too_long = false;
    int status = 0;
    Status sink_status = OkStatus();
    auto res = client.Get(
        path,
        [&](const httplib::Response& r) {
          status = r.status;
          if (status == 200 && r.has_header("Content-Length")) {
            announced(std::strtoull(r.get_header_value("Content-Length").c_str(), nullptr, 10));
          }
          return true;
        },
        [&](const char* data, size_t n) {
          if (received + n > max_length) {
            too_long = true;
            return false;  // stop reading: endless data
          }
          received += n;
          if (status != 200) return true;  // an error page never reaches the sink
          sink_status = sink(ByteView(reinterpret_cast<const uint8_t*>(data), n));
          return sink_status.has_value();
        });
    if (too_long) return TooLarge(url, max_length);
    if (!sink_status) return sink_status;
    if (!res) {
      return UnavailableError(url + ": HTTP request failed (" + httplib::to_string(res.error()) +
                              ")");
    }
    if (res->status == 404 || res->status == 403) {
      return NotFoundError(url + ": HTTP " + std::to_string(res->status));
    }
    if (res->status != 200) {
      return UnavailableError(url + ": expected HTTP 200, got " + std::to_string(res->status));
    }
    return OkStatus();
  }

  // One persistent connection per origin. A refresh makes dozens of small requests to one
  // server (timestamp, snapshot, targets, every delegated role); a new TCP connection for each
  // cost more than the transfers. cpp-httplib checks a kept-alive socket before reusing it and
  // reconnects if the server closed it. TCP_NODELAY: each request is one small write, so
  // Nagle's algorithm can only delay it (waiting for the ACK of the previous segment).
  httplib::Client& ClientFor(const std::string& origin) {
    std::unique_ptr<httplib::Client>& client = clients_[origin];
    if (client == nullptr) {
      client = std::make_unique<httplib::Client>(origin);
      client->set_connection_timeout(timeout_, 0);
      client->set_read_timeout(timeout_, 0);
      client->set_keep_alive(true);
      client->set_tcp_nodelay(true);
    }
    return *client;
  }

  int timeout_;
  std::map<std::string, std::unique_ptr<httplib::Client>> clients_;
};

class DefaultFetcher : public Fetcher {
 public:
  explicit DefaultFetcher(Env* env) : file_(env), http_(10) {}
  Result<Bytes> Fetch(const std::string& url, uint64_t max_length) override {
    if (url.starts_with("http://")) return http_.Fetch(url, max_length);
    return file_.Fetch(url, max_length);
  }
  Status FetchTo(const std::string& url, uint64_t max_length, const ChunkSink& sink) override {
    if (url.starts_with("http://")) return http_.FetchTo(url, max_length, sink);
    return file_.FetchTo(url, max_length, sink);
  }

 private:
  FileFetcher file_;
  HttpFetcher http_;
};

}  // namespace

Status Fetcher::FetchTo(const std::string& url, uint64_t max_length, const ChunkSink& sink) {
  VIGIL_ASSIGN_OR_RETURN(Bytes all, Fetch(url, max_length));
  return sink(all);
}

std::unique_ptr<Fetcher> NewFileFetcher(Env* env) { return std::make_unique<FileFetcher>(env); }
std::unique_ptr<Fetcher> NewHttpFetcher(int timeout_seconds) {
  return std::make_unique<HttpFetcher>(timeout_seconds);
}
std::unique_ptr<Fetcher> NewDefaultFetcher(Env* env) {
  return std::make_unique<DefaultFetcher>(env);
}

}  // namespace vigil::update
