#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>

#include <optional>

#include "baton/fencing_token.hpp"
#include "baton/ha_metrics.hpp"
#include "baton/leader_election_driver.hpp"
#include "baton/leader_election_service.hpp"

namespace baton {

// Runs one election for all components of a process through one driver (Flink's
// multi-component design). The driver is created when the first contender starts and closed
// when the last one leaves, so a process with no contender does not hold leadership.
//
// Policy: every grant issues a fresh random leader session id and grants every registered
// contender (and any contender that starts while the process leads); a component's leader
// information is published only after its contender confirmed the current session id; on
// loss every granted contender is revoked; stored information that differs from what was
// confirmed is re-published, equal information is never rewritten; a contender that leaves
// while leading is revoked and its information deleted; driver errors reach every contender.
//
// Callbacks: each started contender has a lane of its own (a bounded mailbox and a serial
// queue, see docs/architecture.md#threads). With no callbackExecutor each lane also has a
// thread of its own, started with the contender and joined when it leaves: then a contender's
// revoke waits only for that contender's own earlier callbacks, never for another component's.
// With an application's executor the lanes share it, and a callback that blocks holds one of
// its threads (a single-threaded executor delays every other contender's revoke).
//
// Thread-safety: callable from any thread. State is guarded by one mutex that is never held
// while a contender runs. Elections may outlive the service object (they share its state).
class DefaultLeaderElectionService : public LeaderElectionService {
 public:
  // callbackExecutor: where contender callbacks run; empty (std::nullopt): on one thread per
  // started contender, owned by the service. metrics: hears every component's grants and
  // revokes (status, transition, tenure) and the driver's failure, never under the service's
  // lock; empty: none are reported.
  DefaultLeaderElectionService(std::unique_ptr<LeaderElectionDriverFactory> driverFactory,
                               std::optional<boost::asio::any_io_executor> callbackExecutor,
                               std::shared_ptr<spdlog::logger> logger = nullptr,
                               std::shared_ptr<HaMetrics> metrics = nullptr);
  ~DefaultLeaderElectionService() override;

  std::unique_ptr<LeaderElection> createLeaderElection(const std::string& componentId) override;

  // The token of the process's current leadership if leaderSessionId is its session id and the
  // driver still leads; nullopt otherwise. Callable from any thread.
  std::optional<FencingToken> currentFencingToken(const LeaderSessionId& leaderSessionId) const;

  // Revokes and closes every election still open and the driver. Idempotent.
  void close() noexcept;

  class State;  // shared with the elections; private to the library (core/src)

 private:
  std::shared_ptr<State> state_;
};

}  // namespace baton
