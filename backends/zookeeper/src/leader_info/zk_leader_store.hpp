#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <spdlog/logger.h>

#include "baton/leader_information.hpp"
#include "client/zk_connection.hpp"
#include "client/zk_watch_slot.hpp"
#include "leader_info/zk_info_write.hpp"
#include "leader_info/zk_paths.hpp"

namespace baton::zookeeper {

// Writes, deletes and watches the connection_info znodes of a leading participant.
//
// connection_info is EPHEMERAL, owned by the leader's session (as Flink's
// ZooKeeperUtils.writeLeaderInformationToZooKeeper writes it): when the leader's session ends,
// by a crash or a partition, the servers delete it, so a retriever names a dead leader for at
// most the session timeout, then "no leader" until a successor publishes.
//
// Every write is a multi-op that also checks the latch node that made us leader (the fence),
// so a deposed leader's write fails and changes nothing:
//   node ours (an ephemeral of our current session)  check(latch), setData
//   node absent                                       check(latch), create ephemeral
//   node foreign or persistent (an old session's, a
//   predecessor's, one written by an older baton)     check(latch), delete, create ephemeral
// Leaving (ZkLatchRunner deleting its latch node) takes every node of ours into the same
// multi, releaseOps(): a retriever never sees our information after a successor was granted,
// and the handover costs one quorum write. A remove() is held for one executor turn
// (flushRemovals) so that a remove directly followed by leaving is part of that multi too.
//
// A guess proven wrong by the servers (ZNONODE, ZNODEEXISTS) moves to the matching form, a
// bounded number of times. Bytes equal to what our session stores are never rewritten. What
// is stored is watched (one watch per node and session, WatchSlot) and reported, so the
// service can heal it. A new session of the same process loses the old node with the old
// session; the service re-grants with a new leader session id and publishes under the new one.
//
// Thread-safety: none; lives on the connection's executor. Create through std::make_shared.
class ZkLeaderStore : public std::enable_shared_from_this<ZkLeaderStore> {
 public:
  using StoredCallback =
      std::function<void(const std::string& componentId, const LeaderInformation& stored)>;

  ZkLeaderStore(std::shared_ptr<ZkConnection> connection, ZkPaths paths,
                std::shared_ptr<spdlog::logger> logger, StoredCallback onStored);

  // The latch node that makes us leader; nullopt when we do not lead.
  void setFence(std::optional<std::string> latchPath) { fence_ = std::move(latchPath); }
  void publish(const std::string& componentId, const LeaderInformation& info);
  // Marks what is stored for componentId for deletion; the fenced delete is sent by
  // flushRemovals(), unless releaseOps() took it into the leaving multi first.
  void remove(const std::string& componentId);
  void flushRemovals();
  // Leaving: the deletes of every connection_info node of ours, each conditional on the data
  // version we know (a node changed by anyone else is not deleted), for the caller to put into
  // the multi that deletes latchPath. Nodes whose state we cannot vouch for (a write in flight,
  // a removal of a node not known as ours) get a fenced delete of their own now, sent ahead of
  // that multi, so the servers apply it first. Forgets every node.
  std::vector<ZkOp> releaseOps(const std::string& latchPath);
  // A new session: the old watches are gone, the old session's node is not ours, and what we
  // knew of the store may be stale.
  void onNewSession();
  // The same session is back: writes that failed with a connection error are retried; a
  // standing watch was re-sent by the C client and reports what changed meanwhile, a missing
  // one is set again.
  void onResumed();
  void close() { closed_ = true; }

 private:
  struct Component {
    std::optional<std::string> storedBytes;   // as last read or written by us
    std::optional<std::string> pendingBytes;  // a write to retry after reconnecting
    // What we last published while holding the fence: a node holding it but not ours is
    // re-owned (see onRead).
    std::optional<std::string> publishedBytes;
    bool owned = false;         // the node is an ephemeral of our current session
    bool foreign = false;       // the node exists and is not ours (as last read)
    std::int32_t version = -1;  // owned: the data version of our node
    int writesInFlight = 0;     // publish()es not yet answered (their outcome is unknown)
    bool removing = false;      // remove()d, its delete not sent yet
    WatchSlot watch;
  };
  void write(const std::string& componentId, const std::string& bytes, const std::string& fence,
             InfoWrite kind, int attempt);
  void onWritten(const std::string& componentId, const std::string& bytes, const std::string& fence,
                 InfoWrite kind, int attempt, std::error_code error,
                 const std::vector<ZkOpResult>& results);
  void armWatch(const std::string& componentId);
  void sendFencedDelete(const std::string& componentId, const std::string& fence);
  void onRead(const std::string& componentId, std::error_code error, const std::string& data,
              const ZkStat& stat);

  std::shared_ptr<ZkConnection> connection_;
  ZkPaths paths_;
  std::shared_ptr<spdlog::logger> logger_;
  StoredCallback onStored_;
  std::optional<std::string> fence_;
  std::map<std::string, Component> components_;
  bool closed_ = false;
};

}  // namespace baton::zookeeper
