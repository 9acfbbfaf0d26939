// The embedded cluster's election: first come first served, handover, and the public controls
// that let an application's tests drive leadership.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "unit/embedded_fixture.hpp"

using baton::embedded::EmbeddedCluster;
using baton::test::EmbeddedNode;
using baton::test::Granted;
using baton::test::Revoked;

namespace {

using Ids = std::vector<std::string>;

}  // namespace

TEST_CASE("first come first served: the first participant to start leads") {
  auto cluster = EmbeddedCluster::create();
  EmbeddedNode a(cluster, "a");
  EmbeddedNode b(cluster, "b");
  EmbeddedNode c(cluster, "c");
  b.start();
  a.start();
  c.start();

  b.contender.inbox.expectNext<Granted>();
  CHECK(cluster->currentLeader() == "b");
  CHECK(cluster->participants() == Ids{"b", "a", "c"});
  CHECK(cluster->epoch() == 1);
  // Nobody else was ever made leader: the cluster granted once (epoch 1) and that was b.
  CHECK(a.contender.grants() == 0);
  CHECK(c.contender.grants() == 0);
}

TEST_CASE("when the leader closes, the next in line is granted") {
  auto cluster = EmbeddedCluster::create();
  EmbeddedNode a(cluster, "a");
  EmbeddedNode b(cluster, "b");
  a.start();
  b.start();
  a.contender.inbox.expectNext<Granted>();

  a.election->close();
  a.contender.inbox.expectNext<Revoked>();  // delivered before close() returned
  CHECK(a.contender.inbox.empty());
  b.contender.inbox.expectNext<Granted>();
  CHECK(cluster->currentLeader() == "b");
  CHECK(cluster->participants() == Ids{"b"});
  CHECK(cluster->epoch() == 2);

  b.election->close();
  b.contender.inbox.expectNext<Revoked>();
  CHECK_FALSE(cluster->currentLeader().has_value());
  CHECK(cluster->participants().empty());
  CHECK(a.contender.violations().empty());
  CHECK(b.contender.violations().empty());
}

TEST_CASE("a participant without contenders is not in the election") {
  auto cluster = EmbeddedCluster::create();
  EmbeddedNode a(cluster, "a");
  CHECK(cluster->participants().empty());
  CHECK_THROWS_AS(cluster->transferLeadership("a"), std::invalid_argument);
  CHECK_THROWS_WITH(cluster->transferLeadership("nobody"), Catch::Contains("nobody"));
  a.start();
  a.contender.inbox.expectNext<Granted>();
  CHECK(cluster->participants() == Ids{"a"});
}

TEST_CASE("transferLeadership moves leadership, revoking the old leader first") {
  auto cluster = EmbeddedCluster::create();
  EmbeddedNode a(cluster, "a");
  EmbeddedNode b(cluster, "b");
  EmbeddedNode c(cluster, "c");
  a.start();
  b.start();
  c.start();
  a.contender.inbox.expectNext<Granted>();

  cluster->transferLeadership("c");
  CHECK(cluster->currentLeader() == "c");
  CHECK(cluster->participants() == Ids{"c", "a", "b"});
  CHECK(cluster->epoch() == 2);
  a.contender.inbox.expectNext<Revoked>();
  c.contender.inbox.expectNext<Granted>();

  SECTION("granting the leader again changes nothing") {
    cluster->transferLeadership("c");
    CHECK(cluster->epoch() == 2);
    cluster->transferLeadership("b");  // a later event on c's queue shows no second grant came
    c.contender.inbox.expectNext<Revoked>();
    b.contender.inbox.expectNext<Granted>();
    CHECK(c.contender.grants() == 1);
  }
  SECTION("the old leader is next in line") {
    c.election->close();
    c.contender.inbox.expectNext<Revoked>();
    a.contender.inbox.expectNext<Granted>();
    CHECK(b.contender.grants() == 0);
  }
}

TEST_CASE("deposeLeader sends the leader to the back of the queue") {
  auto cluster = EmbeddedCluster::create();
  EmbeddedNode a(cluster, "a");
  a.start();
  auto first = a.contender.inbox.expectNext<Granted>();

  SECTION("alone, it is granted again under a new session") {
    cluster->deposeLeader();
    a.contender.inbox.expectNext<Revoked>();
    auto second = a.contender.inbox.expectNext<Granted>();
    CHECK(second.id != first.id);
    CHECK(cluster->epoch() == 2);
  }
  SECTION("with others, the next one leads") {
    EmbeddedNode b(cluster, "b");
    b.start();
    cluster->deposeLeader();
    a.contender.inbox.expectNext<Revoked>();
    b.contender.inbox.expectNext<Granted>();
    CHECK(cluster->participants() == Ids{"b", "a"});
  }
}

TEST_CASE("with automatic election off, nobody leads until granted") {
  auto cluster = EmbeddedCluster::create();
  cluster->setAutomaticElection(false);
  EmbeddedNode a(cluster, "a");
  EmbeddedNode b(cluster, "b");
  a.start();
  b.start();
  CHECK_FALSE(cluster->currentLeader().has_value());
  CHECK(cluster->epoch() == 0);

  cluster->transferLeadership("b");
  b.contender.inbox.expectNext<Granted>();
  CHECK(cluster->currentLeader() == "b");

  cluster->deposeLeader();
  b.contender.inbox.expectNext<Revoked>();
  CHECK_FALSE(cluster->currentLeader().has_value());
  CHECK(cluster->participants() == Ids{"a", "b"});

  cluster->setAutomaticElection(true);  // elects the head at once
  a.contender.inbox.expectNext<Granted>();
  CHECK(cluster->currentLeader() == "a");
  CHECK(cluster->epoch() == 2);
  CHECK(b.contender.grants() == 1);
}

TEST_CASE("participant ids are unique per cluster") {
  auto cluster = EmbeddedCluster::create();
  auto first = baton::embedded::makeEmbeddedHaServices(cluster, "node-1");
  CHECK_THROWS_AS(baton::embedded::makeEmbeddedHaServices(cluster, "node-1"),
                  std::invalid_argument);
  CHECK_THROWS_WITH(baton::embedded::makeEmbeddedHaServices(cluster, "node-1"),
                    Catch::Contains("node-1"));
  CHECK_THROWS_AS(baton::embedded::makeEmbeddedHaServices(cluster, ""), std::invalid_argument);
  // Another cluster is another namespace; a closed participant frees its id.
  CHECK_NOTHROW(baton::embedded::makeEmbeddedHaServices(EmbeddedCluster::create(), "node-1"));
  first->close();
  CHECK_NOTHROW(baton::embedded::makeEmbeddedHaServices(cluster, "node-1"));
}

TEST_CASE("EmbeddedCluster::shared hands out one cluster per id while it is referenced") {
  auto one = EmbeddedCluster::shared("embedded-test-shared");
  auto same = EmbeddedCluster::shared("embedded-test-shared");
  auto other = EmbeddedCluster::shared("embedded-test-other");
  CHECK(one == same);
  CHECK(one != other);

  // Services on the shared cluster compete with each other.
  EmbeddedNode a(EmbeddedCluster::shared("embedded-test-shared"), "a");
  EmbeddedNode b(EmbeddedCluster::shared("embedded-test-shared"), "b");
  a.start();
  b.start();
  a.contender.inbox.expectNext<Granted>();
  CHECK(one->participants() == Ids{"a", "b"});
}

TEST_CASE("a released shared cluster starts fresh") {
  {
    auto cluster = EmbeddedCluster::shared("embedded-test-fresh");
    cluster->tamperLeaderInformation(
        "rm", baton::LeaderInformation(baton::LeaderSessionId::random(), "old"));
  }
  auto cluster = EmbeddedCluster::shared("embedded-test-fresh");
  CHECK(cluster->leaderInformation("rm").isEmpty());
}

TEST_CASE("services after close") {
  auto cluster = EmbeddedCluster::create();
  EmbeddedNode a(cluster, "a");
  EmbeddedNode b(cluster, "b");
  a.start();
  b.start();
  a.contender.inbox.expectNext<Granted>();
  bool called = false;
  a.services->setConnectionStateCallback(
      [&](baton::ConnectionState, const std::string&) { called = true; });

  a.services->close();  // revokes a's contender before returning; b takes over
  a.contender.inbox.expectNext<Revoked>();
  b.contender.inbox.expectNext<Granted>();
  CHECK_NOTHROW(a.services->close());
  CHECK_NOTHROW(a.services->removeConnectionStateCallback());  // unsubscribing stays possible
  CHECK_NOTHROW(a.services->removeConnectionStateCallback());
  CHECK_THROWS_AS(a.services->getLeaderElection("other"), std::logic_error);
  CHECK_THROWS_AS(a.services->getLeaderRetriever("rm"), std::logic_error);
  CHECK_FALSE(called);
  CHECK(a.contender.violations().empty());
}

TEST_CASE("invalid component ids are rejected") {
  auto cluster = EmbeddedCluster::create();
  EmbeddedNode a(cluster, "a");
  CHECK_THROWS_AS(a.services->getLeaderElection("no/slash"), std::invalid_argument);
  CHECK_THROWS_AS(a.services->getLeaderRetriever("latch"), std::invalid_argument);
}

TEST_CASE("only clusters made by EmbeddedCluster are accepted") {
  CHECK_THROWS_AS(baton::embedded::makeEmbeddedHaServices(nullptr, "a"), std::invalid_argument);
}
