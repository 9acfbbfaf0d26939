// The ZooKeeper server the leader is connected to is killed (SIGKILL); then a second one, so
// the quorum is lost; then both come back. The leader connects through a FaultProxy only to
// learn which server it uses. Needs test/zk/ensemble.sh.
#include <catch2/catch.hpp>

#include "support/fault_proxy.hpp"
#include "support/fault_scenario.hpp"

using namespace baton;
using namespace baton::test;
using namespace std::chrono_literals;

TEST_CASE("the leader's server killed, then the quorum lost and regained (lease)") {
  ElectSetup setup{uniqueClusterId("server-kill")};
  // The session survives the quorum loss only if a server serves again before the client's own
  // expiry deadline (last contact + T); the lease revokes M earlier. A 4 s margin leaves the
  // restart of one server (a JVM start) those 4 s even on a loaded machine, and T = 16 s still
  // leaves the first server kill more than 6 s of lease to reconnect in.
  setup.sessionTimeout = "16s";
  setup.margin = "4000ms";
  FaultProxy proxy(zkQuorum());
  AdminClient admin;
  {
    auto queue = startQueue(setup, proxy.quorum(), zkQuorum(), admin, 2);
    auto& a = *queue[0];
    auto& b = *queue[1];
    auto& c = *queue[2];
    auto used = proxy.serversInUse();
    REQUIRE(used.size() == 1);
    int first = static_cast<int>(*used.begin()) + 1;  // ensemble.sh numbers nodes from 1
    int second = first % 3 + 1;

    auto startUs = nowUs();
    ensemble("kill " + std::to_string(first));
    // a moves to another server within its lease: no change of leader.
    a.await("reconnected", scaled(20s));
    CHECK(countEvents(a, "revoked", startUs) == 0);

    auto quorumLostUs = nowUs();
    ensemble("kill " + std::to_string(second));
    auto revoked = a.await("revoked", scaled(20s));  // the lease ran out: nobody can answer
    ensemble("start-node " + std::to_string(first));
    auto quorumBackUs = nowUs();  // two of three serve again
    ensemble("start-node " + std::to_string(second));
    const auto* leader = awaitSingleLeader({&a, &b, &c}, scaled(30s));
    REQUIRE(leader != nullptr);
    auto regranted = firstEvent(*leader, "granted", quorumLostUs);
    auto endUs = nowUs();

    CHECK(leader == &a);  // its session survived: the new server leader renews every session
    CHECK(countEvents(a, "lost", startUs) == 0);
    CHECK(countEvents(b, "granted") + countEvents(c, "granted") == 0);
    LeadershipTimeline timeline;
    for (const auto* p : {&a, &b, &c})
      timeline.add(*p, endUs);
    CHECK(timeline.firstOverlap().empty());
    WARN("leader's server killed (lease, T=16s, M=4s): 0 changes; quorum lost: revoked "
         << seconds(revoked.tsUs - quorumLostUs) << " s after the second kill; leader again "
         << seconds(regranted.tsUs - quorumBackUs) << " s after the quorum was back; leaderless "
         << seconds(regranted.tsUs - revoked.tsUs) << " s");
    CHECK(quitAll({&a, &b, &c}));
  }
  ensemble("start");
  // A process that quit while its server was still restarting could not close its session:
  // its node goes when the servers expire that session (T = 8 s), never later.
  CHECK_NOTHROW(admin.awaitChildren(setup.latch(), 0, scaled(30s)));
  admin.removeTree("/baton-test/" + setup.cluster);
}
