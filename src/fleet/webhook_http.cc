// The webhook transport over cpp-httplib (kept private to this file): one client per origin,
// HTTPS with the server's certificate and host name verified.
#include <httplib.h>

#include <map>

#include "vigil/fleet/webhook.h"

namespace vigil::fleet {
namespace {

// "https://host:port/path?q" → ("https://host:port", "/path?q").
Result<std::pair<std::string, std::string>> SplitUrl(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    return InvalidArgumentError("webhook url '" + url + "': expected scheme://host/path");
  }
  const size_t path = url.find('/', scheme_end + 3);
  if (path == std::string::npos) return std::make_pair(url, std::string("/"));
  return std::make_pair(url.substr(0, path), url.substr(path));
}

class HttpTransport : public WebhookTransport {
 public:
  explicit HttpTransport(HttpTransportOptions o) : options_(std::move(o)) {}

  Result<int> Post(const WebhookRequest& request) override {
    VIGIL_ASSIGN_OR_RETURN(auto parts, SplitUrl(request.url));
    httplib::Client& client = ClientFor(parts.first);
    httplib::Headers headers;
    for (const auto& [name, value] : request.headers) headers.emplace(name, value);
    httplib::Result res = client.Post(parts.second, headers, request.body, "application/json");
    if (!res) {
      return UnavailableError(parts.first + ": no answer (" + httplib::to_string(res.error()) +
                              ")");
    }
    return res->status;
  }

 private:
  httplib::Client& ClientFor(const std::string& origin) {
    std::unique_ptr<httplib::Client>& client = clients_[origin];
    if (client == nullptr) {
      client = std::make_unique<httplib::Client>(origin);
      client->set_connection_timeout(options_.timeout_seconds, 0);
      client->set_read_timeout(options_.timeout_seconds, 0);
      client->set_write_timeout(options_.timeout_seconds, 0);
      client->set_keep_alive(true);
      // A POST's header and body are separate writes: without TCP_NODELAY Nagle holds the body
      // on a kept-alive connection until the receiver's delayed ACK, up to 40 ms per delivery.
      client->set_tcp_nodelay(true);
      client->set_follow_location(false);
      client->enable_server_certificate_verification(true);
      if (!options_.ca_file.empty()) client->set_ca_cert_path(options_.ca_file);
    }
    return *client;
  }

  HttpTransportOptions options_;
  std::map<std::string, std::unique_ptr<httplib::Client>> clients_;
};

}  // namespace

std::unique_ptr<WebhookTransport> NewHttpWebhookTransport(const HttpTransportOptions& options) {
  return std::make_unique<HttpTransport>(options);
}

}  // namespace vigil::fleet
