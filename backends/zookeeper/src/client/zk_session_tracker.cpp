#include "client/zk_session_tracker.hpp"

#include <zookeeper/zookeeper.h>

#include <algorithm>

#include "baton/error.hpp"
#include "baton/gateway/retry_strategy.hpp"
#include "baton/zookeeper/zk_error.hpp"

namespace baton::zookeeper::detail {

using std::chrono::milliseconds;
using Kind = SessionEvent::Kind;

SessionActions SessionTracker::step(const SessionEvent& event) {
  SessionActions actions;
  if (phase_ == SessionPhase::closed)
    return actions;
  switch (event.kind) {
    case Kind::start:
      if (phase_ != SessionPhase::idle)
        return actions;
      phase_ = SessionPhase::opening;
      actions.openHandle = true;
      return actions;
    case Kind::opened:
      if (phase_ != SessionPhase::opening)
        return actions;
      phase_ = SessionPhase::connecting;
      ++info_.generation;
      info_.sessionId = 0;
      info_.negotiatedTimeout = milliseconds{0};
      actions.connectDeadline = event.now + settings_.connectionTimeout;
      return actions;
    case Kind::connected:
      return onConnected(event);
    case Kind::connecting:
      if (phase_ != SessionPhase::connected)
        return actions;
      phase_ = SessionPhase::suspended;
      info_.error = {};
      actions.report = ConnectionState::suspended;
      actions.stopKeepalive = true;
      actions.expiryDeadline = expiryDeadline();
      lostReported_ = false;
      return actions;
    case Kind::heard:
      if (phase_ == SessionPhase::connected)
        lastHeard_ = std::max(lastHeard_, event.now);
      return actions;
    case Kind::deadlinePassed:
      if (phase_ != SessionPhase::suspended || event.now < expiryDeadline())
        return actions;
      return lose(make_error_code(Errc::session_expired), milliseconds{0});
    case Kind::expired:
      if (phase_ != SessionPhase::connecting && phase_ != SessionPhase::connected &&
          phase_ != SessionPhase::suspended) {
        return actions;
      }
      return lose(make_error_code(ZSESSIONEXPIRED), milliseconds{0});
    case Kind::openFailed:
      // zookeeper_init failed (e.g. a name did not resolve): retried forever, backing off.
      if (phase_ != SessionPhase::opening)
        return actions;
      ++openFailures_;
      return lose(event.error, backoff(settings_.retry, openFailures_));
    case Kind::authFailed: {
      if (phase_ != SessionPhase::connecting && phase_ != SessionPhase::connected &&
          phase_ != SessionPhase::suspended) {
        return actions;
      }
      ++authFailures_;
      std::error_code why = make_error_code(ZAUTHFAILED);
      if (authFailures_ >= settings_.retry.maxAttempts) {
        actions = lose(why, milliseconds{0});
        actions.openHandle = false;
        phase_ = SessionPhase::failed;
        info_.terminal = true;
        actions.report = ConnectionState::lost;  // report the terminal state even after a lost
        return actions;
      }
      return lose(why, backoff(settings_.retry, authFailures_));
    }
    case Kind::connectTimeout:
      if (phase_ != SessionPhase::connecting)
        return actions;
      actions.logConnectTimeout = true;
      info_.error = make_error_code(Errc::timed_out);
      if (!lostReported_) {
        actions.report = ConnectionState::lost;
        lostReported_ = true;
      }
      return actions;
    case Kind::close:
      phase_ = SessionPhase::closed;
      actions.stopKeepalive = true;
      actions.cancelExpiryDeadline = true;
      return actions;
  }
  return actions;
}

SessionActions SessionTracker::onConnected(const SessionEvent& event) {
  SessionActions actions;
  if (phase_ != SessionPhase::connecting && phase_ != SessionPhase::suspended)
    return actions;
  bool sameSession = phase_ == SessionPhase::suspended && event.sessionId == info_.sessionId;
  phase_ = SessionPhase::connected;
  info_.sessionId = event.sessionId;
  info_.negotiatedTimeout = event.negotiatedTimeout;
  info_.error = {};
  lastHeard_ = std::max(lastHeard_, event.now);
  lostReported_ = false;
  openFailures_ = 0;
  actions.report = sameSession ? ConnectionState::reconnected : ConnectionState::connected;
  actions.cancelExpiryDeadline = true;
  actions.startKeepalive = true;
  return actions;
}

SessionActions SessionTracker::lose(std::error_code why, milliseconds reopenDelay) {
  SessionActions actions;
  phase_ = SessionPhase::opening;
  info_.error = why;
  if (!lostReported_) {
    actions.report = ConnectionState::lost;
    lostReported_ = true;
  }
  actions.openHandle = true;
  actions.openDelay = reopenDelay;
  actions.stopKeepalive = true;
  actions.cancelExpiryDeadline = true;
  return actions;
}

std::chrono::steady_clock::time_point SessionTracker::expiryDeadline() const noexcept {
  milliseconds timeout =
      info_.negotiatedTimeout.count() > 0 ? info_.negotiatedTimeout : settings_.sessionTimeout;
  return lastHeard_ + timeout;
}

milliseconds SessionTracker::backoff(const RetryPolicy& policy, int attempt) noexcept {
  return cappedExponentialDelay(policy.baseDelay, policy.maxDelay, attempt);
}

}  // namespace baton::zookeeper::detail
