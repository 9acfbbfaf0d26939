#pragma once

#include <memory>

#include "baton/configuration.hpp"
#include "baton/ha_services_options.hpp"
#include "baton/high_availability_services.hpp"

namespace baton::zookeeper {

// HighAvailabilityServices over one ZooKeeper session (ha.type = zookeeper): a leader election
// per component driven by a ZooKeeper LeaderLatch, retrievers watching what each leader
// publishes, a LeaderStateStore whose writes ZooKeeper applies only while the writer's latch
// node exists, and the participants and current leaders read from the servers. Everything
// is reached through HighAvailabilityServices; nothing ZooKeeper-specific is needed (or
// offered) to applications.
//
// Threads: one I/O thread runs the ZooKeeper client; contender and listener callbacks run on
// options.callbackExecutor, or, without one, on threads of the services (HaServicesOptions).
//
// Throws ConfigurationError naming the key for a missing quorum or any malformed
// ha.zookeeper.* value.
std::unique_ptr<HighAvailabilityServices> makeZooKeeperHaServices(
    const Configuration& configuration, const HaServicesOptions& options);

}  // namespace baton::zookeeper
