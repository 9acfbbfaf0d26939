#pragma once

#include <memory>
#include <string>

#include "baton/leader_election.hpp"

namespace baton {

// Creates LeaderElections, one per component (Flink's LeaderElectionService).
// Thread-safety: createLeaderElection may be called from any thread.
class LeaderElectionService {
 public:
  virtual ~LeaderElectionService() = default;

  // Throws std::invalid_argument for an invalid component id (see component_id.hpp) or one
  // that already has an open LeaderElection in this service.
  virtual std::unique_ptr<LeaderElection> createLeaderElection(const std::string& componentId) = 0;
};

}  // namespace baton
