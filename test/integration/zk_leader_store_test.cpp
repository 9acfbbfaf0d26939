// ZkLeaderStore against the real ensemble: connection_info is an ephemeral node of the
// leader's session, whatever was there before, so it cannot outlive the leader.
#include <catch2/catch.hpp>

#include "store_rig.hpp"

using namespace baton;
using namespace baton::test;

TEST_CASE("a persistent connection_info (an older baton's) is replaced by an ephemeral one") {
  auto cluster = uniqueClusterId("store-persistent");
  {
    Rig rig(zkQuorum(), cluster);
    rig.awaitState(ConnectionState::connected);
    REQUIRE_FALSE(rig.createPersistent(rig.infoPath(), "left over"));
    rig.startRetrieval();
    rig.lead(LeaderInformation(LeaderSessionId::random(), "a:1"));
    rig.listener.awaitAddress("a:1");
    auto [ec, stat] = rig.stat(rig.infoPath());
    REQUIRE_FALSE(ec);
    CHECK(stat.ephemeralOwner == rig.sessionId());
  }
  CHECK_FALSE(AdminClient().exists("/baton-test/" + cluster + "/leader/svc/connection_info"));
  AdminClient().removeTree("/baton-test/" + cluster);
}

TEST_CASE("another session's connection_info is replaced by one of the publishing leader's") {
  // The predecessor's node (its session still alive, e.g. not yet expired) is deleted and
  // re-created under the fence, not overwritten in place: else it would die with the
  // predecessor's session, or outlive ours.
  auto cluster = uniqueClusterId("store-foreign");
  Rig predecessor(zkQuorum(), cluster);
  Rig successor(zkQuorum(), cluster);
  predecessor.awaitState(ConnectionState::connected);
  successor.awaitState(ConnectionState::connected);
  successor.startRetrieval();
  predecessor.lead(LeaderInformation(LeaderSessionId::random(), "b:1"));
  successor.listener.awaitAddress("b:1");

  successor.lead(LeaderInformation(LeaderSessionId::random(), "a:1"));
  successor.listener.awaitAddress("a:1");
  auto [ec, stat] = successor.stat(successor.infoPath());
  REQUIRE_FALSE(ec);
  CHECK(stat.ephemeralOwner == successor.sessionId());
  // Equal bytes on our own node are not written again; different ones are set in place: one
  // version later, the same ephemeral node.
  auto same = LeaderInformation(LeaderSessionId::random(), "a:2");
  successor.publish(same);
  successor.listener.awaitAddress("a:2");
  successor.publish(same);
  successor.publish(LeaderInformation(LeaderSessionId::random(), "a:3"));
  successor.listener.awaitAddress("a:3");
  auto [ec2, after] = successor.stat(successor.infoPath());
  REQUIRE_FALSE(ec2);
  CHECK(after.ephemeralOwner == successor.sessionId());
  CHECK(after.version == stat.version + 2);
  AdminClient().removeTree("/baton-test/" + cluster);
}
