#include "baton/metrics/metrics_http_server.hpp"

#include <chrono>
#include <exception>
#include <istream>
#include <system_error>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

namespace baton::metrics {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

constexpr std::chrono::seconds kRequestPatience{10};
// Scrapers open one connection at a time; the bound keeps clients that connect and send
// nothing from using up the process's descriptors (the library's sockets need them too).
constexpr std::size_t kMaxConnections = 32;
// After a failed accept (e.g. out of descriptors) the next waits a little: retrying at once
// would spin on the same error.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

std::string formatEndpoint(const tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(endpoint.port());
}

// One accepted connection: read the head, answer, close. All on the server's thread.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // active counts the connections alive; it must outlive every Connection.
  Connection(tcp::socket socket, const MetricsHttpServer::Handler& handler, std::size_t& active)
      : socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        buffer_(kMaxRequestHeadBytes),
        handler_(handler),
        active_(active) {
    ++active_;
  }
  ~Connection() { --active_; }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void start() {
    timer_.expires_after(kRequestPatience);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec)
        self->close();
    });
    asio::async_read_until(
        socket_, buffer_, "\r\n\r\n",
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t length) {
          self->onRead(ec, length);
        });
  }

 private:
  void onRead(const boost::system::error_code& ec, std::size_t length) {
    if (ec == asio::error::not_found) {
      respond(HttpResponse{
          431, "text/plain; charset=utf-8",
          "request head larger than " + std::to_string(kMaxRequestHeadBytes) + " bytes\n"});
      return;
    }
    if (ec) {
      close();  // the client went away, or the timer closed the socket
      return;
    }
    const std::string head(
        asio::buffers_begin(buffer_.data()),
        asio::buffers_begin(buffer_.data()) + static_cast<std::ptrdiff_t>(length));
    const auto request = parseRequestHead(head);
    if (!request) {
      respond(HttpResponse{400, "text/plain; charset=utf-8", "malformed HTTP request\n"});
      return;
    }
    try {
      respond(handler_(*request));
    } catch (const std::exception& e) {
      respond(HttpResponse{500, "text/plain; charset=utf-8", std::string(e.what()) + "\n"});
    }
  }

  void respond(const HttpResponse& response) {
    response_ = serializeResponse(response);
    asio::async_write(socket_, asio::buffer(response_),
                      [self = shared_from_this()](const boost::system::error_code&, std::size_t) {
                        boost::system::error_code ignored;
                        self->socket_.shutdown(tcp::socket::shutdown_send, ignored);
                        self->close();
                      });
  }

  void close() {
    boost::system::error_code ignored;
    timer_.cancel();
    socket_.close(ignored);
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  asio::streambuf buffer_;
  const MetricsHttpServer::Handler& handler_;
  std::size_t& active_;
  std::string response_;
};

}  // namespace

class MetricsHttpServer::Impl {
 public:
  Impl(const ListenAddress& address, Handler handler)
      : handler_(std::move(handler)), acceptor_(io_), retryTimer_(io_) {
    const tcp::endpoint endpoint(asio::ip::make_address(address.host), address.port);
    const std::string asked = formatEndpoint(endpoint);
    try {
      acceptor_.open(endpoint.protocol());
      acceptor_.set_option(tcp::acceptor::reuse_address(true));
      acceptor_.bind(endpoint);
      acceptor_.listen();
    } catch (const boost::system::system_error& e) {
      throw std::system_error(std::error_code(e.code().value(), std::generic_category()),
                              "cannot listen on " + asked);
    }
    address_ = formatEndpoint(acceptor_.local_endpoint());
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }

  ~Impl() { stop(); }

  void stop() noexcept {
    if (!thread_.joinable())
      return;
    asio::post(io_, [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      retryTimer_.cancel();
      io_.stop();
    });
    thread_.join();
  }

  const std::string& address() const noexcept { return address_; }

 private:
  void accept() {
    acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open())
        return;
      if (ec) {
        retryTimer_.expires_after(kAcceptRetryDelay);
        retryTimer_.async_wait([this](const boost::system::error_code& waited) {
          if (!waited)
            accept();
        });
        return;
      }
      if (active_ < kMaxConnections)
        std::make_shared<Connection>(std::move(socket), handler_, active_)->start();
      // else: the socket closes here, unanswered; the client retries on its next scrape
      accept();
    });
  }

  Handler handler_;
  std::size_t active_ = 0;  // before io_: outlives the connections io_'s handlers hold
  asio::io_context io_;
  tcp::acceptor acceptor_;
  asio::steady_timer retryTimer_;
  std::string address_;
  std::thread thread_;
};

MetricsHttpServer::MetricsHttpServer(const ListenAddress& address, Handler handler)
    : impl_(std::make_unique<Impl>(address, std::move(handler))) {}

MetricsHttpServer::~MetricsHttpServer() = default;

const std::string& MetricsHttpServer::address() const noexcept {
  return impl_->address();
}

void MetricsHttpServer::stop() noexcept {
  impl_->stop();
}

}  // namespace baton::metrics
