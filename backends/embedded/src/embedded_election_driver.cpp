#include "embedded_election_driver.hpp"

#include "baton/support/metrics_or_no_op.hpp"

namespace baton::embedded::detail {

EmbeddedLeaderElectionDriver::EmbeddedLeaderElectionDriver(
    std::shared_ptr<EmbeddedClusterImpl> cluster, const std::string& participantId,
    LeaderElectionDriver::Listener& listener, std::shared_ptr<HaMetrics> metrics)
    : cluster_(std::move(cluster)),
      metrics_(support::metricsOrNoOp(std::move(metrics))),
      member_(cluster_->join(participantId, listener, metrics_)) {}

EmbeddedLeaderElectionDriver::~EmbeddedLeaderElectionDriver() {
  close();
}

// A write after close() is dropped by the cluster as well (the member no longer leads). The
// service calls this under its lock: the result is reported through the mailbox, after it.
void EmbeddedLeaderElectionDriver::publishLeaderInformation(const std::string& componentId,
                                                            const LeaderInformation& info) {
  const auto result = cluster_->publish(*member_, componentId, info);
  member_->mailbox->post(
      [metrics = metrics_, componentId, result] { metrics->onPublish(componentId, result); });
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
  // Here, not through the closed mailbox; the service closes its driver with no lock held.
  metrics_->onParticipantLeft();
}

}  // namespace baton::embedded::detail
