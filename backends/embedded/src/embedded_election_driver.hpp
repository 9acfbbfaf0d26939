#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "baton/leader_election_driver.hpp"
#include "embedded_cluster_impl.hpp"

namespace baton::embedded::detail {

// Takes part in an EmbeddedCluster's election for one participant: joins the queue when
// created, leaves it at close(). Listener calls arrive on the cluster's delivery thread, and
// so do the metrics' joined, position and publish reports (empty metrics: none).
//
// Thread-safety: every method may be called from any thread and none blocks, except close(),
// which waits for an in-flight listener call (not from inside one). close() is idempotent;
// the destructor closes.
class EmbeddedLeaderElectionDriver final : public LeaderElectionDriver {
 public:
  EmbeddedLeaderElectionDriver(std::shared_ptr<EmbeddedClusterImpl> cluster,
                               const std::string& participantId,
                               LeaderElectionDriver::Listener& listener,
                               std::shared_ptr<HaMetrics> metrics = nullptr);
  ~EmbeddedLeaderElectionDriver() override;

  // The cluster's current view, not the last delivered event: false as soon as the cluster
  // handed leadership on, even while the revoke is still on its way.
  bool hasLeadership() const noexcept override { return member_->leading; }
  void publishLeaderInformation(const std::string& componentId,
                                const LeaderInformation& info) override;
  void deleteLeaderInformation(const std::string& componentId) override;
  void close() noexcept override;

 private:
  std::shared_ptr<EmbeddedClusterImpl> cluster_;
  std::shared_ptr<HaMetrics> metrics_;
  std::shared_ptr<ElectionMember> member_;
  std::atomic<bool> closed_{false};
};

// Creates the drivers of one participant's DefaultLeaderElectionService.
// Thread-safety: createDriver may be called from any thread.
class EmbeddedElectionDriverFactory final : public LeaderElectionDriverFactory {
 public:
  // metrics: the services' (not null).
  EmbeddedElectionDriverFactory(std::shared_ptr<EmbeddedClusterImpl> cluster,
                                std::string participantId, std::shared_ptr<HaMetrics> metrics)
      : cluster_(std::move(cluster)),
        participantId_(std::move(participantId)),
        metrics_(std::move(metrics)) {}

  std::unique_ptr<LeaderElectionDriver> createDriver(
      LeaderElectionDriver::Listener& listener) override {
    return std::make_unique<EmbeddedLeaderElectionDriver>(cluster_, participantId_, listener,
                                                          metrics_);
  }

 private:
  std::shared_ptr<EmbeddedClusterImpl> cluster_;
  const std::string participantId_;
  std::shared_ptr<HaMetrics> metrics_;
};

}  // namespace baton::embedded::detail
