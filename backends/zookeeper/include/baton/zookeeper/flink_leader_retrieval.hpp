#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "baton/configuration.hpp"
#include "baton/ha_services_options.hpp"
#include "baton/leader_retrieval_service.hpp"

namespace baton::zookeeper {

// Reading a real Flink cluster's leaders (docs/flink.md). Flink's ZooKeeper HA (1.15+, 2.x)
// publishes each leader at <path.root>/<cluster-id>/leader/<component>/connection_info.
inline constexpr std::string_view kFlinkResourceManager = "resource_manager";
inline constexpr std::string_view kFlinkDispatcher = "dispatcher";
inline constexpr std::string_view kFlinkRestServer = "rest_server";

// The component of a job's JobMaster: Flink names it by the job id, 32 hex digits (JobID's
// toString, lower case; upper case is accepted and lowered). One of the three names above is
// returned as it is. Throws std::invalid_argument naming the accepted forms for anything else.
std::string flinkComponent(std::string_view componentOrJobId);

// A read-only LeaderRetrievalService over a Flink cluster's ZooKeeper tree, with baton's
// retrieval semantics (every change, "no leader" while the connection is down or the node is
// missing, cleared or unreadable). It only reads and watches: it never creates or deletes a
// node and never joins Flink's latch. Its own ZooKeeper session, closed by stop().
//
// Configuration: the ha.zookeeper.* session keys as for baton's own services;
// ha.zookeeper.root is Flink's high-availability.zookeeper.path.root (here "/flink" when not
// set, Flink's default) and ha.cluster-id is Flink's high-availability.cluster-id without its
// leading '/' ("default" either way). Throws ConfigurationError naming a missing quorum or a
// malformed key, std::invalid_argument for a component flinkComponent rejects.
//
// Thread-safety: as LeaderRetrievalService. The listener runs on options.callbackExecutor, or
// on a thread of the service.
std::unique_ptr<LeaderRetrievalService> makeFlinkLeaderRetrievalService(
    const Configuration& configuration, std::string_view component,
    const HaServicesOptions& options = {});

}  // namespace baton::zookeeper
