#include "baton/metrics/http_request.hpp"

#include <charconv>
#include <stdexcept>

#include <boost/asio/ip/address.hpp>

namespace baton::metrics {
namespace {

bool isTokenChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '!' || c == '#' || c == '$' || c == '%' || c == '&' ||
         c == '\'' || c == '*' || c == '+' || c == '^' || c == '`' || c == '|' || c == '~';
}

std::string_view nextLine(std::string_view& rest) {
  const auto newline = rest.find('\n');
  std::string_view line = rest.substr(0, newline);
  rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
  if (line.ends_with('\r'))
    line.remove_suffix(1);
  return line;
}

}  // namespace

std::optional<HttpRequestHead> parseRequestHead(std::string_view head) {
  std::string_view rest = head;
  const std::string_view requestLine = nextLine(rest);
  const auto firstSpace = requestLine.find(' ');
  if (firstSpace == std::string_view::npos || firstSpace == 0)
    return std::nullopt;
  const auto secondSpace = requestLine.find(' ', firstSpace + 1);
  if (secondSpace == std::string_view::npos)
    return std::nullopt;
  const std::string_view method = requestLine.substr(0, firstSpace);
  const std::string_view target = requestLine.substr(firstSpace + 1, secondSpace - firstSpace - 1);
  const std::string_view version = requestLine.substr(secondSpace + 1);
  for (const char c : method) {
    if (!isTokenChar(c))
      return std::nullopt;
  }
  if (target.empty() || target.front() != '/' || target.find(' ') != std::string_view::npos)
    return std::nullopt;
  if (version != "HTTP/1.1" && version != "HTTP/1.0")
    return std::nullopt;
  while (!rest.empty()) {
    const std::string_view line = nextLine(rest);
    if (line.empty())
      break;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
      return std::nullopt;
  }
  return HttpRequestHead{std::string(method), std::string(target.substr(0, target.find('?')))};
}

std::string_view reasonPhrase(int status) noexcept {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

std::string serializeResponse(const HttpResponse& response) {
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " ";
  out += reasonPhrase(response.status);
  out += "\r\nContent-Type: " + response.contentType;
  out += "\r\nContent-Length: " + std::to_string(response.body.size());
  if (response.status == 405)
    out += "\r\nAllow: GET";
  out += "\r\nConnection: close\r\n\r\n";
  out += response.body;
  return out;
}

ListenAddress parseListenAddress(std::string_view text) {
  const std::string quoted = "'" + std::string(text) + "'";
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
    throw std::invalid_argument("expected ADDR:PORT (e.g. 127.0.0.1:9100 or [::1]:9100), got " +
                                quoted);
  }
  std::string_view host = text.substr(0, colon);
  const std::string_view portText = text.substr(colon + 1);
  if (host.front() == '[') {
    if (!host.ends_with(']'))
      throw std::invalid_argument("an IPv6 address needs its closing ']' in " + quoted);
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    throw std::invalid_argument("an IPv6 address goes in brackets ([::1]:9100), got " + quoted);
  }
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
  if (ec != std::errc() || end != portText.data() + portText.size() || port > 65535) {
    throw std::invalid_argument("the port must be a number from 0 to 65535, got " + quoted);
  }
  boost::system::error_code error;
  boost::asio::ip::make_address(std::string(host), error);
  if (error) {
    throw std::invalid_argument("'" + std::string(host) +
                                "' is not a numeric IP address (host names are not resolved), "
                                "in " +
                                quoted);
  }
  return ListenAddress{std::string(host), static_cast<std::uint16_t>(port)};
}

}  // namespace baton::metrics
