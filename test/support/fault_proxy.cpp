#include "support/fault_proxy.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include "support/zk_frames.hpp"

namespace baton::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Mode = FaultProxy::Mode;

namespace {

// BATON_FAULT_PROXY_LOG=1 traces connections and mode changes on stderr.
bool tracing() {
  static const bool on = std::getenv("BATON_FAULT_PROXY_LOG") != nullptr;
  return on;
}

void closeHard(tcp::socket& socket) {
  boost::system::error_code ignored;
  if (!socket.is_open())
    return;
  socket.set_option(asio::socket_base::linger(true, 0), ignored);  // RST, not FIN
  socket.close(ignored);
}

}  // namespace

class Session;

// All state below lives on the proxy's thread.
class FaultProxy::Impl : public std::enable_shared_from_this<Impl> {
 public:
  struct Listener {
    explicit Listener(asio::io_context& io) : acceptor(io) {}
    tcp::acceptor acceptor;
    tcp::endpoint upstream;
    Mode mode = Mode::pass;
    bool held[2]{};                              // [0] to the server, [1] to the client
    std::optional<std::string> electionAddress;  // rewriteElectionAddress
  };

  asio::io_context io;
  std::vector<std::unique_ptr<Listener>> listeners;
  std::map<Session*, std::shared_ptr<Session>> sessions;
  std::chrono::milliseconds delay[2]{};  // [0] to the server, [1] to the client
  std::chrono::milliseconds connectPatience{0};
  std::optional<std::string> loseCreate;  // armed: path filter
  struct RequestRule {
    std::int32_t type;
    FaultProxy::RequestFault fault;
    std::string contains;
    bool once;
  };
  std::vector<RequestRule> requestRules;  // injectOnRequest
  std::optional<Mode> afterLoss;          // the mode of every server once the reply is lost
  std::size_t refused = 0;                // connections closed on accept (reset)
  // dropNextReply: armed with the request types and path filter; `dropped` is guarded by mutex
  std::optional<std::pair<std::vector<std::int32_t>, std::string>> dropReply;
  std::size_t dropped = 0;
  mutable std::mutex mutex;  // guards lost, seen and dropped
  std::vector<std::string> lost;
  std::map<std::int32_t, std::size_t> seen;  // requests read, by opcode

  // The fault for a client request, consuming a one-shot rule; nullopt: forward it.
  std::optional<FaultProxy::RequestFault> requestFault(const std::string& packet) {
    auto type = zkwire::requestTypeOf(packet);
    if (!type)
      return std::nullopt;
    {
      std::lock_guard lock(mutex);
      ++seen[*type];
    }
    for (auto it = requestRules.begin(); it != requestRules.end(); ++it) {
      if (it->type != *type || packet.find(it->contains) == std::string::npos)
        continue;
      auto fault = it->fault;
      if (it->once)
        requestRules.erase(it);
      return fault;
    }
    return std::nullopt;
  }

  void accept(std::size_t server);
  void apply(std::size_t server, Mode mode);
  void changed(std::size_t server);  // the mode or a held direction of a server changed

  template <typename T, typename F>
  T run(F fn) {
    std::packaged_task<T()> task(std::move(fn));
    auto future = task.get_future();
    asio::post(io, [&task] { task(); });
    return future.get();
  }
};

// One client connection and its upstream connection. Each direction is a pump: read a chunk,
// cut it into ZooKeeper packets, inspect them, wait the delay, write, read again; a pump parks
// (before reading or before writing) while its direction is blocked (the server blackholed, or
// that direction held) and resumes when it is not.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(FaultProxy::Impl& impl, std::size_t server, tcp::socket client)
      : impl_(impl),
        server_(server),
        client_(std::move(client)),
        upstream_(impl.io),
        rewriteTo_(impl.listeners[server]->electionAddress) {
    pumps_[0].timer.emplace(impl.io);
    pumps_[1].timer.emplace(impl.io);
  }

  std::size_t server() const { return server_; }
  bool connected() const { return connected_; }

  void start() {
    if (open())
      connect();
  }

  // The server's mode or one of its held directions changed.
  void onChange() {
    if (mode() == Mode::reset)
      return close();
    if (!connected_ && !connecting_) {
      // Accepted during a partition: in a real network its handshake never got through, so
      // nothing the client sent on it may reach the server now (a stale ConnectRequest could
      // move a live session onto a dead connection): the client sees a failed connection.
      if (open())
        close();
      return;
    }
    for (int dir = 0; dir < 2; ++dir) {
      auto& pump = pumps_[dir];
      if (!pump.parked || blocked(dir))
        continue;
      pump.parked = false;
      pump.out.empty() ? read(dir) : deliver(dir);
    }
  }

  void close() {
    if (closed_)
      return;
    if (tracing())
      std::fprintf(stderr, "fault proxy: server %zu: connection closed\n", server_);
    closed_ = true;
    closeHard(client_);
    closeHard(upstream_);
    for (auto& pump : pumps_)
      pump.timer->cancel();
    impl_.sessions.erase(this);  // may destroy this: last statement
  }

 private:
  struct Pump {
    std::array<char, 16384> buffer{};
    FrameSplitter splitter;
    std::string out;    // packets read and not yet written
    bool first = true;  // the connect request / response comes first
    bool parked = false;
    bool delayed = false;     // the delay of `out` has passed
    std::size_t pending = 0;  // bytes of a partial packet, forwarded, still in the splitter
    std::optional<asio::steady_timer> timer;
  };

  Mode mode() const { return impl_.listeners[server_]->mode; }
  // Whether bytes may not flow in direction dir now.
  bool blocked(int dir) const {
    return mode() != Mode::pass || impl_.listeners[server_]->held[dir];
  }
  // Whether a new connection could be established now (both directions flow).
  bool open() const { return !blocked(0) && !blocked(1); }
  tcp::socket& from(int dir) { return dir == 0 ? client_ : upstream_; }
  tcp::socket& to(int dir) { return dir == 0 ? upstream_ : client_; }

  void connect() {
    if (!connecting_)
      connectUntil_ = std::chrono::steady_clock::now() + impl_.connectPatience;
    connecting_ = true;
    upstream_.async_connect(impl_.listeners[server_]->upstream, [self = shared_from_this()](
                                                                    boost::system::error_code ec) {
      if (self->closed_)
        return;
      if (ec && std::chrono::steady_clock::now() < self->connectUntil_)
        return self->retryConnect();
      self->connecting_ = false;
      if (ec)
        return self->close();  // the server is down: so is the client's link
      self->connected_ = true;
      self->read(0);
      self->read(1);
    });
  }

  // The upstream refused within the connect patience: try again shortly (still connecting_).
  void retryConnect() {
    boost::system::error_code ignored;
    upstream_.close(ignored);
    pumps_[0].timer->expires_after(std::chrono::milliseconds(50));
    pumps_[0].timer->async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec && !self->closed_)
        self->connect();
    });
  }

  void read(int dir) {
    if (closed_)
      return;
    if (blocked(dir)) {
      pumps_[dir].parked = true;
      return;
    }
    from(dir).async_read_some(
        asio::buffer(pumps_[dir].buffer),
        [self = shared_from_this(), dir](boost::system::error_code ec, std::size_t n) {
          if (self->closed_)
            return;
          if (ec)
            return self->close();
          if (!self->inspect(dir, n))
            return;
          self->deliver(dir);
        });
  }

  // Bytes are forwarded as they come; the splitter follows the packets on the side. Returns
  // false when the chunk completes the reply to drop: the chunk is not forwarded and the
  // session is reset, so the client never holds that whole reply.
  bool inspect(int dir, std::size_t n) {
    auto& pump = pumps_[dir];
    if (dir == 0 && rewriteTo_) {
      rewriteInitialMessage(pump.buffer.data(), n);
      return true;
    }
    // With request rules armed, the client's bytes go packet by packet, so that a request the
    // proxy stops still lets the ones before it through.
    bool byPacket = dir == 0 && !impl_.requestRules.empty();
    std::string packets;
    // Where each packet starts in this chunk: the first may have begun in an earlier one.
    auto at = -static_cast<std::ptrdiff_t>(pump.pending);
    std::optional<std::pair<std::size_t, std::size_t>> cut;  // a reply dropped from the chunk
    std::size_t framed = 0;
    for (auto& packet : pump.splitter.push(pump.buffer.data(), n)) {
      bool first = std::exchange(pump.first, false);
      if (!first && dir == 0) {
        watchCreate(packet);
        watchDropReply(packet);
        if (auto fault = impl_.requestFault(packet)) {
          if (*fault == FaultProxy::RequestFault::loseReply) {
            dropReplyXid_ = zkwire::xidOf(packet);
          } else {
            pump.out += packets;
            stopRequest(packet, *fault);
            return false;
          }
        }
      }
      if (!first && dir == 1 && answering_) {
        // Made up as ZooKeeper 3.4 does, the answer follows the replies to the requests the
        // server got before it (in the common case where they are done by then).
        if (answerAfter_ == 0)
          return false;                   // the answer is queued: nothing else reaches the client
        if (zkwire::xidOf(packet) != -1)  // -1: a watch notification, not a reply
          --answerAfter_;
        pump.out += packet;
        if (answerAfter_ == 0)
          pump.out += std::exchange(answer_, {});
        continue;
      }
      if (!first && dir == 1 && dropOnlyXid_ && zkwire::xidOf(packet) == dropOnlyXid_ && at >= 0) {
        cut.emplace(static_cast<std::size_t>(at), packet.size());
        dropOnlyXid_.reset();
        std::lock_guard lock(impl_.mutex);
        ++impl_.dropped;
      }
      at += static_cast<std::ptrdiff_t>(packet.size());
      framed += packet.size();
      if (!first && dir == 1 && dropReplyXid_ && zkwire::xidOf(packet) == dropReplyXid_ &&
          recordDrop_ && zkwire::replyErrorOf(packet).value_or(0) < 0) {
        // The servers refused that create (e.g. ZNONODE: a first attempt before its parents
        // exist): it left nothing behind, so its answer flows and the next match is the one.
        dropReplyXid_.reset();
        recordDrop_ = false;
        if (!impl_.loseCreate)
          impl_.loseCreate = std::exchange(loseCreateFilter_, {});
      }
      if (!first && dir == 1 && dropReplyXid_ && zkwire::xidOf(packet) == dropReplyXid_) {
        if (recordDrop_) {
          std::lock_guard lock(impl_.mutex);
          impl_.lost.push_back(zkwire::createdPathOf(packet));
        }
        auto& impl = impl_;  // close() may destroy this session (the caller holds a reference)
        auto after = std::exchange(impl.afterLoss, std::nullopt);
        close();
        for (std::size_t server = 0; after && server < impl.listeners.size(); ++server)
          impl.apply(server, *after);
        return false;
      }
      if (!first && dir == 0)
        ++forwarded_;
      if (!first && dir == 1 && zkwire::xidOf(packet) != -1)
        ++replied_;
      if (byPacket)
        packets += packet;
    }
    if (dir == 1 && answering_)
      return true;  // pump.out holds the replies and perhaps the answer: deliver them
    pump.pending = pump.pending + n - framed;
    if (byPacket) {
      pump.out += packets;
    } else if (cut) {
      pump.out.append(pump.buffer.data(), cut->first);
      pump.out.append(pump.buffer.data() + cut->first + cut->second, n - cut->first - cut->second);
    } else {
      pump.out.append(pump.buffer.data(), n);
    }
    return true;
  }

  // A request the proxy does not forward (see injectOnRequest): what was queued before it still
  // goes; then the connection is reset, or answered as ZooKeeper 3.4 answers an unknown opcode
  // and closed. Reading from the client stops here.
  void stopRequest(const std::string& packet, FaultProxy::RequestFault fault) {
    bool reset = fault == FaultProxy::RequestFault::dropAndReset;
    if (!pumps_[0].out.empty() && !blocked(0)) {
      auto data = std::make_shared<std::string>(std::exchange(pumps_[0].out, {}));
      asio::async_write(
          upstream_, asio::buffer(*data),
          [self = shared_from_this(), data, reset](boost::system::error_code, std::size_t) {
            if (reset)
              self->close();
          });
      if (reset)
        return;
    }
    if (reset)
      return close();
    std::string reply;
    zkwire::appendInt32(reply, zkwire::xidOf(packet).value_or(0));
    zkwire::appendInt32(reply, -1);  // zxid -1 (int64): the request made no transaction
    zkwire::appendInt32(reply, -1);
    zkwire::appendInt32(reply, -6);  // ZUNIMPLEMENTED
    answering_ = true;
    answerAfter_ = forwarded_ > replied_ ? forwarded_ - replied_ : 0;
    answer_ = zkwire::frame(reply);
    if (answerAfter_ > 0)
      return;  // queued behind the replies still to come (inspect)
    pumps_[1].out += std::exchange(answer_, {});
    if (!writingToClient_)
      deliver(1);  // a read from the server may be pending: the write's end closes, not reads
  }

  // Ends the connection after the made-up answer as a server does: FIN after the answer, not a
  // reset (a reset can make the client's kernel drop the answer unread); the client's unread
  // requests are drained so that closing does not reset either.
  void finishAnswer() {
    boost::system::error_code ignored;
    client_.shutdown(tcp::socket::shutdown_send, ignored);
    auto sink = std::make_shared<std::array<char, 4096>>();
    drain(sink);
  }
  void drain(std::shared_ptr<std::array<char, 4096>> sink) {
    client_.async_read_some(asio::buffer(*sink), [self = shared_from_this(), sink](
                                                     boost::system::error_code ec, std::size_t) {
      if (self->closed_)
        return;
      if (ec) {
        boost::system::error_code ignored;
        self->client_.close(ignored);  // EOF from the client: a quiet close
        return self->close();
      }
      self->drain(sink);
    });
  }

  void watchDropReply(const std::string& packet) {
    auto type = zkwire::requestTypeOf(packet);
    if (!impl_.dropReply || !type || packet.size() < 16)
      return;
    const auto& [types, pathContains] = *impl_.dropReply;
    if (std::find(types.begin(), types.end(), *type) == types.end())
      return;
    auto length = zkwire::readInt32(packet, 12);
    if (length <= 0 || packet.size() < 16 + static_cast<std::size_t>(length) ||
        packet.substr(16, static_cast<std::size_t>(length)).find(pathContains) ==
            std::string::npos) {
      return;
    }
    impl_.dropReply.reset();
    dropOnlyXid_ = zkwire::xidOf(packet);
  }

  // Collects the client's first bytes until ZooKeeper's quorum initial message is whole, then
  // queues it with the election address replaced (see rewriteElectionAddress); anything that is
  // not such a message passes unchanged.
  void rewriteInitialMessage(const char* data, std::size_t n) {
    initial_.append(data, n);
    constexpr std::size_t header = 8 + 8 + 4;  // protocol version, sid, address length
    if (initial_.size() < header)
      return;
    auto version = (static_cast<std::int64_t>(zkwire::readInt32(initial_, 0)) << 32) |
                   static_cast<std::uint32_t>(zkwire::readInt32(initial_, 4));
    auto length = zkwire::readInt32(initial_, 16);
    bool known = (version == -65535 || version == -65536) && length >= 0 && length < 4096;
    if (known && initial_.size() < header + static_cast<std::size_t>(length))
      return;
    auto& out = pumps_[0].out;
    if (known) {
      out.append(initial_, 0, 16);
      zkwire::appendInt32(out, static_cast<std::int32_t>(rewriteTo_->size()));
      out += *rewriteTo_;
      out.append(initial_, header + static_cast<std::size_t>(length));
    } else {
      out += initial_;
    }
    if (tracing()) {
      std::fprintf(stderr, "fault proxy: server %zu: initial message %s\n", server_,
                   known ? ("rewritten to " + *rewriteTo_).c_str() : "passed unchanged");
    }
    initial_.clear();
    rewriteTo_.reset();
  }

  void watchCreate(const std::string& packet) {
    auto type = zkwire::requestTypeOf(packet);
    if (!impl_.loseCreate || !type || !zkwire::isCreate(*type) || packet.size() < 16)
      return;
    auto length = zkwire::readInt32(packet, 12);
    std::string path = length > 0 && packet.size() >= 16 + static_cast<std::size_t>(length)
                           ? packet.substr(16, static_cast<std::size_t>(length))
                           : std::string();
    if (path.find(*impl_.loseCreate) == std::string::npos)
      return;
    loseCreateFilter_ = *std::exchange(impl_.loseCreate, std::nullopt);
    dropReplyXid_ = zkwire::xidOf(packet);
    recordDrop_ = true;
  }

  void deliver(int dir) {
    auto& pump = pumps_[dir];
    if (pump.out.empty())
      return read(dir);
    if (blocked(dir)) {
      pump.parked = true;
      return;
    }
    auto delay = impl_.delay[dir];
    if (delay.count() > 0 && !pump.delayed) {
      pump.timer->expires_after(delay);
      pump.timer->async_wait([self = shared_from_this(), dir](boost::system::error_code ec) {
        if (ec || self->closed_)
          return;
        self->pumps_[dir].delayed = true;
        self->deliver(dir);
      });
      return;
    }
    pump.delayed = false;
    auto data = std::make_shared<std::string>(std::exchange(pump.out, {}));
    if (dir == 1)
      writingToClient_ = true;
    asio::async_write(
        to(dir), asio::buffer(*data),
        [self = shared_from_this(), dir, data](boost::system::error_code ec, std::size_t) {
          if (self->closed_)
            return;
          if (dir == 1)
            self->writingToClient_ = false;
          if (ec)
            return self->close();
          if (dir == 1 && self->answering_ && self->answerAfter_ == 0) {
            // The made-up answer went out with this write, or waits in out: then close, as
            // ZooKeeper 3.4 does after it.
            if (!self->pumps_[1].out.empty())
              return self->deliver(1);
            return self->finishAnswer();
          }
          self->read(dir);
        });
  }

  FaultProxy::Impl& impl_;
  std::size_t server_;
  tcp::socket client_;
  tcp::socket upstream_;
  std::array<Pump, 2> pumps_;
  std::optional<std::int32_t> dropReplyXid_;
  bool recordDrop_ = false;       // the dropped reply is a create's: lostCreateReplies
  std::string loseCreateFilter_;  // re-armed if the servers refuse that create
  // injectOnRequest(unimplemented): the made-up answer, held back until answerAfter_ more
  // replies went to the client; then the connection closes.
  bool answering_ = false;
  std::string answer_;
  std::size_t answerAfter_ = 0;
  std::size_t forwarded_ = 0;     // client requests forwarded (after the connect request)
  std::size_t replied_ = 0;       // server replies read (watch notifications left out)
  bool writingToClient_ = false;  // a write to the client is in flight
  std::optional<std::int32_t> dropOnlyXid_;  // dropNextReply: this reply goes, the rest flows
  std::optional<std::string> rewriteTo_;     // the initial message is still to be rewritten
  std::string initial_;                      // its bytes so far
  std::chrono::steady_clock::time_point connectUntil_;
  bool connecting_ = false;
  bool connected_ = false;
  bool closed_ = false;
};

void FaultProxy::Impl::accept(std::size_t server) {
  auto& listener = *listeners[server];
  listener.acceptor.async_accept(
      [self = shared_from_this(), server](boost::system::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted)
          return;
        if (!ec) {
          if (self->listeners[server]->mode == Mode::reset) {
            closeHard(socket);  // refused until the mode changes
            ++self->refused;
          } else {
            if (tracing())
              std::fprintf(stderr, "fault proxy: server %zu: connection accepted\n", server);
            auto session = std::make_shared<Session>(*self, server, std::move(socket));
            self->sessions.emplace(session.get(), session);
            session->start();
          }
        }
        self->accept(server);
      });
}

void FaultProxy::Impl::apply(std::size_t server, Mode mode) {
  listeners[server]->mode = mode;
  if (tracing()) {
    std::fprintf(stderr, "fault proxy: server %zu: mode %d, %zu connections\n", server,
                 static_cast<int>(mode), sessions.size());
  }
  changed(server);
}

void FaultProxy::Impl::changed(std::size_t server) {
  std::vector<std::shared_ptr<Session>> affected;
  for (auto& [raw, session] : sessions) {
    if (session->server() == server)
      affected.push_back(session);
  }
  for (auto& session : affected)
    session->onChange();
}

FaultProxy::FaultProxy(const std::string& upstreams) : impl_(std::make_shared<Impl>()) {
  std::stringstream list(upstreams);
  std::string server;
  while (std::getline(list, server, ',')) {
    auto colon = server.rfind(':');
    if (colon == std::string::npos)
      throw std::invalid_argument("FaultProxy: '" + server + "' is not host:port");
    auto listener = std::make_unique<Impl::Listener>(impl_->io);
    listener->upstream =
        tcp::endpoint(asio::ip::make_address(server.substr(0, colon)),
                      static_cast<std::uint16_t>(std::stoi(server.substr(colon + 1))));
    listener->acceptor.open(tcp::v4());
    listener->acceptor.set_option(tcp::acceptor::reuse_address(true));
    listener->acceptor.bind(tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    listener->acceptor.listen();
    impl_->listeners.push_back(std::move(listener));
  }
  for (std::size_t i = 0; i < impl_->listeners.size(); ++i)
    impl_->accept(i);
  thread_ = std::thread([impl = impl_] { impl->io.run(); });
}

FaultProxy::~FaultProxy() {
  impl_->run<void>([impl = impl_.get()] {
    for (auto& listener : impl->listeners)
      listener->acceptor.close();
    auto sessions = impl->sessions;
    for (auto& [raw, session] : sessions)
      session->close();
  });
  thread_.join();  // run() returns once the aborted handlers ran: nothing keeps Impl alive
}

std::string FaultProxy::quorum() const {
  std::string out;
  for (std::size_t i = 0; i < servers(); ++i)
    out += (i ? ",127.0.0.1:" : "127.0.0.1:") + std::to_string(port(i));
  return out;
}

std::uint16_t FaultProxy::port(std::size_t server) const {
  return impl_->listeners.at(server)->acceptor.local_endpoint().port();
}

std::size_t FaultProxy::servers() const {
  return impl_->listeners.size();
}

void FaultProxy::setMode(Mode mode) {
  // In one task on the proxy's thread: set server by server, a client cut from one could reach
  // the next before its turn and be cut twice by one call.
  impl_->run<void>([impl = impl_.get(), mode] {
    for (std::size_t i = 0; i < impl->listeners.size(); ++i)
      impl->apply(i, mode);
  });
}

void FaultProxy::setMode(std::size_t server, Mode mode) {
  impl_->run<void>([impl = impl_.get(), server, mode] { impl->apply(server, mode); });
}

void FaultProxy::setDelay(std::chrono::milliseconds toServer, std::chrono::milliseconds toClient) {
  impl_->run<void>([impl = impl_.get(), toServer, toClient] {
    impl->delay[0] = toServer;
    impl->delay[1] = toClient;
  });
}

void FaultProxy::setHeld(std::size_t server, Direction direction, bool held) {
  impl_->run<void>([impl = impl_.get(), server, direction, held] {
    impl->listeners.at(server)->held[direction == Direction::toServer ? 0 : 1] = held;
    if (tracing()) {
      std::fprintf(stderr, "fault proxy: server %zu: to the %s %s\n", server,
                   direction == Direction::toServer ? "server" : "client", held ? "held" : "flows");
    }
    impl->changed(server);
  });
}

void FaultProxy::setConnectPatience(std::chrono::milliseconds patience) {
  impl_->run<void>([impl = impl_.get(), patience] { impl->connectPatience = patience; });
}

void FaultProxy::rewriteElectionAddress(std::size_t server, const std::string& address) {
  impl_->run<void>([impl = impl_.get(), server, address] {
    impl->listeners.at(server)->electionAddress = address;
  });
}

void FaultProxy::loseNextCreateReply(const std::string& pathContains, std::optional<Mode> then) {
  impl_->run<void>([impl = impl_.get(), pathContains, then] {
    impl->loseCreate = pathContains;
    impl->afterLoss = then;
  });
}

std::vector<std::string> FaultProxy::lostCreateReplies() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->lost;
}

void FaultProxy::injectOnRequest(std::int32_t type, RequestFault fault, const std::string& contains,
                                 bool once) {
  impl_->run<void>([impl = impl_.get(), type, fault, contains, once] {
    impl->requestRules.push_back({type, fault, contains, once});
  });
}

std::size_t FaultProxy::requestsSeen(std::int32_t type) const {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->seen.find(type);
  return it == impl_->seen.end() ? 0 : it->second;
}

void FaultProxy::dropNextReply(std::vector<std::int32_t> requestTypes,
                               const std::string& pathContains) {
  impl_->run<void>([impl = impl_.get(), requestTypes, pathContains] {
    impl->dropReply.emplace(requestTypes, pathContains);
  });
}

std::size_t FaultProxy::droppedReplies() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->dropped;
}

std::size_t FaultProxy::refusedConnections() const {
  return impl_->run<std::size_t>([impl = impl_.get()] { return impl->refused; });
}

std::set<std::size_t> FaultProxy::serversInUse() const {
  return impl_->run<std::set<std::size_t>>([impl = impl_.get()] {
    std::set<std::size_t> used;
    for (auto& [raw, session] : impl->sessions) {
      if (session->connected())
        used.insert(session->server());
    }
    return used;
  });
}

std::size_t FaultProxy::openConnections() const {
  return impl_->run<std::size_t>([impl = impl_.get()] { return impl->sessions.size(); });
}

}  // namespace baton::test
