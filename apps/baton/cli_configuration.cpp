#include "cli_configuration.hpp"

#include "baton/configuration_keys.hpp"

namespace baton::cli {

Configuration buildConfiguration(const CliOptions& options) {
  Configuration base =
      options.configFile ? Configuration::fromFile(*options.configFile) : Configuration();
  Configuration configuration = base.withEnvironmentOverrides();
  if (options.haType) {
    configuration.set(std::string(kHaTypeKey), *options.haType);
  }
  if (options.zkQuorum) {
    configuration.set(std::string(kZooKeeperQuorumKey), *options.zkQuorum);
    if (!options.haType) {
      configuration.set(std::string(kHaTypeKey), "zookeeper");
    }
  }
  const std::string participantKey(kParticipantIdKey);
  if (!options.id.empty()) {
    configuration.set(participantKey, options.id);
  } else if (!configuration.contains(participantKey)) {
    configuration.set(participantKey, defaultParticipantId());
  }
  const std::string addressKey(kParticipantAddressKey);
  if (!options.address.empty() && !configuration.contains(addressKey)) {
    configuration.set(addressKey, options.address);
  }
  for (const auto& [key, value] : options.settings) {
    configuration.set(key, value);
  }
  return configuration;
}

std::string participantId(const Configuration& configuration) {
  return configuration.getString(std::string(kParticipantIdKey), defaultParticipantId());
}

std::string describeHaType(const Configuration& configuration) {
  return configuration.getString(std::string(kHaTypeKey), "standalone");
}

}  // namespace baton::cli
