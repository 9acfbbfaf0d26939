// The metrics endpoint: request parsing and routes without I/O, then the HTTP server over
// loopback (port 0, a fresh port each time).
#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "baton/metrics/metrics_http_server.hpp"
#include "baton/metrics/metrics_routes.hpp"

using namespace baton;
using namespace baton::metrics;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

// Sends raw bytes to the server and reads the whole answer (the server closes after it).
std::string roundTrip(const std::string& address, const std::string& request) {
  const auto colon = address.rfind(':');
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address(address.substr(0, colon)),
                  static_cast<unsigned short>(std::stoi(address.substr(colon + 1)))});
  asio::write(socket, asio::buffer(request));
  std::string answer;
  boost::system::error_code ec;
  asio::read(socket, asio::dynamic_buffer(answer), ec);  // until the server closes
  return answer;
}

std::string get(const std::string& address, const std::string& path) {
  return roundTrip(address, "GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n");
}

std::string statusLine(const std::string& answer) {
  return answer.substr(0, answer.find("\r\n"));
}

std::string bodyOf(const std::string& answer) {
  const auto end = answer.find("\r\n\r\n");
  return end == std::string::npos ? "" : answer.substr(end + 4);
}

}  // namespace

TEST_CASE("request heads: the method and path of a well-formed GET") {
  const auto head = parseRequestHead("GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n");
  REQUIRE(head);
  CHECK(head->method == "GET");
  CHECK(head->path == "/metrics");
  CHECK(parseRequestHead("GET /healthz HTTP/1.0\n\n"));
}

TEST_CASE("request heads: malformed ones are refused") {
  CHECK_FALSE(parseRequestHead(""));
  CHECK_FALSE(parseRequestHead("GET\r\n"));
  CHECK_FALSE(parseRequestHead("GET /metrics\r\n"));
  CHECK_FALSE(parseRequestHead("GET metrics HTTP/1.1\r\n"));
  CHECK_FALSE(parseRequestHead("GET /metrics HTTP/2\r\n"));
  CHECK_FALSE(parseRequestHead("G(T /metrics HTTP/1.1\r\n"));
  CHECK_FALSE(parseRequestHead("GET /metrics HTTP/1.1\r\nno colon here\r\n"));
}

TEST_CASE("listen addresses: IPv4, bracketed IPv6, port 0; bad ones named in the error") {
  CHECK(parseListenAddress("127.0.0.1:9100").host == "127.0.0.1");
  CHECK(parseListenAddress("127.0.0.1:9100").port == 9100);
  CHECK(parseListenAddress("[::1]:0").host == "::1");
  CHECK(parseListenAddress("0.0.0.0:0").port == 0);
  CHECK_THROWS_WITH(parseListenAddress("9100"),
                    Catch::Contains("expected ADDR:PORT") && Catch::Contains("'9100'"));
  CHECK_THROWS_WITH(parseListenAddress("127.0.0.1:"), Catch::Contains("expected ADDR:PORT"));
  CHECK_THROWS_WITH(parseListenAddress("127.0.0.1:70000"), Catch::Contains("0 to 65535"));
  CHECK_THROWS_WITH(parseListenAddress("127.0.0.1:9x"), Catch::Contains("0 to 65535"));
  CHECK_THROWS_WITH(parseListenAddress("localhost:9100"),
                    Catch::Contains("'localhost' is not a numeric IP address"));
  CHECK_THROWS_WITH(parseListenAddress("::1:9100"), Catch::Contains("in brackets"));
  CHECK_THROWS_WITH(parseListenAddress("[::1:9100"), Catch::Contains("closing ']'"));
}

TEST_CASE("routes: /metrics, /healthz 200 and 503, 404, 405") {
  HaMetricsRegistry registry;
  const auto now = std::chrono::steady_clock::time_point(100s);
  registry.onLeaderStatus("svc", true);
  auto metrics = respondToMetricsRequest(registry, {"GET", "/metrics"}, now);
  CHECK(metrics.status == 200);
  CHECK(metrics.contentType == "text/plain; version=0.0.4; charset=utf-8");
  CHECK_THAT(metrics.body, Catch::Contains("baton_leader_status{component=\"svc\"} 1\n"));
  auto health = respondToMetricsRequest(registry, {"GET", "/healthz"}, now);
  CHECK(health.status == 200);
  CHECK_THAT(health.body, Catch::StartsWith("ok: ") && Catch::Contains("\nrule: unhealthy"));
  registry.onBackendFailure(std::system_error(std::make_error_code(std::errc::io_error), "gone"));
  health = respondToMetricsRequest(registry, {"GET", "/healthz"}, now);
  CHECK(health.status == 503);
  CHECK_THAT(health.body, Catch::StartsWith("unhealthy: the backend failed: gone"));
  CHECK(respondToMetricsRequest(registry, {"GET", "/"}, now).status == 404);
  CHECK(respondToMetricsRequest(registry, {"POST", "/metrics"}, now).status == 405);
}

TEST_CASE("the server answers over loopback and shuts down cleanly") {
  auto registry = std::make_shared<HaMetricsRegistry>();
  registry->onLeaderStatus("svc", true);
  MetricsHttpServer server(parseListenAddress("127.0.0.1:0"), [registry](const HttpRequestHead& r) {
    return respondToMetricsRequest(*registry, r, std::chrono::steady_clock::now());
  });
  const std::string address = server.address();
  REQUIRE(address.rfind("127.0.0.1:", 0) == 0);
  CHECK(address != "127.0.0.1:0");

  const auto metrics = get(address, "/metrics");
  CHECK(statusLine(metrics) == "HTTP/1.1 200 OK");
  CHECK_THAT(metrics,
             Catch::Contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
  CHECK_THAT(metrics, Catch::Contains("Connection: close\r\n"));
  CHECK_THAT(bodyOf(metrics), Catch::Contains("baton_leader_status{component=\"svc\"} 1\n"));
  CHECK_THAT(metrics, Catch::Contains("Content-Length: " + std::to_string(bodyOf(metrics).size())));

  CHECK(statusLine(get(address, "/healthz")) == "HTTP/1.1 200 OK");
  registry->onBackendFailure(std::system_error(std::make_error_code(std::errc::io_error), "x"));
  const auto unhealthy = get(address, "/healthz");
  CHECK(statusLine(unhealthy) == "HTTP/1.1 503 Service Unavailable");
  CHECK_THAT(bodyOf(unhealthy), Catch::StartsWith("unhealthy: the backend failed: x"));
  CHECK(statusLine(get(address, "/nothing")) == "HTTP/1.1 404 Not Found");
  CHECK(statusLine(roundTrip(address, "BREW /metrics HTTP/1.1\r\n\r\n")) ==
        "HTTP/1.1 405 Method Not Allowed");
  CHECK(statusLine(roundTrip(address, "hello\r\n\r\n")) == "HTTP/1.1 400 Bad Request");
  const std::string huge =
      "GET /metrics HTTP/1.1\r\nX-Filler: " + std::string(2 * kMaxRequestHeadBytes, 'a') +
      "\r\n\r\n";
  CHECK(statusLine(roundTrip(address, huge)) == "HTTP/1.1 431 Request Header Fields Too Large");
  // Still serving after all that.
  CHECK(statusLine(get(address, "/metrics")) == "HTTP/1.1 200 OK");

  server.stop();
  server.stop();  // idempotent
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  const auto colon = address.rfind(':');
  socket.connect({asio::ip::make_address("127.0.0.1"),
                  static_cast<unsigned short>(std::stoi(address.substr(colon + 1)))},
                 ec);
  CHECK(ec);  // nobody listens any more
}

TEST_CASE("an address already in use is refused with a message naming it") {
  MetricsHttpServer first(parseListenAddress("127.0.0.1:0"),
                          [](const HttpRequestHead&) { return HttpResponse{}; });
  const std::string taken = first.address();
  CHECK_THROWS_WITH(MetricsHttpServer(parseListenAddress(taken),
                                      [](const HttpRequestHead&) { return HttpResponse{}; }),
                    Catch::Contains("cannot listen on " + taken));
}

TEST_CASE("idle connections are bounded: beyond 32 open ones, a new one is closed unanswered") {
  MetricsHttpServer server(parseListenAddress("127.0.0.1:0"), [](const HttpRequestHead&) {
    return HttpResponse{200, "text/plain", "fine\n"};
  });
  const auto colon = server.address().rfind(':');
  const asio::ip::tcp::endpoint endpoint(
      asio::ip::make_address("127.0.0.1"),
      static_cast<unsigned short>(std::stoi(server.address().substr(colon + 1))));
  asio::io_context io;
  std::vector<std::unique_ptr<asio::ip::tcp::socket>> idle;
  for (int i = 0; i < 32; ++i) {
    idle.push_back(std::make_unique<asio::ip::tcp::socket>(io));
    idle.back()->connect(endpoint);
  }
  // The server accepts in order: by the time it takes this one, the 32 above are open.
  {
    asio::ip::tcp::socket extra(io);
    extra.connect(endpoint);
    std::string answer;
    boost::system::error_code ec;
    asio::read(extra, asio::dynamic_buffer(answer), ec);
    CHECK(answer.empty());
    CHECK(ec);  // closed by the server
  }
  // The connections that hold the slots are still served.
  asio::write(*idle.back(), asio::buffer(std::string("GET /x HTTP/1.1\r\n\r\n")));
  std::string answer;
  boost::system::error_code ec;
  asio::read(*idle.back(), asio::dynamic_buffer(answer), ec);
  CHECK(answer.rfind("HTTP/1.1 200 OK", 0) == 0);
}
