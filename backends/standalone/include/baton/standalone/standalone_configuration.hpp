#pragma once

#include <memory>
#include <span>

#include "baton/config_option.hpp"
#include "baton/ha_services_options.hpp"
#include "baton/high_availability_services.hpp"

namespace baton::standalone {

// The standalone backend's keys: the family ha.standalone.address.<component>, and its
// well-known members (listed so that their environment variables map back to keys whose
// component id contains '_', such as rest_server). Documentation order. Thread-safe.
std::span<const OptionDescription> standaloneOptions();

// StandaloneHaServices with the addresses of every ha.standalone.address.<component> key.
// Throws ConfigurationError naming the key for an invalid component id or an empty address.
std::unique_ptr<HighAvailabilityServices> createStandaloneHaServices(
    const Configuration& configuration, const HaServicesOptions& options = {});

}  // namespace baton::standalone
