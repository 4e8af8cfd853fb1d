// Fetcher: how the TUF client reaches a repository. The client never trusts what a Fetcher
// returns (everything is length-limited, hashed and signature-checked afterwards); a Fetcher's
// own duty is to stop reading once `max_length` is passed, so an endless-data attacker cannot
// exhaust memory or disk, and to time out, so a slow-retrieval attacker cannot stall forever.
//
// Thread-safety: implementations here are safe to use from one thread at a time.
#ifndef VIGIL_UPDATE_FETCHER_H_
#define VIGIL_UPDATE_FETCHER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "vigil/core/bytes.h"
#include "vigil/core/env.h"
#include "vigil/core/result.h"

namespace vigil::update {

class Fetcher {
 public:
  virtual ~Fetcher() = default;
  // The bytes at `url`. NotFound if the repository has no such file (HTTP 403/404, missing
  // file); ResourceExhausted if it holds more than `max_length` bytes (reading stops there);
  // Unavailable for transport failures and timeouts; InvalidArgument for unsupported URLs.
  virtual Result<Bytes> Fetch(const std::string& url, uint64_t max_length) = 0;

  // Receives one piece of a streamed download; a non-OK status stops the transfer and is
  // returned by FetchTo.
  using ChunkSink = std::function<Status(ByteView chunk)>;

  // Streams the bytes at `url` to `sink` in pieces, in order, without holding the whole file,
  // with the errors of Fetch (ResourceExhausted once more than `max_length` bytes arrive; the
  // sink has then seen at most `max_length`). The bytes are UNVERIFIED: the caller hashes them
  // as they pass (vigil/update/target_verifier.h) and must not trust anything before that check
  // passed. The default implementation calls Fetch and hands over the whole file at once.
  virtual Status FetchTo(const std::string& url, uint64_t max_length, const ChunkSink& sink);
};

// Serves "file:///abs/path" URLs and plain paths through `env`.
std::unique_ptr<Fetcher> NewFileFetcher(Env* env);

// Serves "http://host[:port]/path" URLs through cpp-httplib, with connect/read timeouts of
// `timeout_seconds` each. Keeps one connection per origin alive between requests (with
// TCP_NODELAY) and reconnects when the server has closed it.
std::unique_ptr<Fetcher> NewHttpFetcher(int timeout_seconds = 10);

// http:// through NewHttpFetcher, everything else through NewFileFetcher.
std::unique_ptr<Fetcher> NewDefaultFetcher(Env* env);

}  // namespace vigil::update

#endif  // VIGIL_UPDATE_FETCHER_H_
