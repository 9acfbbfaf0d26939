#include "baton/ha_services_factory.hpp"

#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>
#include <stdexcept>

#include "baton/component_id.hpp"
#include "baton/configuration_keys.hpp"
#include "baton/embedded/embedded_ha_services.hpp"
#include "baton/error.hpp"
#include "baton/logging.hpp"
#include "baton/standalone/standalone_ha_services.hpp"
#ifdef BATON_HAS_ZOOKEEPER
#include "baton/zookeeper/zookeeper_ha_services.hpp"
#endif

namespace baton {
namespace {

static_assert(kStandaloneAddressKeyPrefix == standalone::StandaloneHaServices::kAddressKeyPrefix);

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

// Reads a name-valued key, checked with the component-id rules (znode-safe); nullopt when
// the key is absent.
std::optional<std::string> getName(const Configuration& configuration, std::string_view key) {
  auto value = configuration.get(std::string(key));
  if (!value)
    return std::nullopt;
  try {
    validateComponentId(*value);
  } catch (const std::invalid_argument& e) {
    throw ConfigurationError(std::string(key), e.what());
  }
  return value;
}

// "<hostname>-<pid>-<counter>": unique per services object within a process and, through the
// host name and pid, readable in logs and in EmbeddedCluster::participants().
std::string defaultParticipantId() {
  static std::atomic<std::uint64_t> counter{0};
  char host[256] = {};
  std::string hostname = gethostname(host, sizeof host - 1) == 0 ? host : "";
  for (char& c : hostname) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '.' || c == '_' || c == '-';
    if (!allowed)
      c = '-';
  }
  if (hostname.empty())
    hostname = "localhost";
  hostname.resize(std::min<std::size_t>(hostname.size(), 64));
  return hostname + "-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
}

std::unique_ptr<HighAvailabilityServices> createStandalone(const Configuration& configuration,
                                                           const HaServicesOptions& options) {
  const std::string prefix(kStandaloneAddressKeyPrefix);
  std::map<std::string, std::string> addresses;
  for (const auto& key : configuration.keysWithPrefix(prefix)) {
    std::string componentId = key.substr(prefix.size());
    try {
      validateComponentId(componentId);
    } catch (const std::invalid_argument& e) {
      throw ConfigurationError(key, e.what());
    }
    std::string address = configuration.require(key);  // throws naming the key when empty
    addresses.emplace(std::move(componentId), std::move(address));
  }
  return std::make_unique<standalone::StandaloneHaServices>(std::move(addresses), options);
}

std::unique_ptr<HighAvailabilityServices> createEmbedded(const Configuration& configuration,
                                                         const HaServicesOptions& options) {
  std::string clusterId = getName(configuration, kClusterIdKey).value_or("default");
  auto configured = getName(configuration, kParticipantIdKey);
  std::string participantId = configured ? *configured : defaultParticipantId();
  loggerOrQuiet(options.logger)
      ->info("embedded HA services: participant '{}' of cluster '{}'", participantId, clusterId);
  return embedded::makeEmbeddedHaServices(embedded::EmbeddedCluster::shared(clusterId),
                                          std::move(participantId), options);
}

std::unique_ptr<HighAvailabilityServices> createZooKeeper(
    [[maybe_unused]] const Configuration& configuration,
    [[maybe_unused]] const HaServicesOptions& options) {
#ifdef BATON_HAS_ZOOKEEPER
  return zookeeper::makeZooKeeperHaServices(configuration, options);
#else
  throw ConfigurationError(std::string(kHaTypeKey),
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
    const ConfigurationKey* known = findConfigurationKey(key);
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
  const std::string typeKey(kHaTypeKey);
  auto type = configuration.get(typeKey);
  if (!type || *type == "standalone" || *type == "none") {
    warnAboutIgnoredKeys(configuration, "standalone", options);
    return createStandalone(configuration, options);
  }
  if (*type == "embedded") {
    warnAboutIgnoredKeys(configuration, "embedded", options);
    return createEmbedded(configuration, options);
  }
  if (*type == "zookeeper") {
    warnAboutIgnoredKeys(configuration, "zookeeper", options);
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
    throw std::invalid_argument("'" + type + "' is a built-in " + std::string(kHaTypeKey) +
                                " and cannot be registered");
  }
  if (!factory) {
    throw std::invalid_argument("the HA services factory for '" + type + "' is empty");
  }
  Registry::instance().put(type, std::move(factory));
}

}  // namespace baton
