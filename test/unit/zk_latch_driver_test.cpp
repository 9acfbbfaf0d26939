// The ZooKeeper latch driver over FakeZkClient: the I/O layer (ZkLatchRunner) end to end, with
// no server. The executor is stepped by hand; waits on timers (the re-check backoff) are
// bounded by a deadline.
#include <chrono>
#include <deque>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "baton/logging.hpp"
#include "client/zk_connection.hpp"
#include "election/zk_leader_election_driver.hpp"
#include "support/deadline.hpp"
#include "support/fake_zk_client.hpp"

using namespace baton;
using namespace baton::zookeeper;
using namespace std::chrono_literals;
using baton::test::FakeZkClient;

namespace {

const ZkPaths kPaths{"/baton", "c"};

// Records the driver's facts as text, in order.
struct RecordingListener : LeaderElectionDriver::Listener {
  std::deque<std::string> facts;
  void onGrantLeadership(std::uint64_t epoch) override {
    facts.push_back("grant " + std::to_string(epoch));
  }
  void onRevokeLeadership(const std::string&) override { facts.push_back("revoke"); }
  void onLeaderInformationChange(const std::string&, const LeaderInformation&) override {}
  void onError(const std::system_error&) override { facts.push_back("error"); }
  void onFailure(const std::system_error&) override { facts.push_back("failure"); }
};

struct Rig {
  boost::asio::io_context io;
  FakeZkClient* zk = nullptr;
  std::shared_ptr<ZkConnection> connection;
  RecordingListener listener;
  std::unique_ptr<LeaderElectionDriver> driver;

  explicit Rig(RetryPolicy retry = RetryPolicy{1ms, 8ms, 20}) {
    auto fake = std::make_unique<FakeZkClient>(io.get_executor());
    zk = fake.get();
    connection = std::make_shared<ZkConnection>(io.get_executor(), std::move(fake), quietLogger());
    mkdirs(kPaths.latchDir());
    settings.retry = retry;
  }
  ~Rig() {
    if (driver)
      driver->close();
    settle();
    connection->close();
  }

  LatchDriverSettings settings{
      kPaths, ParticipantData{"me", "me:1"}, ConnectionPolicy::lease, 500ms, 2000ms, RetryPolicy{}};

  void start() {
    connection->start();
    driver = makeZkLeaderElectionDriver(connection, settings, listener, quietLogger());
    settle();
  }
  // Runs every ready handler, including those they post; bounded.
  void settle() {
    for (int i = 0; i < 1000; ++i) {
      io.restart();
      if (io.poll() == 0)
        return;
    }
    FAIL("the executor never went idle");
  }
  // Runs handlers (timers included) until pred holds; bounded by a generous deadline.
  template <typename Pred>
  void runUntil(Pred pred) {
    auto deadline = std::chrono::steady_clock::now() + test::eventTimeout();
    while (!pred() && std::chrono::steady_clock::now() < deadline) {
      io.restart();
      io.run_one_for(10ms);
    }
    REQUIRE(pred());
  }
  void mkdirs(const std::string& path) {
    for (auto slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
      auto prefix = path.substr(0, slash);
      if (!zk->node(prefix))
        zk->createAs(0, prefix);
      if (slash == std::string::npos)
        return;
    }
  }
  std::vector<std::string> queue() const { return zk->children(kPaths.latchDir()); }
  // Another participant's latch node, owned by another session.
  std::string other(std::int64_t session) {
    return zk->createAs(
        session, kPaths.latchDir() + "/_c_other" + std::to_string(session) + "-latch-", "", true);
  }
  std::string ours() {
    for (const auto& child : queue()) {
      auto path = kPaths.latchDir() + "/" + child;
      if (zk->node(path)->stat.ephemeralOwner == zk->sessionId())
        return path;
    }
    return "";
  }
  std::string next() {
    REQUIRE_FALSE(listener.facts.empty());
    auto fact = listener.facts.front();
    listener.facts.pop_front();
    return fact;
  }
};

}  // namespace

TEST_CASE("the driver is granted once its node is the lowest, with the node's czxid as epoch") {
  Rig rig;
  auto first = rig.other(0x900);
  rig.start();
  REQUIRE(rig.queue().size() == 2);
  CHECK(rig.listener.facts.empty());  // a lower node: waiting
  CHECK(rig.zk->keepalive() == KeepaliveMode::follower);

  rig.zk->removeAs(first);
  rig.settle();
  auto own = rig.ours();
  REQUIRE_FALSE(own.empty());
  CHECK(rig.next() == "grant " + std::to_string(rig.zk->node(own)->stat.czxid));
  CHECK(rig.listener.facts.empty());
  CHECK(rig.zk->keepalive() == KeepaliveMode::leader);
}

TEST_CASE("a deleted predecessor makes the driver re-check: a lower node still waits") {
  Rig rig;
  auto a = rig.other(0x900);
  auto b = rig.other(0x901);
  rig.start();
  REQUIRE(rig.queue().size() == 3);

  rig.zk->removeAs(b);  // our predecessor goes, but a is still ahead
  rig.settle();
  CHECK(rig.listener.facts.empty());
  // b's watch is spent; the new predecessor a's stands, and the one on our own node (its
  // owner check while waiting)
  CHECK(rig.zk->watchCount() == 2);
  rig.zk->removeAs(a);
  rig.settle();
  CHECK(rig.next().rfind("grant ", 0) == 0);
}

TEST_CASE("a connection error while listing is retried after the backoff") {
  Rig rig;
  rig.zk->failNext(FakeZkClient::Op::getChildren, make_error_code(ZCONNECTIONLOSS));
  rig.start();
  CHECK(rig.listener.facts.empty());  // the list failed: the re-check waits for its backoff
  rig.runUntil([&] { return !rig.listener.facts.empty(); });
  CHECK(rig.next().rfind("grant ", 0) == 0);
}

TEST_CASE("closing while the create is in flight deletes the node when the reply arrives") {
  Rig rig;
  rig.zk->holdNextReply(FakeZkClient::Op::create);
  rig.start();
  REQUIRE(rig.zk->heldCount() == 1);
  REQUIRE(rig.queue().size() == 1);  // created at the server; we do not know it yet

  rig.driver->close();
  rig.settle();
  CHECK(rig.queue().size() == 1);
  rig.zk->releaseHeld();
  rig.settle();
  CHECK(rig.queue().empty());
  CHECK(rig.listener.facts.empty());
}

TEST_CASE("closing after a lost create reply finds the node by its protected name") {
  Rig rig(RetryPolicy{std::chrono::hours(1), std::chrono::hours(1), 20});  // no re-check runs
  rig.zk->loseNextReply(FakeZkClient::Op::create);
  rig.start();
  REQUIRE(rig.queue().size() == 1);  // created, but the driver heard a connection loss

  rig.driver->close();
  rig.settle();
  CHECK(rig.queue().empty());
  CHECK(rig.listener.facts.empty());
}

TEST_CASE("an expired session revokes, and the new session enters and is granted again") {
  Rig rig;
  rig.start();
  auto first = rig.ours();
  CHECK(rig.next() == "grant " + std::to_string(rig.zk->node(first)->stat.czxid));

  rig.zk->expireSession();
  rig.settle();
  CHECK(rig.next() == "revoke");
  auto second = rig.ours();
  REQUIRE_FALSE(second.empty());
  CHECK(second != first);
  CHECK(rig.next() == "grant " + std::to_string(rig.zk->node(second)->stat.czxid));
}

TEST_CASE("under the standard policy a suspended leader is revoked and re-granted on reconnect") {
  Rig rig;
  rig.settings.policy = ConnectionPolicy::standard;
  rig.start();
  auto own = rig.ours();
  auto epoch = "grant " + std::to_string(rig.zk->node(own)->stat.czxid);
  CHECK(rig.next() == epoch);

  rig.zk->suspend();
  rig.settle();
  CHECK(rig.next() == "revoke");
  rig.zk->resume();  // the same session: the node and its place are kept, re-checked
  rig.settle();
  CHECK(rig.next() == epoch);
  CHECK(rig.ours() == own);
}

// Issue 12: what start, a handover and waiting cost, counted in requests.

TEST_CASE("an uncontended start on an existing path costs one write and two reads") {
  Rig rig;
  rig.start();
  CHECK(rig.next().rfind("grant ", 0) == 0);
  CHECK(rig.zk->issued(FakeZkClient::Op::create) == 1);                // the latch node
  CHECK(rig.zk->issued(FakeZkClient::Op::getChildren) == 1);           // the queue
  CHECK(rig.zk->issued(FakeZkClient::Op::statWatchingDeletion) == 1);  // our node's owner, epoch
  CHECK(rig.zk->issuedTotal() == 3);  // no exists, no ensurePath, no other write
}

TEST_CASE("a missing latch path is created once the create says ZNONODE, then the create again") {
  Rig rig;
  rig.zk->removeAs(kPaths.latchDir());
  rig.start();
  CHECK(rig.next().rfind("grant ", 0) == 0);
  CHECK(rig.zk->issued(FakeZkClient::Op::create) == 2);
  CHECK(rig.zk->issued(FakeZkClient::Op::ensurePath) == 1);
  CHECK(rig.queue().size() == 1);
}

TEST_CASE("a leader that leaves deletes its information and its latch node in one multi") {
  Rig rig;
  rig.start();
  REQUIRE(rig.next().rfind("grant ", 0) == 0);
  const auto info = kPaths.connectionInfo("comp");
  rig.driver->publishLeaderInformation("comp", LeaderInformation(LeaderSessionId::random(), "a:1"));
  rig.settle();
  REQUIRE(rig.zk->node(info));
  const auto own = rig.ours();
  rig.zk->resetCounts();

  SECTION("removed, then closed at once (the service leaving the election)") {
    rig.driver->deleteLeaderInformation("comp");
    rig.driver->close();
  }
  SECTION("closed without a removal") {
    rig.driver->close();
  }
  rig.settle();
  CHECK_FALSE(rig.zk->node(info));
  CHECK(rig.queue().empty());
  CHECK(rig.zk->issued(FakeZkClient::Op::remove) == 0);
  REQUIRE(rig.zk->issued(FakeZkClient::Op::multi) == 1);  // the one write of the handover
  const auto& ops = rig.zk->multis().front();
  REQUIRE(ops.size() == 2);
  CHECK(ops[0].kind == ZkOp::Kind::remove);
  CHECK(ops[0].path == info);
  CHECK(ops[0].version == 0);  // conditional: a node changed by anyone else stays
  CHECK(ops[1].kind == ZkOp::Kind::remove);
  CHECK(ops[1].path == own);
  CHECK(rig.listener.facts.empty());
}

TEST_CASE("a leaving multi that fails on the information still deletes the latch node") {
  Rig rig;
  rig.start();
  REQUIRE(rig.next().rfind("grant ", 0) == 0);
  const auto info = kPaths.connectionInfo("comp");
  rig.driver->publishLeaderInformation("comp", LeaderInformation(LeaderSessionId::random(), "a:1"));
  rig.settle();
  // Someone else writes the node; the store leaves before its watch's re-read answers.
  rig.zk->setDataAs(info, "theirs");
  rig.zk->resetCounts();
  rig.driver->deleteLeaderInformation("comp");
  rig.driver->close();
  rig.settle();
  CHECK(rig.queue().empty());   // never leaked
  REQUIRE(rig.zk->node(info));  // changed by someone else: not ours to delete
  CHECK(rig.zk->node(info)->data == "theirs");
  CHECK(rig.zk->issued(FakeZkClient::Op::multi) == 1);   // failed whole: ZBADVERSION
  CHECK(rig.zk->issued(FakeZkClient::Op::remove) == 1);  // then the latch node alone
  CHECK(rig.listener.facts.empty());
}

TEST_CASE("only the participant next in line keeps a recent answer; those behind it send nothing") {
  Rig rig;
  auto a = rig.other(0x900);
  auto b = rig.other(0x901);
  rig.start();
  REQUIRE(rig.queue().size() == 3);
  CHECK(rig.zk->keepalive() == KeepaliveMode::none);  // behind b: only the C client's pings
  rig.zk->removeAs(b);
  rig.settle();
  CHECK(rig.zk->keepalive() == KeepaliveMode::follower);  // right behind the leader
  rig.zk->removeAs(a);
  rig.settle();
  CHECK(rig.next().rfind("grant ", 0) == 0);
  CHECK(rig.zk->keepalive() == KeepaliveMode::leader);
}

TEST_CASE("a takeover tells the one behind that it is next, by a write its own watch ignores") {
  Rig rig;
  const auto first = rig.other(0x910);
  rig.start();
  const auto own = rig.ours();
  const auto behind = rig.other(0x911);  // lists after us: behind a leader-to-be
  REQUIRE(rig.listener.facts.empty());
  const auto before = *rig.zk->node(own);
  rig.zk->resetCounts();
  rig.zk->removeAs(first);
  rig.settle();
  CHECK(rig.next().rfind("grant ", 0) == 0);
  // One write of our own node's unchanged data (its version moves: a watch on it fires)...
  CHECK(rig.zk->issued(FakeZkClient::Op::setData) == 1);
  CHECK(rig.zk->node(own)->data == before.data);
  CHECK(rig.zk->node(own)->stat.version == before.stat.version + 1);
  // ... and nothing after it: our own watch is for deletion only, so no re-check follows.
  CHECK(rig.zk->issued(FakeZkClient::Op::getChildren) == 1);           // the takeover's list
  CHECK(rig.zk->issued(FakeZkClient::Op::statWatchingDeletion) == 0);  // checked while waiting
  CHECK(rig.zk->issuedTotal() == 2);
  CHECK(rig.listener.facts.empty());
  // Our node's watch still stands and fires when the node is deleted.
  rig.zk->removeAs(own);
  rig.settle();
  CHECK(rig.next() == "revoke");
  CHECK(rig.zk->node(behind));
}

TEST_CASE("the next in line keeps the leader's keepalive until its proof would hold a lease") {
  Rig rig;
  auto a = rig.other(0x920);
  auto b = rig.other(0x921);
  rig.start();
  // It waited behind b far longer than the lease: nothing recent is proven.
  rig.zk->setRenewedSince(LeaseClock::now() - std::chrono::hours(1));
  CHECK(rig.zk->keepalive() == KeepaliveMode::none);
  rig.zk->removeAs(b);  // now next in line
  rig.settle();
  CHECK(rig.zk->keepalive() == KeepaliveMode::leader);  // builds a proof now, not at takeover
  rig.zk->renew(LeaseClock::now());
  rig.settle();
  CHECK(rig.zk->keepalive() == KeepaliveMode::follower);  // then keeps it current, cheaply
  rig.zk->removeAs(a);
  rig.settle();
  CHECK(rig.next().rfind("grant ", 0) == 0);  // no wait for a proof at the takeover
}
