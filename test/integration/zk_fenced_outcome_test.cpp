// A fenced write whose answer is lost reports Errc::outcome_unknown, not "leadership lost,
// changed nothing": the multi may have committed. readBackWrite tells which. A FaultProxy
// between the services and the ensemble loses the multi's reply, or the multi itself.
#include <algorithm>

#include <catch2/catch.hpp>

#include "baton/error.hpp"
#include "support/fault_proxy.hpp"
#include "support/recording_contender.hpp"
#include "support/zk_test_env.hpp"

using namespace baton;
using namespace baton::test;
using namespace baton::zookeeper;

namespace {

constexpr std::int32_t kMulti = 14;  // ZooKeeper's OpCode.multi

// A leader on services that reach the ensemble through proxy.
struct ProxiedLeader {
  std::unique_ptr<ZooKeeperHaServices> services;
  RecordingContender contender;
  std::unique_ptr<LeaderElection> election;
  FencingToken token;

  ProxiedLeader(const std::string& cluster, FaultProxy& proxy)
      : services(makeZkServices(cluster, "leader", {{"ha.zookeeper.quorum", proxy.quorum()}})),
        election(services->getLeaderElection("rm")) {
    election->startLeaderElection(contender);
    auto id = contender.inbox.expectNext<Granted>().id;
    auto current = election->fencingToken(id);
    REQUIRE(current);
    token = *current;
  }
  ~ProxiedLeader() {
    election->close();
    services->cleanupAllData();
    services->close();
  }
};

}  // namespace

TEST_CASE("a fenced write whose reply is lost: outcome unknown, read back as applied") {
  auto cluster = uniqueClusterId("lost-reply");
  FaultProxy proxy(zkQuorum());
  AdminClient admin;
  ProxiedLeader leader(cluster, proxy);
  auto path = "/baton-test/" + cluster + "/app-lost-reply";
  std::vector<ZkOp> ops{ZkOp::create(path, "write-1")};
  // The servers commit the multi; its reply is dropped and the connection reset.
  proxy.injectOnRequest(kMulti, FaultProxy::RequestFault::loseReply, "app-lost-reply");
  CHECK(leader.services->fencedWrite(leader.token, ops) == Errc::outcome_unknown);
  CHECK(leader.services->readBackWrite(ops) == WriteOutcome::applied);
  // Seen from a second session too (its server may lag: wait for the node with a watch).
  auto siblings = admin.awaitChildren("/baton-test/" + cluster, 2);  // leader, app-lost-reply
  CHECK(std::count(siblings.begin(), siblings.end(), "app-lost-reply") == 1);
  CHECK(admin.data(path) == "write-1");
}

TEST_CASE(
    "a fenced write that never reached the servers: outcome unknown, read back as not "
    "applied") {
  auto cluster = uniqueClusterId("lost-request");
  FaultProxy proxy(zkQuorum());
  AdminClient admin;
  ProxiedLeader leader(cluster, proxy);
  auto path = "/baton-test/" + cluster + "/app-lost-request";
  std::vector<ZkOp> ops{ZkOp::create(path, "write-1")};
  // The multi is swallowed by the proxy, which resets the connection.
  proxy.injectOnRequest(kMulti, FaultProxy::RequestFault::dropAndReset, "app-lost-request");
  CHECK(leader.services->fencedWrite(leader.token, ops) == Errc::outcome_unknown);
  CHECK(leader.services->readBackWrite(ops) == WriteOutcome::not_applied);
  CHECK_FALSE(admin.exists(path));
  // Once it is known not applied, writing again is safe.
  auto again = leader.election->fencingToken(leader.token.sessionId);
  if (again)  // still leading after the reconnect (the lease may have revoked meanwhile)
    CHECK_FALSE(leader.services->fencedWrite(*again, ops));
}

TEST_CASE("a stale token still reports leadership lost and sends nothing") {
  auto cluster = uniqueClusterId("stale-token");
  FaultProxy proxy(zkQuorum());
  AdminClient admin;
  ProxiedLeader leader(cluster, proxy);
  auto path = "/baton-test/" + cluster + "/app-stale";
  auto before = proxy.requestsSeen(kMulti);
  FencingToken stale{LeaderSessionId::random(), leader.token.epoch};
  CHECK(leader.services->fencedWrite(stale, {ZkOp::create(path, "x")}) == Errc::leadership_lost);
  FencingToken oldEpoch{leader.token.sessionId, leader.token.epoch - 1};
  CHECK(leader.services->fencedWrite(oldEpoch, {ZkOp::create(path, "x")}) == Errc::leadership_lost);
  CHECK(proxy.requestsSeen(kMulti) == before);
  CHECK_FALSE(admin.exists(path));
}
