#pragma once

#include <span>
#include <string_view>

#include "baton/config_option.hpp"

namespace baton::zookeeper {

// Key names that tools set directly (the baton CLI's --zk and --address); declared with the
// rest in src/ha/zk_ha_options.cpp.
inline constexpr std::string_view kQuorumKey = "ha.zookeeper.quorum";
inline constexpr std::string_view kParticipantAddressKey = "ha.participant-address";

// The keys the ZooKeeper backend reads of its own (ha.zookeeper.*, ha.connection-policy,
// ha.lease.safety-margin, ha.participant-address), in documentation order; it also reads
// ha.cluster-id and ha.participant-id (baton::commonHaOptions()). Thread-safe.
std::span<const OptionDescription> zooKeeperOptions();

}  // namespace baton::zookeeper
