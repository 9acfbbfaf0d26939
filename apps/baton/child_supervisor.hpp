#pragma once

#include <chrono>
#include <optional>

namespace baton::cli {

// What the supervisor asks of the operating system; the real one (run_command.cpp) forks and
// signals a process group, a fake records the calls in unit tests.
class ChildProcessApi {
 public:
  virtual ~ChildProcessApi() = default;
  // Starts the command in its own process group. Returns false (having reported why) when it
  // could not be started.
  virtual bool spawn() = 0;
  // Sends signal to the command's whole process group.
  virtual void signalGroup(int signal) = 0;
  // (Re)arms the one grace timer: graceExpired() after `after`, unless cancelled.
  virtual void armGraceTimer(std::chrono::milliseconds after) = 0;
  virtual void cancelGraceTimer() = 0;
};

// The command's life under `baton run`, with no I/O of its own:
//
//   idle --start()--> running --(stop(sig) | leadershipLost())--> stopping
//     ^                  |                                           |
//     +--reaped()--------+ (exited by itself)                        |
//     +--reaped()----------------------------------------------------+ (stopped as asked)
//
// stopping sends the stop signal (SIGTERM on a lost leadership, the forwarded one on a
// shutdown) and arms the grace timer; SIGKILL follows when it expires. The grace after a lost
// leadership is clamped to leaseBound: the lease is over, and another participant may be
// granted once the servers expire this session, `ha.lease.safety-margin` later at the latest.
// A leadership lost while already stopping kills at once, for the same reason.
//
// Thread-safety: none; driven from one thread (the run command's io_context).
class ChildSupervisor {
 public:
  enum class State { idle, running, stopping };

  ChildSupervisor(ChildProcessApi& api, std::chrono::milliseconds grace,
                  std::chrono::milliseconds leaseBound);

  // Leadership granted: starts the command. Returns false when it did not start. Precondition:
  // state() == idle (the caller releases leadership only once the command was reaped).
  bool start();
  // This process leaves (a signal to forward, or a release): sends signal, SIGKILL after the
  // grace. Does nothing unless running.
  void stop(int signal);
  // The library revoked the leadership: SIGTERM, then SIGKILL after min(grace, leaseBound).
  void leadershipLost();
  void graceExpired();
  // The command was reaped with exitCode (128+signal if killed). Returns true when it ended by
  // itself, false when it was stopped as asked. Ignored (returns nullopt) when idle.
  std::optional<bool> reaped(int exitCode);

  State state() const noexcept { return state_; }
  // The exit code of the last command reaped, if any.
  std::optional<int> lastExitCode() const noexcept { return lastExitCode_; }

 private:
  ChildProcessApi& api_;
  const std::chrono::milliseconds grace_;
  const std::chrono::milliseconds leaseBound_;
  State state_ = State::idle;
  std::optional<int> lastExitCode_;
};

const char* toString(ChildSupervisor::State state) noexcept;

}  // namespace baton::cli
