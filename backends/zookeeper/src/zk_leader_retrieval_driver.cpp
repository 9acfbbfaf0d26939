#include "baton/zookeeper/zk_leader_retrieval_driver.hpp"

#include <atomic>

#include <zookeeper/zookeeper.h>
#include <boost/asio/post.hpp>

#include "baton/support/listener_gate.hpp"
#include "baton/zookeeper/zk_error.hpp"
#include "baton/zookeeper/znode_codec.hpp"
#include "zk_connection.hpp"

namespace baton::zookeeper {
namespace {

// The strand-side watcher. A read is always paired with a watch: getData's data watch while
// the node exists, an exists watch (which ZooKeeper does set on a missing node) otherwise.
// `round` numbers the reads so that a watch or result from a superseded read is dropped.
class RetrievalCore : public std::enable_shared_from_this<RetrievalCore> {
 public:
  RetrievalCore(std::shared_ptr<ZkConnection> connection, std::string path,
                LeaderRetrievalDriver::Listener& listener, std::shared_ptr<spdlog::logger> logger)
      : connection_(std::move(connection)),
        path_(std::move(path)),
        listener_(listener),
        logger_(std::move(logger)) {}

  void start() {
    subscription_ = connection_->subscribe(
        [self = shared_from_this()](ConnectionState state, const ZkSessionInfo&) {
          self->onState(state);
        });
    if (!connection_->isConnected())
      report(LeaderInformation::empty());
  }

  void close() {
    closed_ = true;
    // Its watch is left to fire once into the closed core: removing it would also remove the
    // watches other drivers of this handle hold on the same path.
    connection_->unsubscribe(subscription_);
  }

  support::ListenerGate& gate() { return gate_; }

 private:
  void onState(ConnectionState state) {
    if (closed_)
      return;
    if (state == ConnectionState::connected || state == ConnectionState::reconnected) {
      read();
    } else {
      ++round_;  // results still in flight describe a state we can no longer verify
      report(LeaderInformation::empty());
    }
  }

  void read() {
    auto round = ++round_;
    auto self = shared_from_this();
    connection_->client().getData(
        path_, [self, round](const WatchEvent&) { self->onWatch(round); },
        [self, round](std::error_code ec, const std::string& data, const ZkStat&) {
          self->onData(round, ec, data);
        });
  }

  void onWatch(std::uint64_t round) {
    if (!closed_ && round == round_ && connection_->isConnected())
      read();
  }

  void onData(std::uint64_t round, std::error_code ec, const std::string& data) {
    if (closed_ || round != round_)
      return;
    if (ec == make_error_code(ZNONODE)) {
      report(LeaderInformation::empty());
      awaitCreation(round);
    } else if (ec) {
      logger_->warn("reading {} failed: {}", path_, ec.message());
      report(LeaderInformation::empty());  // re-read on reconnect
    } else {
      std::string why;
      auto info = decodeLeaderInformation(data, &why);
      if (!info)
        logger_->error("{} holds malformed data ({}); no leader", path_, why);
      report(info.value_or(LeaderInformation::empty()));
    }
  }

  void awaitCreation(std::uint64_t round) {
    auto self = shared_from_this();
    connection_->client().exists(
        path_, [self, round](const WatchEvent&) { self->onWatch(round); },
        [self, round](std::error_code ec, const ZkStat&) {
          // Created between our read and this watch: read it now.
          if (!ec && !self->closed_ && round == self->round_)
            self->read();
        });
  }

  void report(const LeaderInformation& info) {
    gate_.invoke([&] { listener_.onLeaderInformationChange(info); });
  }

  std::shared_ptr<ZkConnection> connection_;
  std::string path_;
  LeaderRetrievalDriver::Listener& listener_;
  std::shared_ptr<spdlog::logger> logger_;
  support::ListenerGate gate_;
  std::uint64_t subscription_ = 0;
  std::uint64_t round_ = 0;
  bool closed_ = false;
};

class ZkLeaderRetrievalDriver final : public LeaderRetrievalDriver {
 public:
  ZkLeaderRetrievalDriver(std::shared_ptr<ZkConnection> connection, std::string path,
                          Listener& listener, std::shared_ptr<spdlog::logger> logger)
      : io_(connection->executor()),
        core_(std::make_shared<RetrievalCore>(std::move(connection), std::move(path), listener,
                                              std::move(logger))) {
    boost::asio::post(io_, [core = core_] { core->start(); });
  }
  ~ZkLeaderRetrievalDriver() override { close(); }

  void close() noexcept override {
    if (closed_.exchange(true))
      return;
    core_->gate().close();
    boost::asio::post(io_, [core = core_] { core->close(); });
  }

 private:
  boost::asio::any_io_executor io_;
  std::shared_ptr<RetrievalCore> core_;
  std::atomic<bool> closed_{false};
};

}  // namespace

std::unique_ptr<LeaderRetrievalDriver> makeZkLeaderRetrievalDriver(
    std::shared_ptr<ZkConnection> connection, std::string connectionInfoPath,
    LeaderRetrievalDriver::Listener& listener, std::shared_ptr<spdlog::logger> logger) {
  return std::make_unique<ZkLeaderRetrievalDriver>(
      std::move(connection), std::move(connectionInfoPath), listener, std::move(logger));
}

}  // namespace baton::zookeeper
