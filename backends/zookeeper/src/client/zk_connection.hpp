#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>

#include "baton/connection_state.hpp"
#include "baton/ha_metrics.hpp"
#include "client/latch_fence.hpp"
#include "client/zk_client.hpp"

namespace baton::zookeeper {

// The ZkClient of one ZooKeeperHaServices, shared by its latch and retrieval drivers, with its
// state stream fanned out to each of them, and the services' HaMetrics, which everything on
// the I/O executor reports to (state changes and the negotiated session timeout from here).
//
// Thread-safety: none; lives on the services' I/O executor (one thread): call everything
// there. Subscribers are called on it, in subscription order.
class ZkConnection : public std::enable_shared_from_this<ZkConnection> {
 public:
  using StateCallback = std::function<void(ConnectionState, const ZkSessionInfo&)>;

  // metrics: empty means the shared no-op instance.
  ZkConnection(boost::asio::any_io_executor io, ZkSettings settings,
               std::shared_ptr<spdlog::logger> logger,
               std::shared_ptr<HaMetrics> metrics = nullptr);
  // Over a given client (a test double: test/support/fake_zk_client.hpp).
  ZkConnection(boost::asio::any_io_executor io, std::unique_ptr<ZkClient> client,
               std::shared_ptr<spdlog::logger> logger,
               std::shared_ptr<HaMetrics> metrics = nullptr);

  void start();
  void close() noexcept;

  ZkClient& client() { return *client_; }
  // Never null. Called only on the executor, where no lock of the library is held.
  HaMetrics& metrics() { return *metrics_; }
  const boost::asio::any_io_executor& executor() const { return io_; }
  bool isConnected() const {
    return state_ == ConnectionState::connected || state_ == ConnectionState::reconnected;
  }
  std::optional<ConnectionState> state() const { return state_; }

  // The hand-over from the latch driver (publishes) to fenced writes (read): see LatchFence.
  LatchFence& latchFence() { return latchFence_; }

  // The callback hears `connected` at once (posted) when a session is up, then every change.
  std::uint64_t subscribe(StateCallback callback);
  void unsubscribe(std::uint64_t token);

 private:
  void onState(ConnectionState state, const ZkSessionInfo& session);

  boost::asio::any_io_executor io_;
  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<HaMetrics> metrics_;
  std::unique_ptr<ZkClient> client_;
  LatchFence latchFence_;
  std::optional<ConnectionState> state_;
  std::map<std::uint64_t, StateCallback> subscribers_;
  std::uint64_t nextToken_ = 1;
  bool closed_ = false;
};

}  // namespace baton::zookeeper
