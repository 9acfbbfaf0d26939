#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>

#include "baton/ha_services_options.hpp"
#include "baton/high_availability_services.hpp"

namespace baton::standalone {

// HighAvailabilityServices with fixed, pre-configured leaders and no election (Flink's
// StandaloneHaServices, a "non-HA" implementation for local runs and tests):
//   - every election leads at once under the default session id (StandaloneLeaderElection);
//     two elections of one component both lead: nothing coordinates them;
//   - retrievers report the address configured for the component, with the default id;
//   - there is no external system: no connection (the connection-state callback is stored and
//     never called);
//   - the state store lives in memory, per services instance, fenced by the one token every
//     standalone leader holds ({default session id, epoch 0}); cleanupAllData() empties it;
//   - the participants are this process alone (`participant`, "standalone" when not given).
//
// Thread-safety: callable from any thread. close() is idempotent and noexcept; afterwards the
// getters throw std::logic_error. Elections and retrievers handed out must be closed before
// the services are closed or destroyed: close() stops the owned callback thread.
class StandaloneHaServices final : public HighAvailabilityServices {
 public:
  // The configuration key of a component's fixed address is this prefix + the component id.
  static constexpr std::string_view kAddressKeyPrefix = "ha.standalone.address.";

  // leaderAddresses: component id -> the fixed address of its leader. Callbacks run on
  // options.callbackExecutor, or on a thread the services own ("baton-callbacks"). participant
  // is what participants() reports (an empty id reports "standalone"). Throws
  // std::invalid_argument for an invalid component id or an empty address.
  explicit StandaloneHaServices(std::map<std::string, std::string> leaderAddresses,
                                HaServicesOptions options = {}, Participant participant = {});
  ~StandaloneHaServices() override;
  StandaloneHaServices(const StandaloneHaServices&) = delete;
  StandaloneHaServices& operator=(const StandaloneHaServices&) = delete;

  // A new StandaloneLeaderElection for a valid component id.
  std::unique_ptr<LeaderElection> getLeaderElection(const std::string& componentId) override;
  // The fixed address of componentId; throws ConfigurationError naming the key
  // ha.standalone.address.<componentId> when none is configured.
  std::unique_ptr<LeaderRetrievalService> getLeaderRetriever(
      const std::string& componentId) override;
  // Reports defaultJobManagerAddress, whatever is configured (as Flink does).
  std::unique_ptr<LeaderRetrievalService> getJobManagerLeaderRetriever(
      std::string_view jobId, const std::string& defaultJobManagerAddress) override;
  using HighAvailabilityServices::getJobManagerLeaderRetriever;

  void setConnectionStateCallback(ConnectionStateCallback callback) override;
  void removeConnectionStateCallback() override;
  // Writes after close() throw std::logic_error; reads still answer.
  LeaderStateStore& stateStore() override;
  // This process alone: the participant given at construction.
  std::vector<Participant> participants() override;
  // The fixed address of componentId under the default session id; empty when none is
  // configured. Throws std::invalid_argument for an invalid component id.
  LeaderInformation currentLeader(const std::string& componentId) override;
  void close() noexcept override;
  // Empties the state store; standalone stores nothing outside the process.
  void cleanupAllData() override;

 private:
  void checkOpenLocked() const;

  const std::map<std::string, std::string> leaderAddresses_;
  std::shared_ptr<spdlog::logger> logger_;
  // What these services own that is not API: the callback thread (when no executor was handed
  // in) and the state store.
  struct Owned;
  std::unique_ptr<Owned> owned_;
  boost::asio::any_io_executor callbackExecutor_;
  const Participant participant_;

  mutable std::mutex mutex_;
  bool closed_ = false;
  ConnectionStateCallback connectionStateCallback_;  // kept, never called
};

}  // namespace baton::standalone
