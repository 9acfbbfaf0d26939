// EmbeddedHaServices end to end: elections and retrievers of several participants over one
// cluster, publishing only what was confirmed, healing, re-entrant calls and cleanup.
#include <catch2/catch.hpp>

#include <atomic>
#include <string>

#include "baton/support/executor_thread.hpp"
#include "unit/embedded_fixture.hpp"

using baton::LeaderInformation;
using baton::LeaderSessionId;
using baton::embedded::EmbeddedCluster;
using baton::test::EmbeddedNode;
using baton::test::Granted;
using baton::test::impl;
using baton::test::LeaderSeen;
using baton::test::RecordingContender;
using baton::test::RecordingRetrievalListener;
using baton::test::Revoked;

TEST_CASE("retrieval is told the leader only after it confirmed") {
  auto cluster = EmbeddedCluster::create();
  EmbeddedNode a(cluster, "a");
  EmbeddedNode watcher(cluster, "watcher");
  RecordingRetrievalListener listener;
  auto retriever = watcher.services->getLeaderRetriever("rm");
  retriever->start(listener);
  CHECK(listener.inbox.expectNext<LeaderSeen>().address.empty());  // the initial "no leader"

  a.start();
  auto granted = a.contender.inbox.expectNext<Granted>();
  CHECK(cluster->leaderInformation("rm").isEmpty());  // a grant alone publishes nothing

  a.election->confirmLeadership(granted.id, "akka://a:6123");
  // Had the grant been announced, that notification would come first.
  auto seen = listener.inbox.expectNext<LeaderSeen>();
  CHECK(seen.address == "akka://a:6123");
  CHECK(seen.id == granted.id);
  CHECK(cluster->leaderInformation("rm") == LeaderInformation(granted.id, "akka://a:6123"));

  SECTION("a stale session id is not published") {
    a.election->confirmLeadership(LeaderSessionId::random(), "akka://wrong:1");
    CHECK(cluster->leaderInformation("rm").address() == "akka://a:6123");
  }
  SECTION("the leader leaving deletes its information, the successor publishes its own") {
    EmbeddedNode b(cluster, "b");
    b.start();
    a.election->close();
    CHECK(listener.inbox.expectNext<LeaderSeen>().address.empty());
    auto id = b.grantAndConfirm("akka://b:6123");
    auto next = listener.inbox.expectNext<LeaderSeen>();
    CHECK(next.address == "akka://b:6123");
    CHECK(next.id == id);
  }
  retriever->stop();
}

TEST_CASE("a retriever started late reports what is stored") {
  auto cluster = EmbeddedCluster::create();
  EmbeddedNode a(cluster, "a");
  a.start();
  auto id = a.grantAndConfirm("addr-a");
  RecordingRetrievalListener listener;
  auto retriever = a.services->getLeaderRetriever("rm");
  retriever->start(listener);
  auto seen = listener.inbox.expectNext<LeaderSeen>();
  CHECK(seen.address == "addr-a");
  CHECK(seen.id == id);
}

TEST_CASE("one participant leads all its components together") {
  auto cluster = EmbeddedCluster::create();
  auto a = baton::embedded::makeEmbeddedHaServices(cluster, "a");
  auto b = baton::embedded::makeEmbeddedHaServices(cluster, "b");
  RecordingContender aRm, aDispatcher, bRm, bDispatcher;
  auto aRmElection = a->getResourceManagerLeaderElection();
  auto aDispatcherElection = a->getDispatcherLeaderElection();
  auto bRmElection = b->getResourceManagerLeaderElection();
  auto bDispatcherElection = b->getDispatcherLeaderElection();
  aRmElection->startLeaderElection(aRm);
  bRmElection->startLeaderElection(bRm);
  auto first = aRm.inbox.expectNext<Granted>();

  // A contender that starts while its participant leads is granted the same session.
  aDispatcherElection->startLeaderElection(aDispatcher);
  CHECK(aDispatcher.inbox.expectNext<Granted>().id == first.id);
  bDispatcherElection->startLeaderElection(bDispatcher);

  cluster->deposeLeader();
  aRm.inbox.expectNext<Revoked>();
  aDispatcher.inbox.expectNext<Revoked>();
  auto second = bRm.inbox.expectNext<Granted>();
  CHECK(bDispatcher.inbox.expectNext<Granted>().id == second.id);
  CHECK(bRmElection->hasLeadership(second.id));
  CHECK_FALSE(aRmElection->hasLeadership(first.id));

  cluster->transferLeadership("a");
  bRm.inbox.expectNext<Revoked>();
  bDispatcher.inbox.expectNext<Revoked>();
  auto third = aRm.inbox.expectNext<Granted>();
  CHECK(aDispatcher.inbox.expectNext<Granted>().id == third.id);
  CHECK(third.id != first.id);
}

TEST_CASE("tampered or deleted leader information is healed, equal information never rewritten") {
  auto cluster = EmbeddedCluster::create();
  auto& store = impl(*cluster);
  EmbeddedNode a(cluster, "a");
  RecordingRetrievalListener listener;
  auto retriever = a.services->getLeaderRetriever("rm");
  retriever->start(listener);
  a.start();
  auto id = a.grantAndConfirm("addr-a");
  listener.awaitAddress("addr-a");
  const auto written = store.storeVersion();  // the confirmation's one write

  // Neither a repeated confirmation nor an equal overwrite makes the leader write again.
  a.election->confirmLeadership(id, "addr-a");
  cluster->tamperLeaderInformation("rm", LeaderInformation(id, "addr-a"));
  CHECK(store.storeVersion() == written + 1);  // the overwrite itself

  SECTION("tampered") {
    cluster->tamperLeaderInformation("rm", LeaderInformation(LeaderSessionId::random(), "evil"));
    listener.awaitAddress("evil");
  }
  SECTION("deleted") {
    cluster->tamperLeaderInformation("rm", LeaderInformation::empty());
    listener.awaitAddress("");
  }
  auto healed = listener.inbox.expectNext<LeaderSeen>();
  CHECK(healed.address == "addr-a");
  CHECK(healed.id == id);
  CHECK(cluster->leaderInformation("rm") == LeaderInformation(id, "addr-a"));
  // Exactly: the equal overwrite, the tamper, the repair. Any rewrite of equal information
  // (which the delivery order puts before the repair) would show here.
  CHECK(store.storeVersion() == written + 3);
}

TEST_CASE("contenders may call back into their election from inside grantLeadership") {
  auto cluster = EmbeddedCluster::create();
  EmbeddedNode a(cluster, "a");
  EmbeddedNode b(cluster, "b");
  RecordingRetrievalListener listener;
  auto retriever = b.services->getLeaderRetriever("rm");
  retriever->start(listener);
  std::atomic<bool> hadLeadership{false};
  std::atomic<bool> ranAsLeader{false};
  a.contender.onGrant = [&](const LeaderSessionId& id) {
    a.election->confirmLeadership(id, "addr-a");
    hadLeadership = a.election->hasLeadership(id);
    ranAsLeader = !a.election->runIfLeader(id, [] {});
    a.election->close();  // does not wait: the revoke follows this callback
  };
  a.start();
  b.start();

  a.contender.inbox.expectNext<Granted>();
  a.contender.inbox.expectNext<Revoked>();
  b.contender.inbox.expectNext<Granted>();
  CHECK(hadLeadership);
  CHECK(ranAsLeader);
  listener.awaitAddress("addr-a");
  listener.awaitAddress("");  // deleted when a left
  CHECK(a.contender.violations().empty());
}

TEST_CASE("closing while a grant is on its way still pairs every grant with one revoke") {
  auto cluster = EmbeddedCluster::create();
  baton::support::ExecutorThread callbacks("test-callbacks");
  baton::HaServicesOptions options;
  options.callbackExecutor = callbacks.executor();
  EmbeddedNode a(cluster, "a", options);
  EmbeddedNode b(cluster, "b", options);
  b.start();
  // a and b alternate: each start of a joins behind b or leads at once; each close races
  // the grant the cluster may just have posted.
  for (int round = 0; round < 50; ++round) {
    auto election = a.services->getLeaderElection("rm");
    election->startLeaderElection(a.contender);
    if (round % 2 == 0)
      cluster->transferLeadership("a");
    election->close();
    REQUIRE_FALSE(a.contender.isLeading());
  }
  CHECK(a.contender.grants() == a.contender.revokes());
  CHECK(a.contender.violations().empty());
  // b ends up leading, granted once per hand-back, and is revoked as often as it was granted.
  CHECK(cluster->currentLeader() == "b");
  b.contender.inbox.await<Granted>();
  b.election->close();
  CHECK(b.contender.grants() == b.contender.revokes());
  CHECK(b.contender.violations().empty());
}

TEST_CASE("cleanupAllData removes every stored leader information and nobody restores it") {
  auto cluster = EmbeddedCluster::create();
  auto& store = impl(*cluster);
  EmbeddedNode a(cluster, "a");
  RecordingRetrievalListener listener;
  auto retriever = a.services->getLeaderRetriever("rm");
  retriever->start(listener);
  a.start();
  a.grantAndConfirm("addr-a");
  listener.awaitAddress("addr-a");
  cluster->tamperLeaderInformation("dispatcher",
                                   LeaderInformation(LeaderSessionId::random(), "addr-d"));

  a.services->cleanupAllData();
  CHECK(cluster->leaderInformation("rm").isEmpty());
  CHECK(cluster->leaderInformation("dispatcher").isEmpty());
  listener.awaitAddress("");
  const auto afterCleanup = store.storeVersion();

  // A later write's notification is delivered after anything the cleanup caused; had the
  // leader repaired "rm", that write would already be counted.
  RecordingRetrievalListener marker;
  auto markerRetriever = a.services->getLeaderRetriever("marker");
  markerRetriever->start(marker);
  marker.awaitAddress("");
  cluster->tamperLeaderInformation("marker", LeaderInformation(LeaderSessionId::random(), "m"));
  marker.awaitAddress("m");
  CHECK(store.storeVersion() == afterCleanup + 1);
  CHECK(cluster->leaderInformation("rm").isEmpty());
}

TEST_CASE("closeWithOptionalClean(true) leaves nothing behind") {
  auto cluster = EmbeddedCluster::create();
  EmbeddedNode a(cluster, "a");
  a.start();
  a.grantAndConfirm("addr-a");
  a.services->closeWithOptionalClean(true);
  a.contender.inbox.expectNext<Revoked>();
  CHECK(cluster->leaderInformation("rm").isEmpty());
  CHECK(cluster->participants().empty());
}
