#include <functional>
#include <set>
#include <stdexcept>
#include <utility>

#include <zookeeper/zookeeper.h>
#include <catch2/catch.hpp>

#include "baton/zookeeper/zk_error.hpp"
#include "election/latch_state_machine.hpp"

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

// The first list that finds a node ahead: watch the predecessor, and check our own node while
// waiting (so that a takeover needs no check). Returns the predecessor read.
ReadPredecessor waitBehind(const std::vector<Action>& actions, const std::string& own) {
  REQUIRE(actions.size() == 2);
  REQUIRE(std::holds_alternative<ReadPredecessor>(actions[0]));
  REQUIRE(std::holds_alternative<VerifyOwnNode>(actions[1]));
  CHECK(std::get<VerifyOwnNode>(actions[1]).path == own);
  return std::get<ReadPredecessor>(actions[0]);
}

// Drives a machine through start, session and create up to the first ListChildren.
struct Latch {
  LatchStateMachine m{kDir};
  std::string own;

  void enter(int sequence, std::uint64_t generation = 1, const std::string& protection = "p") {
    m.handle(Start{});
    auto create = only<CreateNode>(m.handle(SessionUp{generation, kSession, protection}));
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
      waitBehind(l.m.handle(Listed{1, {}, {node("a", 1), node("p", 3), node("b", 2)}}), l.own);
  CHECK(read.path == path(node("b", 2)));
  CHECK(l.m.handle(PredecessorRead{1, {}, read.path}).empty());       // watch set: wait
  CHECK(l.m.handle(PredecessorGone{1, path(node("a", 1))}).empty());  // not our predecessor
  only<ListChildren>(l.m.handle(PredecessorGone{1, read.path}));
  // Our own check is still unanswered: not sent twice.
  auto next = only<ReadPredecessor>(l.m.handle(Listed{1, {}, {node("a", 1), node("p", 3)}}));
  CHECK(next.path == path(node("a", 1)));
  only<ListChildren>(l.m.handle(PredecessorRead{1, make_error_code(ZNONODE), next.path}));
  // The list shows us lowest while the check sent when waiting is in flight: it answers for
  // the takeover (no second check).
  CHECK(l.m.handle(Listed{1, {}, {node("p", 3)}}).empty());
  CHECK(l.m.phase() == LatchPhase::verifying);
  auto acquired = only<Acquired>(l.m.handle(Verified{1, {}, l.own, kSession, 77}));
  CHECK(acquired.epoch == 77);
}

TEST_CASE("a follower checks its own node while waiting: at the takeover it acquires on its list") {
  Latch l;
  l.enter(3);
  auto read = waitBehind(l.m.handle(Listed{1, {}, {node("a", 1), node("p", 3)}}), l.own);
  CHECK(l.m.handle(PredecessorRead{1, {}, read.path}).empty());
  CHECK(l.m.handle(Verified{1, {}, l.own, kSession, 66}).empty());  // ours: remembered
  only<ListChildren>(l.m.handle(PredecessorGone{1, read.path}));
  auto acquired = only<Acquired>(l.m.handle(Listed{1, {}, {node("p", 3)}}));
  CHECK(acquired.epoch == 66);
  CHECK(l.m.isHeld());
}

// Issue 12: the participant behind a new leader listed while that leader still waited, so it
// does not know it is next (and keeps no recent answer for its own lease proof). The new
// leader's notice fires its predecessor watch; its list tells it.
TEST_CASE("taking over from a predecessor with someone behind notifies that one, once") {
  Latch l;
  l.enter(3);
  auto read =
      waitBehind(l.m.handle(Listed{1, {}, {node("a", 1), node("p", 3), node("b", 5)}}), l.own);
  CHECK(l.m.handle(Verified{1, {}, l.own, kSession, 66}).empty());
  only<ListChildren>(l.m.handle(PredecessorGone{1, read.path}));
  auto actions = l.m.handle(Listed{1, {}, {node("p", 3), node("b", 5)}});
  REQUIRE(actions.size() == 2);
  CHECK(std::get<Acquired>(actions[0]).epoch == 66);  // the grant is not held up by the notice
  CHECK(std::get<NotifySuccessor>(actions[1]).path == l.own);
  SECTION("a re-check of the held latch notifies no one again") {
    CHECK(l.m.handle(SessionSuspended{}).empty());
    only<ListChildren>(l.m.handle(SessionResumed{}));
    CHECK(l.m.handle(Listed{1, {}, {node("p", 3), node("b", 5)}}).empty());
    CHECK(l.m.isHeld());
  }
  SECTION("a deletion notice re-checks: no second grant, no second notice") {
    only<ListChildren>(l.m.handle(OwnNodeWatchFired{1, l.own}));
    only<VerifyOwnNode>(l.m.handle(Listed{1, {}, {node("p", 3), node("b", 5)}}));
    CHECK(l.m.handle(Verified{1, {}, l.own, kSession, 66}).empty());
    CHECK(l.m.isHeld());
  }
}

TEST_CASE("a leader that took over removes no spent predecessor watch when it leaves") {
  Latch l;
  l.enter(3);
  auto read = waitBehind(l.m.handle(Listed{1, {}, {node("a", 1), node("p", 3)}}), l.own);
  CHECK(l.m.handle(PredecessorRead{1, {}, read.path}).empty());
  CHECK(l.m.handle(Verified{1, {}, l.own, kSession, 66}).empty());
  only<ListChildren>(l.m.handle(PredecessorGone{1, read.path}));  // the watch is spent
  only<Acquired>(l.m.handle(Listed{1, {}, {node("p", 3)}}));
  auto actions = l.m.handle(Close{});
  REQUIRE(actions.size() == 2);
  CHECK(std::holds_alternative<Released>(actions[0]));
  CHECK(std::get<DeleteNode>(actions[1]).path == l.own);  // no request ahead of the delete
}

TEST_CASE("a takeover notifies no one when no one is behind, or when it never waited") {
  Latch l;
  l.enter(3);
  SECTION("alone after waiting") {
    auto read = waitBehind(l.m.handle(Listed{1, {}, {node("a", 1), node("p", 3)}}), l.own);
    only<ListChildren>(l.m.handle(PredecessorGone{1, read.path}));
    CHECK(l.m.handle(Listed{1, {}, {node("p", 3)}}).empty());  // its check still in flight
    only<Acquired>(l.m.handle(Verified{1, {}, l.own, kSession, 66}));
  }
  SECTION("lowest at its first list: whoever joins behind lists after us and knows") {
    only<VerifyOwnNode>(l.m.handle(Listed{1, {}, {node("p", 3), node("b", 5)}}));
    only<Acquired>(l.m.handle(Verified{1, {}, l.own, kSession, 66}));
  }
}

TEST_CASE("the one behind learns from the notice that it is next in line") {
  Latch l;
  l.enter(5, 1, "b");
  auto read =
      waitBehind(l.m.handle(Listed{1, {}, {node("a", 1), node("p", 3), node("b", 5)}}), l.own);
  CHECK(read.path == path(node("p", 3)));
  CHECK(l.m.handle(PredecessorRead{1, {}, read.path}).empty());
  CHECK_FALSE(l.m.isNextInLine());
  // a leaves, p takes over and writes its node: our watch on p fires (data changed)
  only<ListChildren>(l.m.handle(PredecessorGone{1, read.path}));
  auto again = only<ReadPredecessor>(l.m.handle(Listed{1, {}, {node("p", 3), node("b", 5)}}));
  CHECK(again.path == read.path);  // the fired watch is spent: armed anew
  CHECK(l.m.isNextInLine());
  CHECK(l.m.phase() == LatchPhase::watching);
}

TEST_CASE("a follower's check while waiting that finds another session's node re-enters") {
  Latch l;
  l.enter(3);
  waitBehind(l.m.handle(Listed{1, {}, {node("a", 1), node("p", 3)}}), l.own);
  only<CreateNode>(l.m.handle(Verified{1, {}, l.own, kSession + 1, 66}));
  CHECK_FALSE(l.m.isHeld());
}

TEST_CASE("a follower's own node deleted while waiting: re-checked at once") {
  Latch l;
  l.enter(3);
  waitBehind(l.m.handle(Listed{1, {}, {node("a", 1), node("p", 3)}}), l.own);
  SECTION("the check finds it gone") {
    only<ListChildren>(l.m.handle(Verified{1, make_error_code(ZNONODE), l.own, 0, 0}));
  }
  SECTION("its watch fires later") {
    CHECK(l.m.handle(Verified{1, {}, l.own, kSession, 66}).empty());
    only<ListChildren>(l.m.handle(OwnNodeWatchFired{1, l.own}));
  }
  only<CreateNode>(l.m.handle(Listed{1, {}, {node("a", 1)}}));  // gone: a new node
}

TEST_CASE("a node this session does not own never makes a leader") {
  Latch l;
  l.enter(3);
  only<VerifyOwnNode>(l.m.handle(Listed{1, {}, {node("p", 3)}}));
  auto actions = l.m.handle(Verified{1, {}, l.own, kSession + 1, 5});
  only<CreateNode>(actions);
  CHECK_FALSE(l.m.isHeld());
}

TEST_CASE("a lost create reply is recovered by the protected name, leaving no orphan") {
  LatchStateMachine m{kDir};
  m.handle(Start{});
  only<CreateNode>(m.handle(SessionUp{1, kSession, "p"}));
  m.handle(SessionSuspended{});
  CHECK(m.handle(Created{1, make_error_code(ZCONNECTIONLOSS), ""}).empty());
  CHECK(m.phase() == LatchPhase::recovering);
  only<ListChildren>(m.handle(SessionResumed{}));

  SECTION("found: adopted, no second create") {
    auto read =
        waitBehind(m.handle(Listed{1, {}, {node("x", 4), node("p", 5)}}), path(node("p", 5)));
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
  only<CreateNode>(m.handle(SessionUp{1, kSession, "p"}));
  CHECK(m.handle(Close{}).empty());
  auto del = only<DeleteNode>(m.handle(Created{1, {}, path(node("p", 9))}));
  CHECK(del.path == path(node("p", 9)));
  CHECK(m.phase() == LatchPhase::closed);
}

TEST_CASE("close of a held latch releases and deletes the node, with nothing ahead of it") {
  Latch l;
  l.enter(1);
  l.acquire();
  auto actions = l.m.handle(Close{});
  REQUIRE(actions.size() == 2);
  CHECK(std::get<Released>(actions[0]).reason == "closing");
  CHECK(std::get<DeleteNode>(actions[1]).path == l.own);  // its watch fires once, ignored
  CHECK(l.m.handle(Close{}).empty());                     // idempotent
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
  only<CreateNode>(l.m.handle(SessionUp{2, kSession + 1, "q"}));
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
    CHECK(std::holds_alternative<CreateNode>(actions[1]));
  }
  SECTION("only our node is gone") {
    auto actions = l.m.handle(Listed{1, {}, {node("z", 8)}});
    REQUIRE(actions.size() == 2);
    CHECK(std::holds_alternative<Released>(actions[0]));
    CHECK(std::holds_alternative<CreateNode>(actions[1]));
  }
  SECTION("the path is missing when creating") {
    l.m.handle(Listed{1, make_error_code(ZNONODE), {}});
    only<EnsureLatchPath>(l.m.handle(Created{1, make_error_code(ZNONODE), ""}));
    CHECK(l.m.handle(PathEnsured{2, {}}).empty());  // another generation: stale
    only<CreateNode>(l.m.handle(PathEnsured{1, {}}));
  }
}

TEST_CASE("retryable errors while connected back off; fatal ones fail") {
  Latch l;
  l.enter(2);
  only<ScheduleRecheck>(l.m.handle(Listed{1, make_error_code(ZOPERATIONTIMEOUT), {}}));
  only<ListChildren>(l.m.handle(RecheckDue{1}));
  auto del = only<DeleteNode>(l.m.handle(Listed{1, make_error_code(ZNOAUTH), {}}));
  CHECK(del.path == l.own);
  CHECK(l.m.phase() == LatchPhase::leaving);
  auto fail = only<Fail>(l.m.handle(NodeDeleted{1, l.own, {}}));
  CHECK(fail.error == make_error_code(ZNOAUTH));
  CHECK(l.m.phase() == LatchPhase::failed);
}

TEST_CASE("ZRUNTIMEINCONSISTENCY (a reply that did not match its request) is retried") {
  Latch l;
  l.enter(2);
  only<ScheduleRecheck>(l.m.handle(Listed{1, make_error_code(ZRUNTIMEINCONSISTENCY), {}}));
  CHECK(l.m.phase() == LatchPhase::listing);
  only<ListChildren>(l.m.handle(RecheckDue{1}));
}

TEST_CASE("a failed leader leaves the queue: released at once, Fail once its node is gone") {
  Latch l;
  l.enter(1);
  l.acquire();
  only<ListChildren>(l.m.handle(OwnNodeWatchFired{1, l.own}));
  auto actions = l.m.handle(Listed{1, make_error_code(ZNOAUTH), {}});
  REQUIRE(actions.size() == 2);
  CHECK(std::holds_alternative<Released>(actions[0]));
  CHECK(std::get<DeleteNode>(actions[1]).path == l.own);
  CHECK_FALSE(l.m.isHeld());
  CHECK(l.m.phase() == LatchPhase::leaving);
  CHECK(l.m.handle(SessionSuspended{}).empty());
  CHECK(l.m.handle(SessionResumed{}).empty());  // the delete retries by itself
  CHECK(l.m.handle(NodeDeleted{1, path(node("q", 4)), {}}).empty());  // not ours

  SECTION("deleted") {
    auto fail = only<Fail>(l.m.handle(NodeDeleted{1, l.own, {}}));
    CHECK(fail.error == make_error_code(ZNOAUTH));
    CHECK(fail.what == "listing " + kDir);
  }
  SECTION("the delete is refused: Fail says the node stays") {
    auto fail = only<Fail>(l.m.handle(NodeDeleted{1, l.own, make_error_code(ZNOAUTH)}));
    CHECK(fail.what.find("stays in the queue until the session ends") != std::string::npos);
  }
  SECTION("the session ends: the node with it") {
    only<Fail>(l.m.handle(SessionLost{}));
  }
  CHECK(l.m.phase() == LatchPhase::failed);
  CHECK(l.m.handle(SessionUp{2, kSession + 1, "q"}).empty());  // never rejoins by itself
  CHECK(l.m.handle(Close{}).empty());                          // nothing left to delete
}

TEST_CASE("a follower whose read is refused leaves the queue too") {
  Latch l;
  l.enter(3);
  auto read = waitBehind(l.m.handle(Listed{1, {}, {node("a", 1), node("p", 3)}}), l.own);
  auto actions = l.m.handle(PredecessorRead{1, make_error_code(ZNOAUTH), read.path});
  REQUIRE(actions.size() == 2);
  CHECK(std::get<RemoveWatches>(actions[0]).path == read.path);
  CHECK(std::get<DeleteNode>(actions[1]).path == l.own);
  only<Fail>(l.m.handle(NodeDeleted{1, l.own, {}}));
}

TEST_CASE("a fatal error while a create's outcome is unknown searches once more and fails") {
  LatchStateMachine m{kDir};
  m.handle(Start{});
  only<CreateNode>(m.handle(SessionUp{1, kSession, "p"}));
  only<ScheduleRecheck>(m.handle(Created{1, make_error_code(ZCONNECTIONLOSS), ""}));
  only<ListChildren>(m.handle(RecheckDue{1}));
  auto actions = m.handle(Listed{1, make_error_code(ZNOAUTH), {}});
  REQUIRE(actions.size() == 2);
  CHECK(std::get<DeleteProtectedNode>(actions[0]).namePrefix == "_c_p-");
  CHECK(std::get<Fail>(actions[1]).what.find("stays until the session ends") != std::string::npos);
  CHECK(m.phase() == LatchPhase::failed);
}

TEST_CASE("close while leaving deletes nothing twice and reports nothing") {
  Latch l;
  l.enter(1);
  only<DeleteNode>(l.m.handle(Listed{1, make_error_code(ZNOAUTH), {}}));
  CHECK(l.m.handle(Close{}).empty());
  CHECK(l.m.handle(NodeDeleted{1, l.own, {}}).empty());
  CHECK(l.m.phase() == LatchPhase::closed);
}

TEST_CASE("an unfit participant (lease impossible) never queues, or leaves the queue") {
  SECTION("unfit from its session's start: fails without a node") {
    LatchStateMachine m{kDir};
    m.handle(Start{});
    auto fail = only<Fail>(m.handle(Unfit{1, make_error_code(ZOPERATIONTIMEOUT), "too short"}));
    CHECK(fail.what == "too short");
    CHECK(m.phase() == LatchPhase::failed);
    CHECK(m.handle(SessionUp{1, kSession, "p"}).empty());
  }
  SECTION("unfit in the session it leads in: released, node deleted, then Fail") {
    Latch l;
    l.enter(1);
    l.acquire();
    auto actions = l.m.handle(Unfit{1, make_error_code(ZOPERATIONTIMEOUT), "too short"});
    REQUIRE(actions.size() == 2);
    CHECK(std::holds_alternative<Released>(actions[0]));
    CHECK(std::get<DeleteNode>(actions[1]).path == l.own);
    only<Fail>(l.m.handle(NodeDeleted{1, l.own, {}}));
  }
  SECTION("unfit in a new session: the old session's node is not ours to delete") {
    Latch l;
    l.enter(1);
    auto fail = only<Fail>(l.m.handle(Unfit{2, make_error_code(ZOPERATIONTIMEOUT), "too short"}));
    CHECK(fail.what == "too short");
  }
}

TEST_CASE("close while a create's outcome is unknown finds the node by its protected name") {
  LatchStateMachine m{kDir};
  m.handle(Start{});
  only<CreateNode>(m.handle(SessionUp{1, kSession, "p"}));
  m.handle(SessionSuspended{});
  SECTION("the create failed before close") {
    CHECK(m.handle(Created{1, make_error_code(ZCONNECTIONLOSS), ""}).empty());
    auto find = only<DeleteProtectedNode>(m.handle(Close{}));
    CHECK(find.namePrefix == "_c_p-");
  }
  SECTION("the create fails after close") {
    CHECK(m.handle(Close{}).empty());
    auto find =
        only<DeleteProtectedNode>(m.handle(Created{1, make_error_code(ZCONNECTIONLOSS), ""}));
    CHECK(find.namePrefix == "_c_p-");
  }
  CHECK(m.phase() == LatchPhase::closed);
  CHECK(m.handle(Listed{1, {}, {node("p", 4)}}).empty());  // the core does the search now
}

TEST_CASE("a re-check that finds the same predecessor sets no second watch") {
  Latch l;
  l.enter(3);
  auto read = waitBehind(l.m.handle(Listed{1, {}, {node("a", 1), node("p", 3)}}), l.own);
  CHECK(l.m.handle(PredecessorRead{1, {}, read.path}).empty());
  CHECK(l.m.handle(Verified{1, {}, l.own, kSession, 66}).empty());
  CHECK(l.m.handle(SessionSuspended{}).empty());
  only<ListChildren>(l.m.handle(SessionResumed{}));
  // Its watch is armed (the C client re-sends it on reconnect): no second getData.
  CHECK(l.m.handle(Listed{1, {}, {node("a", 1), node("p", 3)}}).empty());
  CHECK(l.m.phase() == LatchPhase::watching);
  only<ListChildren>(l.m.handle(PredecessorGone{1, read.path}));

  SECTION("once the watch fired, a node found again is read (and watched) again") {
    only<ReadPredecessor>(l.m.handle(Listed{1, {}, {node("a", 1), node("p", 3)}}));
  }
  SECTION("a new session arms nothing it inherited") {
    l.m.handle(PredecessorRead{1, {}, read.path});
    l.m.handle(SessionLost{});
    only<CreateNode>(l.m.handle(SessionUp{2, kSession, "p"}));
    only<ListChildren>(l.m.handle(Created{2, {}, l.own}));
    only<ReadPredecessor>(l.m.handle(Listed{2, {}, {node("a", 1), node("p", 3)}}));
  }
}

TEST_CASE("a watch armed while re-listing counts, and its firing is not lost") {
  Latch l;
  l.enter(3);
  auto read = waitBehind(l.m.handle(Listed{1, {}, {node("a", 1), node("p", 3)}}), l.own);
  CHECK(l.m.handle(Verified{1, {}, l.own, kSession, 66}).empty());
  l.m.handle(SessionSuspended{});
  only<ListChildren>(l.m.handle(SessionResumed{}));
  CHECK(l.m.handle(PredecessorRead{1, {}, read.path}).empty());  // answered while listing
  SECTION("still there: no second watch") {
    CHECK(l.m.handle(Listed{1, {}, {node("a", 1), node("p", 3)}}).empty());
  }
  SECTION("fired while listing: a stale list reads it again (NONODE then re-lists)") {
    CHECK(l.m.handle(PredecessorGone{1, read.path}).empty());
    only<ReadPredecessor>(l.m.handle(Listed{1, {}, {node("a", 1), node("p", 3)}}));
  }
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

namespace {

using Edge = std::pair<LatchPhase, LatchPhase>;
using Step = std::function<void(LatchStateMachine&)>;

const std::string kOwn = path(node("p", 3));
const std::string kPredecessor = path(node("b", 2));

// Brings a fresh machine (generation 1, protection "p", own node sequence 3) to one phase.
std::vector<std::pair<LatchPhase, Step>> reachEveryPhase() {
  auto start = [](LatchStateMachine& m) { m.handle(Start{}); };
  auto creating = [=](LatchStateMachine& m) {
    start(m);
    m.handle(SessionUp{1, kSession, "p"});
  };
  auto ensuring = [=](LatchStateMachine& m) {
    creating(m);
    m.handle(Created{1, make_error_code(ZNONODE), ""});
  };
  auto listing = [=](LatchStateMachine& m) {
    creating(m);
    m.handle(Created{1, {}, kOwn});
  };
  auto verifying = [=](LatchStateMachine& m) {
    listing(m);
    m.handle(Listed{1, {}, {node("p", 3)}});
  };
  auto held = [=](LatchStateMachine& m) {
    verifying(m);
    m.handle(Verified{1, {}, kOwn, kSession, 77});
  };
  return {
      {LatchPhase::idle, [](LatchStateMachine&) {}},
      {LatchPhase::awaitingSession, start},
      {LatchPhase::ensuringPath, ensuring},
      {LatchPhase::creating, creating},
      {LatchPhase::recovering,
       [=](LatchStateMachine& m) {
         creating(m);
         m.handle(Created{1, make_error_code(ZCONNECTIONLOSS), ""});
       }},
      {LatchPhase::listing, listing},
      {LatchPhase::watching,
       [=](LatchStateMachine& m) {
         listing(m);
         m.handle(Listed{1, {}, {node("b", 2), node("p", 3)}});
       }},
      {LatchPhase::verifying, verifying},
      {LatchPhase::held, held},
      {LatchPhase::leaving,
       [=](LatchStateMachine& m) {
         held(m);
         m.handle(Unfit{1, make_error_code(ZAUTHFAILED), "unfit"});
       }},
      {LatchPhase::failed,
       [=](LatchStateMachine& m) {
         start(m);
         m.handle(Unfit{1, make_error_code(ZAUTHFAILED), "unfit"});
       }},
      {LatchPhase::closed,
       [=](LatchStateMachine& m) {
         start(m);
         m.handle(Close{});
       }},
  };
}

// One event of every kind, with the results that lead somewhere from some phase.
std::vector<Event> everyEvent() {
  const auto lost = make_error_code(ZCONNECTIONLOSS);
  const auto noNode = make_error_code(ZNONODE);
  const auto fatal = make_error_code(ZAUTHFAILED);
  return {
      Start{},
      SessionUp{2, kSession, "q"},
      SessionSuspended{},
      SessionResumed{},
      SessionLost{},
      PathEnsured{1, {}},
      PathEnsured{1, fatal},
      Created{1, {}, kOwn},
      Created{1, noNode, ""},
      Created{1, lost, ""},
      Created{1, fatal, ""},
      Listed{1, {}, {}},
      Listed{1, {}, {node("p", 3)}},
      Listed{1, {}, {node("b", 2), node("p", 3)}},
      Listed{1, noNode, {}},
      Listed{1, fatal, {}},
      PredecessorRead{1, noNode, kPredecessor},
      PredecessorRead{1, fatal, kPredecessor},
      PredecessorGone{1, kPredecessor},
      Verified{1, {}, kOwn, kSession, 77},
      Verified{1, {}, kOwn, kSession + 1, 77},
      Verified{1, noNode, kOwn},
      Verified{1, fatal, kOwn},
      OwnNodeWatchFired{1, kOwn},
      RecheckDue{1},
      NodeDeleted{1, kOwn, {}},
      Unfit{1, fatal, "unfit"},
      Unfit{2, fatal, "unfit in a new session"},
      Close{},
  };
}

}  // namespace

TEST_CASE("the edge table is the diagram's: every edge has a source, ends are final") {
  for (const auto& [from, to] : kLatchEdges) {
    CHECK(from != to);
    CHECK(from != LatchPhase::closed);  // closed is the end
    CHECK(isLatchEdge(from, to));
    CHECK_NOTHROW(requireLatchEdge(from, to));
  }
  CHECK(isLatchEdge(LatchPhase::failed, LatchPhase::closed));
  CHECK_FALSE(isLatchEdge(LatchPhase::failed, LatchPhase::listing));
}

TEST_CASE("an illegal edge is refused with a logic_error naming both phases") {
  CHECK_FALSE(isLatchEdge(LatchPhase::held, LatchPhase::recovering));
  CHECK_THROWS_WITH(requireLatchEdge(LatchPhase::held, LatchPhase::recovering),
                    Catch::Contains("held -> recovering"));
  CHECK_THROWS_AS(requireLatchEdge(LatchPhase::closed, LatchPhase::listing), std::logic_error);
  CHECK_THROWS_AS(requireLatchEdge(LatchPhase::idle, LatchPhase::held), std::logic_error);
  CHECK_NOTHROW(requireLatchEdge(LatchPhase::listing, LatchPhase::listing));  // a retry
}

TEST_CASE("every legal edge is taken by some event, and no event takes an illegal one") {
  std::set<Edge> seen;
  auto observe = [&](LatchStateMachine& m) {
    m.setTransitionObserver([&](LatchPhase from, LatchPhase to) {
      CHECK(isLatchEdge(from, to));
      seen.emplace(from, to);
    });
  };
  for (const auto& [phase, reach] : reachEveryPhase()) {
    for (const auto& event : everyEvent()) {
      LatchStateMachine m{kDir};
      observe(m);
      reach(m);
      REQUIRE(m.phase() == phase);
      REQUIRE_NOTHROW(m.handle(event));
    }
  }
  {
    // recovering --Listed--> held: our protected name found, and it is the node already
    // verified in this session (a create retried after the latch dir was recreated).
    LatchStateMachine m{kDir};
    observe(m);
    m.handle(Start{});
    m.handle(SessionUp{1, kSession, "p"});
    m.handle(Created{1, {}, kOwn});
    m.handle(Listed{1, {}, {node("p", 3)}});
    m.handle(Verified{1, {}, kOwn, kSession, 77});
    m.handle(OwnNodeWatchFired{1, kOwn + "-other"});  // not ours: the verification stands
    m.handle(SessionSuspended{});
    m.handle(SessionResumed{});               // held -> listing (a re-check)
    m.handle(Listed{1, {}, {node("p", 3)}});  // listing -> held: verified before
    m.handle(SessionSuspended{});
    m.handle(SessionResumed{});
    m.handle(Listed{1, {}, {}});  // gone: re-enter (the verified path is remembered)
    m.handle(Created{1, make_error_code(ZCONNECTIONLOSS), ""});
    only<Acquired>(m.handle(Listed{1, {}, {node("p", 3)}}));
    CHECK(m.phase() == LatchPhase::held);
  }
  std::vector<Edge> missing;
  for (const auto& edge : kLatchEdges) {
    if (!seen.count(edge))
      missing.push_back(edge);
  }
  for (const auto& [from, to] : missing)
    UNSCOPED_INFO("never taken: " << toString(from) << " -> " << toString(to));
  CHECK(missing.empty());
}

TEST_CASE("after close only a create's result matters") {
  CHECK(LatchStateMachine::mattersAfterClose(Created{1, {}, kOwn}));
  CHECK_FALSE(LatchStateMachine::mattersAfterClose(Listed{1, {}, {}}));
  CHECK_FALSE(LatchStateMachine::mattersAfterClose(SessionUp{2, kSession, "q"}));
  CHECK_FALSE(LatchStateMachine::mattersAfterClose(NodeDeleted{1, kOwn, {}}));
}
