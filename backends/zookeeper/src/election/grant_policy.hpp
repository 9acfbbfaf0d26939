#pragma once

#include <chrono>
#include <optional>

#include "client/lease/lease_clock.hpp"
#include "client/zk_client.hpp"
#include "election/connection_policy.hpp"
#include "election/latch_state_machine.hpp"

namespace baton::zookeeper {

// Whether this participant leads now: the latch, the connection policy and the lease in one
// decision, without I/O. The latch driver feeds it what it heard (the session's negotiated
// timeout, the client's proven renewal, the latch's state) with the time, and performs what it
// answers: report a grant or a revoke, wake at the deadline, set the keepalive.
//
//   granted iff  latch held (a new grant: also verified in this round, phase held)
//           and  now < deadline = proven renewal + negotiated timeout - lease margin
//           and  (policy lease, or not suspended)
//
// Thread-safety: none; the driver's strand only (the driver mirrors granted() and deadline()
// into atomics for hasLeadership()).
class GrantPolicy {
 public:
  using Clock = LeaseClock;

  // What the decision needs of the latch and the connection.
  struct LatchView {
    bool closed = false;
    bool held = false;  // LatchStateMachine::isHeld()
    LatchPhase phase = LatchPhase::idle;
    bool suspended = false;   // the connection is suspended
    bool nextInLine = false;  // LatchStateMachine::isNextInLine()
    // The proven renewal would hold a lease now (GrantPolicy::leaseValid): a grant would not
    // wait for the keepalive.
    bool leaseProven = false;
  };
  enum class Change { none, grant, revoke };

  GrantPolicy(ConnectionPolicy policy, std::chrono::milliseconds leaseMargin)
      : policy_(policy), leaseMargin_(leaseMargin) {}

  // A new session: its negotiated timeout bounds the lease from now on.
  void onSession(std::chrono::milliseconds negotiatedTimeout) {
    negotiatedTimeout_ = negotiatedTimeout;
  }
  // The client's proven renewal (ZkClient::renewedSince); empty while nothing is proven.
  void onRenewal(std::optional<Clock::time_point> renewedSince);

  // Leadership is valid strictly before the deadline; Clock::time_point::min() without a lease.
  Clock::time_point deadline() const noexcept { return deadline_; }
  bool leaseValid(Clock::time_point now) const noexcept { return now < deadline_; }
  bool granted() const noexcept { return granted_; }

  // The one place that turns latch + policy + lease into grant/revoke facts.
  Change update(const LatchView& latch, Clock::time_point now);
  // When to wake to revoke at the deadline: while granted and the deadline is ahead. Never a
  // past deadline: a wait on it would complete at once, again and again (update revokes).
  std::optional<Clock::time_point> wakeAt(const LatchView& latch, Clock::time_point now) const;
  // Only a participant that holds, or is about to hold, the latch keeps the lease clock; the
  // one next in line keeps a whole proof current (KeepaliveMode::follower), so that it holds a
  // lease the moment it takes over; every other waiting participant sends nothing but the
  // C client's pings (KeepaliveMode::none). The next in line whose proof would not hold a lease
  // (it waited further back for longer than the lease, and has just learned its place) keeps
  // the leader's keepalive until it would: a whole proof one relay bound and two round trips
  // later, instead of after three follower periods (3T/4). A handover soon after the one that
  // made it next then waits for no proof.
  static KeepaliveMode keepaliveFor(const LatchView& latch) noexcept;

 private:
  ConnectionPolicy policy_;
  std::chrono::milliseconds leaseMargin_;
  std::chrono::milliseconds negotiatedTimeout_{0};
  Clock::time_point deadline_ = Clock::time_point::min();
  bool granted_ = false;
};

}  // namespace baton::zookeeper
