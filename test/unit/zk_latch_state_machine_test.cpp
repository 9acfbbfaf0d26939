#include <zookeeper/zookeeper.h>
#include <catch2/catch.hpp>

#include "baton/zookeeper/latch_state_machine.hpp"
#include "baton/zookeeper/zk_error.hpp"

using namespace baton::zookeeper;
using namespace baton::zookeeper::latch;

namespace {

const std::string kDir = "/baton/c/leader/latch";
constexpr std::int64_t kSession = 100;

std::string node(const std::string& protection, int sequence) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%010d", sequence);
  return "_c_" + protection + "-latch-" + digits;
}
std::string path(const std::string& name) {
  return kDir + "/" + name;
}

template <typename T>
const T& only(const std::vector<Action>& actions) {
  REQUIRE(actions.size() == 1);
  REQUIRE(std::holds_alternative<T>(actions[0]));
  return std::get<T>(actions[0]);
}

// Drives a machine through start, session and create up to the first ListChildren.
struct Latch {
  LatchStateMachine m{kDir};
  std::string own;

  void enter(int sequence, std::uint64_t generation = 1, const std::string& protection = "p") {
    m.handle(Start{});
    only<EnsureLatchPath>(m.handle(SessionUp{generation, kSession, protection}));
    auto create = only<CreateNode>(m.handle(PathEnsured{generation, {}}));
    CHECK(create.pathPrefix == kDir + "/_c_" + protection + "-latch-");
    own = path(node(protection, sequence));
    only<ListChildren>(m.handle(Created{generation, {}, own}));
  }
  void acquire(std::int64_t czxid = 77, std::uint64_t generation = 1) {
    auto verify =
        only<VerifyOwnNode>(m.handle(Listed{generation, {}, {own.substr(kDir.size() + 1)}}));
    CHECK(verify.path == own);
    auto acquired = only<Acquired>(m.handle(Verified{generation, {}, own, kSession, czxid}));
    CHECK(acquired.path == own);
    CHECK(acquired.epoch == czxid);
    CHECK(m.isHeld());
  }
};

}  // namespace

TEST_CASE("a lone participant creates, lists, verifies its node and acquires") {
  Latch l;
  l.enter(3);
  l.acquire();
  CHECK(l.m.phase() == LatchPhase::held);
}

TEST_CASE("a follower watches only its predecessor and takes over when it goes") {
  Latch l;
  l.enter(3);
  auto read =
      only<ReadPredecessor>(l.m.handle(Listed{1, {}, {node("a", 1), node("p", 3), node("b", 2)}}));
  CHECK(read.path == path(node("b", 2)));
  CHECK(l.m.handle(PredecessorRead{1, {}, read.path}).empty());       // watch set: wait
  CHECK(l.m.handle(PredecessorGone{1, path(node("a", 1))}).empty());  // not our predecessor
  only<ListChildren>(l.m.handle(PredecessorGone{1, read.path}));
  auto next = only<ReadPredecessor>(l.m.handle(Listed{1, {}, {node("a", 1), node("p", 3)}}));
  CHECK(next.path == path(node("a", 1)));
  only<ListChildren>(l.m.handle(PredecessorRead{1, make_error_code(ZNONODE), next.path}));
  l.acquire();
}

TEST_CASE("a node this session does not own never makes a leader") {
  Latch l;
  l.enter(3);
  only<VerifyOwnNode>(l.m.handle(Listed{1, {}, {node("p", 3)}}));
  auto actions = l.m.handle(Verified{1, {}, l.own, kSession + 1, 5});
  only<EnsureLatchPath>(actions);
  CHECK_FALSE(l.m.isHeld());
}

TEST_CASE("a lost create reply is recovered by the protected name, leaving no orphan") {
  LatchStateMachine m{kDir};
  m.handle(Start{});
  m.handle(SessionUp{1, kSession, "p"});
  only<CreateNode>(m.handle(PathEnsured{1, {}}));
  m.handle(SessionSuspended{});
  CHECK(m.handle(Created{1, make_error_code(ZCONNECTIONLOSS), ""}).empty());
  CHECK(m.phase() == LatchPhase::recovering);
  only<ListChildren>(m.handle(SessionResumed{}));

  SECTION("found: adopted, no second create") {
    auto read = only<ReadPredecessor>(m.handle(Listed{1, {}, {node("x", 4), node("p", 5)}}));
    CHECK(read.path == path(node("x", 4)));
    CHECK(m.ownPath() == path(node("p", 5)));
  }
  SECTION("not found: created now") {
    only<CreateNode>(m.handle(Listed{1, {}, {node("x", 4)}}));
  }
}

TEST_CASE("close during an in-flight create deletes the node when the create completes") {
  LatchStateMachine m{kDir};
  m.handle(Start{});
  m.handle(SessionUp{1, kSession, "p"});
  only<CreateNode>(m.handle(PathEnsured{1, {}}));
  CHECK(m.handle(Close{}).empty());
  auto del = only<DeleteNode>(m.handle(Created{1, {}, path(node("p", 9))}));
  CHECK(del.path == path(node("p", 9)));
  CHECK(m.phase() == LatchPhase::closed);
}

TEST_CASE("close of a held latch releases, removes watches and deletes the node") {
  Latch l;
  l.enter(1);
  l.acquire();
  auto actions = l.m.handle(Close{});
  REQUIRE(actions.size() == 3);
  CHECK(std::get<Released>(actions[0]).reason == "closing");
  CHECK(std::get<RemoveWatches>(actions[1]).path == l.own);
  CHECK(std::get<DeleteNode>(actions[2]).path == l.own);
  CHECK(l.m.handle(Close{}).empty());  // idempotent
}

TEST_CASE("a reconnect with the same session keeps the node and its place") {
  Latch l;
  l.enter(1);
  l.acquire();
  CHECK(l.m.handle(SessionSuspended{}).empty());
  CHECK(l.m.handle(Listed{1, make_error_code(ZCONNECTIONLOSS), {}}).empty());
  only<ListChildren>(l.m.handle(SessionResumed{}));
  // Still lowest, owner already verified: no read, no release, no re-grant.
  CHECK(l.m.handle(Listed{1, {}, {node("p", 1), node("q", 2)}}).empty());
  CHECK(l.m.isHeld());
  CHECK(l.m.phase() == LatchPhase::held);
}

TEST_CASE("a lost session releases; the new session enters anew and old results are dropped") {
  Latch l;
  l.enter(1);
  l.acquire();
  only<Released>(l.m.handle(SessionLost{}));
  CHECK(l.m.phase() == LatchPhase::awaitingSession);
  only<EnsureLatchPath>(l.m.handle(SessionUp{2, kSession + 1, "q"}));
  CHECK(l.m.handle(PathEnsured{1, {}}).empty());  // generation 1: stale
  only<CreateNode>(l.m.handle(PathEnsured{2, {}}));
  CHECK(l.m.handle(Created{1, {}, path(node("p", 7))}).empty());
}

TEST_CASE("a deleted latch node or election path is re-created and re-entered") {
  Latch l;
  l.enter(1);
  l.acquire();
  only<ListChildren>(l.m.handle(OwnNodeWatchFired{1, l.own}));
  SECTION("the whole path is gone") {
    auto actions = l.m.handle(Listed{1, make_error_code(ZNONODE), {}});
    REQUIRE(actions.size() == 2);
    CHECK(std::holds_alternative<Released>(actions[0]));
    CHECK(std::holds_alternative<EnsureLatchPath>(actions[1]));
  }
  SECTION("only our node is gone") {
    auto actions = l.m.handle(Listed{1, {}, {node("z", 8)}});
    REQUIRE(actions.size() == 2);
    CHECK(std::holds_alternative<Released>(actions[0]));
    CHECK(std::holds_alternative<EnsureLatchPath>(actions[1]));
  }
  SECTION("the path is missing when creating") {
    auto actions = l.m.handle(Listed{1, make_error_code(ZNONODE), {}});
    only<CreateNode>(l.m.handle(PathEnsured{1, {}}));
    only<EnsureLatchPath>(l.m.handle(Created{1, make_error_code(ZNONODE), ""}));
  }
}

TEST_CASE("retryable errors while connected back off; fatal ones fail") {
  Latch l;
  l.enter(2);
  only<ScheduleRecheck>(l.m.handle(Listed{1, make_error_code(ZOPERATIONTIMEOUT), {}}));
  only<ListChildren>(l.m.handle(RecheckDue{1}));
  auto fail = only<Fail>(l.m.handle(Listed{1, make_error_code(ZNOAUTH), {}}));
  CHECK(fail.error == make_error_code(ZNOAUTH));
  CHECK(l.m.phase() == LatchPhase::failed);
}

TEST_CASE("after its watch fired, our node is read again (re-arming the watch)") {
  Latch l;
  l.enter(1);
  l.acquire();
  only<ListChildren>(l.m.handle(OwnNodeWatchFired{1, l.own}));
  only<VerifyOwnNode>(l.m.handle(Listed{1, {}, {node("p", 1)}}));
  CHECK(l.m.handle(Verified{1, {}, l.own, kSession, 77}).empty());  // still held: no re-grant
}

TEST_CASE("latch nodes sort by sequence; other names are ignored") {
  auto sorted = LatchStateMachine::sortLatchNodes(
      {"garbage", node("a", 10), node("b", 2), "x-latch-12", node("c", 2000000000)});
  CHECK(sorted == std::vector<std::string>{node("b", 2), node("a", 10), node("c", 2000000000)});
}
