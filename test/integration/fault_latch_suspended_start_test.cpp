// An election started while the services' connection is suspended joins as soon as the
// connection is back. The first the new driver hears of the session is its `reconnected` (no
// `connected` is replayed while suspended); ignoring it kept the participant out of the
// election until the session was lost.
#include <catch2/catch.hpp>

#include "support/fault_proxy.hpp"
#include "support/recording_contender.hpp"
#include "support/zk_test_env.hpp"

using namespace baton;
using namespace baton::test;
using namespace std::chrono_literals;

TEST_CASE("an election started while the connection is suspended joins once it is back") {
  auto cluster = uniqueClusterId("latch-suspended-start");
  FaultProxy proxy(zkQuorum());
  AdminClient admin;
  {
    // A long session: it must outlive the partition (the client suspends after about 2/3 of
    // the timeout without an answer; the servers keep the session for the whole of it).
    auto services = makeZkServices(
        cluster, "late",
        {{"ha.zookeeper.quorum", proxy.quorum()}, {"ha.zookeeper.session-timeout", "20s"}});
    EventInbox<ConnectionState> states;
    services->setConnectionStateCallback(
        [&states](ConnectionState state, const std::string&) { states.push(state); });
    REQUIRE(states.next(eventTimeout()) == ConnectionState::connected);

    proxy.setMode(FaultProxy::Mode::blackhole);  // a partition: the session lives on
    REQUIRE(states.next(scaled(30s)) == ConnectionState::suspended);

    RecordingContender contender;
    auto election = services->getLeaderElection("rm");
    election->startLeaderElection(contender);

    proxy.setMode(FaultProxy::Mode::pass);
    REQUIRE(states.next(scaled(30s)) == ConnectionState::reconnected);  // same session
    contender.inbox.expectNext<Granted>(scaled(20s));
    CHECK(states.empty());  // granted in the session that was suspended, not a new one
    election->close();
    services->close();
  }
  CHECK(admin.children("/baton-test/" + cluster + "/leader/latch").empty());
  admin.removeTree("/baton-test/" + cluster);
}
