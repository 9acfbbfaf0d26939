#pragma once

#include "cli_options.hpp"

namespace baton::cli {

// `baton run`: runs a command only while this process leads --component (see
// docs/operations.md). On grant the command starts in its own process group with
// BATON_LEADER_SESSION_ID, BATON_FENCING_TOKEN, BATON_COMPONENT and BATON_PARTICIPANT_ID in
// its environment; on revoke it gets SIGTERM and, after the grace, SIGKILL; leadership is
// released only once it was reaped. When the command exits by itself, leadership is given up
// and the command's exit code returned (or, with --restart, the election joined again).
// SIGINT, SIGTERM and SIGHUP are forwarded to the command; then it exits with the command's
// status. Returns the exit status. Throws ConfigurationError for bad configuration.
int runRun(const CliOptions& options);

}  // namespace baton::cli
