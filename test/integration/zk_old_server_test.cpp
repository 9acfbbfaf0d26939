// Servers without watch removal: ZooKeeper 3.4 answers an opcode it does not know
// (checkWatches 17, removeWatches 18) with ZUNIMPLEMENTED and closes the connection
// (UnimplementedRequestProcessor); so did ClickHouse Keeper before it implemented them. The
// FaultProxy plays that server in front of the real ensemble. Closing an election removes the
// watch on its latch node: after the first refusal the client must never send it again, and
// close and reconnect must go on working.
#include <mutex>

#include <catch2/catch.hpp>

#include "support/fault_proxy.hpp"
#include "support/recording_contender.hpp"
#include "support/zk_test_env.hpp"

using namespace baton;
using namespace baton::test;
using namespace baton::zookeeper;

namespace {

constexpr std::int32_t kCheckWatches = 17;
constexpr std::int32_t kRemoveWatches = 18;

// The next event must be a grant; an error says which.
LeaderSessionId expectGrant(RecordingContender& contender) {
  auto event = contender.inbox.next();
  if (auto* error = std::get_if<ErrorSeen>(&event))
    FAIL("error instead of a grant: " << error->code.message() << ": " << error->what);
  REQUIRE(std::holds_alternative<Granted>(event));
  return std::get<Granted>(event).id;
}

}  // namespace

TEST_CASE("on a server without watch removal, elections close and run again on one session") {
  auto cluster = uniqueClusterId("old-server");
  FaultProxy proxy(zkQuorum());
  for (auto type : {kCheckWatches, kRemoveWatches})
    proxy.injectOnRequest(type, FaultProxy::RequestFault::unimplemented, "", /*once=*/false);
  AdminClient admin;
  auto services = makeZkServices(cluster, "p", {{"ha.zookeeper.quorum", proxy.quorum()}});
  std::mutex mutex;
  std::vector<ConnectionState> states;
  services->setConnectionStateCallback([&](ConnectionState state, const std::string&) {
    std::lock_guard lock(mutex);
    states.push_back(state);
  });
  auto latch = "/baton-test/" + cluster + "/leader/latch";
  auto removals = [&] {
    return proxy.requestsSeen(kCheckWatches) + proxy.requestsSeen(kRemoveWatches);
  };

  {
    RecordingContender contender;
    auto election = services->getLeaderElection("first");
    election->startLeaderElection(contender);
    expectGrant(contender);
    election->close();  // the last contender: the latch leaves, removing its watch
    CHECK(admin.awaitChildren(latch, 0).empty());
  }
  CHECK(removals() == 1);

  {
    RecordingContender contender;
    auto election = services->getLeaderElection("second");
    election->startLeaderElection(contender);
    auto id = expectGrant(contender);
    CHECK(election->hasLeadership(id));
    CHECK(admin.awaitChildren(latch, 1).size() == 1);
    election->close();
    CHECK(admin.awaitChildren(latch, 0).empty());
  }
  CHECK(removals() == 1);  // not sent again

  {
    std::lock_guard lock(mutex);
    CHECK(std::find(states.begin(), states.end(), ConnectionState::lost) == states.end());
  }
  services->cleanupAllData();
  services->close();
}
