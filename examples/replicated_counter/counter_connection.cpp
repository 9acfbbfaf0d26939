#include "counter_connection.hpp"

#include <istream>
#include <system_error>
#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "baton/error.hpp"

namespace counter {

namespace {

using boost::asio::use_awaitable;

// Closes the socket if the operation it guards is not done by the deadline (Boost 1.74 has no
// awaitable operators to race a timer); the guarded operation then fails, and is reported as
// timed_out.
class Deadline {
 public:
  Deadline(boost::asio::ip::tcp::socket& socket, std::chrono::milliseconds timeout)
      : timer_(std::make_shared<boost::asio::steady_timer>(socket.get_executor(), timeout)),
        expired_(std::make_shared<bool>(false)) {
    timer_->async_wait([&socket, expired = expired_](boost::system::error_code ec) {
      if (ec)
        return;
      *expired = true;
      boost::system::error_code ignored;
      socket.close(ignored);
    });
  }
  ~Deadline() { timer_->cancel(); }
  [[noreturn]] void fail(const boost::system::system_error& e) const {
    if (*expired_)
      throw std::system_error(make_error_code(baton::Errc::timed_out));
    throw std::system_error(e.code());
  }

 private:
  std::shared_ptr<boost::asio::steady_timer> timer_;
  std::shared_ptr<bool> expired_;
};

// "host:port" split at the last colon; the host may be a name (resolved) or an address.
std::pair<std::string, std::string> split(const std::string& address) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos) {
    throw std::system_error(std::make_error_code(std::errc::invalid_argument), address);
  }
  return {address.substr(0, colon), address.substr(colon + 1)};
}

}  // namespace

boost::asio::awaitable<std::shared_ptr<CounterConnection>> CounterConnection::open(
    std::string address, std::string token, std::chrono::milliseconds timeout) {
  auto executor = co_await boost::asio::this_coro::executor;
  boost::asio::ip::tcp::socket socket(executor);
  {
    Deadline deadline(socket, timeout);
    try {
      auto [host, port] = split(address);
      boost::asio::ip::tcp::resolver resolver(executor);
      auto endpoints = co_await resolver.async_resolve(host, port, use_awaitable);
      co_await boost::asio::async_connect(socket, endpoints, use_awaitable);
    } catch (const boost::system::system_error& e) {
      deadline.fail(e);
    }
  }
  std::shared_ptr<CounterConnection> connection(
      new CounterConnection(std::move(socket), address, token));
  auto reply = co_await connection->request("HELLO " + token, timeout);
  if (reply.rfind("OK", 0) != 0) {
    throw std::system_error(std::make_error_code(std::errc::protocol_error), reply);
  }
  co_return connection;
}

boost::asio::awaitable<std::string> CounterConnection::request(std::string line,
                                                               std::chrono::milliseconds timeout) {
  Deadline deadline(socket_, timeout);
  try {
    line += "\n";
    co_await boost::asio::async_write(socket_, boost::asio::buffer(line), use_awaitable);
    co_await boost::asio::async_read_until(socket_, buffer_, '\n', use_awaitable);
  } catch (const boost::system::system_error& e) {
    deadline.fail(e);
  }
  std::istream in(&buffer_);
  std::string reply;
  std::getline(in, reply);
  co_return reply;
}

}  // namespace counter
