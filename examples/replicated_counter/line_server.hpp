#pragma once

#include <functional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace counter {

// A TCP server for a line protocol: each connection reads one request line at a time, hands
// it to the handler, and writes the handler's reply (which may come later) before reading the
// next. Single-threaded: run the io_context on one thread. stop() is idempotent.
class LineServer {
 public:
  using Reply = std::function<void(const std::string&)>;
  using Handler = std::function<void(const std::string& request, Reply reply)>;

  // Binds at once (port 0: any free port); throws boost::system::system_error when it cannot.
  LineServer(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
             Handler handler);
  boost::asio::ip::tcp::endpoint localEndpoint() const { return acceptor_.local_endpoint(); }
  void start();
  void stop();

 private:
  void accept();

  boost::asio::ip::tcp::acceptor acceptor_;
  Handler handler_;
};

}  // namespace counter
