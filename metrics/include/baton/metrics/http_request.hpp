#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace baton::metrics {

// The largest request head (request line and headers) the metrics endpoint reads; a scraper's
// GET is a few hundred bytes, and a bound keeps a client from growing the server's memory.
inline constexpr std::size_t kMaxRequestHeadBytes = 8192;

// What the endpoint needs of an HTTP/1.x request: its method and path (the query stripped).
struct HttpRequestHead {
  std::string method;
  std::string path;
};

// Parses a request head up to and excluding its final empty line (CRLF line ends; a lone LF
// is accepted, as RFC 9112 allows). nullopt for anything malformed: a request line that is not
// "METHOD SP TARGET SP HTTP/1.x", a target not starting with '/', a header line without ':'.
// No I/O: the server reads the bytes, this decides.
std::optional<HttpRequestHead> parseRequestHead(std::string_view head);

// An HTTP response as the endpoint sends it (always with Connection: close).
struct HttpResponse {
  int status = 200;
  std::string contentType = "text/plain; charset=utf-8";
  std::string body;
};

// The status line's reason phrase ("OK", "Not Found", ...).
std::string_view reasonPhrase(int status) noexcept;

// The bytes on the wire: status line, Content-Type, Content-Length, Connection: close, body.
std::string serializeResponse(const HttpResponse& response);

// "ADDR:PORT" as --metrics takes it: a numeric IPv4 address, or an IPv6 one in brackets
// ([::1]:9100), and a port from 0 (any free port) to 65535.
struct ListenAddress {
  std::string host;  // without brackets
  std::uint16_t port = 0;
};

// Throws std::invalid_argument naming the text and what is wrong with it.
ListenAddress parseListenAddress(std::string_view text);

}  // namespace baton::metrics
