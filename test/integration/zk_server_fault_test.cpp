// The quorum lost and regained under the `standard` policy (the lease policy's case is in
// fault_server_kill_test, rolling restarts in fault_rolling_restart_test): the leader steps
// down at once and leads again with the same session. Verdicts from the processes' own logs.
#include <catch2/catch.hpp>

#include "support/fault_scenario.hpp"

using namespace baton;
using namespace baton::test;
using namespace std::chrono_literals;

TEST_CASE("quorum lost and regained: the leader steps down, then leads again with its session") {
  // Restarting two servers takes seconds on a loaded machine: the sessions must outlive it.
  ElectSetup setup{uniqueClusterId("quorum"), "standard", "30s"};
  {
    ElectProcess a("a", setup.args(zkQuorum()));
    a.await("granted");
    ElectProcess b("b", setup.args(zkQuorum()));
    b.await("connected");
    AdminClient().awaitChildren(setup.latch(), 2);
    ensemble("kill 1");
    ensemble("kill 2");
    // Without a quorum no server serves: every client is cut off; the leader steps down.
    a.await("revoked", scaled(30s));
    ensemble("start-node 1");
    ensemble("start-node 2");
    a.await("granted", scaled(30s));
    CHECK(countEvents(a, "lost") == 0);
    CHECK(countEvents(b, "granted") == 0);
    LeadershipTimeline timeline;
    for (const auto* p : {&a, &b})
      timeline.add(*p, nowUs());
    CHECK(timeline.firstOverlap().empty());
    CHECK(quitAll({&a, &b}));
  }
  AdminClient().removeTree("/baton-test/" + setup.cluster);
}
