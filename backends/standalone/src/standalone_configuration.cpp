#include "baton/standalone/standalone_configuration.hpp"

#include <map>
#include <vector>

#include "baton/ha_options.hpp"
#include "baton/standalone/standalone_ha_services.hpp"

namespace baton::standalone {
namespace {

const StringOption kAddressFamily{
    .key = StandaloneHaServices::kAddressKeyPrefix,
    .type = "string",
    .doc =
        "The fixed leader address of `<component>` (a component id: a name as above), "
        "reported by its retriever with the default (all-zero) leader session id. A "
        "retriever for a component without one throws a `ConfigurationError` naming this "
        "key. Example: `ha.standalone.address.dispatcher = "
        "akka://flink@jm:6123/user/dispatcher`"};

const StringOption kWellKnownAddresses[] = {
    {.key = "ha.standalone.address.resourcemanager",
     .type = "string",
     .doc = "The resource manager's fixed address. Example: "
            "`ha.standalone.address.resourcemanager = akka://flink@jm:6123/user/rm`"},
    {.key = "ha.standalone.address.dispatcher",
     .type = "string",
     .doc = "The dispatcher's fixed address. Example: "
            "`ha.standalone.address.dispatcher = akka://flink@jm:6123/user/dispatcher`"},
    {.key = "ha.standalone.address.rest_server",
     .type = "string",
     .doc = "The cluster REST endpoint's fixed address. Example: "
            "`ha.standalone.address.rest_server = http://jm:8081`"},
};

}  // namespace

std::span<const OptionDescription> standaloneOptions() {
  static const std::vector<OptionDescription> options = [] {
    std::vector<OptionDescription> all{describe(kAddressFamily, "standalone")};
    for (const auto& option : kWellKnownAddresses)
      all.push_back(describe(option, "standalone"));
    return all;
  }();
  return options;
}

std::unique_ptr<HighAvailabilityServices> createStandaloneHaServices(
    const Configuration& configuration, const HaServicesOptions& options) {
  const std::string prefix(kAddressFamily.key);
  std::map<std::string, std::string> addresses;
  for (const auto& key : configuration.keysWithPrefix(prefix)) {
    std::string componentId = key.substr(prefix.size());
    checkName(key, componentId);
    std::string address = configuration.require(key);  // throws naming the key when empty
    addresses.emplace(std::move(componentId), std::move(address));
  }
  return std::make_unique<StandaloneHaServices>(std::move(addresses), options);
}

}  // namespace baton::standalone
