#include "line_server.hpp"

#include <memory>

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

namespace counter {

namespace {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(boost::asio::ip::tcp::socket socket, LineServer::Handler handler)
      : socket_(std::move(socket)), handler_(std::move(handler)) {}

  void doRead() {
    boost::asio::async_read_until(socket_, buffer_, '\n',
                                  [self = shared_from_this()](boost::system::error_code ec,
                                                              std::size_t) { self->onRead(ec); });
  }

 private:
  void onRead(boost::system::error_code ec) {
    if (ec)
      return;  // closed by the peer, or the server stops
    std::istream in(&buffer_);
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    handler_(line, [self = shared_from_this()](const std::string& reply) { self->doWrite(reply); });
  }

  void doWrite(const std::string& reply) {
    auto text = std::make_shared<std::string>(reply + "\n");
    boost::asio::async_write(
        socket_, boost::asio::buffer(*text),
        [self = shared_from_this(), text](boost::system::error_code ec, std::size_t) {
          if (!ec)
            self->doRead();
        });
  }

  boost::asio::ip::tcp::socket socket_;
  boost::asio::streambuf buffer_;
  LineServer::Handler handler_;
};

}  // namespace

LineServer::LineServer(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
                       Handler handler)
    : acceptor_(io, endpoint), handler_(std::move(handler)) {}

void LineServer::start() {
  accept();
}

void LineServer::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

void LineServer::accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, boost::asio::ip::tcp::socket socket) {
    if (ec)
      return;  // stopped
    std::make_shared<Connection>(std::move(socket), handler_)->doRead();
    accept();
  });
}

}  // namespace counter
