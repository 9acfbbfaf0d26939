#pragma once

#include <memory>
#include <string>

#include "baton/embedded/embedded_cluster.hpp"
#include "baton/embedded/embedded_ha_services.hpp"
#include "support/recording_contender.hpp"

// White-box access for tests only: the store's write counter and the drivers themselves
// (backends/embedded/src is on the tests' private include path, never installed).
#include "embedded_cluster_impl.hpp"

namespace baton::test {

// One participant of an embedded cluster with one contender for one component.
// Member order matters: the election closes (revoking the contender) before the services are
// destroyed, and both before the contender.
struct EmbeddedNode {
  EmbeddedNode(const std::shared_ptr<embedded::EmbeddedCluster>& cluster, const std::string& id,
               HaServicesOptions options = {})
      : participantId(id), services(embedded::makeEmbeddedHaServices(cluster, id, options)) {}

  // Registers the contender for component; with a free queue it is granted asynchronously.
  void start(const std::string& component = "rm") {
    election = services->getLeaderElection(component);
    election->startLeaderElection(contender);
  }

  // Waits for the grant and confirms it under address; returns the session id.
  LeaderSessionId grantAndConfirm(const std::string& address) {
    auto granted = contender.inbox.expectNext<Granted>();
    election->confirmLeadership(granted.id, address);
    return granted.id;
  }

  std::string participantId;
  RecordingContender contender;
  std::unique_ptr<HighAvailabilityServices> services;
  std::unique_ptr<LeaderElection> election;
};

inline embedded::detail::EmbeddedClusterImpl& impl(embedded::EmbeddedCluster& cluster) {
  return dynamic_cast<embedded::detail::EmbeddedClusterImpl&>(cluster);
}

}  // namespace baton::test
