#include "vigil/update/fetcher.h"

#include <httplib.h>

namespace vigil::update {
namespace {

class FileFetcher : public Fetcher {
 public:
  explicit FileFetcher(Env* env) : env_(env) {}
  Result<Bytes> Fetch(const std::string& url, uint64_t max_length) override {
    std::string path = url.starts_with("file://") ? url.substr(7) : url;
    if (!env_->FileExists(path)) return NotFoundError(url + ": no such file");
    VIGIL_ASSIGN_OR_RETURN(uint64_t size, env_->GetFileSize(path));
    if (size > max_length) {
      return ResourceExhaustedError(url + ": larger than the limit of " +
                                    std::to_string(max_length) + " bytes");
    }
    return env_->ReadFile(path);
  }

 private:
  Env* env_;
};

class HttpFetcher : public Fetcher {
 public:
  explicit HttpFetcher(int timeout_seconds) : timeout_(timeout_seconds) {}
  Result<Bytes> Fetch(const std::string& url, uint64_t max_length) override {
    if (!url.starts_with("http://")) return InvalidArgumentError(url + ": expected an http:// URL");
    size_t slash = url.find('/', 7);
    std::string origin = url.substr(0, slash);
    std::string path = slash == std::string::npos ? "/" : url.substr(slash);
    httplib::Client client(origin);
    client.set_connection_timeout(timeout_, 0);
    client.set_read_timeout(timeout_, 0);
    Bytes body;
    bool too_long = false;
    auto res = client.Get(
        path, [](const httplib::Response&) { return true; },
        [&](const char* data, size_t n) {
          if (body.size() + n > max_length) {
            too_long = true;
            return false;  // stop reading: endless data
          }
          body.insert(body.end(), data, data + n);
          return true;
        });
    if (too_long) {
      return ResourceExhaustedError(url + ": larger than the limit of " +
                                    std::to_string(max_length) + " bytes");
    }
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
    return body;
  }

 private:
  int timeout_;
};

class DefaultFetcher : public Fetcher {
 public:
  explicit DefaultFetcher(Env* env) : file_(env), http_(10) {}
  Result<Bytes> Fetch(const std::string& url, uint64_t max_length) override {
    if (url.starts_with("http://")) return http_.Fetch(url, max_length);
    return file_.Fetch(url, max_length);
  }

 private:
  FileFetcher file_;
  HttpFetcher http_;
};

}  // namespace

std::unique_ptr<Fetcher> NewFileFetcher(Env* env) { return std::make_unique<FileFetcher>(env); }
std::unique_ptr<Fetcher> NewHttpFetcher(int timeout_seconds) {
  return std::make_unique<HttpFetcher>(timeout_seconds);
}
std::unique_ptr<Fetcher> NewDefaultFetcher(Env* env) {
  return std::make_unique<DefaultFetcher>(env);
}

}  // namespace vigil::update
