// The lease's decisions, without a server or a clock: what answered requests prove about the
// ZooKeeper leader's renewal of the session (RenewalProof), when the keepalive sends
// (planKeepalive), and the deadline arithmetic. docs/reliability.md has the argument.
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "client/lease/keepalive_plan.hpp"
#include "client/lease/lease_deadline.hpp"
#include "client/lease/renewal_proof.hpp"

using namespace baton::zookeeper;
using namespace baton::zookeeper::detail;
using namespace std::chrono_literals;

namespace {

const auto t0 = LeaseClock::time_point{} + std::chrono::hours(1);
LeaseClock::time_point at(std::chrono::milliseconds ms) {
  return t0 + ms;
}
constexpr auto kTick = 100ms;  // the relay bound

}  // namespace

TEST_CASE("an answered sync alone proves no renewal at the ZooKeeper leader") {
  // The review's counterexample: the follower answers sync n, then is cut from the leader
  // before its next ping reply carries the session. The old lease took S_n as the basis.
  RenewalProof proof(kTick);
  proof.answered(at(0ms), at(2ms), true);
  proof.answered(at(500ms), at(502ms), true);
  CHECK_FALSE(proof.renewedSince().has_value());
}

TEST_CASE("i, j, k: j sent a relay bound after i's answer, k after j's answer") {
  RenewalProof proof(kTick);
  proof.answered(at(0ms), at(5ms), false);   // i: a read
  proof.answered(at(50ms), at(55ms), true);  // j too early: 50 < 5 + 100
  CHECK_FALSE(proof.renewedSince());
  CHECK_FALSE(proof.awaitingConfirmation());
  proof.answered(at(105ms), at(110ms), true);  // j: 105 >= 5 + 100
  CHECK_FALSE(proof.renewedSince());           // not before a k
  CHECK(proof.awaitingConfirmation());
  SECTION("a k sent before j's answer confirms nothing") {
    proof.answered(at(108ms), at(115ms), true);
    CHECK_FALSE(proof.renewedSince());
  }
  SECTION("a k sent after j's answer proves the renewal at i's send time") {
    proof.answered(at(110ms), at(114ms), true);
    REQUIRE(proof.renewedSince());
    CHECK(*proof.renewedSince() == at(0ms));
    CHECK_FALSE(proof.awaitingConfirmation());
  }
  SECTION("k must go through the leader: a read confirms nothing") {
    proof.answered(at(111ms), at(112ms), false);
    CHECK_FALSE(proof.renewedSince());
  }
}

TEST_CASE("the newest eligible i wins, and the proof never moves back") {
  RenewalProof proof(kTick);
  proof.answered(at(0ms), at(1ms), false);
  proof.answered(at(40ms), at(41ms), false);
  proof.answered(at(90ms), at(91ms), false);   // too late for j below
  proof.answered(at(150ms), at(152ms), true);  // j: eligible i are the first two (41 + 100 <= 150)
  proof.answered(at(160ms), at(161ms), true);  // k
  REQUIRE(proof.renewedSince());
  CHECK(*proof.renewedSince() == at(40ms));
  // An older proof arriving later does not lower it.
  proof.answered(at(10ms), at(11ms), false);
  proof.answered(at(300ms), at(301ms), true);
  proof.answered(at(302ms), at(303ms), true);
  CHECK(*proof.renewedSince() >= at(40ms));
}

TEST_CASE("a new session is renewed no earlier than its handle was opened; reset forgets") {
  RenewalProof proof(kTick);
  proof.sessionCreated(at(7ms));
  REQUIRE(proof.renewedSince());
  CHECK(*proof.renewedSince() == at(7ms));
  proof.reset();
  CHECK_FALSE(proof.renewedSince());
  proof.answered(at(0ms), at(1ms), false);
  proof.sessionCreated(at(20ms));  // a new session: older answers belong to the old one
  proof.answered(at(200ms), at(201ms), true);
  proof.answered(at(202ms), at(203ms), true);
  CHECK(*proof.renewedSince() == at(20ms));
}

TEST_CASE("a steady leader keepalive keeps the proof within two periods and a tick of now") {
  RenewalProof proof(kTick);
  auto period = leaderKeepalivePeriod(4000ms, kTick);
  CHECK(period == 50ms);
  auto rtt = 2ms;
  LeaseClock::time_point sent = at(0ms);
  for (int n = 0; n < 200; ++n) {
    proof.answered(sent, sent + rtt, true);
    if (n > 5) {
      REQUIRE(proof.renewedSince());
      CHECK(sent + rtt - *proof.renewedSince() <= 2 * period + kTick + rtt);
    }
    sent += period;
  }
}

TEST_CASE("a follower's sync every T/4 keeps a proof at most 3T/4 old: a successor holds a lease") {
  RenewalProof proof(kTick);
  auto period = 4000ms / 4;
  auto rtt = 3ms;
  LeaseClock::time_point sent = at(0ms);
  for (int n = 1; n <= 12; ++n) {
    proof.answered(sent, sent + rtt, true);
    if (n >= 3) {
      REQUIRE(proof.renewedSince());
      // Just before the next answer the proof is oldest: still within 3T/4 of that moment.
      CHECK(sent + rtt + period - *proof.renewedSince() <= 3 * period + 3 * rtt);
    } else {
      CHECK_FALSE(proof.renewedSince());
    }
    sent += rtt + period;  // the keepalive looks again a period after its last send
  }
}

TEST_CASE("the keepalive: nothing, a sync per T/4, or syncs with one at once while awaited") {
  KeepaliveInput in;
  in.sessionTimeout = 4000ms;
  in.relayBound = kTick;
  in.sinceLastSend = std::chrono::nanoseconds::max();
  CHECK(planKeepalive(in).send == KeepaliveStep::Send::nothing);
  CHECK(planKeepalive(in).lookAgainAfter.count() == 0);

  in.mode = KeepaliveMode::follower;
  auto step = planKeepalive(in);
  CHECK(step.send == KeepaliveStep::Send::sync);
  CHECK(step.lookAgainAfter == 1000ms);
  in.syncOutstanding = true;
  CHECK(planKeepalive(in).send == KeepaliveStep::Send::nothing);
  in.syncOutstanding = false;
  in.sinceLastSend = 400ms;
  step = planKeepalive(in);
  CHECK(step.send == KeepaliveStep::Send::nothing);
  CHECK(step.lookAgainAfter == 600ms);

  in.mode = KeepaliveMode::leader;
  in.sinceLastSend = 10ms;
  step = planKeepalive(in);
  CHECK(step.send == KeepaliveStep::Send::nothing);
  CHECK(step.lookAgainAfter == 40ms);
  in.awaitingConfirmation = true;
  CHECK(planKeepalive(in).send == KeepaliveStep::Send::sync);
  in.syncOutstanding = true;
  CHECK(planKeepalive(in).send == KeepaliveStep::Send::nothing);

  in.sessionTimeout = 0ms;  // no session: nothing, and no wake-up
  CHECK(planKeepalive(in).lookAgainAfter.count() == 0);
}

TEST_CASE("the deadline and whether a lease can ever be held") {
  CHECK(leaseDeadline(at(0ms), 10000ms, 500ms) == at(9500ms));
  // ZooKeeper's defaults: tick 2 s, T 10 s: period 1 s, lag 4 s, lease 5.5 s at best.
  CHECK(leaseCanBeHeld(10000ms, 500ms, 2000ms));
  CHECK_FALSE(leaseCanBeHeld(3000ms, 500ms, 2000ms));  // lag 3 s
  CHECK_FALSE(leaseCanBeHeld(1000ms, 900ms, 100ms));   // the review's spinning configuration
  CHECK(leaseCanBeHeld(4000ms, 1000ms, 100ms));
}

TEST_CASE("a lease computed before the machine slept is over after it (CLOCK_BOOTTIME)") {
  // A suspend is simulated with a Linux time namespace: a child created in it sees
  // CLOCK_BOOTTIME an hour ahead while CLOCK_MONOTONIC (steady_clock) is unchanged, as after an
  // hour of suspend. A lease on steady_clock would still be valid there.
  auto deadline = leaseDeadline(LeaseClock::now(), 10000ms, 500ms);
  if (::unshare(CLONE_NEWTIME) != 0) {
    WARN("no time namespaces here (needs root and Linux >= 5.6): not checked");
    return;
  }
  {
    std::ofstream offsets("/proc/self/timens_offsets");
    offsets << "boottime 3600 0\n";
  }
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0)
    ::_exit(LeaseClock::now() >= deadline ? 0 : 1);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
