// A rolling restart of all three ZooKeeper servers, one at a time, under a running election:
// with lease the leader never changes; with standard every restart of the leader's server
// costs a revoke and a grant, counted and reported. Needs test/zk/ensemble.sh.
#include <catch2/catch.hpp>

#include "support/fault_scenario.hpp"

using namespace baton;
using namespace baton::test;
using namespace std::chrono_literals;

namespace {

struct RollingResult {
  int revokes = 0;
  int otherGrants = 0;
  long long longestGapUs = 0;
};

RollingResult rollingRestart(const std::string& policy) {
  ElectSetup setup{uniqueClusterId("rolling-" + policy)};
  setup.policy = policy;
  setup.sessionTimeout = "10s";  // the servers re-elect their leader in ~1-2 s on this machine
  RollingResult result;
  AdminClient admin;
  {
    ElectProcess a("a", setup.args(zkQuorum()));
    a.await("granted", scaled(20s));
    ElectProcess b("b", setup.args(zkQuorum()));
    ElectProcess c("c", setup.args(zkQuorum()));
    admin.awaitChildren(setup.latch(), 3);
    auto startUs = nowUs();
    for (int node = 1; node <= 3; ++node) {
      ensemble("restart " + std::to_string(node));
      // The election settles: somebody leads (a, unless standard lost it).
      REQUIRE(awaitSingleLeader({&a, &b, &c}, scaled(30s)) != nullptr);
    }
    auto endUs = nowUs();
    CHECK(countEvents(a, "lost", startUs) == 0);  // the same session throughout
    result.revokes = countEvents(a, "revoked", startUs);
    result.otherGrants = countEvents(b, "granted") + countEvents(c, "granted");
    LeadershipTimeline timeline;
    for (const auto* p : {&a, &b, &c})
      timeline.add(*p, endUs);
    CHECK(timeline.firstOverlap().empty());
    result.longestGapUs = timeline.longestGapUs(startUs, endUs);
    CHECK(quitAll({&a, &b, &c}));
  }
  CHECK(admin.children(setup.latch()).empty());
  admin.removeTree("/baton-test/" + setup.cluster);
  return result;
}

}  // namespace

TEST_CASE("rolling restart with lease: zero leadership changes") {
  auto r = rollingRestart("lease");
  CHECK(r.revokes == 0);
  CHECK(r.otherGrants == 0);
  CHECK(r.longestGapUs == 0);
  WARN("rolling restart, lease (T=10s): " << r.revokes << " revokes, " << r.otherGrants
                                          << " grants to others, longest leaderless gap "
                                          << seconds(r.longestGapUs) << " s");
  ensemble("start");
}

TEST_CASE("rolling restart with standard: the changes are counted") {
  auto r = rollingRestart("standard");
  CHECK(r.otherGrants == 0);  // the leader keeps its session, hence its place
  WARN("rolling restart, standard (T=10s): "
       << r.revokes << " revokes (each followed by a new "
       << "grant to the same process), longest leaderless gap " << seconds(r.longestGapUs) << " s");
  ensemble("start");
}
