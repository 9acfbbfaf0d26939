#pragma once

#include "cli_options.hpp"

namespace baton::cli {

// `baton elect`: joins the election for --component, serves --address while leading, prints
// every event, and obeys stdin commands (release, rejoin, quit). EOF, SIGINT and SIGTERM quit
// gracefully: the election is closed (the revoke printed), then the services, then `exit`.
// Returns the process exit status. Throws ConfigurationError for bad configuration.
int runElect(const CliOptions& options);

}  // namespace baton::cli
