// The ZooKeeper backend against a real ensemble (BATON_TEST_ZK), in one process: several
// ZooKeeperHaServices are several participants, each with its own session.
#include <atomic>

#include <catch2/catch.hpp>

#include "election/latch_state_machine.hpp"
#include "leader_info/znode_codec.hpp"
#include "support/fault_proxy.hpp"
#include "support/recording_contender.hpp"
#include "support/zk_test_env.hpp"

using namespace baton;
using namespace baton::test;
using baton::zookeeper::ZooKeeperHaServices;

namespace {

struct TestParticipant {
  std::unique_ptr<ZooKeeperHaServices> services;
  RecordingContender contender;
  std::unique_ptr<LeaderElection> election;
  std::string address;

  TestParticipant(const std::string& cluster, const std::string& id,
                  EventInbox<std::string>* grantLog = nullptr,
                  std::map<std::string, std::string> extra = {})
      : services(makeZkServices(cluster, id, std::move(extra))), address(id + ":1") {
    contender.onGrant = [this, grantLog, id](const LeaderSessionId& session) {
      election->confirmLeadership(session, address);
      if (grantLog)
        grantLog->push(id);
    };
    election = services->getLeaderElection("rm");
    election->startLeaderElection(contender);
  }
  ~TestParticipant() {
    election->close();
    services->close();
  }
};

}  // namespace

TEST_CASE("participants queue in order, hand over gracefully, and leave no znode") {
  auto cluster = uniqueClusterId("handover");
  AdminClient admin;
  auto retrievalServices = makeZkServices(cluster, "watcher");
  RecordingRetrievalListener watcher;
  auto retriever = retrievalServices->getLeaderRetriever("rm");
  retriever->start(watcher);

  auto first = std::make_unique<TestParticipant>(cluster, "p1");
  auto firstId = first->contender.inbox.expectNext<Granted>().id;
  auto latch = "/baton-test/" + cluster + "/leader/latch";
  auto second = std::make_unique<TestParticipant>(cluster, "p2");
  admin.awaitChildren(latch, 2);  // p2 queued before p3 joins
  auto third = std::make_unique<TestParticipant>(cluster, "p3");
  auto seen = watcher.awaitAddress("p1:1");
  CHECK(seen.id == firstId);
  admin.awaitChildren(latch, 3);

  auto participants = first->services->participants();
  REQUIRE(participants.size() == 3);
  CHECK(participants[0].id == "p1");
  CHECK(participants[1].id == "p2");
  CHECK(participants[2].id == "p3");
  CHECK(first->services->currentLeader("rm") == LeaderInformation(firstId, "p1:1"));

  first.reset();  // graceful: its node is deleted at once, p2 is next
  auto secondId = second->contender.inbox.expectNext<Granted>().id;
  CHECK(watcher.awaitAddress("p2:1").id == secondId);
  CHECK(third->contender.inbox.empty());

  second.reset();
  third->contender.inbox.expectNext<Granted>();
  watcher.awaitAddress("p3:1");
  third.reset();
  watcher.awaitAddress("");  // the last leader deleted its information on leaving

  retriever->stop();
  CHECK(admin.children(latch).empty());
  retrievalServices->cleanupAllData();
  CHECK_FALSE(admin.exists("/baton-test/" + cluster));
  retrievalServices->close();
}

TEST_CASE("a leader's own retriever still follows the component after its leader leaves") {
  // A process that both leads and retrieves a component on one services instance (Flink's
  // JobManager does) shares one session for both: what the leaving election does to its own
  // watches must not silence the retriever's.
  auto cluster = uniqueClusterId("colocated");
  auto first = std::make_unique<TestParticipant>(cluster, "p1");
  first->contender.inbox.expectNext<Granted>();
  RecordingRetrievalListener ownWatch;
  auto retriever = first->services->getLeaderRetriever("rm");
  retriever->start(ownWatch);
  ownWatch.awaitAddress("p1:1");
  auto second = std::make_unique<TestParticipant>(cluster, "p2");
  AdminClient admin;
  admin.awaitChildren("/baton-test/" + cluster + "/leader/latch", 2);

  first->election->close();  // leaves the election; its services and retriever stay
  second->contender.inbox.expectNext<Granted>();
  ownWatch.awaitAddress("p2:1");
  retriever->stop();
  retriever.reset();  // before its services: they own the executor its connection runs on
  second.reset();
  first->services->cleanupAllData();
  first.reset();
}

TEST_CASE("several components of one process are granted, published and retrieved together") {
  auto cluster = uniqueClusterId("multi");
  std::map<std::string, std::unique_ptr<ZooKeeperHaServices>> processes;
  processes["a"] = makeZkServices(cluster, "a");
  processes["b"] = makeZkServices(cluster, "b");
  struct Member {
    RecordingContender contender;
    std::unique_ptr<LeaderElection> election;
  };
  std::map<std::string, Member> members;  // "<process>/<component>"
  for (const auto* process : {"a", "b"}) {
    for (const auto* component : {"dispatcher", "rest_server"}) {
      auto& m = members[std::string(process) + "/" + component];
      m.election = processes[process]->getLeaderElection(component);
      m.contender.onGrant = [&m, process, component](const LeaderSessionId& id) {
        m.election->confirmLeadership(id, std::string(process) + "-" + component);
      };
      m.election->startLeaderElection(m.contender);
    }
    // Process a joins (and so leads) before b starts.
    if (std::string(process) == "a")
      members["a/dispatcher"].contender.inbox.expectNext<Granted>();
  }
  auto dispatcherId = members["a/dispatcher"].contender.isLeading()
                          ? members["a/rest_server"].contender.inbox.expectNext<Granted>().id
                          : LeaderSessionId();
  CHECK(members["a/dispatcher"].election->hasLeadership(dispatcherId));

  auto watchers = makeZkServices(cluster, "watcher");
  RecordingRetrievalListener dispatcherWatch, restWatch;
  auto r1 = watchers->getLeaderRetriever("dispatcher");
  auto r2 = watchers->getLeaderRetriever("rest_server");
  r1->start(dispatcherWatch);
  r2->start(restWatch);
  CHECK(dispatcherWatch.awaitAddress("a-dispatcher").id == dispatcherId);
  CHECK(restWatch.awaitAddress("a-rest_server").id == dispatcherId);

  for (auto& [name, m] : members) {
    if (name[0] == 'a')
      m.election->close();
  }
  processes["a"]->close();
  auto bId = members["b/dispatcher"].contender.inbox.expectNext<Granted>().id;
  members["b/rest_server"].contender.inbox.expectNext<Granted>();
  CHECK(dispatcherWatch.awaitAddress("b-dispatcher").id == bId);
  restWatch.awaitAddress("b-rest_server");

  r1->stop();
  r2->stop();
  for (auto& [name, m] : members)
    m.election->close();
  processes["b"]->close();
  watchers->cleanupAllData();
  watchers->close();
}

TEST_CASE("malformed or tampered leader information is healed; readers see no leader") {
  auto cluster = uniqueClusterId("heal");
  AdminClient admin;
  // The leader reaches the servers through a proxy, so the test can keep the watch event that
  // tells it of the damage from reaching it until a reader has seen the damage: otherwise the
  // leader may heal the node before the reader reads it, and the reader, rightly, never sees
  // anything but the leader.
  FaultProxy proxy(zkQuorum());
  auto holdLeader = [&proxy](bool held) {
    for (std::size_t server = 0; server < proxy.servers(); ++server)
      proxy.setHeld(server, FaultProxy::Direction::toClient, held);
  };
  TestParticipant leader(cluster, "leader", nullptr, {{"ha.zookeeper.quorum", proxy.quorum()}});
  auto id = leader.contender.inbox.expectNext<Granted>().id;
  auto watchers = makeZkServices(cluster, "watcher");
  RecordingRetrievalListener watcher;
  auto retriever = watchers->getLeaderRetriever("rm");
  retriever->start(watcher);
  watcher.awaitAddress("leader:1");

  auto path = "/baton-test/" + cluster + "/leader/rm/connection_info";
  holdLeader(true);
  REQUIRE_FALSE(admin.setData(path, "\x01garbage\xff"));
  watcher.awaitAddress("");  // the reader rejects it as "no leader"
  holdLeader(false);
  CHECK(watcher.awaitAddress("leader:1").id == id);  // the leader restores its information

  // Well-formed information of someone else: readers may believe it until the leader, which
  // watches its node, writes its own back.
  auto intruder = zookeeper::encodeLeaderInformation(
      LeaderInformation(LeaderSessionId::random(), "intruder:9"));
  REQUIRE_FALSE(admin.setData(path, intruder));
  watcher.awaitAddress("leader:1");

  holdLeader(true);
  REQUIRE_FALSE(admin.remove(path));
  watcher.awaitAddress("");
  holdLeader(false);
  CHECK(watcher.awaitAddress("leader:1").id == id);
  CHECK(zookeeper::decodeLeaderInformation(admin.data(path)) == LeaderInformation(id, "leader:1"));
  CHECK(leader.contender.violations().empty());

  retriever->stop();
  watchers->close();
  leader.election->close();
  leader.services->cleanupAllData();
  CHECK_FALSE(admin.exists("/baton-test/" + cluster));
}

TEST_CASE("the election path deleted under a running election is re-created and re-entered") {
  auto cluster = uniqueClusterId("pathgone");
  AdminClient admin;
  EventInbox<std::string> grants;  // who was granted, in order, across both participants
  {
    TestParticipant leader(cluster, "leader", &grants);
    CHECK(grants.next() == "leader");
    TestParticipant follower(cluster, "follower", &grants);
    auto latch = "/baton-test/" + cluster + "/leader/latch";
    admin.awaitChildren(latch, 2);

    admin.removeTree(latch);  // an operator's mistake: both latch nodes vanish
    leader.contender.inbox.await<Revoked>();
    // Both re-enter. Whoever owns the lowest new node must lead, and the other must not: a
    // participant briefly granted while the tree was being deleted is revoked when it sees its
    // node gone.
    auto nodes = zookeeper::LatchStateMachine::sortLatchNodes(admin.awaitChildren(latch, 2));
    auto first = zookeeper::decodeParticipant(admin.data(latch + "/" + nodes.front()));
    REQUIRE(first);
    auto& winner = first->id == "leader" ? leader.contender : follower.contender;
    auto& other = first->id == "leader" ? follower.contender : leader.contender;
    for (int i = 0; i < 10 && !winner.isLeading(); ++i)
      winner.inbox.await<Granted>();
    for (int i = 0; i < 10 && other.isLeading(); ++i)
      other.inbox.await<Revoked>();
    CHECK(winner.isLeading());
    CHECK_FALSE(other.isLeading());
    CHECK(leader.contender.violations().empty());
    CHECK(follower.contender.violations().empty());
  }
  admin.removeTree("/baton-test/" + cluster);
  CHECK_FALSE(admin.exists("/baton-test/" + cluster));
}
