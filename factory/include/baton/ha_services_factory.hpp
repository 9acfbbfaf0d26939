#pragma once

#include <functional>
#include <memory>
#include <string>

#include "baton/configuration.hpp"
#include "baton/ha_services_options.hpp"
#include "baton/high_availability_services.hpp"

namespace baton {

using HaServicesFactoryFunction = std::function<std::unique_ptr<HighAvailabilityServices>(
    const Configuration& configuration, const HaServicesOptions& options)>;

// Builds HighAvailabilityServices from configuration, by `ha.type`:
//   absent           standalone (the only case where standalone is chosen implicitly)
//   standalone|none  fixed leaders from ha.standalone.address.<component>
//   embedded         in-process election among every service of the same ha.cluster-id
//   zookeeper        ZooKeeper LeaderLatch election (ha.zookeeper.*)
//   <name>           a factory the application registered under that name
// An unknown type, a malformed value or a missing required key throws ConfigurationError
// naming the key; there is no silent fallback to standalone.
std::unique_ptr<HighAvailabilityServices> createHighAvailabilityServices(
    const Configuration& configuration, const HaServicesOptions& options = {});

// Registers an application factory under type (any name but the built-in ones, which throw
// std::invalid_argument). Thread-safe; a later registration of the same name replaces it.
void registerHaServicesFactory(const std::string& type, HaServicesFactoryFunction factory);

}  // namespace baton
