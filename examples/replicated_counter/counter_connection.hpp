#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>  // before awaitable.hpp: Boost 1.74 uses std::exchange without it

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/streambuf.hpp>

namespace counter {

// The client's gateway to one counter server: a TCP connection on which the HELLO handshake
// with the fencing token succeeded, so it was the leader under that token when it answered.
// The retriever hands it out; requests carry the same token.
//
// Not thread-safe: one request at a time, on the executor it was opened on.
class CounterConnection {
 public:
  // Connects to address ("host:port") and says HELLO <token>; throws std::system_error
  // (connection errors, timed_out, or protocol_error with the server's answer, e.g.
  // NOT_LEADER or FENCED).
  static boost::asio::awaitable<std::shared_ptr<CounterConnection>> open(
      std::string address, std::string token, std::chrono::milliseconds timeout);

  // Sends one request line and returns the reply line; throws std::system_error on a
  // connection error or timeout (the connection is then unusable).
  boost::asio::awaitable<std::string> request(std::string line, std::chrono::milliseconds timeout);

  const std::string& address() const { return address_; }
  const std::string& token() const { return token_; }

 private:
  CounterConnection(boost::asio::ip::tcp::socket socket, std::string address, std::string token)
      : socket_(std::move(socket)), address_(std::move(address)), token_(std::move(token)) {}

  boost::asio::ip::tcp::socket socket_;
  boost::asio::streambuf buffer_;
  std::string address_;
  std::string token_;
};

}  // namespace counter
