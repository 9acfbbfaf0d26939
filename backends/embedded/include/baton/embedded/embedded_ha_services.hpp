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
// Thread-safety: as HighAvailabilityServices.
std::unique_ptr<HighAvailabilityServices> makeEmbeddedHaServices(
    std::shared_ptr<EmbeddedCluster> cluster, std::string participantId,
    HaServicesOptions options = {});

}  // namespace baton::embedded
