#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <system_error>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "baton/fencing_token.hpp"
#include "client/zk_client.hpp"
#include "baton/zookeeper/zookeeper_ha_services.hpp"
#include "counter_log.hpp"

namespace counter {

// The counter's log in one znode, <ha.zookeeper.root>/<ha.cluster-id>/counter.
//
// Writes go through ZooKeeperHaServices::fencedWrite, so ZooKeeper itself applies them only
// while the writer's latch node exists (a deposed leader's write fails there, is never
// acknowledged), and carry the version the writer last read, so a leader whose read was served
// by a lagging server cannot overwrite entries it has not seen (ZBADVERSION: read again).
//
// Reads use a ZkClient of their own: ZooKeeperHaServices has no general read (see
// docs/embedding.md). Threads: construct, call and destroy on one single-threaded executor
// (the server's io_context); handlers run there.
class CounterStore {
 public:
  CounterStore(boost::asio::any_io_executor executor, baton::zookeeper::ZooKeeperHaServices& ha);
  ~CounterStore();
  CounterStore(const CounterStore&) = delete;
  CounterStore& operator=(const CounterStore&) = delete;

  const std::string& path() const { return path_; }

  // version is -1 when the znode does not exist yet (an empty log). Retryable errors
  // (connection loss while connecting) are retried for about ten seconds.
  using ReadHandler = std::function<void(std::error_code, CounterLog, std::int32_t version)>;
  void read(ReadHandler handler);

  // Replaces the log if the leadership of token lasts and the znode is still at version (-1:
  // creates it). newVersion is the znode's version after the write.
  using WriteHandler = std::function<void(std::error_code, std::int32_t newVersion)>;
  void write(const baton::FencingToken& token, const CounterLog& log, std::int32_t version,
             WriteHandler handler);

  void close() noexcept;

 private:
  void readAttempt(ReadHandler handler, int attempt);

  boost::asio::any_io_executor executor_;
  baton::zookeeper::ZooKeeperHaServices& ha_;
  std::string path_;
  std::unique_ptr<baton::zookeeper::ZkClient> client_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace counter
