// One handover costs a constant number of ZooKeeper requests whatever the number of
// participants: only the successor is told (no herd). Counted from the servers' own `mntr`
// packet counters around each handover.
#include <catch2/catch.hpp>

#include "support/recording_contender.hpp"
#include "support/zk_test_env.hpp"

using namespace baton;
using namespace baton::test;

namespace {

struct Member {
  std::unique_ptr<zookeeper::ZooKeeperHaServices> services;
  RecordingContender contender;
  std::unique_ptr<LeaderElection> election;
};

// Requests the servers received during each of `handovers` graceful handovers among n
// participants (the leader closes its election; the next one is granted).
std::vector<long long> requestsPerHandover(int n, int handovers) {
  auto cluster = uniqueClusterId("herd" + std::to_string(n));
  AdminClient admin;
  EventInbox<int> grants;
  std::vector<std::unique_ptr<Member>> members;
  for (int i = 0; i < n; ++i) {
    auto m = std::make_unique<Member>();
    // A long session timeout keeps the background pings out of the counts.
    m->services =
        makeZkServices(cluster, "p" + std::to_string(i), {{"ha.zookeeper.session-timeout", "30s"}});
    m->contender.onGrant = [&grants, i](const LeaderSessionId&) { grants.push(i); };
    m->election = m->services->getLeaderElection("rm");
    m->election->startLeaderElection(m->contender);
    members.push_back(std::move(m));
  }
  auto latch = "/baton-test/" + cluster + "/leader/latch";
  admin.awaitChildren(latch, static_cast<std::size_t>(n));
  int leader = grants.next(scaled(std::chrono::seconds(30)));
  std::vector<long long> costs;
  for (int h = 0; h < handovers; ++h) {
    auto before = mntrSum("zk_packets_received");
    members[leader]->election->close();
    int next = grants.next();
    auto after = mntrSum("zk_packets_received");
    CHECK(next != leader);
    costs.push_back(after - before);
    leader = next;
  }
  for (auto& m : members) {
    m->election->close();
    m->services->close();
  }
  admin.removeTree("/baton-test/" + cluster);
  return costs;
}

}  // namespace

TEST_CASE("a handover costs the same few requests with 5 and with 50 participants") {
  auto small = requestsPerHandover(5, 3);
  auto large = requestsPerHandover(50, 3);
  auto describe = [](const std::vector<long long>& v) {
    std::string s;
    for (auto x : v)
      s += std::to_string(x) + " ";
    return s;
  };
  WARN("requests per handover, 5 participants: " << describe(small)
                                                 << "; 50 participants: " << describe(large));
  // A herd (every participant re-listing) would cost at least 49 requests at 50. The constant
  // cost is about 5 (delete, getChildren, getData, the successor's publish); the margin
  // absorbs background pings that fall into the window.
  for (auto cost : large)
    CHECK(cost < 25);
  for (auto cost : small)
    CHECK(cost < 25);
}
