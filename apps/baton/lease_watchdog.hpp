#pragma once

#include <sys/types.h>

#include <chrono>

namespace baton::cli {

// A helper process that SIGKILLs the command's process group when `baton run` stops proving
// that it still leads: the command cannot tell by itself that its supervisor is frozen
// (SIGSTOP, a stalled VM) while the servers expire the session and grant another participant.
//
// `baton run` calls heartbeat() only while LeaderElection::hasLeadership() (which checks the
// lease deadline itself) holds. The helper kills the group when no heartbeat arrived for
// `window`, or when `baton run` died (its end of the socket pair closed without standDown()). With
// window < ha.lease.safety-margin, the command is dead before the servers can expire the
// session of a leader whose lease just ran out: the last heartbeat came at or before the lease
// deadline, and expiry comes no sooner than the margin after it. The price: a `baton run`
// stalled for `window` while leading loses its command (and then its leadership).
//
// The helper is forked without exec (only system calls run in it), ignores SIGINT, SIGTERM and
// SIGHUP (a Ctrl-C to the terminal's group is for `baton run` to forward), and exits after
// killing or when told to stand down. The owner reaps it (SIGCHLD).
//
// Thread-safety: use from the thread that created it. Destruction stands down.
class LeaseWatchdog {
 public:
  // Throws std::system_error when the socket pair or fork fails.
  LeaseWatchdog(pid_t commandGroup, std::chrono::milliseconds window);
  ~LeaseWatchdog();
  LeaseWatchdog(const LeaseWatchdog&) = delete;
  LeaseWatchdog& operator=(const LeaseWatchdog&) = delete;

  // Never blocks: a heartbeat the helper has no room for is dropped (it has enough queued).
  void heartbeat() noexcept;
  // Ends the helper without killing (the command was reaped). Idempotent.
  void standDown() noexcept;
  pid_t pid() const noexcept { return pid_; }

 private:
  pid_t pid_ = -1;
  int writeEnd_ = -1;
};

}  // namespace baton::cli
