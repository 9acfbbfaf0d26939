#pragma once

#include <memory>

#include "baton/configuration.hpp"
#include "baton/ha_services_options.hpp"
#include "baton/high_availability_services.hpp"

namespace baton::embedded {

// Embedded services from configuration (ha.type = embedded). The backend declares no key of its
// own: it reads the common ha.cluster-id (default "default") and ha.participant-id (default
// defaultParticipantId()), both names (baton/ha_options.hpp). Throws ConfigurationError naming
// the key for a malformed one.
std::unique_ptr<HighAvailabilityServices> createEmbeddedHaServices(
    const Configuration& configuration, const HaServicesOptions& options = {});

}  // namespace baton::embedded
