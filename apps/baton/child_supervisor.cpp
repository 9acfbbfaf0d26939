#include "child_supervisor.hpp"

#include <algorithm>
#include <csignal>
#include <stdexcept>

namespace baton::cli {

ChildSupervisor::ChildSupervisor(ChildProcessApi& api, std::chrono::milliseconds grace,
                                 std::chrono::milliseconds leaseBound)
    : api_(api), grace_(grace), leaseBound_(leaseBound) {}

bool ChildSupervisor::start() {
  if (state_ != State::idle)
    throw std::logic_error(std::string("run: start while the command is ") + toString(state_));
  if (!api_.spawn())
    return false;
  state_ = State::running;
  return true;
}

void ChildSupervisor::stop(int signal) {
  if (state_ != State::running)
    return;
  state_ = State::stopping;
  api_.signalGroup(signal);
  api_.armGraceTimer(grace_);
}

void ChildSupervisor::leadershipLost() {
  if (state_ == State::running) {
    state_ = State::stopping;
    api_.signalGroup(SIGTERM);
    api_.armGraceTimer(std::min(grace_, leaseBound_));
  } else if (state_ == State::stopping) {
    // Already asked to stop while this process still led; the lease no longer covers it.
    api_.cancelGraceTimer();
    api_.signalGroup(SIGKILL);
  }
}

void ChildSupervisor::graceExpired() {
  if (state_ == State::stopping)
    api_.signalGroup(SIGKILL);
}

std::optional<bool> ChildSupervisor::reaped(int exitCode) {
  if (state_ == State::idle)
    return std::nullopt;
  const bool byItself = state_ == State::running;
  if (state_ == State::stopping)
    api_.cancelGraceTimer();
  state_ = State::idle;
  lastExitCode_ = exitCode;
  return byItself;
}

const char* toString(ChildSupervisor::State state) noexcept {
  switch (state) {
    case ChildSupervisor::State::idle:
      return "idle";
    case ChildSupervisor::State::running:
      return "running";
    case ChildSupervisor::State::stopping:
      return "stopping";
  }
  return "unknown";
}

}  // namespace baton::cli
