#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "baton/leader_retrieval_driver.hpp"
#include "embedded_cluster_impl.hpp"

namespace baton::embedded::detail {

// Watches what an EmbeddedCluster stores for one component: reports the current value once
// it is created, then every change, on the cluster's delivery thread.
//
// Thread-safety: close() may be called from any thread; it waits for an in-flight listener
// call (not from inside one) and is idempotent; the destructor closes.
class EmbeddedLeaderRetrievalDriver final : public LeaderRetrievalDriver {
 public:
  EmbeddedLeaderRetrievalDriver(std::shared_ptr<EmbeddedClusterImpl> cluster,
                                const std::string& componentId,
                                LeaderRetrievalDriver::Listener& listener);
  ~EmbeddedLeaderRetrievalDriver() override;

  void close() noexcept override;

 private:
  std::shared_ptr<EmbeddedClusterImpl> cluster_;
  std::shared_ptr<RetrievalWatch> watch_;
  std::atomic<bool> closed_{false};
};

// Creates the driver of one DefaultLeaderRetrievalService for one component.
// Thread-safety: createDriver may be called from any thread.
class EmbeddedRetrievalDriverFactory final : public LeaderRetrievalDriverFactory {
 public:
  EmbeddedRetrievalDriverFactory(std::shared_ptr<EmbeddedClusterImpl> cluster,
                                 std::string componentId)
      : cluster_(std::move(cluster)), componentId_(std::move(componentId)) {}

  std::unique_ptr<LeaderRetrievalDriver> createDriver(
      LeaderRetrievalDriver::Listener& listener) override {
    return std::make_unique<EmbeddedLeaderRetrievalDriver>(cluster_, componentId_, listener);
  }

 private:
  std::shared_ptr<EmbeddedClusterImpl> cluster_;
  const std::string componentId_;
};

}  // namespace baton::embedded::detail
