#include <array>

#include "baton/configuration_keys.hpp"

namespace baton {
namespace {

// The one list of known keys. docs/configuration.md has a row for each (factory_docs_test).
constexpr std::array kKnownKeys = {
    ConfigurationKey{kHaTypeKey, "enum", "", "all"},
    ConfigurationKey{kClusterIdKey, "name", "default", "embedded, zookeeper"},
    ConfigurationKey{kParticipantIdKey, "name", "<hostname>-<pid>-<counter>",
                     "embedded, zookeeper"},
    ConfigurationKey{kParticipantAddressKey, "string", "", "zookeeper"},
    ConfigurationKey{kStandaloneAddressKeyPrefix, "string", "", "standalone"},
    // The seeds' well-known components, listed so that their environment variables map back
    // to keys whose component id contains '_' (rest_server).
    ConfigurationKey{"ha.standalone.address.resourcemanager", "string", "", "standalone"},
    ConfigurationKey{"ha.standalone.address.dispatcher", "string", "", "standalone"},
    ConfigurationKey{"ha.standalone.address.rest_server", "string", "", "standalone"},
    ConfigurationKey{kZooKeeperQuorumKey, "string", "", "zookeeper"},
    ConfigurationKey{kZooKeeperRootKey, "string", "/baton", "zookeeper"},
    ConfigurationKey{kZooKeeperSessionTimeoutKey, "duration", "10s", "zookeeper"},
    ConfigurationKey{kZooKeeperConnectionTimeoutKey, "duration", "15s", "zookeeper"},
    ConfigurationKey{kZooKeeperOperationTimeoutKey, "duration", "10s", "zookeeper"},
    ConfigurationKey{kZooKeeperRetryBaseDelayKey, "duration", "50ms", "zookeeper"},
    ConfigurationKey{kZooKeeperRetryMaxDelayKey, "duration", "2s", "zookeeper"},
    ConfigurationKey{kZooKeeperRetryMaxAttemptsKey, "int", "20", "zookeeper"},
    ConfigurationKey{kZooKeeperAuthDigestKey, "string", "", "zookeeper"},
    ConfigurationKey{kZooKeeperAclKey, "enum", "open", "zookeeper"},
    ConfigurationKey{kConnectionPolicyKey, "enum", "lease", "zookeeper"},
    ConfigurationKey{kLeaseSafetyMarginKey, "duration", "500ms", "zookeeper"},
    ConfigurationKey{kZooKeeperTickTimeKey, "duration", "2s", "zookeeper"},
};

bool isFamily(const ConfigurationKey& key) noexcept {
  return key.name.ends_with('.');
}

}  // namespace

std::span<const ConfigurationKey> knownConfigurationKeys() noexcept {
  return kKnownKeys;
}

const ConfigurationKey* findConfigurationKey(std::string_view key) noexcept {
  for (const auto& known : kKnownKeys) {
    if (isFamily(known) ? key.starts_with(known.name) && key.size() > known.name.size()
                        : key == known.name) {
      return &known;
    }
  }
  return nullptr;
}

bool isKnownConfigurationKey(std::string_view key) noexcept {
  return findConfigurationKey(key) != nullptr;
}

std::string environmentVariableFor(std::string_view key) {
  std::string name = "BATON_";
  for (char c : key) {
    if (c == '.' || c == '-') {
      name += '_';
    } else if (c >= 'a' && c <= 'z') {
      name += static_cast<char>(c - 'a' + 'A');
    } else {
      name += c;
    }
  }
  return name;
}

}  // namespace baton
