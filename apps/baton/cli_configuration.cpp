#include "cli_configuration.hpp"

#include <cstdio>

#include "baton/ha_options.hpp"
#include "baton/known_options.hpp"
#include "baton/zookeeper/zookeeper_configuration.hpp"

namespace baton::cli {

Configuration buildConfiguration(const CliOptions& options) {
  Configuration base =
      options.configFile ? Configuration::fromFile(*options.configFile) : Configuration();
  Configuration configuration = applyEnvironmentOverrides(base);
  if (options.haType) {
    configuration.set(std::string(kHaTypeOption.key), *options.haType);
  }
  if (options.zkQuorum) {
    configuration.set(std::string(zookeeper::kQuorumKey), *options.zkQuorum);
    if (!options.haType) {
      configuration.set(std::string(kHaTypeOption.key), "zookeeper");
    }
  }
  const std::string participantKey(kParticipantIdOption.key);
  if (!options.id.empty()) {
    configuration.set(participantKey, options.id);
  } else if (!configuration.contains(participantKey)) {
    configuration.set(participantKey, defaultParticipantId());
  }
  const std::string addressKey(zookeeper::kParticipantAddressKey);
  if (!options.address.empty() && !configuration.contains(addressKey)) {
    configuration.set(addressKey, options.address);
  }
  for (const auto& [key, value] : options.settings) {
    configuration.set(key, value);
  }
  return configuration;
}

std::string participantId(const Configuration& configuration) {
  return configuration.getString(std::string(kParticipantIdOption.key), defaultParticipantId());
}

EventPrinter makeEventPrinter(const CliOptions& options, const Configuration& configuration,
                              std::string component) {
  return EventPrinter(stdout, options.json ? OutputFormat::json : OutputFormat::readable,
                      std::move(component), participantId(configuration));
}

std::string describeHaType(const Configuration& configuration) {
  return configuration.getString(std::string(kHaTypeOption.key), "standalone");
}

}  // namespace baton::cli
