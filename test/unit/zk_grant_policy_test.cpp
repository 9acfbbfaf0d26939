#include <catch2/catch.hpp>

#include "election/grant_policy.hpp"

using namespace baton::zookeeper;
using namespace std::chrono_literals;
using Change = GrantPolicy::Change;
using View = GrantPolicy::LatchView;

namespace {

// A virtual clock: time points on LeaseClock's scale that the test sets by hand.
const LeaseClock::time_point t0 = LeaseClock::time_point(std::chrono::hours(1));

View heldLatch() {
  return View{false, true, LatchPhase::held, false};
}

// A policy with a 10 s session, a 500 ms margin and a renewal proven at t0: deadline t0+9.5s.
GrantPolicy leased(ConnectionPolicy policy = ConnectionPolicy::lease) {
  GrantPolicy p(policy, 500ms);
  p.onSession(10s);
  p.onRenewal(t0);
  return p;
}

}  // namespace

TEST_CASE("the lease deadline is the proven renewal plus the session timeout minus the margin") {
  GrantPolicy p(ConnectionPolicy::lease, 500ms);
  CHECK(p.deadline() == LeaseClock::time_point::min());  // no session: no lease
  p.onSession(10s);
  p.onRenewal(std::nullopt);
  CHECK_FALSE(p.leaseValid(t0));
  p.onRenewal(t0);
  CHECK(p.deadline() == t0 + 9500ms);
  CHECK(p.leaseValid(t0 + 9499ms));
  CHECK_FALSE(p.leaseValid(t0 + 9500ms));
}

TEST_CASE(
    "a verified, held latch with a valid lease is granted once, and revoked at the deadline") {
  auto p = leased();
  CHECK(p.update(heldLatch(), t0) == Change::grant);
  CHECK(p.granted());
  CHECK(p.update(heldLatch(), t0 + 1s) == Change::none);
  CHECK(p.wakeAt(heldLatch(), t0 + 1s) == t0 + 9500ms);
  CHECK(p.update(heldLatch(), t0 + 9500ms) == Change::revoke);
  CHECK_FALSE(p.wakeAt(heldLatch(), t0 + 9500ms).has_value());  // never wait on a past deadline
  p.onRenewal(t0 + 9s);                                         // renewed: lease again
  CHECK(p.update(heldLatch(), t0 + 9600ms) == Change::grant);
}

TEST_CASE("a new grant needs the latch verified; keeping one needs it held") {
  auto p = leased();
  View rechecking{false, true, LatchPhase::listing, false};  // held, re-checking after reconnect
  CHECK(p.update(rechecking, t0) == Change::none);           // not granted before: wait
  CHECK(p.update(heldLatch(), t0) == Change::grant);
  CHECK(p.update(rechecking, t0) == Change::none);  // granted: the re-check keeps it
  View released{false, false, LatchPhase::watching, false};
  CHECK(p.update(released, t0) == Change::revoke);
}

TEST_CASE("the standard policy revokes while suspended; the lease policy rides it out") {
  View suspended = heldLatch();
  suspended.suspended = true;
  auto lease = leased(ConnectionPolicy::lease);
  CHECK(lease.update(heldLatch(), t0) == Change::grant);
  CHECK(lease.update(suspended, t0 + 5s) == Change::none);
  CHECK(lease.update(suspended, t0 + 9500ms) == Change::revoke);  // but not past the lease

  auto standard = leased(ConnectionPolicy::standard);
  CHECK(standard.update(heldLatch(), t0) == Change::grant);
  CHECK(standard.update(suspended, t0 + 1ms) == Change::revoke);
  CHECK(standard.update(suspended, t0 + 2ms) == Change::none);
}

TEST_CASE("a closed latch is revoked, never granted, needs no wake-up and no keepalive") {
  auto p = leased();
  CHECK(p.update(heldLatch(), t0) == Change::grant);
  View closed = heldLatch();
  closed.closed = true;
  CHECK(p.update(closed, t0) == Change::revoke);
  CHECK(p.update(closed, t0) == Change::none);
  CHECK_FALSE(p.wakeAt(closed, t0).has_value());
  CHECK(GrantPolicy::keepaliveFor(closed) == KeepaliveMode::none);
}

TEST_CASE("the keepalive is the leader's from listing on, the follower's next in line") {
  CHECK(GrantPolicy::keepaliveFor(View{false, false, LatchPhase::watching, false, true, true}) ==
        KeepaliveMode::follower);
  // Next in line without a proof that would hold a lease: the leader's keepalive builds one
  // (a relay bound and two round trips) so that its takeover need not wait for it.
  CHECK(GrantPolicy::keepaliveFor(View{false, false, LatchPhase::watching, false, true, false}) ==
        KeepaliveMode::leader);
  // Further back in the queue: only the C client's pings (issue 12: idle cost).
  CHECK(GrantPolicy::keepaliveFor(View{false, false, LatchPhase::watching, false, false}) ==
        KeepaliveMode::none);
  CHECK(GrantPolicy::keepaliveFor(View{false, false, LatchPhase::creating, false, false}) ==
        KeepaliveMode::none);
  // Not in a queue: only the C client's pings.
  CHECK(GrantPolicy::keepaliveFor(View{false, false, LatchPhase::idle, false, false}) ==
        KeepaliveMode::none);
  CHECK(GrantPolicy::keepaliveFor(View{false, false, LatchPhase::failed, false, false}) ==
        KeepaliveMode::none);
  // A list may make it the lowest: the lease's first sync goes with it.
  CHECK(GrantPolicy::keepaliveFor(View{false, false, LatchPhase::listing, false, false}) ==
        KeepaliveMode::leader);
  CHECK(GrantPolicy::keepaliveFor(View{false, false, LatchPhase::verifying, false}) ==
        KeepaliveMode::leader);
  CHECK(GrantPolicy::keepaliveFor(View{false, true, LatchPhase::listing, false}) ==
        KeepaliveMode::leader);
  CHECK(GrantPolicy::keepaliveFor(heldLatch()) == KeepaliveMode::leader);
}
