#pragma once

#include <memory>
#include <system_error>

#include "baton/leader_information.hpp"

namespace baton {

// The seam every retrieval backend implements: watches what is stored for one component.
// Public on purpose, as an extension point (Flink's LeaderRetrievalDriver), like
// LeaderElectionDriver.
// Thread-safety: as LeaderElectionDriver.
class LeaderRetrievalDriver {
 public:
  // Same guarantees as LeaderElectionDriver::Listener.
  class Listener {
   public:
    virtual ~Listener() = default;
    // The stored information as now known; empty when deleted or no longer verifiable
    // (e.g. the connection to the backend is down). May repeat a value.
    virtual void onLeaderInformationChange(const LeaderInformation& info) = 0;
    virtual void onError(const std::system_error& error) = 0;
  };

  virtual ~LeaderRetrievalDriver() = default;
  // Idempotent; blocks until an in-flight listener call returned, unless called from inside one.
  virtual void close() noexcept = 0;
};

class LeaderRetrievalDriverFactory {
 public:
  virtual ~LeaderRetrievalDriverFactory() = default;
  virtual std::unique_ptr<LeaderRetrievalDriver> createDriver(
      LeaderRetrievalDriver::Listener& listener) = 0;
};

}  // namespace baton
