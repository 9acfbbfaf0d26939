#pragma once

#include "cli_options.hpp"

namespace baton::cli {

// `baton leader --component NAME`: what the component's stored leader information says now.
// `baton participants`: the election's participants in queue order, the leader first.
// Both ask the configured backend once (HighAvailabilityServices::currentLeader and
// participants) and exit. An in-process backend knows only this process: embedded lists no
// participant (none has started a contender), standalone its one configured participant and
// fixed addresses.
int runLeader(const CliOptions& options);
int runParticipants(const CliOptions& options);

}  // namespace baton::cli
