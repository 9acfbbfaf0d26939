// Closing an election while its create's outcome is unknown and the connection is down leaves
// no orphan: the servers created the node, its reply was lost, and the connection stays down
// while the election closes (the services stay open, so does the session). The node must be
// found by its protected name and deleted once the connection is back; one list at close time
// fails while disconnected and left the node in the queue, ahead of everyone, for as long as
// the session lived.
#include <thread>

#include <catch2/catch.hpp>

#include "support/fault_proxy.hpp"
#include "support/recording_contender.hpp"
#include "support/zk_test_env.hpp"

using namespace baton;
using namespace baton::test;
using namespace std::chrono_literals;

TEST_CASE("closing during an unknown create while disconnected orphans no node") {
  auto cluster = uniqueClusterId("latch-close-orphan");
  auto latch = "/baton-test/" + cluster + "/leader/latch";
  FaultProxy proxy(zkQuorum());
  // The reply is dropped, the connection reset, and every new connection refused until healed.
  proxy.loseNextCreateReply("/leader/latch/_c_", FaultProxy::Mode::reset);
  AdminClient admin;
  auto services = makeZkServices(
      cluster, "closer",
      {{"ha.zookeeper.quorum", proxy.quorum()}, {"ha.zookeeper.session-timeout", "20s"}});
  EventInbox<ConnectionState> states;
  services->setConnectionStateCallback(
      [&states](ConnectionState state, const std::string&) { states.push(state); });
  REQUIRE(states.next() == ConnectionState::connected);

  RecordingContender contender;
  auto election = services->getLeaderElection("rm");
  election->startLeaderElection(contender);
  REQUIRE(states.next(scaled(20s)) == ConnectionState::suspended);
  auto lost = proxy.lostCreateReplies();
  REQUIRE(lost.size() == 1);
  REQUIRE(admin.children(latch).size() == 1);  // created by the servers, unknown to us

  // Closing retires the driver synchronously up to posting its close to the I/O thread. Its
  // requests queue in the C client until a connection attempt fails (and fails them): a few
  // refused attempts later, whatever the close asked for has failed.
  election->close();
  auto refused = proxy.refusedConnections();
  auto deadline = std::chrono::steady_clock::now() + scaled(20s);
  while (proxy.refusedConnections() < refused + 4) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(20ms);  // polling a counter the proxy's thread advances
  }
  proxy.setMode(FaultProxy::Mode::pass);
  REQUIRE(states.next(scaled(20s)) == ConnectionState::reconnected);  // the same session
  CHECK_NOTHROW(admin.awaitChildren(latch, 0, scaled(15s)));
  CHECK(states.empty());  // no session lost: the node was deleted, not expired
  CHECK(contender.grants() == 0);
  services->close();
  admin.removeTree("/baton-test/" + cluster);
}
