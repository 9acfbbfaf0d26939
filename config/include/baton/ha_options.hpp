#pragma once

#include <span>
#include <string>

#include "baton/config_option.hpp"

namespace baton {

// The ha.* keys every backend shares (docs/configuration.md). Backends declare their own keys
// in their own folders (standalone_configuration.hpp, embedded_configuration.hpp,
// zookeeper_configuration.hpp).

// Which services the factory builds; absent selects standalone.
extern const StringOption kHaTypeOption;
// The election domain (a name: validateComponentId's rules, so it is znode-safe).
extern const StringOption kClusterIdOption;
// This participant's name in the election (a name); absent: defaultParticipantId().
extern const StringOption kParticipantIdOption;

// Descriptions of the options above, in documentation order.
std::span<const OptionDescription> commonHaOptions();

// ha.participant-id when set (checked), otherwise a fresh defaultParticipantId().
std::string readParticipantId(const Configuration& configuration);

// "<hostname>-<pid>-<counter>" with the host name reduced to name characters (anything else
// becomes '-', at most 64 characters, "localhost" when unknown), so that the result is always a
// valid ha.participant-id. Unique per call within a process. Thread-safe.
std::string defaultParticipantId();

// Throws ConfigurationError naming key unless value is a name (validateComponentId's rules).
void checkName(const std::string& key, const std::string& value);

}  // namespace baton
