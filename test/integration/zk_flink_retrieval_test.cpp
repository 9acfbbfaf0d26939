// baton reading a Flink cluster's leaders: a fake Flink writes its nodes as Flink's ZooKeeper
// HA does (persistent parents, an EPHEMERAL connection_info holding the Java-serialized
// payload, a latch node), and baton's Flink retrieval must follow every change while leaving
// the servers' tree exactly as it was: read and watch only, never a node of its own.
#include <catch2/catch.hpp>

#include <future>
#include <map>
#include <tuple>

#include <boost/asio/post.hpp>

#include "baton/support/executor_thread.hpp"
#include "baton/zookeeper/flink_leader_retrieval.hpp"
#include "client/zk_client.hpp"
#include "flink/flink_leader_codec.hpp"
#include "support/elect_process.hpp"
#include "support/recording_contender.hpp"
#include "support/zk_test_env.hpp"

using namespace baton;
using namespace baton::test;
using namespace baton::zookeeper;

namespace {

// Every node's data and stat: a node created, deleted or written anywhere changes it (a
// parent's cversion and numChildren count creations and deletions below it).
using NodeState = std::tuple<std::string, std::int64_t, std::int64_t, std::int32_t, std::int32_t,
                             std::int64_t, std::int32_t>;
using TreeSnapshot = std::map<std::string, NodeState>;

// A stand-in for Flink's JobManager: its own session, so its EPHEMERAL nodes are its own.
class FakeFlink {
 public:
  FakeFlink() : thread_("fake-flink") {
    call<int>([this](auto p) {
      ZkSettings settings;
      settings.quorum = zkQuorum();
      client_ = ZkClient::create(thread_.executor(), settings);
      auto done = std::make_shared<bool>(false);
      client_->setStateListener([p, done](ConnectionState s, const ZkSessionInfo&) {
        if (!*done && s == ConnectionState::connected) {
          *done = true;
          p->set_value(0);
        }
      });
      client_->start();
    });
  }
  ~FakeFlink() {
    boost::asio::post(thread_.executor(), [this] {
      client_->close();
      client_.reset();
    });
    thread_.stop();
  }

  void ensurePath(const std::string& path) {
    REQUIRE_FALSE(call<std::error_code>(
        [&](auto p) { client_->ensurePath(path, [p](std::error_code ec) { p->set_value(ec); }); }));
  }
  void createEphemeral(const std::string& path, const std::string& data, bool sequential = false) {
    REQUIRE_FALSE(call<std::error_code>([&](auto p) {
      client_->createNode(path, data, true, sequential,
                          [p](std::error_code ec, const std::string&) { p->set_value(ec); });
    }));
  }
  void setData(const std::string& path, const std::string& data) {
    REQUIRE_FALSE(call<std::error_code>([&](auto p) {
      client_->setData(path, data, -1,
                       [p](std::error_code ec, const ZkStat&) { p->set_value(ec); });
    }));
  }
  void remove(const std::string& path) {
    REQUIRE_FALSE(call<std::error_code>([&](auto p) {
      client_->removeNode(path, -1, [p](std::error_code ec) { p->set_value(ec); });
    }));
  }

  // The whole tree below path, read after a sync-like transaction so that every write the
  // ensemble committed before the call is seen.
  TreeSnapshot snapshot(const std::string& path) {
    call<int>([&](auto p) {
      client_->multi({ZkOp::check("/")},
                     [p](std::error_code, const std::vector<ZkOpResult>&) { p->set_value(0); });
    });
    TreeSnapshot tree;
    collect(path, tree);
    return tree;
  }

 private:
  void collect(const std::string& path, TreeSnapshot& tree) {
    auto [data, stat] = call<std::pair<std::string, ZkStat>>([&](auto p) {
      client_->getData(path, nullptr, [p](std::error_code, const std::string& d, const ZkStat& s) {
        p->set_value({d, s});
      });
    });
    tree[path] = {data,          stat.czxid,          stat.mzxid,      stat.version,
                  stat.cversion, stat.ephemeralOwner, stat.numChildren};
    auto children = call<std::vector<std::string>>([&](auto p) {
      client_->getChildren(path, nullptr, [p](std::error_code, const std::vector<std::string>& c) {
        p->set_value(c);
      });
    });
    for (const auto& child : children)
      collect((path == "/" ? "" : path) + "/" + child, tree);
  }

  template <typename T, typename F>
  T call(F fn) {
    auto promise = std::make_shared<std::promise<T>>();
    auto future = promise->get_future();
    boost::asio::post(thread_.executor(), [fn, promise] { fn(promise); });
    if (future.wait_for(eventTimeout()) != std::future_status::ready)
      throw std::runtime_error("the fake Flink's ZooKeeper client did not answer in time");
    return future.get();
  }

  support::ExecutorThread thread_;
  std::unique_ptr<ZkClient> client_;
};

Configuration flinkConfiguration(const std::string& clusterId) {
  return Configuration::fromMap({{"ha.zookeeper.quorum", zkQuorum()},
                                 {"ha.zookeeper.root", "/baton-flink-test"},
                                 {"ha.cluster-id", "/" + clusterId},  // as Flink writes it
                                 {"ha.zookeeper.session-timeout", "6s"},
                                 {"ha.zookeeper.tick-time", kTestTickTime}});
}

LeaderSeen awaitLeader(RecordingRetrievalListener& listener, const LeaderInformation& info) {
  auto seen = listener.awaitAddress(info.address());
  CHECK(seen.id == info.sessionId());
  return seen;
}

}  // namespace

TEST_CASE("Flink retrieval follows a Flink leader's connection_info and changes nothing") {
  const std::string cluster = uniqueClusterId("flink");
  const std::string leaderDir = "/baton-flink-test/" + cluster + "/leader";
  const std::string node = leaderDir + "/dispatcher/connection_info";
  FakeFlink flink;
  flink.ensurePath(leaderDir + "/dispatcher");
  flink.ensurePath(leaderDir + "/latch");
  flink.createEphemeral(leaderDir + "/latch/_c_0c9a-latch-", "", true);
  const LeaderInformation first(LeaderSessionId::random(),
                                "pekko.tcp://flink@10.0.0.7:6123/user/rpc/dispatcher_1");
  flink.createEphemeral(node, flink::encodeLeaderInformation(first));
  const TreeSnapshot before = flink.snapshot("/");

  RecordingRetrievalListener listener;
  auto retrieval = makeFlinkLeaderRetrievalService(flinkConfiguration(cluster), "dispatcher");
  retrieval->start(listener);
  awaitLeader(listener, first);
  // Reading and watching left every node as it was.
  CHECK(flink.snapshot("/") == before);

  // A new leader session writes its information over the node.
  const LeaderInformation second(LeaderSessionId::random(), "pekko.tcp://flink@h\xC3\xB6st:6123");
  flink.setData(node, flink::encodeLeaderInformation(second));
  awaitLeader(listener, second);
  // Flink clears the node by writing no data: no leader.
  flink.setData(node, "");
  listener.awaitAddress("");
  const LeaderInformation third(LeaderSessionId::random(), "pekko.tcp://flink@other:6123");
  flink.setData(node, flink::encodeLeaderInformation(third));
  awaitLeader(listener, third);
  // The leader's session ends: its ephemeral node goes, and with it the leader.
  flink.remove(node);
  listener.awaitAddress("");
  const LeaderInformation fourth(LeaderSessionId::random(), "pekko.tcp://flink@fourth:6123");
  flink.createEphemeral(node, flink::encodeLeaderInformation(fourth));
  awaitLeader(listener, fourth);
  // Something that is not Flink's payload reads as no leader, not as a crash or a guess.
  flink.setData(node, "not java serialization");
  listener.awaitAddress("");

  // The same nodes as before, each as it was but for what the fake Flink itself changed
  // (the node, and its parent's child count by the delete and re-create): no latch node, no
  // other node of baton's anywhere on the servers.
  const TreeSnapshot after = flink.snapshot("/");
  REQUIRE(after.size() == before.size());
  for (const auto& [path, state] : before) {
    INFO(path);
    REQUIRE(after.count(path) == 1);
    if (path != node && path != leaderDir + "/dispatcher")
      CHECK(after.at(path) == state);
  }
  retrieval->stop();
  CHECK(flink.snapshot("/") == after);
}

TEST_CASE("Flink retrieval of every component kind, published late, creates nothing") {
  const std::string cluster = uniqueClusterId("flink-late");
  const std::string leaderDir = "/baton-flink-test/" + cluster + "/leader";
  // A job's JobMaster is named by its job id in lower case; upper case is accepted and lowered.
  const std::vector<std::pair<std::string, std::string>> components{
      {"resource_manager", "resource_manager"},
      {"rest_server", "rest_server"},
      {"0123456789ABCDEF0123456789abcdef", "0123456789abcdef0123456789abcdef"}};
  FakeFlink flink;
  for (const auto& [component, dir] : components)
    flink.ensurePath(leaderDir + "/" + dir);
  const TreeSnapshot before = flink.snapshot("/");

  for (const auto& [component, dir] : components) {
    INFO(component);
    RecordingRetrievalListener listener;
    auto retrieval = makeFlinkLeaderRetrievalService(flinkConfiguration(cluster), component);
    retrieval->start(listener);
    CHECK(listener.inbox.expectNext<LeaderSeen>().address.empty());
    // Published after baton looked: the exists watch baton set on the missing node fires.
    const LeaderInformation leader(LeaderSessionId::random(), "pekko.tcp://flink@jm:6123/" + dir);
    flink.createEphemeral(leaderDir + "/" + dir + "/connection_info",
                          flink::encodeLeaderInformation(leader));
    awaitLeader(listener, leader);
    flink.remove(leaderDir + "/" + dir + "/connection_info");
    listener.awaitAddress("");
    retrieval->stop();
  }

  // Every node as before, but for the child version of the component directories, which the
  // fake Flink's own create and delete bumped.
  TreeSnapshot after = flink.snapshot("/");
  for (const auto& [component, dir] : components) {
    auto& state = after.at(leaderDir + "/" + dir);
    CHECK(std::get<4>(state) == std::get<4>(before.at(leaderDir + "/" + dir)) + 2);
    std::get<4>(state) -= 2;
  }
  CHECK(after == before);
}

TEST_CASE("baton watch --flink prints a Flink leader's address and session id") {
  const std::string cluster = uniqueClusterId("flink-cli");
  const std::string dir = "/baton-flink-test/" + cluster + "/leader/rest_server";
  FakeFlink flink;
  flink.ensurePath(dir);
  const LeaderInformation first(LeaderSessionId::random(), "http://jobmanager:8081");
  flink.createEphemeral(dir + "/connection_info", flink::encodeLeaderInformation(first));
  const TreeSnapshot before = flink.snapshot("/");

  ElectProcess watch("flink-watcher",
                     {"--flink", "--component", "rest_server", "--zk", zkQuorum(), "--set",
                      "ha.zookeeper.root=/baton-flink-test", "--set", "ha.cluster-id=" + cluster},
                     "watch");
  auto seen = watch.await("leader");
  CHECK(jsonField(seen.raw, "address") == first.address());
  CHECK(seen.sessionId == first.sessionId().toString());
  flink.remove(dir + "/connection_info");
  watch.await("no-leader");
  watch.send("quit");
  CHECK(watch.wait() == 0);

  TreeSnapshot after = flink.snapshot("/");
  CHECK(after.count(dir + "/connection_info") == 0);
  auto expected = before;
  expected.erase(dir + "/connection_info");
  // The fake's delete changed its parent: one more child version, one child fewer.
  auto& parent = expected.at(dir);
  std::get<4>(parent) += 1;
  std::get<6>(parent) -= 1;
  CHECK(after == expected);
}

TEST_CASE("Flink retrieval refuses what is not a Flink component") {
  CHECK_THROWS_WITH(makeFlinkLeaderRetrievalService(flinkConfiguration("x"), "jobmanager"),
                    Catch::Contains("resource_manager, dispatcher, rest_server or a job id"));
  CHECK_THROWS_WITH(makeFlinkLeaderRetrievalService(Configuration(), "dispatcher"),
                    Catch::Contains("ha.zookeeper.quorum"));
}
