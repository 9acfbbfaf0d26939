// A lost create reply leaves no orphan: the servers create the participant's latch node, the
// reply never arrives (the FaultProxy drops it and resets the connection), the participant
// reconnects with the same session and adopts the node by its protected prefix.
#include <catch2/catch.hpp>

#include "support/fault_proxy.hpp"
#include "support/fault_scenario.hpp"

using namespace baton;
using namespace baton::test;
using namespace std::chrono_literals;

TEST_CASE("a lost create reply leaves no orphan") {
  ElectSetup setup{uniqueClusterId("lost-create")};
  FaultProxy proxy(zkQuorum());
  proxy.loseNextCreateReply("/leader/latch/_c_");
  AdminClient admin;
  {
    ElectProcess a("a", setup.args(proxy.quorum()));
    a.await("reconnected", scaled(20s));  // the reset that dropped the reply
    a.await("granted", scaled(20s));
    auto lost = proxy.lostCreateReplies();
    REQUIRE(lost.size() == 1);
    auto nodes = admin.children(setup.latch());
    REQUIRE(nodes.size() == 1);  // exactly one node: the one whose reply was lost
    CHECK(lost[0] == setup.latch() + "/" + nodes[0]);
    CHECK(countEvents(a, "lost") == 0);
    WARN("lost create reply: adopted " << nodes[0]);
    CHECK(quitAll({&a}));
  }
  CHECK(admin.children(setup.latch()).empty());
  admin.removeTree("/baton-test/" + setup.cluster);
  CHECK_FALSE(admin.exists("/baton-test/" + setup.cluster));
}
