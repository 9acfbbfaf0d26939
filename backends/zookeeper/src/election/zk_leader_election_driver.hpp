#pragma once

#include <chrono>
#include <memory>

#include <spdlog/logger.h>

#include "baton/leader_election_driver.hpp"
#include "client/zk_settings.hpp"
#include "election/connection_policy.hpp"
#include "leader_info/zk_paths.hpp"
#include "leader_info/znode_codec.hpp"

namespace baton::zookeeper {

class ZkConnection;

struct LatchDriverSettings {
  ZkPaths paths;
  ParticipantData participant;
  ConnectionPolicy policy = ConnectionPolicy::lease;
  // Subtracted from the lease for clock-rate drift and the delay of a revoke.
  std::chrono::milliseconds leaseMargin{500};
  // The servers' tickTime (ZkSettings::tickTime): the lease's relay bound.
  std::chrono::milliseconds tickTime{2000};
  RetryPolicy retry;
};

// The ZooKeeper LeaderLatch driver: performs a LatchStateMachine's actions with the shared
// ZkClient, turns "latch held" plus the connection policy into grant/revoke facts, and keeps
// the leader information znodes (ZkLeaderStore).
//
// Thread-safety: as LeaderElectionDriver. Its state lives on the connection's executor;
// public methods post there. hasLeadership() reads atomics and the clock, from any thread.
std::unique_ptr<LeaderElectionDriver> makeZkLeaderElectionDriver(
    std::shared_ptr<ZkConnection> connection, LatchDriverSettings settings,
    LeaderElectionDriver::Listener& listener, std::shared_ptr<spdlog::logger> logger);

}  // namespace baton::zookeeper
