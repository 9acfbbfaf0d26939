// Servers without watch removal: ZooKeeper 3.4 answers an opcode it does not know
// (checkWatches 17, removeWatches 18) with ZUNIMPLEMENTED and closes the connection
// (UnimplementedRequestProcessor); so did ClickHouse Keeper before it implemented them. The
// FaultProxy plays that server in front of the real ensemble. A waiting participant that leaves
// removes its watch on its predecessor: after the first refusal the client must never send it
// again, and close and reconnect must go on working.
#include <chrono>
#include <mutex>
#include <thread>

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
constexpr std::int32_t kGetData = 4;

// Waits (bounded) until the proxy has read at least `count` requests of `type`.
bool awaitRequests(const FaultProxy& proxy, std::int32_t type, std::size_t count) {
  auto deadline = std::chrono::steady_clock::now() + eventTimeout();
  while (proxy.requestsSeen(type) < count) {
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polls a counter
  }
  return true;
}

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
  // q leads on the real ensemble; p, through the proxy, waits behind it.
  auto leader = makeZkServices(cluster, "q");
  RecordingContender leading;
  auto leaderElection = leader->getLeaderElection("first");
  leaderElection->startLeaderElection(leading);
  expectGrant(leading);

  for (int round = 0; round < 2; ++round) {
    RecordingContender contender;
    auto election = services->getLeaderElection("first");
    auto reads = proxy.requestsSeen(kGetData);
    election->startLeaderElection(contender);
    REQUIRE(awaitRequests(proxy, kGetData, reads + 1));  // its watch on q's node
    election->close();  // the last contender: the latch leaves, removing that watch
    CHECK(admin.awaitChildren(latch, 1).size() == 1);
    CHECK(removals() == 1);  // sent once, refused; never again
  }

  {
    RecordingContender contender;
    auto election = services->getLeaderElection("second");
    election->startLeaderElection(contender);
    CHECK(admin.awaitChildren(latch, 2).size() == 2);
    leaderElection->close();
    auto id = expectGrant(contender);
    CHECK(election->hasLeadership(id));
    election->close();
    CHECK(admin.awaitChildren(latch, 0).empty());
  }
  CHECK(removals() == 1);

  {
    std::lock_guard lock(mutex);
    CHECK(std::find(states.begin(), states.end(), ConnectionState::lost) == states.end());
  }
  leader->close();
  services->cleanupAllData();
  services->close();
}
