// The LeaderElection a DefaultLeaderElectionService hands to each component.
#pragma once

#include <memory>
#include <string>

#include "baton/leader_election.hpp"
#include "election_service_state.hpp"

namespace baton {

std::unique_ptr<LeaderElection> makeDefaultLeaderElection(
    std::shared_ptr<DefaultLeaderElectionService::State> state, std::string componentId);

}  // namespace baton
