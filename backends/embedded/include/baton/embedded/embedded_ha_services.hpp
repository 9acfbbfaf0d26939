#pragma once

#include <memory>
#include <string>

#include "baton/embedded/embedded_cluster.hpp"
#include "baton/ha_services_options.hpp"
#include "baton/high_availability_services.hpp"

namespace baton::embedded {

// HighAvailabilityServices of one participant of an EmbeddedCluster: a
// DefaultLeaderElectionService over an embedded driver (joins the cluster's queue when its
// first contender starts) and retrievers watching the cluster's stored information.
//
// participantId names these services in the cluster's queue and controls; it must be unique
// within the cluster while the services are open (a duplicate or empty id throws
// std::invalid_argument naming it); close() frees it. Callbacks run on
// options.callbackExecutor, or, without one, each contender's on a thread of its own and the
// listeners' on a "baton-callbacks" thread, all owned by the services (HaServicesOptions). An
// in-process cluster has no connection: the connection state callback is never called.
// cleanupAllData() removes every stored leader information and state store record of the
// whole cluster, and no leader restores them. Getters throw std::logic_error after close().
//
// stateStore() is the cluster's one store, fenced by the cluster's leadership: a write lands
// only while its token's grant is the cluster's current one (details in the backend's
// src/embedded_state_store.hpp); its completions run on the callback executor. participants()
// is the cluster's queue (no addresses: embedded participants advertise none); currentLeader()
// what the cluster stores for the component.
//
// Thread-safety: as HighAvailabilityServices.
std::unique_ptr<HighAvailabilityServices> makeEmbeddedHaServices(
    std::shared_ptr<EmbeddedCluster> cluster, std::string participantId,
    HaServicesOptions options = {});

}  // namespace baton::embedded
