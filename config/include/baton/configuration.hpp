#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace baton {

struct OptionDescription;  // baton/config_option.hpp

// Key/value configuration for HighAvailabilityServices (keys in docs/configuration.md). It knows
// no key: each backend declares the keys it reads (baton/config_option.hpp).
// Sources, later ones winning: a file (`key = value` or `key: value` lines, `#` comments),
// a map in code, and environment overrides (BATON_ + the key upper-cased with '.' and '-'
// turned into '_', e.g. BATON_HA_ZOOKEEPER_QUORUM for ha.zookeeper.quorum).
//
// Every accessor that parses throws ConfigurationError naming the key and the bad value.
// Thread-safety: a value type; const methods may be called concurrently.
class Configuration {
 public:
  Configuration() = default;
  static Configuration fromMap(std::map<std::string, std::string> values);
  // Throws ConfigurationError (key "<file>:<line>") for a malformed line or unreadable file.
  static Configuration fromFile(const std::filesystem::path& path);

  Configuration& set(const std::string& key, std::string value);
  // Returns a copy with every BATON_* variable of envp (default: the process environment)
  // applied. A variable maps back to a key of knownOptions first (so that keys with '-' map
  // exactly), then to a key already set, then by the plain rule (docs/configuration.md).
  // baton::applyEnvironmentOverrides (baton/ha_services_factory.hpp) passes every built-in key.
  Configuration withEnvironmentOverrides(std::span<const OptionDescription> knownOptions,
                                         const char* const* envp = nullptr) const;
  // Returns a copy with every entry of other applied on top.
  Configuration mergedWith(const Configuration& other) const;

  bool contains(const std::string& key) const;
  std::optional<std::string> get(const std::string& key) const;
  std::string getString(const std::string& key, const std::string& fallback) const;
  // Throws ConfigurationError when the key is missing or empty.
  std::string require(const std::string& key) const;
  // Durations: a number with a unit: ms, s, min, h (e.g. "500ms", "30s"); a bare number is ms.
  std::chrono::milliseconds getDuration(const std::string& key,
                                        std::chrono::milliseconds fallback) const;
  std::int64_t getInt(const std::string& key, std::int64_t fallback, std::int64_t min,
                      std::int64_t max) const;
  bool getBool(const std::string& key, bool fallback) const;  // true/false/yes/no/1/0
  // Keys starting with prefix, in order.
  std::vector<std::string> keysWithPrefix(const std::string& prefix) const;
  const std::map<std::string, std::string>& entries() const { return values_; }

 private:
  std::map<std::string, std::string> values_;
};

// The environment variable that overrides key: "BATON_" + key upper-cased, with '.' and '-'
// turned into '_' (ha.zookeeper.session-timeout -> BATON_HA_ZOOKEEPER_SESSION_TIMEOUT).
std::string environmentVariableFor(std::string_view key);

}  // namespace baton
