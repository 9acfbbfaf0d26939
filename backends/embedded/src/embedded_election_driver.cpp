#include "embedded_election_driver.hpp"

namespace baton::embedded::detail {

EmbeddedLeaderElectionDriver::EmbeddedLeaderElectionDriver(
    std::shared_ptr<EmbeddedClusterImpl> cluster, const std::string& participantId,
    LeaderElectionDriver::Listener& listener)
    : cluster_(std::move(cluster)), member_(cluster_->join(participantId, listener)) {}

EmbeddedLeaderElectionDriver::~EmbeddedLeaderElectionDriver() {
  close();
}

// A write after close() is dropped by the cluster as well (the member no longer leads).
void EmbeddedLeaderElectionDriver::publishLeaderInformation(const std::string& componentId,
                                                            const LeaderInformation& info) {
  cluster_->publish(*member_, componentId, info);
}

void EmbeddedLeaderElectionDriver::deleteLeaderInformation(const std::string& componentId) {
  cluster_->publish(*member_, componentId, LeaderInformation::empty());
}

void EmbeddedLeaderElectionDriver::close() noexcept {
  if (closed_.exchange(true))
    return;
  // The mailbox closes first, so nothing is delivered once this driver decided to leave;
  // leaving then grants the next participant.
  member_->mailbox->close();
  cluster_->leave(member_);
}

}  // namespace baton::embedded::detail
