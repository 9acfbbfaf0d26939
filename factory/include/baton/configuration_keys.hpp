#pragma once

#include <span>
#include <string>
#include <string_view>

namespace baton {

// The names of every configuration key baton reads (docs/configuration.md documents each).
inline constexpr std::string_view kHaTypeKey = "ha.type";
inline constexpr std::string_view kClusterIdKey = "ha.cluster-id";
inline constexpr std::string_view kParticipantIdKey = "ha.participant-id";
// A family: kStandaloneAddressKeyPrefix + <component id>.
inline constexpr std::string_view kStandaloneAddressKeyPrefix = "ha.standalone.address.";
inline constexpr std::string_view kParticipantAddressKey = "ha.participant-address";
inline constexpr std::string_view kConnectionPolicyKey = "ha.connection-policy";
inline constexpr std::string_view kLeaseSafetyMarginKey = "ha.lease.safety-margin";
inline constexpr std::string_view kZooKeeperQuorumKey = "ha.zookeeper.quorum";
inline constexpr std::string_view kZooKeeperRootKey = "ha.zookeeper.root";
inline constexpr std::string_view kZooKeeperSessionTimeoutKey = "ha.zookeeper.session-timeout";
inline constexpr std::string_view kZooKeeperConnectionTimeoutKey =
    "ha.zookeeper.connection-timeout";
inline constexpr std::string_view kZooKeeperOperationTimeoutKey = "ha.zookeeper.operation-timeout";
inline constexpr std::string_view kZooKeeperRetryBaseDelayKey = "ha.zookeeper.retry.base-delay";
inline constexpr std::string_view kZooKeeperRetryMaxDelayKey = "ha.zookeeper.retry.max-delay";
inline constexpr std::string_view kZooKeeperRetryMaxAttemptsKey = "ha.zookeeper.retry.max-attempts";
inline constexpr std::string_view kZooKeeperAuthDigestKey = "ha.zookeeper.auth.digest";
inline constexpr std::string_view kZooKeeperAclKey = "ha.zookeeper.acl";
inline constexpr std::string_view kZooKeeperTickTimeKey = "ha.zookeeper.tick-time";

// One documented key.
struct ConfigurationKey {
  std::string_view name;          // a key, or a family of keys when it ends with '.'
  std::string_view type;          // string, duration, int, enum, ...
  std::string_view defaultValue;  // "" when the key has no default
  std::string_view backend;       // who reads it: "all", "standalone", "embedded", "zookeeper"
};

// Every key baton reads, in documentation order: the single list behind the environment
// overrides (Configuration::withEnvironmentOverrides) and the documentation check.
std::span<const ConfigurationKey> knownConfigurationKeys() noexcept;

// The entry documenting key (a listed key, or the family it belongs to); nullptr if none.
const ConfigurationKey* findConfigurationKey(std::string_view key) noexcept;

// True for a listed key and for any key of a listed family.
bool isKnownConfigurationKey(std::string_view key) noexcept;

// The environment variable that overrides key: "BATON_" + key upper-cased, with '.' and '-'
// turned into '_' (ha.zookeeper.session-timeout -> BATON_HA_ZOOKEEPER_SESSION_TIMEOUT).
std::string environmentVariableFor(std::string_view key);

}  // namespace baton
