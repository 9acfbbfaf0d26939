#pragma once

#include <string>

namespace baton::zookeeper {

// The znode layout of one cluster (docs/zookeeper.md):
//   <root>/<cluster-id>/leader/latch/_c_<protection>-latch-<seq>   participants (ephemeral)
//   <root>/<cluster-id>/leader/<component>/connection_info          leader information
// The component name "latch" is reserved (validateComponentId) so the two cannot collide.
struct ZkPaths {
  std::string root;       // "/baton"; "/" for none
  std::string clusterId;  // "default"

  std::string cluster() const { return (root == "/" ? "" : root) + "/" + clusterId; }
  std::string leaderDir() const { return cluster() + "/leader"; }
  std::string latchDir() const { return leaderDir() + "/latch"; }
  std::string componentDir(const std::string& componentId) const {
    return leaderDir() + "/" + componentId;
  }
  std::string connectionInfo(const std::string& componentId) const {
    return componentDir(componentId) + "/connection_info";
  }
};

// Throws ConfigurationError (key) unless path is absolute, has no empty, "." or ".." segment,
// no trailing '/', and only characters ZooKeeper accepts.
void validateZkRoot(const std::string& key, const std::string& path);

}  // namespace baton::zookeeper
