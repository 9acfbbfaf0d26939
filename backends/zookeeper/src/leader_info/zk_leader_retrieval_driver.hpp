#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

#include "baton/leader_retrieval_driver.hpp"

namespace baton::zookeeper {

class ZkConnection;

// Turns a connection_info node's bytes into leader information: nullopt, with a reason for the
// log, for bytes it cannot read (which retrieval reports as "no leader"). baton's own format
// (znode_codec.hpp) by default; Flink's for a Flink cluster (flink/flink_leader_codec.hpp).
using LeaderInfoDecoder =
    std::function<std::optional<LeaderInformation>(std::string_view bytes, std::string* whyNot)>;

// Watches one component's connection_info znode and reports every change: what it holds,
// "no leader" when it is deleted or malformed, and "no leader" while the connection is down
// (a follower must never keep acting on a leader it cannot verify); a fresh read after every
// (re)connect.
//
// Thread-safety: as LeaderRetrievalDriver; state lives on the connection's executor.
std::unique_ptr<LeaderRetrievalDriver> makeZkLeaderRetrievalDriver(
    std::shared_ptr<ZkConnection> connection, std::string connectionInfoPath,
    LeaderRetrievalDriver::Listener& listener, std::shared_ptr<spdlog::logger> logger,
    LeaderInfoDecoder decoder = {});

}  // namespace baton::zookeeper
