#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <system_error>

#include "baton/leader_information.hpp"

namespace baton {

// The seam every election backend implements: one driver per process takes part in the
// backend's election on behalf of all components of a DefaultLeaderElectionService. Public on
// purpose, as an extension point (Flink's LeaderElectionDriver): a new backend implements it
// outside baton. Applications that only elect leaders never need it.
//
// Drivers report facts (leadership acquired or lost, what is stored for a component, errors,
// and a failure that ends their part in the election); the service owns the policy (contenders,
// session ids, what to publish, healing).
//
// Thread-safety: every method may be called from any thread and must not block on the
// backend; none may call the listener synchronously, and the driver never holds a lock of its
// own while it calls the listener (the listener calls back into hasLeadership and publish).
class LeaderElectionDriver {
 public:
  // Receives the driver's facts. The driver guarantees: calls are never concurrent, never made
  // from inside one of the driver's own methods, and none starts after close() returned.
  class Listener {
   public:
    virtual ~Listener() = default;
    // The process now leads. epoch only grows from one leadership to the next across all
    // participants of the election (the fencing epoch, e.g. the latch node's creation zxid).
    virtual void onGrantLeadership(std::uint64_t epoch) = 0;
    // The process no longer leads; reason is for people (logs, tools).
    virtual void onRevokeLeadership(const std::string& reason) = 0;
    // What is stored for componentId differs from what was last published or was deleted
    // (stored is then empty). Reported only for components published through this driver.
    virtual void onLeaderInformationChange(const std::string& componentId,
                                           const LeaderInformation& stored) = 0;
    // Something the application should hear of; the driver goes on (still in the election,
    // retrying, or waiting for a condition it names).
    virtual void onError(const std::system_error& error) = 0;
    // The driver left the election for good: its place is released (e.g. its latch node is
    // deleted or its session ended), it revokes nothing more and reports nothing after this.
    // The service retires it; a contender started later brings up a new driver.
    virtual void onFailure(const std::system_error& error) = 0;
  };

  virtual ~LeaderElectionDriver() = default;

  // True while the process holds leadership according to the driver's latest knowledge,
  // including any local deadline (a lease) that may have passed since the last event.
  virtual bool hasLeadership() const noexcept = 0;

  // Stores info for componentId, only if the process still leads when the write is applied
  // (a deposed leader's write must fail). Asynchronous; failures come back as events.
  virtual void publishLeaderInformation(const std::string& componentId,
                                        const LeaderInformation& info) = 0;

  // Removes what is stored for componentId, under the same leadership condition.
  virtual void deleteLeaderInformation(const std::string& componentId) = 0;

  // Leaves the election and releases the backend resources. Blocks until an in-flight
  // listener call returned, unless called from inside one. Idempotent.
  virtual void close() noexcept = 0;
};

// Builds the driver of a DefaultLeaderElectionService when its first contender registers.
class LeaderElectionDriverFactory {
 public:
  virtual ~LeaderElectionDriverFactory() = default;
  virtual std::unique_ptr<LeaderElectionDriver> createDriver(
      LeaderElectionDriver::Listener& listener) = 0;
};

}  // namespace baton
