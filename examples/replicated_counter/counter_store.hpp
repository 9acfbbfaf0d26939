#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <system_error>

#include <boost/asio/any_io_executor.hpp>

#include "baton/fencing_token.hpp"
#include "baton/leader_state_store.hpp"
#include "counter_log.hpp"
#include "worker_thread.hpp"

namespace counter {

// The counter's log: one record of the services' LeaderStateStore, namespace "counter", key
// "log" (on ZooKeeper: <ha.zookeeper.root>/<ha.cluster-id>/state/counter/log).
//
// Writes are fenced by the writer's leadership (LeaderElection::fencingToken): the backend
// applies them only while it lasts (a deposed leader's write fails there, is never
// acknowledged), and they carry the version the writer last read, so a leader whose read was
// older than the store cannot overwrite entries it has not seen (Errc::write_conflict: read
// again). The log must fit one record (LeaderStateStore::kMaxValueBytes, some 1400
// increments); a real service would compact it.
//
// Reads block inside the store (they wait for the backend), so they run on a thread of this
// object and their handlers come back to `executor`. Threads: construct, call and destroy on
// one single-threaded executor (the server's io_context, also the services' callback
// executor); handlers run there.
class CounterStore {
 public:
  static constexpr const char* kNamespace = "counter";
  static constexpr const char* kKey = "log";

  CounterStore(boost::asio::any_io_executor executor, baton::LeaderStateStore& store);
  ~CounterStore();
  CounterStore(const CounterStore&) = delete;
  CounterStore& operator=(const CounterStore&) = delete;

  // version is -1 when the record does not exist yet (an empty log). Failed reads are retried
  // for about ten seconds.
  using ReadHandler = std::function<void(std::error_code, CounterLog, std::int64_t version)>;
  void read(ReadHandler handler);

  // Replaces the log if the leadership of token lasts and the record is still at version (-1:
  // creates it). newVersion is the record's version after the write.
  using WriteHandler = std::function<void(std::error_code, std::int64_t newVersion)>;
  void write(const baton::FencingToken& token, const CounterLog& log, std::int64_t version,
             WriteHandler handler);

  void close() noexcept;

 private:
  void readAttempt(ReadHandler handler, int attempt);

  boost::asio::any_io_executor executor_;
  baton::LeaderStateStore& store_;
  std::unique_ptr<WorkerThread> reader_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace counter
