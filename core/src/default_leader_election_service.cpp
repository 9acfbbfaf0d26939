#include "baton/default_leader_election_service.hpp"

#include "default_leader_election.hpp"
#include "election_service_state.hpp"

namespace baton {

DefaultLeaderElectionService::DefaultLeaderElectionService(
    std::unique_ptr<LeaderElectionDriverFactory> driverFactory,
    std::optional<boost::asio::any_io_executor> callbackExecutor,
    std::shared_ptr<spdlog::logger> logger, std::shared_ptr<HaMetrics> metrics)
    : state_(std::make_shared<State>(std::move(driverFactory), std::move(callbackExecutor),
                                     std::move(logger), std::move(metrics))) {}

DefaultLeaderElectionService::~DefaultLeaderElectionService() {
  close();
}

std::unique_ptr<LeaderElection> DefaultLeaderElectionService::createLeaderElection(
    const std::string& componentId) {
  state_->reserve(componentId);
  return makeDefaultLeaderElection(state_, componentId);
}

void DefaultLeaderElectionService::close() noexcept {
  state_->close();
}

std::optional<FencingToken> DefaultLeaderElectionService::currentFencingToken(
    const LeaderSessionId& leaderSessionId) const {
  return state_->fencingToken(nullptr, leaderSessionId);
}

}  // namespace baton
