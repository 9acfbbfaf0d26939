#include "baton/embedded/embedded_configuration.hpp"

#include "baton/embedded/embedded_ha_services.hpp"
#include "baton/ha_options.hpp"
#include "baton/logging.hpp"

namespace baton::embedded {

std::unique_ptr<HighAvailabilityServices> createEmbeddedHaServices(
    const Configuration& configuration, const HaServicesOptions& options) {
  std::string clusterId = read(configuration, kClusterIdOption);
  std::string participantId = readParticipantId(configuration);
  loggerOrQuiet(options.logger)
      ->info("embedded HA services: participant '{}' of cluster '{}'", participantId, clusterId);
  return makeEmbeddedHaServices(EmbeddedCluster::shared(clusterId), std::move(participantId),
                                options);
}

}  // namespace baton::embedded
