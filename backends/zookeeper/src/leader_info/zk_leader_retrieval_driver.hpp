#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "baton/leader_retrieval_driver.hpp"

namespace baton::zookeeper {

class ZkConnection;

// Watches one component's connection_info znode and reports every change: what it holds,
// "no leader" when it is deleted or malformed, and "no leader" while the connection is down
// (a follower must never keep acting on a leader it cannot verify); a fresh read after every
// (re)connect.
//
// Thread-safety: as LeaderRetrievalDriver; state lives on the connection's executor.
std::unique_ptr<LeaderRetrievalDriver> makeZkLeaderRetrievalDriver(
    std::shared_ptr<ZkConnection> connection, std::string connectionInfoPath,
    LeaderRetrievalDriver::Listener& listener, std::shared_ptr<spdlog::logger> logger);

}  // namespace baton::zookeeper
