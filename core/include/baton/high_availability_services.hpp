#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "baton/connection_state.hpp"
#include "baton/leader_election.hpp"
#include "baton/leader_information.hpp"
#include "baton/leader_retrieval_service.hpp"
#include "baton/leader_state_store.hpp"
#include "baton/participant.hpp"

namespace baton {

// Hands out leader election and leader retrieval per component (Flink's
// HighAvailabilityServices). Components are named (see component_id.hpp); Flink's fixed
// components and per-job ones have convenience accessors.
//
// Thread-safety: callable from any thread. Elections and retrievers handed out must be closed
// (or destroyed) before the services are destroyed; close() is idempotent and noexcept.
class HighAvailabilityServices {
 public:
  using ConnectionStateCallback = std::function<void(ConnectionState, const std::string& detail)>;

  virtual ~HighAvailabilityServices() = default;

  // Throws std::invalid_argument for an invalid component id, std::logic_error after close().
  virtual std::unique_ptr<LeaderElection> getLeaderElection(const std::string& componentId) = 0;
  virtual std::unique_ptr<LeaderRetrievalService> getLeaderRetriever(
      const std::string& componentId) = 0;

  // Observes the backend connection, on the callback executor, in order; a connection that is
  // already up is reported (as `connected`) right after the callback is set. Replaces an
  // earlier callback, as removeConnectionStateCallback() does it. Backends without a
  // connection (standalone, embedded) never call it.
  virtual void setConnectionStateCallback(ConnectionStateCallback callback) = 0;
  // Unsubscribes: once this returns, the callback set earlier is never called again, not even
  // for a state change already queued for it. A call running on another thread finishes
  // first; called from inside the callback, nothing waits. Idempotent, also after close().
  virtual void removeConnectionStateCallback() = 0;

  // The state store fenced by this cluster's leadership (leader_state_store.hpp); owned by
  // these services.
  virtual LeaderStateStore& stateStore() = 0;
  // The participants of the election now, in queue order (the leader first); read from the
  // backend (blocking; throws std::system_error when it cannot answer).
  virtual std::vector<Participant> participants() = 0;
  // The leader information stored for a component now; empty when there is none.
  virtual LeaderInformation currentLeader(const std::string& componentId) = 0;

  // Releases every resource; stored leader data stays for a successor. No callback of these
  // services (connection state, contenders, listeners) runs after close() returns.
  virtual void close() noexcept = 0;
  // Deletes every datum these services stored in external systems (only when called).
  virtual void cleanupAllData() = 0;
  // cleanupAllData() if asked, then close(); a cleanup error is rethrown after closing.
  void closeWithOptionalClean(bool cleanupData);

  // Flink's component names (component_id.hpp) as conveniences: each is exactly
  // getLeaderElection / getLeaderRetriever with that name. Non-virtual on purpose, so no backend
  // can make them differ from the generic calls; kept here rather than in a Flink-named helper
  // because Flink users look for them on HighAvailabilityServices, and they add no state.
  std::unique_ptr<LeaderElection> getResourceManagerLeaderElection();
  std::unique_ptr<LeaderElection> getDispatcherLeaderElection();
  std::unique_ptr<LeaderElection> getClusterRestEndpointLeaderElection();
  std::unique_ptr<LeaderElection> getJobManagerLeaderElection(std::string_view jobId);

  std::unique_ptr<LeaderRetrievalService> getResourceManagerLeaderRetriever();
  std::unique_ptr<LeaderRetrievalService> getDispatcherLeaderRetriever();
  std::unique_ptr<LeaderRetrievalService> getClusterRestEndpointLeaderRetriever();
  std::unique_ptr<LeaderRetrievalService> getJobManagerLeaderRetriever(std::string_view jobId);
  // The one virtual of the family: defaultJobManagerAddress is what a backend without an
  // election (standalone) reports instead of retrieving.
  virtual std::unique_ptr<LeaderRetrievalService> getJobManagerLeaderRetriever(
      std::string_view jobId, const std::string& defaultJobManagerAddress);
};

}  // namespace baton
