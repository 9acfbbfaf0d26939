#include "baton/standalone/standalone_ha_services.hpp"

#include <stdexcept>

#include "baton/component_id.hpp"
#include "baton/error.hpp"
#include "baton/logging.hpp"
#include "baton/support/executor_thread.hpp"
#include "standalone_leader_election.hpp"
#include "standalone_leader_retrieval_service.hpp"
#include "standalone_state_store.hpp"

namespace baton::standalone {
namespace {

std::map<std::string, std::string> validated(std::map<std::string, std::string> addresses) {
  for (const auto& [componentId, address] : addresses) {
    validateComponentId(componentId);
    if (address.empty()) {
      throw std::invalid_argument("empty leader address for component '" + componentId + "'");
    }
  }
  return addresses;
}

}  // namespace

struct StandaloneHaServices::Owned {
  std::shared_ptr<HaMetrics> metrics;                 // HaServicesOptions::metrics, may be null
  std::unique_ptr<support::ExecutorThread> executor;  // when none was handed in
  std::unique_ptr<detail::StandaloneStateStore> stateStore;
};

StandaloneHaServices::StandaloneHaServices(std::map<std::string, std::string> leaderAddresses,
                                           HaServicesOptions options, Participant participant)
    : leaderAddresses_(validated(std::move(leaderAddresses))),
      logger_(loggerOrQuiet(std::move(options.logger))),
      owned_(std::make_unique<Owned>(Owned{std::move(options.metrics), nullptr, nullptr})),
      participant_(participant.id.empty() ? Participant{"standalone", participant.address}
                                          : std::move(participant)) {
  if (options.callbackExecutor) {
    callbackExecutor_ = *options.callbackExecutor;
  } else {
    owned_->executor = std::make_unique<support::ExecutorThread>("baton-callbacks");
    callbackExecutor_ = owned_->executor->executor();
  }
  owned_->stateStore =
      std::make_unique<detail::StandaloneStateStore>(callbackExecutor_, owned_->metrics);
  logger_->info("standalone HA services with {} fixed leader address(es)", leaderAddresses_.size());
}

StandaloneHaServices::~StandaloneHaServices() {
  close();
}

std::unique_ptr<LeaderElection> StandaloneHaServices::getLeaderElection(
    const std::string& componentId) {
  validateComponentId(componentId);
  std::lock_guard lock(mutex_);
  checkOpenLocked();
  return std::make_unique<StandaloneLeaderElection>(callbackExecutor_, logger_, componentId,
                                                    owned_->metrics);
}

std::unique_ptr<LeaderRetrievalService> StandaloneHaServices::getLeaderRetriever(
    const std::string& componentId) {
  validateComponentId(componentId);
  std::lock_guard lock(mutex_);
  checkOpenLocked();
  auto it = leaderAddresses_.find(componentId);
  if (it == leaderAddresses_.end()) {
    throw ConfigurationError(std::string(kAddressKeyPrefix) + componentId,
                             "no fixed leader address is configured for component '" + componentId +
                                 "' (required by the standalone backend)");
  }
  return std::make_unique<StandaloneLeaderRetrievalService>(it->second, callbackExecutor_, logger_);
}

std::unique_ptr<LeaderRetrievalService> StandaloneHaServices::getJobManagerLeaderRetriever(
    std::string_view jobId, const std::string& defaultJobManagerAddress) {
  jobManagerComponentId(jobId);  // validates
  std::lock_guard lock(mutex_);
  checkOpenLocked();
  return std::make_unique<StandaloneLeaderRetrievalService>(defaultJobManagerAddress,
                                                            callbackExecutor_, logger_);
}

void StandaloneHaServices::setConnectionStateCallback(ConnectionStateCallback callback) {
  std::lock_guard lock(mutex_);
  connectionStateCallback_ = std::move(callback);
}

void StandaloneHaServices::removeConnectionStateCallback() {
  std::lock_guard lock(mutex_);
  connectionStateCallback_ = nullptr;
}

LeaderStateStore& StandaloneHaServices::stateStore() {
  std::lock_guard lock(mutex_);
  checkOpenLocked();
  return *owned_->stateStore;
}

std::vector<Participant> StandaloneHaServices::participants() {
  std::lock_guard lock(mutex_);
  checkOpenLocked();
  return {participant_};
}

LeaderInformation StandaloneHaServices::currentLeader(const std::string& componentId) {
  validateComponentId(componentId);
  std::lock_guard lock(mutex_);
  checkOpenLocked();
  auto it = leaderAddresses_.find(componentId);
  if (it == leaderAddresses_.end())
    return LeaderInformation::empty();
  return LeaderInformation(LeaderSessionId::defaultId(), it->second);
}

void StandaloneHaServices::close() noexcept {
  {
    std::lock_guard lock(mutex_);
    if (closed_)
      return;
    closed_ = true;
    connectionStateCallback_ = nullptr;
  }
  // Before the executor stops: a write that got in has posted its completion, which still runs.
  owned_->stateStore->close();
  logger_->info("standalone HA services closed");
  // Callbacks already queued still run before the thread ends (ExecutorThread::stop).
  if (owned_->executor)
    owned_->executor->stop();
}

void StandaloneHaServices::cleanupAllData() {
  logger_->debug("standalone HA services: emptying the in-memory state store");
  owned_->stateStore->clear();
}

void StandaloneHaServices::checkOpenLocked() const {
  if (closed_)
    throw std::logic_error("standalone HA services are closed");
}

}  // namespace baton::standalone
