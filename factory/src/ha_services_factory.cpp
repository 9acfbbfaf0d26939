#include "baton/ha_services_factory.hpp"

#include <map>
#include <mutex>
#include <stdexcept>

#include "baton/embedded/embedded_configuration.hpp"
#include "baton/error.hpp"
#include "baton/ha_options.hpp"
#include "baton/known_options.hpp"
#include "baton/logging.hpp"
#include "baton/standalone/standalone_configuration.hpp"
#ifdef BATON_HAS_ZOOKEEPER
#include "baton/zookeeper/zookeeper_ha_services.hpp"
#endif

namespace baton {
namespace {

constexpr std::string_view kBuiltInTypes[] = {"standalone", "none", "embedded", "zookeeper"};

bool isBuiltIn(std::string_view type) {
  for (auto builtIn : kBuiltInTypes) {
    if (type == builtIn)
      return true;
  }
  return false;
}

// Application factories by type name. Factories are copied out before they run, so that one
// may register another without deadlocking.
class Registry {
 public:
  static Registry& instance() {
    static Registry registry;
    return registry;
  }
  void put(const std::string& type, HaServicesFactoryFunction factory) {
    std::lock_guard lock(mutex_);
    factories_[type] = std::move(factory);
  }
  HaServicesFactoryFunction find(const std::string& type) const {
    std::lock_guard lock(mutex_);
    auto it = factories_.find(type);
    return it == factories_.end() ? HaServicesFactoryFunction() : it->second;
  }
  // "standalone, none, embedded, zookeeper" and the registered names.
  std::string validTypes() const {
    std::string list;
    for (auto builtIn : kBuiltInTypes)
      list += (list.empty() ? "" : ", ") + std::string(builtIn);
    std::lock_guard lock(mutex_);
    for (const auto& [type, factory] : factories_)
      list += ", " + type;
    return list;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, HaServicesFactoryFunction> factories_;
};

// The common keys are checked whichever built-in backend reads them (or ignores them), so that
// a malformed ha.participant-id is the same error under every ha.type.
void checkCommonOptions(const Configuration& configuration) {
  read(configuration, kClusterIdOption);
  read(configuration, kParticipantIdOption);
}

std::unique_ptr<HighAvailabilityServices> createZooKeeper(
    [[maybe_unused]] const Configuration& configuration,
    [[maybe_unused]] const HaServicesOptions& options) {
#ifdef BATON_HAS_ZOOKEEPER
  return zookeeper::makeZooKeeperHaServices(configuration, options);
#else
  throw ConfigurationError(std::string(kHaTypeOption.key),
                           "zookeeper backend is not built into this binary");
#endif
}

// A key under "ha." that baton does not know is most likely a typo, and a known key of
// another backend (a quorum with ha.type unset) is most likely a mistake: say so, as the
// choice of backend stays what ha.type says.
void warnAboutIgnoredKeys(const Configuration& configuration, std::string_view backend,
                          const HaServicesOptions& options) {
  auto logger = loggerOrQuiet(options.logger);
  for (const auto& key : configuration.keysWithPrefix("ha.")) {
    const OptionDescription* known = findConfigurationOption(key);
    if (!known) {
      logger->warn("configuration key '{}' is not known to baton and is ignored", key);
    } else if (known->backend != "all" && known->backend.find(backend) == std::string_view::npos) {
      logger->warn("configuration key '{}' is read by the {} backend only; ignored by {}", key,
                   known->backend, backend);
    }
  }
}

}  // namespace

std::unique_ptr<HighAvailabilityServices> createHighAvailabilityServices(
    const Configuration& configuration, const HaServicesOptions& options) {
  const std::string typeKey(kHaTypeOption.key);
  auto type = configuration.get(typeKey);
  if (!type || *type == "standalone" || *type == "none") {
    warnAboutIgnoredKeys(configuration, "standalone", options);
    checkCommonOptions(configuration);
    return standalone::createStandaloneHaServices(configuration, options);
  }
  if (*type == "embedded") {
    warnAboutIgnoredKeys(configuration, "embedded", options);
    checkCommonOptions(configuration);
    return embedded::createEmbeddedHaServices(configuration, options);
  }
  if (*type == "zookeeper") {
    warnAboutIgnoredKeys(configuration, "zookeeper", options);
    checkCommonOptions(configuration);
    return createZooKeeper(configuration, options);
  }
  if (auto factory = Registry::instance().find(*type)) {
    auto services = factory(configuration, options);
    if (!services) {
      throw std::logic_error("the HA services factory registered for '" + *type +
                             "' returned no services");
    }
    return services;
  }
  throw ConfigurationError(
      typeKey, "unknown type '" + *type + "'; valid values: " + Registry::instance().validTypes());
}

void registerHaServicesFactory(const std::string& type, HaServicesFactoryFunction factory) {
  if (type.empty())
    throw std::invalid_argument("an HA services type name must not be empty");
  if (isBuiltIn(type)) {
    throw std::invalid_argument("'" + type + "' is a built-in " + std::string(kHaTypeOption.key) +
                                " and cannot be registered");
  }
  if (!factory) {
    throw std::invalid_argument("the HA services factory for '" + type + "' is empty");
  }
  Registry::instance().put(type, std::move(factory));
}

}  // namespace baton
