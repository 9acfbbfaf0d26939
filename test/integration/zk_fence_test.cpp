// The fenced write: leader information is written only in a multi-op that also checks the
// writer's latch node, so a deposed leader cannot overwrite anything. White-box: drives the
// backend's ZkLeaderStore directly on its executor.
#include <future>

#include <boost/asio/post.hpp>
#include <catch2/catch.hpp>

#include "baton/error.hpp"
#include "baton/logging.hpp"
#include "client/zk_connection.hpp"
#include "leader_info/zk_leader_store.hpp"
#include "leader_info/znode_codec.hpp"
#include "support/recording_contender.hpp"
#include "support/zk_test_env.hpp"

using namespace baton;
using namespace baton::test;
using namespace baton::zookeeper;

namespace {

// A connection and a store on their own thread; every call hops there and waits.
struct StoreHarness {
  support::ExecutorThread io{"fence-io"};
  std::shared_ptr<ZkConnection> connection;
  std::shared_ptr<ZkLeaderStore> store;
  EventInbox<std::pair<std::string, LeaderInformation>> reports;

  explicit StoreHarness(const ZkPaths& paths) {
    std::promise<void> connected;
    run([&, quorum = zkQuorum()] {
      ZkSettings settings;
      settings.quorum = quorum;
      connection = std::make_shared<ZkConnection>(io.executor(), settings, quietLogger());
      connection->start();
      connection->subscribe(
          [&connected, done = false](ConnectionState s, const ZkSessionInfo&) mutable {
            if (!done && s == ConnectionState::connected) {
              done = true;
              connected.set_value();
            }
          });
      store =
          std::make_shared<ZkLeaderStore>(connection, paths, quietLogger(),
                                          [this](const std::string& c, const LeaderInformation& i) {
                                            reports.push({c, i});
                                          });
    });
    REQUIRE(connected.get_future().wait_for(eventTimeout()) == std::future_status::ready);
  }
  ~StoreHarness() {
    run([&] {
      store->close();
      connection->close();
    });
    io.stop();
  }
  void run(const std::function<void()>& fn) {
    std::promise<void> done;
    boost::asio::post(io.executor(), [&] {
      fn();
      done.set_value();
    });
    done.get_future().wait();
  }
  void ensurePath(const std::string& path) {
    std::promise<std::error_code> done;
    run([&] {
      connection->client().ensurePath(path, [&](std::error_code ec) { done.set_value(ec); });
    });
    auto future = done.get_future();
    REQUIRE(future.wait_for(eventTimeout()) == std::future_status::ready);
    REQUIRE_FALSE(future.get());
  }
  // A round trip on the store's session: ZooKeeper answers a session's requests in order, so
  // every write issued before it has been applied or rejected when it returns.
  void barrier() {
    std::promise<void> answered;
    run([&] {
      connection->client().exists("/", nullptr,
                                  [&](std::error_code, const ZkStat&) { answered.set_value(); });
    });
    REQUIRE(answered.get_future().wait_for(eventTimeout()) == std::future_status::ready);
  }
  // Completion callbacks run in request order, so a chain of k dependent requests (create
  // the parents, then the multi) is over after k barriers; 10 covers the longest chain.
  void settle() {
    for (int i = 0; i < 10; ++i)
      barrier();
  }
};

}  // namespace

TEST_CASE("a deposed leader's publish is rejected and changes nothing") {
  ZkPaths paths{"/baton-test", uniqueClusterId("fence")};
  AdminClient admin;
  StoreHarness harness(paths);
  auto fence = paths.latchDir() + "/_c_test-latch-0000000001";
  // The latch node that made "us" leader (persistent here: the test deletes it by hand).
  harness.ensurePath(fence);
  REQUIRE(admin.exists(fence));

  auto first = LeaderInformation(LeaderSessionId::random(), "leader:1");
  harness.run([&] {
    harness.store->setFence(fence);
    harness.store->publish("rm", first);
  });
  harness.settle();
  auto path = paths.connectionInfo("rm");
  CHECK(decodeLeaderInformation(admin.data(path)) == first);

  REQUIRE_FALSE(admin.remove(fence));  // deposed: our latch node is gone
  auto stale = LeaderInformation(LeaderSessionId::random(), "stale:2");
  harness.run([&] { harness.store->publish("rm", stale); });
  harness.settle();
  CHECK(decodeLeaderInformation(admin.data(path)) == first);

  harness.run([&] { harness.store->remove("rm"); });
  harness.settle();
  CHECK(admin.exists(path));  // the fenced delete failed too
  admin.removeTree(paths.cluster());
}

TEST_CASE("publishing what is already stored writes nothing") {
  ZkPaths paths{"/baton-test", uniqueClusterId("equal")};
  AdminClient admin;
  StoreHarness harness(paths);
  auto fence = paths.latchDir() + "/_c_test-latch-0000000001";
  harness.ensurePath(fence);
  auto info = LeaderInformation(LeaderSessionId::random(), "leader:1");
  harness.run([&] {
    harness.store->setFence(fence);
    harness.store->publish("rm", info);
  });
  harness.settle();
  // The store reads back what it wrote (and watches it): one report equal to the write.
  auto report = harness.reports.next();
  CHECK(report.second == info);
  auto before = admin.data(paths.connectionInfo("rm"));
  harness.run([&] { harness.store->publish("rm", info); });
  harness.settle();
  // An equal write would have fired the data watch and produced a second report; the next
  // report must come from the admin's change instead.
  REQUIRE_FALSE(admin.setData(paths.connectionInfo("rm"), "tampered"));
  CHECK(harness.reports.next().second.isEmpty());  // malformed reads as "no leader"
  CHECK(before == encodeLeaderInformation(info));
  admin.removeTree(paths.cluster());
}

TEST_CASE("the fenced-write helper applies the application's ops only for the current leadership") {
  auto cluster = uniqueClusterId("fencedwrite");
  AdminClient admin;
  auto services = makeZkServices(cluster, "leader");
  RecordingContender contender;
  auto election = services->getLeaderElection("rm");
  election->startLeaderElection(contender);
  auto id = contender.inbox.expectNext<Granted>().id;
  auto token = election->fencingToken(id);
  REQUIRE(token);
  CHECK(token->sessionId == id);
  CHECK(token->epoch > 0);

  auto appPath = "/baton-test/" + cluster + "/app";
  CHECK_FALSE(services->fencedWrite(*token, {ZkOp::create(appPath, "v1")}));
  CHECK(admin.data(appPath) == "v1");

  // Deposed: an operator deletes the leader's latch node; its revoke follows.
  auto latch = "/baton-test/" + cluster + "/leader/latch";
  auto nodes = admin.children(latch);
  REQUIRE(nodes.size() == 1);
  REQUIRE_FALSE(admin.remove(latch + "/" + nodes[0]));
  contender.inbox.await<Revoked>();
  CHECK_FALSE(election->fencingToken(id));
  auto error = services->fencedWrite(*token, {ZkOp::setData(appPath, "stale")});
  CHECK(error == Errc::leadership_lost);
  CHECK(admin.data(appPath) == "v1");

  // The participant re-entered and leads again: a new token, a larger epoch.
  auto again = contender.inbox.await<Granted>().id;
  auto newToken = election->fencingToken(again);
  REQUIRE(newToken);
  CHECK(newToken->epoch > token->epoch);
  CHECK(services->fencedWrite(*token, {ZkOp::setData(appPath, "stale")}) == Errc::leadership_lost);
  CHECK_FALSE(services->fencedWrite(*newToken, {ZkOp::setData(appPath, "v2")}));
  CHECK(admin.data(appPath) == "v2");
  election->close();
  services->cleanupAllData();
  services->close();
}
