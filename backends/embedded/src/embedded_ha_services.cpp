#include "baton/embedded/embedded_ha_services.hpp"

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include "baton/component_id.hpp"
#include "baton/default_leader_election_service.hpp"
#include "baton/default_leader_retrieval_service.hpp"
#include "baton/logging.hpp"
#include "baton/support/executor_thread.hpp"
#include "baton/support/metrics_or_no_op.hpp"
#include "embedded_cluster_impl.hpp"
#include "embedded_election_driver.hpp"
#include "embedded_retrieval_driver.hpp"
#include "embedded_state_store.hpp"

namespace baton::embedded {
namespace {

using detail::EmbeddedClusterImpl;

std::shared_ptr<EmbeddedClusterImpl> asImpl(std::shared_ptr<EmbeddedCluster> cluster) {
  if (!cluster)
    throw std::invalid_argument("makeEmbeddedHaServices: the cluster is null");
  auto impl = std::dynamic_pointer_cast<EmbeddedClusterImpl>(std::move(cluster));
  if (!impl) {
    throw std::invalid_argument(
        "makeEmbeddedHaServices: the cluster must come from EmbeddedCluster::create or "
        "EmbeddedCluster::shared");
  }
  return impl;
}

// One participant of an EmbeddedCluster. The participant id is reserved in the cluster for the
// services' lifetime up to close(), so two services never take part under one name.
//
// Thread-safety: callable from any thread; close() is idempotent and noexcept.
class EmbeddedHaServices final : public HighAvailabilityServices {
 public:
  EmbeddedHaServices(std::shared_ptr<EmbeddedClusterImpl> cluster, std::string participantId,
                     HaServicesOptions options);
  ~EmbeddedHaServices() override { close(); }

  std::unique_ptr<LeaderElection> getLeaderElection(const std::string& componentId) override;
  std::unique_ptr<LeaderRetrievalService> getLeaderRetriever(
      const std::string& componentId) override;
  void setConnectionStateCallback(ConnectionStateCallback callback) override;
  void removeConnectionStateCallback() override;
  LeaderStateStore& stateStore() override;
  std::vector<Participant> participants() override;
  LeaderInformation currentLeader(const std::string& componentId) override;
  void close() noexcept override;
  void cleanupAllData() override;

 private:
  void throwIfClosedLocked(const char* operation) const;

  std::shared_ptr<EmbeddedClusterImpl> cluster_;
  const std::string participantId_;
  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<HaMetrics> metrics_;  // never null (support::metricsOrNoOp)
  // Runs the retrievers' callbacks when the application gave no executor (the contenders then
  // have a thread each, owned by the election service).
  std::unique_ptr<support::ExecutorThread> ownedCallbackThread_;
  boost::asio::any_io_executor callbackExecutor_;
  DefaultLeaderElectionService electionService_;
  detail::EmbeddedStateStore stateStore_;  // refers to electionService_

  mutable std::mutex mutex_;
  bool closed_ = false;
  // Kept only to honour the interface: an in-process cluster has no connection to lose, so it
  // is never called.
  ConnectionStateCallback connectionStateCallback_;
};

// The participant id has been reserved by makeEmbeddedHaServices; close() releases it.
EmbeddedHaServices::EmbeddedHaServices(std::shared_ptr<EmbeddedClusterImpl> cluster,
                                       std::string participantId, HaServicesOptions options)
    : cluster_(std::move(cluster)),
      participantId_(std::move(participantId)),
      logger_(loggerOrQuiet(std::move(options.logger))),
      metrics_(support::metricsOrNoOp(std::move(options.metrics))),
      ownedCallbackThread_(options.callbackExecutor
                               ? nullptr
                               : std::make_unique<support::ExecutorThread>("baton-callbacks")),
      callbackExecutor_(options.callbackExecutor ? *options.callbackExecutor
                                                 : ownedCallbackThread_->executor()),
      electionService_(
          std::make_unique<detail::EmbeddedElectionDriverFactory>(cluster_, participantId_,
                                                                  metrics_),
          // Empty: a thread per contender, so that none waits behind another's callback.
          options.callbackExecutor, logger_, metrics_),
      stateStore_(cluster_, participantId_, electionService_, callbackExecutor_, metrics_) {}

std::unique_ptr<LeaderElection> EmbeddedHaServices::getLeaderElection(
    const std::string& componentId) {
  std::lock_guard lock(mutex_);
  throwIfClosedLocked("getLeaderElection");
  return electionService_.createLeaderElection(componentId);
}

std::unique_ptr<LeaderRetrievalService> EmbeddedHaServices::getLeaderRetriever(
    const std::string& componentId) {
  validateComponentId(componentId);
  std::lock_guard lock(mutex_);
  throwIfClosedLocked("getLeaderRetriever");
  return std::make_unique<DefaultLeaderRetrievalService>(
      std::make_unique<detail::EmbeddedRetrievalDriverFactory>(cluster_, componentId),
      callbackExecutor_, logger_, metrics_, componentId);
}

void EmbeddedHaServices::setConnectionStateCallback(ConnectionStateCallback callback) {
  std::lock_guard lock(mutex_);
  connectionStateCallback_ = std::move(callback);
}

void EmbeddedHaServices::removeConnectionStateCallback() {
  std::lock_guard lock(mutex_);
  connectionStateCallback_ = nullptr;
}

LeaderStateStore& EmbeddedHaServices::stateStore() {
  std::lock_guard lock(mutex_);
  throwIfClosedLocked("stateStore");
  return stateStore_;
}

// The whole cluster's queue, not only these services: every participant sees the same election.
// Embedded participants advertise no address.
std::vector<Participant> EmbeddedHaServices::participants() {
  {
    std::lock_guard lock(mutex_);
    throwIfClosedLocked("participants");
  }
  std::vector<Participant> result;
  for (auto& id : cluster_->participants()) {
    // A services instance replacing its driver is briefly queued twice: list it once.
    if (std::none_of(result.begin(), result.end(), [&](const auto& p) { return p.id == id; }))
      result.push_back(Participant{std::move(id), ""});
  }
  return result;
}

LeaderInformation EmbeddedHaServices::currentLeader(const std::string& componentId) {
  validateComponentId(componentId);
  {
    std::lock_guard lock(mutex_);
    throwIfClosedLocked("currentLeader");
  }
  return cluster_->leaderInformation(componentId);
}

void EmbeddedHaServices::close() noexcept {
  {
    std::lock_guard lock(mutex_);
    if (closed_)
      return;
    closed_ = true;
  }
  stateStore_.close();
  // Outside the lock: closing revokes every contender synchronously, and a contender may call
  // back into these services from its revoke.
  electionService_.close();
  cluster_->releaseParticipant(participantId_);
  logger_->debug("embedded participant '{}' closed", participantId_);
}

void EmbeddedHaServices::cleanupAllData() {
  cluster_->cleanupAllData();
}

void EmbeddedHaServices::throwIfClosedLocked(const char* operation) const {
  if (closed_) {
    throw std::logic_error(std::string(operation) + " on closed embedded HA services of '" +
                           participantId_ + "'");
  }
}

}  // namespace

std::unique_ptr<HighAvailabilityServices> makeEmbeddedHaServices(
    std::shared_ptr<EmbeddedCluster> cluster, std::string participantId,
    HaServicesOptions options) {
  auto impl = asImpl(std::move(cluster));
  // Reserved before anything is built, so a duplicate throws with no thread started.
  impl->reserveParticipant(participantId);
  try {
    return std::make_unique<EmbeddedHaServices>(impl, participantId, std::move(options));
  } catch (...) {
    impl->releaseParticipant(participantId);
    throw;
  }
}

}  // namespace baton::embedded
