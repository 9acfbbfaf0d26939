// Retrieval against the real ensemble: what a follower is told when the leader dies with no
// successor, and when it may not read what is stored.
#include <catch2/catch.hpp>

#include <zookeeper/zookeeper.h>

#include "baton/zookeeper/zk_error.hpp"
#include "support/fault_proxy.hpp"
#include "support/fault_scenario.hpp"
#include "support/recording_contender.hpp"

using namespace baton;
using namespace baton::test;
using namespace std::chrono_literals;

TEST_CASE("a SIGKILLed leader with no successor is reported as no leader once its session ends") {
  // connection_info is an ephemeral node of the leader's session: the servers delete it when
  // the session expires, and the retriever's watch reports that. A persistent node kept the
  // dead leader's address for ever.
  auto cluster = uniqueClusterId("dead-leader");
  auto infoPath = "/baton-test/" + cluster + "/leader/svc/connection_info";
  auto watchers = makeZkServices(cluster, "watcher");
  RecordingRetrievalListener watcher;
  auto retriever = watchers->getLeaderRetriever("svc");
  retriever->start(watcher);
  {
    ElectProcess leader("a", ElectSetup{cluster, "lease", "4s"}.args(zkQuorum()));
    auto granted = leader.await("granted");
    leader.await("confirmed");
    CHECK(watcher.awaitAddress("127.0.0.1:1").id.toString() == granted.sessionId);

    auto killedAt = std::chrono::steady_clock::now();
    leader.killNow();
    // Generous: the 4 s session timeout plus the servers' expiry rounding, scaled.
    watcher.awaitAddress("", scaled(60s));
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - killedAt);
    WARN("'no leader' reported " << took.count()
                                 << " ms after SIGKILL (leader's session timeout 4 s)");
  }
  CHECK_FALSE(AdminClient().exists(infoPath));
  retriever->stop();
  watchers->cleanupAllData();
  watchers->close();
}

TEST_CASE("a read the servers refuse (ZNOAUTH) reaches the retrieval listener's handleError") {
  // The leader writes with a creator-only ACL (digest credentials); a retriever without them
  // may not read the node. That is a configuration problem to report, not "no leader".
  auto cluster = uniqueClusterId("noauth");
  auto owner = makeZkServices(cluster, "owner", {{"ha.zookeeper.auth.digest", "baton:owner"}});
  RecordingContender contender;
  std::unique_ptr<LeaderElection> election = owner->getLeaderElection("svc");
  contender.onGrant = [&](const LeaderSessionId& session) {
    election->confirmLeadership(session, "owner:1");
  };
  election->startLeaderElection(contender);
  contender.inbox.expectNext<Granted>();
  RecordingRetrievalListener ownWatcher;  // same credentials: may read
  auto ownRetriever = owner->getLeaderRetriever("svc");
  ownRetriever->start(ownWatcher);
  ownWatcher.awaitAddress("owner:1");

  auto strangers = makeZkServices(cluster, "stranger");
  RecordingRetrievalListener watcher;
  auto retriever = strangers->getLeaderRetriever("svc");
  retriever->start(watcher);
  auto error = watcher.inbox.await<RetrievalError>();
  CHECK(error.code == zookeeper::make_error_code(ZNOAUTH));

  retriever->stop();
  strangers->close();
  ownRetriever->stop();
  election->close();
  owner->cleanupAllData();  // only the owner may delete its creator-only nodes
  owner->close();
}

TEST_CASE("a chroot that does not exist reaches the retrieval listener's handleError") {
  // Every path under a missing chroot reads as "no node", so without the check the listener
  // would wait for a leader that can never be published.
  // The HA configuration refuses a chroot (ha.zookeeper.root is the way there), but a
  // ZkSettings built by hand may carry one.
  auto cluster = uniqueClusterId("no-chroot");
  auto settings = zookeeper::parseZkHaSettings(zkConfiguration(cluster, "watcher"));
  settings.client.quorum = zkQuorum() + "/baton-no-such-" + cluster;
  auto services = std::make_unique<zookeeper::ZooKeeperHaServices>(settings, HaServicesOptions{});
  RecordingRetrievalListener watcher;
  auto retriever = services->getLeaderRetriever("svc");
  retriever->start(watcher);
  auto error = watcher.inbox.await<RetrievalError>();
  CHECK(error.code == zookeeper::make_error_code(ZNONODE));
  CHECK_FALSE(AdminClient().exists("/baton-no-such-" + cluster));
  retriever->stop();
  services->close();
}

TEST_CASE("a leader cut off until its session expires is 'no leader', then republishes anew") {
  // The leader's old node dies with its expired session; its next session is granted again,
  // and the new leader session id is published in a node of the new session.
  auto cluster = uniqueClusterId("new-session");
  FaultProxy proxy(zkQuorum());
  auto watchers = makeZkServices(cluster, "watcher");
  RecordingRetrievalListener watcher;
  auto retriever = watchers->getLeaderRetriever("svc");
  retriever->start(watcher);
  {
    auto services = makeZkServices(
        cluster, "p",
        {{"ha.zookeeper.quorum", proxy.quorum()}, {"ha.zookeeper.session-timeout", "3s"}});
    RecordingContender contender;
    std::unique_ptr<LeaderElection> election = services->getLeaderElection("svc");
    contender.onGrant = [&](const LeaderSessionId& session) {
      election->confirmLeadership(session, "p:1");
    };
    election->startLeaderElection(contender);
    auto first = contender.inbox.expectNext<Granted>().id;
    CHECK(watcher.awaitAddress("p:1").id == first);

    proxy.setMode(FaultProxy::Mode::blackhole);
    watcher.awaitAddress("", scaled(60s));  // the servers expired the session: node gone
    proxy.setMode(FaultProxy::Mode::pass);
    auto second = contender.inbox.await<Granted>(scaled(60s)).id;
    CHECK(second != first);
    CHECK(watcher.awaitAddress("p:1", scaled(30s)).id == second);
    election->close();
    services->close();
  }
  retriever->stop();
  watchers->cleanupAllData();
  watchers->close();
}
