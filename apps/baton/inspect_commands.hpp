#pragma once

#include "cli_options.hpp"

namespace baton::cli {

// `baton leader --component NAME`: what the component's stored leader information says now.
// `baton participants`: the election's participants in queue order, the leader first.
// Both read the ZooKeeper store once and exit; other backends have no shared store to read
// (a usage error naming ha.type).
int runLeader(const CliOptions& options);
int runParticipants(const CliOptions& options);

}  // namespace baton::cli
