// The `standard` connection policy bounded by the lease. A follower F cut from the ZooKeeper
// leader keeps serving for syncLimit * tickTime (it notices the lost leader only then);
// meanwhile the ZooKeeper leader hears no renewal of the sessions connected to F and expires
// them after T. With syncLimit * tickTime > T, a baton leader `a` connected to F is replaced
// (its node deleted, the successor `b` granted) while `a`'s server still serves. A `standard`
// policy must have revoked by then: on a reported suspension, or at the lease deadline (the
// proven renewal at the ZooKeeper leader + T - margin), whichever comes first.
//
// Observed with ZooKeeper 3.8 (and the reason this scenario passes on the library before the
// lease bound too): F answers nothing of a session behind a request it must forward to the
// leader, and a's keepalive is a sync; so from a's first sync after the cut on, F answers
// neither that sync nor a's pings, the client times out after 2T/3 without an answer and
// reports a suspension (about 4 s after the cut), well before the leader's expiry (at least T
// after its last relayed renewal; b is granted 6-7 s after the cut). The figures print which
// bound fired (the revoke's reason).
//
// The bed: a 3-server ensemble of our own (support/server_ensemble.hpp) with tickTime = 1 s and
// syncLimit = 12 (F keeps serving for 12 s after the cut, twice T), `baton elect` with policy
// standard, T = 6 s, margin 200 ms, ha.zookeeper.tick-time = 1s. `a` talks only to F, `b` only
// to the ZooKeeper leader. F is cut from the ZooKeeper leader both ways; the test waits for b's
// grant and a's revoke, checks that F still served when b was granted (the premise), heals, and
// judges a's and b's own logs (one machine, one clock): never two leaders. One trial.
//
// BATON_OLD_CLI=1 leaves out ha.zookeeper.tick-time, for a `baton` that predates that key (to
// show the overlap on it).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <vector>

#include "support/fault_scenario.hpp"
#include "support/server_ensemble.hpp"

using namespace baton;
using namespace baton::test;
using namespace std::chrono_literals;

namespace {

// syncLimit * tickTime = 12 s = 2 T: F serves its clients long after the leader expired a's
// session. initLimit: 30 s for a learner to connect and sync (a JVM starting on a busy machine).
const ServerEnsemble::Timing kTiming{1000ms, 30, 12};
constexpr auto kSessionTimeout = 6s;

bool oldCli() {
  const char* value = std::getenv("BATON_OLD_CLI");
  return value && std::string(value) == "1";
}

double since(long long fromUs, long long us) {
  return us > 0 ? seconds(us - fromUs) : -1.0;
}

}  // namespace

TEST_CASE(
    "standard policy: a leader on a follower cut from the ZooKeeper leader, "
    "syncLimit * tickTime > T, revokes by the lease before its successor is granted") {
  REQUIRE(kTiming.syncLimit * kTiming.tickTime > kSessionTimeout);
  ServerEnsemble servers(3, kTiming);
  servers.startAll(scaled(120s));
  auto roles = servers.awaitRoles(scaled(60s));
  REQUIRE(roles);
  const auto [leader, follower, other] = *roles;  // follower: F
  // The admin client on the follower no fault touches.
  ScopedTestQuorum adminQuorum(servers.clientAddress(other));
  AdminClient admin;

  ElectSetup setup{uniqueClusterId("standard-bound")};
  setup.policy = "standard";
  setup.sessionTimeout = std::to_string(kSessionTimeout.count()) + "s";
  setup.margin = "200ms";
  // This bed's tickTime, not the shared ensemble's; an old CLI has no such key.
  setup.tickTime = oldCli() ? "" : std::to_string(kTiming.tickTime.count()) + "ms";
  {
    ElectProcess a("a", setup.args(servers.clientAddress(follower)));
    auto aGranted = a.await("granted", scaled(30s));
    ElectProcess b("b", setup.args(servers.clientAddress(leader)));
    admin.awaitChildren(setup.latch(), 2, scaled(30s));

    auto cutUs = nowUs();
    servers.cut(follower, leader);

    auto bGranted = b.await("granted", scaled(60s));
    // The premise: F still serves its clients when b is granted (it stops after 12 s).
    auto followerMode = servers.mode(follower);
    auto followerModeUs = nowUs();
    auto aRevoked = a.await("revoked", scaled(60s));
    auto aSuspended = firstEvent(a, "suspended", cutUs);
    auto aLost = firstEvent(a, "lost", cutUs);

    servers.heal();
    REQUIRE(servers.awaitQuorum(scaled(60s)));
    REQUIRE(awaitSingleLeader({&a, &b}, scaled(30s)) == &b);
    admin.awaitChildren(setup.latch(), 2, scaled(60s));  // a is back with a new session

    LeadershipTimeline timeline;
    timeline.add(a, nowUs());
    timeline.add(b, nowUs());
    auto overlap = timeline.firstOverlap();
    WARN("standard policy bounded by the lease (tickTime "
         << kTiming.tickTime.count() << " ms, syncLimit " << kTiming.syncLimit
         << ", T = 6 s, margin 200 ms" << (oldCli() ? ", old CLI" : "") << "; a on follower "
         << follower << ", b on ZooKeeper leader " << leader << "): cut "
         << seconds(cutUs - aGranted.tsUs)
         << " s after a's grant; relative to the cut: a suspended " << since(cutUs, aSuspended.tsUs)
         << " s, a revoked " << since(cutUs, aRevoked.tsUs) << " s ('" << aRevoked.reason
         << "'), a lost its session " << since(cutUs, aLost.tsUs) << " s, b granted "
         << since(cutUs, bGranted.tsUs) << " s; F was '" << followerMode << "' at "
         << since(cutUs, followerModeUs) << " s; revoke-to-grant gap "
         << seconds(bGranted.tsUs - aRevoked.tsUs) << " s (negative: two leaders)"
         << (overlap.empty() ? "" : "; OVERLAP " + overlap));
    CHECK(followerMode == "follower");
    CHECK(overlap.empty());
    CHECK(aRevoked.tsUs <= bGranted.tsUs);
    CHECK(countEvents(b, "revoked", cutUs) == 0);
    CHECK(quitAll({&a, &b}));
  }
  // A close sent through a server still rejoining after the heal may not arrive: that
  // session's node goes when the session expires, not at once.
  CHECK(admin.awaitChildren(setup.latch(), 0, scaled(30s)).empty());
  admin.removeTree("/baton-test/" + setup.cluster);
}
