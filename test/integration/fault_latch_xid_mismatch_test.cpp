// A reply that does not match its request is a connection loss, not a fatal error: the C client
// completes every pending request with ZRUNTIMEINCONSISTENCY when a reply's xid is not the one
// it waits for, and drops the connection (zookeeper.c, "unexpected server response"). The
// FaultProxy drops the reply to the latch's first listing; the next reply (a keepalive read)
// then mismatches. Taken as fatal, the latch stopped and its participant never led.
#include <catch2/catch.hpp>

#include "support/fault_proxy.hpp"
#include "support/recording_contender.hpp"
#include "support/zk_test_env.hpp"

using namespace baton;
using namespace baton::test;
using namespace std::chrono_literals;

TEST_CASE("a reply that does not match its request is retried, not fatal") {
  auto cluster = uniqueClusterId("latch-xid-mismatch");
  FaultProxy proxy(zkQuorum());
  constexpr std::int32_t kGetChildren = 8;
  constexpr std::int32_t kGetChildren2 = 12;
  proxy.dropNextReply({kGetChildren, kGetChildren2}, "/leader/latch");
  AdminClient admin;
  {
    auto services = makeZkServices(cluster, "p", {{"ha.zookeeper.quorum", proxy.quorum()}});
    EventInbox<ConnectionState> states;
    services->setConnectionStateCallback(
        [&states](ConnectionState state, const std::string&) { states.push(state); });
    REQUIRE(states.next() == ConnectionState::connected);
    RecordingContender contender;
    auto election = services->getLeaderElection("rm");
    election->startLeaderElection(contender);

    // The mismatch drops the connection; the same session comes back.
    CHECK(states.next(scaled(20s)) == ConnectionState::suspended);
    CHECK(states.next(scaled(20s)) == ConnectionState::reconnected);
    CHECK(proxy.droppedReplies() == 1);
    contender.inbox.expectNext<Granted>(scaled(20s));  // no handleError first
    election->close();
    services->close();
  }
  CHECK(admin.children("/baton-test/" + cluster + "/leader/latch").empty());
  admin.removeTree("/baton-test/" + cluster);
}
