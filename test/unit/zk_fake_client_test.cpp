// The fake ZkClient behaves as the servers do where the latch driver's tests rely on it.
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "support/fake_zk_client.hpp"

using namespace baton;
using namespace baton::zookeeper;
using baton::test::FakeZkClient;

namespace {

struct Rig {
  boost::asio::io_context io;
  FakeZkClient zk{io.get_executor()};
  std::vector<ConnectionState> states;

  Rig() {
    zk.setStateListener([this](ConnectionState s, const ZkSessionInfo&) { states.push_back(s); });
    zk.start();
    io.poll();
  }
};

}  // namespace

TEST_CASE("sequential names come from the parent's cversion, as the server makes them") {
  Rig rig;
  rig.zk.createAs(0, "/d");
  auto a = rig.zk.createAs(0, "/d/n-", "", true);
  auto b = rig.zk.createAs(0, "/d/n-", "", true);
  rig.zk.removeAs(b);
  auto c = rig.zk.createAs(0, "/d/n-", "", true);
  CHECK(a == "/d/n-0000000000");
  CHECK(b == "/d/n-0000000001");
  CHECK(c == "/d/n-0000000003");  // a delete counts in cversion too
}

TEST_CASE("a failed multi changes nothing and reports per-op results as DataTree does") {
  Rig rig;
  rig.zk.createAs(0, "/d");
  std::error_code overall;
  std::vector<ZkOpResult> results;
  rig.zk.multi({ZkOp::create("/d/a", "x"), ZkOp::check("/d/missing"), ZkOp::create("/d/b", "y")},
               [&](std::error_code ec, const std::vector<ZkOpResult>& r) {
                 overall = ec;
                 results = r;
               });
  rig.io.restart();
  rig.io.poll();
  CHECK(overall == make_error_code(ZNONODE));
  REQUIRE(results.size() == 3);
  CHECK_FALSE(results[0].error);
  CHECK(results[1].error == make_error_code(ZNONODE));
  CHECK(results[2].error == make_error_code(ZRUNTIMEINCONSISTENCY));
  CHECK_FALSE(rig.zk.node("/d/a"));
}

TEST_CASE("an expired session takes its ephemerals and watches; a new session follows") {
  Rig rig;
  rig.zk.createAs(0, "/d");
  std::string created;
  rig.zk.createNode("/d/e", "", true, false,
                    [&](std::error_code, const std::string& path) { created = path; });
  int fired = 0;
  rig.zk.getChildren(
      "/d", [&](const WatchEvent&) { ++fired; },
      [](std::error_code, const std::vector<std::string>&) {});
  rig.io.restart();
  rig.io.poll();
  CHECK(created == "/d/e");
  auto first = rig.zk.session();
  rig.zk.expireSession();
  rig.io.restart();
  rig.io.poll();
  CHECK_FALSE(rig.zk.node("/d/e"));
  CHECK(fired == 0);  // the old session's watch went with it
  CHECK(rig.zk.watchCount() == 0);
  CHECK(rig.zk.session().generation == first.generation + 1);
  CHECK(rig.states == std::vector<ConnectionState>{ConnectionState::connected,
                                                   ConnectionState::lost,
                                                   ConnectionState::connected});
}

TEST_CASE("faults: a failed op applies nothing, a lost reply applies, a held reply waits") {
  Rig rig;
  rig.zk.createAs(0, "/d");
  std::vector<std::error_code> answers;
  auto record = [&](std::error_code ec, const std::string&) { answers.push_back(ec); };
  rig.zk.failNext(FakeZkClient::Op::create, make_error_code(ZNOAUTH));
  rig.zk.createNode("/d/a", "", false, false, record);
  rig.zk.loseNextReply(FakeZkClient::Op::create);
  rig.zk.createNode("/d/b", "", false, false, record);
  rig.zk.holdNextReply(FakeZkClient::Op::create);
  rig.zk.createNode("/d/c", "", false, false, record);
  rig.io.restart();
  rig.io.poll();
  CHECK(answers ==
        std::vector<std::error_code>{make_error_code(ZNOAUTH), make_error_code(ZCONNECTIONLOSS)});
  CHECK_FALSE(rig.zk.node("/d/a"));
  CHECK(rig.zk.node("/d/b"));
  CHECK(rig.zk.node("/d/c"));
  CHECK(rig.zk.releaseHeld() == 1);
  rig.io.restart();
  rig.io.poll();
  CHECK(answers.size() == 3);
  CHECK_FALSE(answers[2]);
}
