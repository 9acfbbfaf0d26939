#include "leader_info/zk_leader_retrieval_driver.hpp"

#include <atomic>

#include <zookeeper/zookeeper.h>
#include <boost/asio/post.hpp>

#include "baton/support/listener_gate.hpp"
#include "baton/zookeeper/zk_error.hpp"
#include "client/zk_connection.hpp"
#include "client/zk_watch_slot.hpp"
#include "leader_info/znode_codec.hpp"

namespace baton::zookeeper {
namespace {

// Whether a failed read is a problem the application must hear of (ZNOAUTH: the leader's ACL
// shuts us out; ZBADARGUMENTS: a path the servers reject), not one that a reconnect or a new
// session resolves by itself. A missing node reads as "no leader yet", as before anyone ever
// published; a missing chroot is reported apart (checkChroot).
bool mustReport(const std::error_code& ec) {
  return !isRetryable(ec) && ec != make_error_code(ZNONODE) &&
         ec != make_error_code(ZSESSIONEXPIRED) && ec != make_error_code(ZCLOSING) &&
         ec != make_error_code(ZAUTHFAILED);  // a session-level failure: on the state stream
}

// The strand-side watcher. What it reports always rests on a read, and a watch stands while the
// node is watched: getData's data watch while the node exists, an exists watch (which ZooKeeper
// does set on a missing node) otherwise. At most one watch of this core is registered per
// session (WatchSlot): a re-read while it stands carries none. `round` numbers the reads so
// that a result from before a connection change is dropped.
class LeaderInfoWatcher : public std::enable_shared_from_this<LeaderInfoWatcher> {
 public:
  LeaderInfoWatcher(std::shared_ptr<ZkConnection> connection, std::string path,
                    LeaderRetrievalDriver::Listener& listener,
                    std::shared_ptr<spdlog::logger> logger, LeaderInfoDecoder decoder)
      : connection_(std::move(connection)),
        path_(std::move(path)),
        listener_(listener),
        logger_(std::move(logger)),
        decoder_(std::move(decoder)) {}

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
    if (state == ConnectionState::connected) {
      watch_.reset();  // a new session: the old handle's watches are gone with it
      chrootChecked_ = false;
      read();
    } else if (state == ConnectionState::reconnected) {
      read();  // the standing watch, if any, was re-sent (SetWatches); only the value is read
    } else {
      ++round_;  // results still in flight describe a state we can no longer verify
      report(LeaderInformation::empty());
    }
  }

  void read() {
    auto round = ++round_;
    auto self = shared_from_this();
    auto onResult = [self, round](std::error_code ec, const std::string& data, const ZkStat&) {
      self->onData(round, ec, data);
    };
    if (!watch_.wantsWatch()) {
      connection_->client().getData(path_, nullptr, std::move(onResult));
      return;
    }
    auto token = watch_.issue();
    connection_->client().getData(
        path_, [self, token](const WatchEvent&) { self->onWatch(token); },
        [self, token, round, onResult](std::error_code ec, const std::string& data,
                                       const ZkStat& stat) {
          self->watchCompleted(token, round, !ec);
          onResult(ec, data, stat);
        });
  }

  // A watching request whose watch was not registered leaves no watch behind; if its read was
  // superseded (a connection change), the read that replaced it carried none: read again.
  void watchCompleted(std::uint64_t token, std::uint64_t round, bool registered) {
    watch_.completed(token, registered);
    if (!registered && round != round_ && !closed_ && watch_.wantsWatch() &&
        connection_->isConnected()) {
      read();
    }
  }

  void onWatch(std::uint64_t token) {
    if (watch_.fired(token) && !closed_ && connection_->isConnected())
      read();
  }

  void onData(std::uint64_t round, std::error_code ec, const std::string& data) {
    if (closed_ || round != round_)
      return;
    if (ec == make_error_code(ZNONODE)) {
      report(LeaderInformation::empty());
      if (watch_.wantsWatch())
        awaitCreation(round);
      checkChroot();
    } else if (ec) {
      report(LeaderInformation::empty());  // re-read on reconnect or when the watch fires
      if (mustReport(ec)) {
        std::system_error error(ec, "cannot read the leader information at '" + path_ + "'");
        logger_->error("{}", error.what());
        gate_.invoke([&] { listener_.onError(error); });
      } else {
        logger_->warn("reading {} failed: {}", path_, ec.message());
      }
    } else {
      std::string why;
      auto info = decoder_(data, &why);
      if (!info)
        logger_->error("{} holds malformed data ({}); no leader", path_, why);
      report(info.value_or(LeaderInformation::empty()));
    }
  }

  // A chroot in ha.zookeeper.quorum that does not exist makes every path read as missing, and
  // nobody can ever publish under it (creating its children fails too): not "no leader yet"
  // but a configuration the application must hear of. Checked once per session ("/" is the
  // chroot itself).
  void checkChroot() {
    if (std::exchange(chrootChecked_, true))
      return;
    connection_->client().exists(
        "/", nullptr, [self = shared_from_this()](std::error_code ec, const ZkStat&) {
          if (self->closed_ || ec != make_error_code(ZNONODE))
            return;
          std::system_error error(ec,
                                  "the chroot named in ha.zookeeper.quorum does not exist, so "
                                  "no leader can ever be published under it");
          self->logger_->error("{}", error.what());
          self->gate_.invoke([&] { self->listener_.onError(error); });
        });
  }

  void awaitCreation(std::uint64_t round) {
    auto self = shared_from_this();
    auto token = watch_.issue();
    connection_->client().exists(
        path_, [self, token](const WatchEvent&) { self->onWatch(token); },
        [self, token, round](std::error_code ec, const ZkStat&) {
          self->watchCompleted(token, round, !ec || ec == make_error_code(ZNONODE));
          // Created between our read and this watch: read it now (the exists watch stands).
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
  LeaderInfoDecoder decoder_;
  support::ListenerGate gate_;
  WatchSlot watch_;
  std::uint64_t subscription_ = 0;
  std::uint64_t round_ = 0;
  bool chrootChecked_ = false;  // in this session
  bool closed_ = false;
};

class ZkLeaderRetrievalDriver final : public LeaderRetrievalDriver {
 public:
  ZkLeaderRetrievalDriver(std::shared_ptr<ZkConnection> connection, std::string path,
                          Listener& listener, std::shared_ptr<spdlog::logger> logger,
                          LeaderInfoDecoder decoder)
      : io_(connection->executor()),
        core_(std::make_shared<LeaderInfoWatcher>(std::move(connection), std::move(path), listener,
                                                  std::move(logger), std::move(decoder))) {
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
  std::shared_ptr<LeaderInfoWatcher> core_;
  std::atomic<bool> closed_{false};
};

}  // namespace

std::unique_ptr<LeaderRetrievalDriver> makeZkLeaderRetrievalDriver(
    std::shared_ptr<ZkConnection> connection, std::string connectionInfoPath,
    LeaderRetrievalDriver::Listener& listener, std::shared_ptr<spdlog::logger> logger,
    LeaderInfoDecoder decoder) {
  if (!decoder) {
    decoder = [](std::string_view bytes, std::string* whyNot) {
      return decodeLeaderInformation(bytes, whyNot);
    };
  }
  return std::make_unique<ZkLeaderRetrievalDriver>(std::move(connection),
                                                   std::move(connectionInfoPath), listener,
                                                   std::move(logger), std::move(decoder));
}

}  // namespace baton::zookeeper
