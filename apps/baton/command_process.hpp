#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace baton::cli {

// Starts argv[0] (looked up in PATH) with the current environment plus `extraEnvironment`
// ("NAME=value" entries, which win over inherited ones), as the leader of a new process group,
// so that signals reach everything it starts. The child gets SIGKILL when the thread that
// forked it dies (PR_SET_PDEATHSIG): call it from the thread that lives as long as the process
// (the main thread), so that a SIGKILL of `baton run` does not leave the command running as a
// leader nobody supervises. Only the command itself gets that signal: processes it starts
// are reached through the group only (see the lease watchdog).
//
// A command that cannot be executed exits with 127 after a message on stderr, as a shell's.
// Returns the child's pid (== its process group id). Throws std::system_error when fork fails.
// Thread-safety: call from the main thread only (see above).
pid_t spawnCommand(const std::vector<std::string>& argv,
                   const std::vector<std::string>& extraEnvironment);

// The shell's convention for a wait status: the exit code, or 128 + the signal that killed it.
int exitCodeOf(int waitStatus) noexcept;

}  // namespace baton::cli
