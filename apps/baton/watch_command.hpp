#pragma once

#include "cli_options.hpp"

namespace baton::cli {

// `baton watch`: follows the leader of --component through leader retrieval (of a Flink
// cluster's nodes under --flink: docs/flink.md) and prints each
// change (`leader` with address and session id, or `no-leader`) until quit, EOF, SIGINT or
// SIGTERM. Returns the process exit status. Throws ConfigurationError for bad configuration.
int runWatch(const CliOptions& options);

}  // namespace baton::cli
