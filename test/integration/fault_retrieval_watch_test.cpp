// Watches do not pile up across reconnects: a retriever and a publishing store on one session
// through a FaultProxy, the connection reset a few hundred times. Each reconnect re-reads the
// stored information; the watch the retriever and the store set before still stands (the C
// client re-sends it), so no new one may be registered while it does.
#include <catch2/catch.hpp>

#include "store_rig.hpp"
#include "support/fault_proxy.hpp"

using namespace baton;
using namespace baton::test;

TEST_CASE("watch registrations stay bounded across hundreds of connection resets") {
  constexpr int resets = 250;
  // The store's watch and the retriever's: one each on the one watched node.
  constexpr std::size_t watchedNodes = 2;
  auto cluster = uniqueClusterId("watch-resets");
  FaultProxy proxy(zkQuorum());
  {
    Rig rig(proxy.quorum(), cluster);
    rig.awaitState(ConnectionState::connected);
    rig.lead(LeaderInformation(LeaderSessionId::random(), "leader:1"));
    rig.startRetrieval();
    rig.listener.awaitAddress("leader:1");
    CHECK(rig.watchCount() <= watchedNodes);

    std::size_t most = 0;
    std::size_t stale = 0;
    for (int i = 0; i < resets; ++i) {
      // Each cycle waits for its own events: a state or report queued by the cycle before
      // (a re-read that raced its reconnect) must not stand in for this cycle's.
      stale += rig.states.drain() + rig.listener.seen.drain();
      proxy.setMode(FaultProxy::Mode::reset);
      rig.awaitState(ConnectionState::suspended);
      proxy.setMode(FaultProxy::Mode::pass);
      rig.awaitState(ConnectionState::reconnected);  // the same session: no new handle
      rig.listener.awaitAddress("leader:1");         // the re-read after the reconnect
      auto count = rig.watchCount();
      most = std::max(most, count);
      INFO("after reset " << i + 1);
      REQUIRE(count <= watchedNodes);
    }
    WARN("most watch handlers registered after a reconnect: " << most
                                                              << "; events left over "
                                                                 "from the cycle before: "
                                                              << stale);
    CHECK(rig.listener.errors.empty());
  }
  AdminClient().removeTree("/baton-test/" + cluster);
}
