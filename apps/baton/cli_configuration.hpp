#pragma once

#include "baton/configuration.hpp"
#include "cli_options.hpp"
#include "event_printer.hpp"

namespace baton::cli {

// The configuration the command-line flags describe, later sources winning:
//   1. the --config file, if given
//   2. BATON_* environment variables (baton::applyEnvironmentOverrides)
//   3. --ha (ha.type)
//   4. --zk (ha.zookeeper.quorum; also ha.type=zookeeper unless --ha was given)
//   5. --id as ha.participant-id (when absent so far: baton::defaultParticipantId()), and --address
//      as ha.participant-address unless one is configured: the names `baton participants`
//      will list
//   6. every --set key=value, in order
// Throws ConfigurationError for an unreadable or malformed file; keys are checked later, when
// the services are built.
Configuration buildConfiguration(const CliOptions& options);

// The participant id events carry: ha.participant-id, which buildConfiguration always sets.
std::string participantId(const Configuration& configuration);

// The printer a command prints its events with: to stdout, JSON under --json, naming component
// ("" for none) and this participant.
EventPrinter makeEventPrinter(const CliOptions& options, const Configuration& configuration,
                              std::string component);

// The ha.type the services will be built for ("standalone" when absent), for messages.
std::string describeHaType(const Configuration& configuration);

}  // namespace baton::cli
