#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "client/zk_connection.hpp"
#include "leader_info/znode_codec.hpp"

namespace baton::zookeeper {

// Whole-subtree and read-only queries used by the services' administrative calls.
// Thread-safety: none; call on the connection's executor. Handlers run there, exactly once.

// Deletes path and everything below it (children first); a node that vanished meanwhile
// counts as deleted.
void deleteTree(const std::shared_ptr<ZkConnection>& connection, const std::string& path,
                std::function<void(std::error_code)> done);

// Deletes path and then each parent up to (and including) stopAt while they are empty.
void deleteEmptyParents(const std::shared_ptr<ZkConnection>& connection, const std::string& path,
                        const std::string& stopAt, std::function<void(std::error_code)> done);

// The latch's participants, leader first; nodes with unreadable data appear with their
// node name as id.
void readParticipants(const std::shared_ptr<ZkConnection>& connection, const std::string& latchDir,
                      std::function<void(std::error_code, std::vector<ParticipantData>)> done);

}  // namespace baton::zookeeper
