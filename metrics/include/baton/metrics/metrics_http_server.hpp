#pragma once

#include <functional>
#include <memory>
#include <string>

#include "baton/metrics/http_request.hpp"

namespace baton::metrics {

// A minimal HTTP/1.1 server for /metrics and /healthz on Boost.Asio, on a thread of its own
// (a slow scraper never delays an election). One request per connection (Connection: close);
// a request head over kMaxRequestHeadBytes gets 431, a malformed one 400, a client that does
// not finish its request in 10 s is disconnected, and at most 32 connections are open at once
// (more are closed unanswered). The handler decides everything else.
//
// Thread-safety: construct, stop() and destroy on one thread; address() from any thread.
// The handler runs on the server's thread, one request at a time. stop() is idempotent and
// runs in the destructor; it returns once the thread has ended.
class MetricsHttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequestHead& request)>;

  // Binds and listens at once, so that a bad address fails here: throws std::system_error
  // whose message names the address ("cannot listen on 127.0.0.1:80: Permission denied").
  MetricsHttpServer(const ListenAddress& address, Handler handler);
  ~MetricsHttpServer();
  MetricsHttpServer(const MetricsHttpServer&) = delete;
  MetricsHttpServer& operator=(const MetricsHttpServer&) = delete;

  // The bound address, "127.0.0.1:41234" or "[::1]:41234" (the real port when 0 was asked).
  const std::string& address() const noexcept;
  void stop() noexcept;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace baton::metrics
