#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "baton/leader_state_store.hpp"
#include "baton/support/listener_gate.hpp"
#include "client/zk_connection.hpp"
#include "client/zk_watch_slot.hpp"

namespace baton::zookeeper {

// The keys whose records appeared or disappeared between two listings, sorted.
std::vector<std::string> changedChildren(const std::set<std::string>& before,
                                         const std::vector<std::string>& now);

// One LeaderStateStore::watchNamespace on ZooKeeper, on the services' I/O thread: a child watch
// on <cluster>/state/<ns> (an exists watch while it does not exist) and a data watch on each
// record, each re-armed as it fires, each in a WatchSlot so a re-read never adds a second one:
// at most 1 + (number of records) watches per session. A reconnect within the session keeps
// them (the C client re-sends them and the server fires for what it missed:
// client/zk_watch_slot.hpp); a slot whose read failed is re-read on reconnect; a new session
// starts over with a relist. A key is reported only once its data watch is armed (its read
// answered), so a listener that reads after an event always hears of a later change.
// The listener is reached through `deliver` (the callback
// executor) and the gate, which the handle closes.
//
// Thread-safety: none; lives on the I/O thread (shared_ptr: watches and completions hold it
// weakly). Watches still standing after stop() fire once into nothing.
class ZkNamespaceWatcher : public std::enable_shared_from_this<ZkNamespaceWatcher> {
 public:
  using Deliver = std::function<void(std::function<void()>)>;

  ZkNamespaceWatcher(std::shared_ptr<ZkConnection> connection, std::string ns, std::string nsPath,
                     LeaderStateStore::ChangeListener listener,
                     std::shared_ptr<support::ListenerGate> gate, Deliver deliver);

  void start();
  void stop();

  // Tests: the watches this watcher holds or has requested in this session.
  std::size_t watchesHeld() const;

 private:
  void onState(ConnectionState state);
  void readChildren(bool relist);
  void onChildren(std::uint64_t token, bool watched, bool relist, std::error_code ec,
                  const std::vector<std::string>& children);
  // The keys of one report, sent once every data watch they needed is armed (so a listener
  // that reads after the report is told of any later change).
  struct Batch {
    int pending = 1;  // data reads in flight, plus one until the batch is complete
    std::vector<std::string> keys;
    bool relist = false;
  };
  void armExists();
  void readData(const std::string& key, const std::shared_ptr<Batch>& batch);
  void finish(const std::shared_ptr<Batch>& batch);
  void report(std::vector<std::string> keys, bool relist);

  std::shared_ptr<ZkConnection> connection_;
  const std::string ns_;
  const std::string nsPath_;
  const LeaderStateStore::ChangeListener listener_;
  const std::shared_ptr<support::ListenerGate> gate_;
  const Deliver deliver_;
  std::uint64_t subscription_ = 0;
  bool stopped_ = false;
  bool relistPending_ = true;  // the next successful listing is reported as a relist
  WatchSlot childSlot_;
  WatchSlot existsSlot_;
  std::map<std::string, WatchSlot> dataSlots_;  // the known records
};

}  // namespace baton::zookeeper
