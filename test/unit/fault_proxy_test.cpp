// The fault proxy itself, against a local echo server: pass, delay, blackhole (held, then
// delivered on pass), reset (closed, new connections refused), and the lost create reply;
// against a server the test drives: one direction held while the other flows, and the
// rewritten election address of ZooKeeper's quorum initial message.
#include <catch2/catch.hpp>

#include <poll.h>

#include <optional>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "support/deadline.hpp"
#include "support/fault_proxy.hpp"
#include "support/zk_frames.hpp"

using namespace baton::test;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

// Echoes every byte back, one thread per connection; stops when destroyed.
class EchoServer {
 public:
  EchoServer() : acceptor_(io_, tcp::endpoint(asio::ip::address_v4::loopback(), 0)) {
    thread_ = std::thread([this] {
      for (;;) {
        boost::system::error_code ec;
        tcp::socket socket(io_);
        acceptor_.accept(socket, ec);
        if (ec)
          return;
        workers_.emplace_back([s = std::move(socket)]() mutable {
          std::array<char, 4096> buffer{};
          boost::system::error_code e;
          for (;;) {
            auto n = s.read_some(asio::buffer(buffer), e);
            if (e || asio::write(s, asio::buffer(buffer.data(), n), e) != n)
              return;
          }
        });
      }
    });
  }
  ~EchoServer() {
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    thread_.join();
    for (auto& worker : workers_)
      worker.join();  // each ends when its client (the proxy, destroyed first) closes
  }
  std::string address() const {
    return "127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::vector<std::thread> workers_;
};

struct Client {
  asio::io_context io;
  tcp::socket socket{io};

  explicit Client(std::uint16_t port) {
    socket.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
  }
  void send(const std::string& data) { asio::write(socket, asio::buffer(data)); }
  // Whether the socket becomes readable (data, EOF or reset) within timeout.
  bool readable(std::chrono::milliseconds timeout) {
    pollfd fd{socket.native_handle(), POLLIN, 0};
    return ::poll(&fd, 1, static_cast<int>(timeout.count())) == 1;
  }
  // Reads exactly n bytes; "" on EOF or error.
  std::string receive(std::size_t n) {
    std::string data(n, '\0');
    boost::system::error_code ec;
    asio::read(socket, asio::buffer(data), ec);
    return ec ? std::string() : data;
  }
};

// A server the test drives: accepts connections through the proxy, then reads and writes them.
class Upstream {
 public:
  Upstream() : acceptor_(io_, tcp::endpoint(asio::ip::address_v4::loopback(), 0)) {}
  std::string address() const {
    return "127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }
  // The next connection, if one arrives within timeout.
  std::optional<tcp::socket> accept(std::chrono::milliseconds timeout) {
    pollfd fd{acceptor_.native_handle(), POLLIN, 0};
    if (::poll(&fd, 1, static_cast<int>(timeout.count())) != 1)
      return std::nullopt;
    tcp::socket socket(io_);
    acceptor_.accept(socket);
    return socket;
  }

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
};

bool readable(tcp::socket& socket, std::chrono::milliseconds timeout) {
  pollfd fd{socket.native_handle(), POLLIN, 0};
  return ::poll(&fd, 1, static_cast<int>(timeout.count())) == 1;
}

std::string receive(tcp::socket& socket, std::size_t n) {
  std::string data(n, '\0');
  boost::system::error_code ec;
  asio::read(socket, asio::buffer(data), ec);
  return ec ? std::string() : data;
}

void appendInt64(std::string& out, std::int64_t value) {
  zkwire::appendInt32(out, static_cast<std::int32_t>(value >> 32));
  zkwire::appendInt32(out, static_cast<std::int32_t>(value & 0xffffffff));
}

// ZooKeeper's QuorumCnxManager initial message (protocol version 2).
std::string initialMessage(std::int64_t sid, const std::string& address) {
  std::string out;
  appendInt64(out, -65535);
  appendInt64(out, sid);
  zkwire::appendInt32(out, static_cast<std::int32_t>(address.size()));
  return out + address;
}

std::string request(std::int32_t xid, std::int32_t type, const std::string& path) {
  std::string body;
  zkwire::appendInt32(body, xid);
  zkwire::appendInt32(body, type);
  zkwire::appendInt32(body, static_cast<std::int32_t>(path.size()));
  return zkwire::frame(body + path);
}

}  // namespace

TEST_CASE("pass forwards both ways; delay adds latency") {
  EchoServer echo;
  FaultProxy proxy(echo.address());
  Client client(proxy.port(0));
  client.send("hello");
  CHECK(client.receive(5) == "hello");
  CHECK(proxy.serversInUse() == std::set<std::size_t>{0});

  proxy.setDelay(100ms, 100ms);
  auto start = std::chrono::steady_clock::now();
  client.send("slow");
  CHECK(client.receive(4) == "slow");
  CHECK(std::chrono::steady_clock::now() - start >= 200ms);
}

TEST_CASE("blackhole holds connections and forwards nothing until pass") {
  EchoServer echo;
  FaultProxy proxy(echo.address());
  Client early(proxy.port(0));
  early.send("a");
  CHECK(early.receive(1) == "a");

  proxy.setMode(FaultProxy::Mode::blackhole);
  early.send("held");
  Client late(proxy.port(0));  // accepted and held too
  late.send("late");
  CHECK_FALSE(early.readable(300ms));  // neither data nor a close
  CHECK_FALSE(late.readable(50ms));
  CHECK(proxy.openConnections() == 2);

  proxy.setMode(FaultProxy::Mode::pass);
  CHECK(early.receive(4) == "held");
  CHECK(late.receive(4).empty());  // accepted during the partition: reset, nothing forwarded
  early.send("after");
  CHECK(early.receive(5) == "after");
  proxy.setMode(FaultProxy::Mode::blackhole);  // a partition with nothing sent during it
  proxy.setMode(FaultProxy::Mode::pass);
  early.send("again");
  CHECK(early.receive(5) == "again");
  proxy.setMode(FaultProxy::Mode::reset);
  REQUIRE(early.readable(scaled(5s)));
  CHECK(early.receive(1).empty());
}

TEST_CASE("reset closes every connection and refuses new ones until the mode changes") {
  EchoServer echo;
  FaultProxy proxy(echo.address());
  Client client(proxy.port(0));
  client.send("x");
  CHECK(client.receive(1) == "x");

  proxy.setMode(FaultProxy::Mode::reset);
  REQUIRE(client.readable(scaled(5s)));
  CHECK(client.receive(1).empty());
  Client refused(proxy.port(0));
  REQUIRE(refused.readable(scaled(5s)));
  CHECK(refused.receive(1).empty());
  CHECK(proxy.openConnections() == 0);

  proxy.setMode(FaultProxy::Mode::pass);
  Client again(proxy.port(0));
  again.send("y");
  CHECK(again.receive(1) == "y");
}

TEST_CASE("the reply to the next matching create is lost and the client connection reset") {
  EchoServer echo;  // echoes requests, so a request comes back with its own xid: a "reply"
  FaultProxy proxy(echo.address());
  proxy.loseNextCreateReply("/latch/");
  Client client(proxy.port(0));
  auto connectRequest = zkwire::frame(std::string(40, '\0'));
  client.send(connectRequest);
  CHECK(client.receive(connectRequest.size()) == connectRequest);

  auto other = request(1, zkwire::kCreate, "/a/b");  // a create whose path does not match
  client.send(other);
  CHECK(client.receive(other.size()) == other);
  auto read = request(2, 4, "/latch/x");  // getData: not a create
  client.send(read);
  CHECK(client.receive(read.size()) == read);

  client.send(request(3, zkwire::kCreate2, "/latch/_c_1-latch-"));
  REQUIRE(client.readable(scaled(5s)));
  CHECK(client.receive(1).empty());  // the reply was dropped and the connection reset
  CHECK(proxy.lostCreateReplies().size() == 1);

  Client next(proxy.port(0));  // one-shot: later creates pass
  next.send(connectRequest);
  CHECK(next.receive(connectRequest.size()) == connectRequest);
  auto again = request(4, zkwire::kCreate, "/latch/_c_2-latch-");
  next.send(again);
  CHECK(next.receive(again.size()) == again);
}

TEST_CASE("a held direction forwards nothing that way while the other way flows") {
  using Direction = FaultProxy::Direction;
  Upstream upstream;
  FaultProxy proxy(upstream.address());
  Client client(proxy.port(0));
  auto server = upstream.accept(scaled(5s));
  REQUIRE(server);

  proxy.setHeld(0, Direction::toServer, true);
  client.send("up");
  asio::write(*server, asio::buffer(std::string("down")));
  CHECK(client.receive(4) == "down");  // the other way flows
  CHECK_FALSE(readable(*server, 300ms));
  proxy.setHeld(0, Direction::toServer, false);
  CHECK(receive(*server, 2) == "up");  // held, then delivered

  proxy.setHeld(0, Direction::toClient, true);
  asio::write(*server, asio::buffer(std::string("late")));
  client.send("early");
  CHECK(receive(*server, 5) == "early");
  CHECK_FALSE(client.readable(300ms));
  proxy.setHeld(0, Direction::toClient, false);
  CHECK(client.receive(4) == "late");

  // Both ways flow again: a blackhole and its end leave the held flags alone.
  proxy.setMode(FaultProxy::Mode::blackhole);
  proxy.setMode(FaultProxy::Mode::pass);
  client.send("again");
  CHECK(receive(*server, 5) == "again");
}

TEST_CASE("a connection opened while one way is held is never connected and is reset on release") {
  using Direction = FaultProxy::Direction;
  Upstream upstream;
  FaultProxy proxy(upstream.address());
  proxy.setHeld(0, Direction::toClient, true);
  Client client(proxy.port(0));  // accepted by the proxy, not connected upstream
  client.send("hello");
  CHECK_FALSE(upstream.accept(300ms));
  CHECK(proxy.openConnections() == 1);
  CHECK(proxy.serversInUse().empty());

  proxy.setHeld(0, Direction::toClient, false);
  REQUIRE(client.readable(scaled(5s)));
  CHECK(client.receive(1).empty());  // reset: its handshake never got through
  CHECK_FALSE(upstream.accept(100ms));

  Client after(proxy.port(0));
  auto server = upstream.accept(scaled(5s));
  REQUIRE(server);
  after.send("x");
  CHECK(receive(*server, 1) == "x");
}

TEST_CASE("the election address in ZooKeeper's quorum initial message is rewritten") {
  Upstream upstream;
  FaultProxy proxy(upstream.address() + "," + upstream.address());
  proxy.rewriteElectionAddress(0, "127.0.0.1:40001");

  // Sent in pieces (the header split in the middle): forwarded whole, once rewritten.
  Client client(proxy.port(0));
  auto server = upstream.accept(scaled(5s));
  REQUIRE(server);
  auto message = initialMessage(3, "127.0.0.1:23883|127.0.0.2:23883");
  client.send(message.substr(0, 10));
  CHECK_FALSE(readable(*server, 100ms));
  client.send(message.substr(10) + "notification");
  auto expected = initialMessage(3, "127.0.0.1:40001") + "notification";
  CHECK(receive(*server, expected.size()) == expected);
  asio::write(*server, asio::buffer(std::string("reply")));  // the other way is untouched
  CHECK(client.receive(5) == "reply");

  // Not a quorum initial message (a client's ConnectRequest): passes unchanged.
  Client other(proxy.port(0));
  auto otherServer = upstream.accept(scaled(5s));
  REQUIRE(otherServer);
  auto connectRequest = zkwire::frame(std::string(40, '\0'));
  other.send(connectRequest);
  CHECK(receive(*otherServer, connectRequest.size()) == connectRequest);

  // Only the listener it was set for rewrites.
  Client plain(proxy.port(1));
  auto plainServer = upstream.accept(scaled(5s));
  REQUIRE(plainServer);
  plain.send(message);
  CHECK(receive(*plainServer, message.size()) == message);
}
