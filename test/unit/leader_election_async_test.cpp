// LeaderElection's asynchronous and waiting forms on both implementations: runAsyncIfLeader
// (Flink's) and awaitLeadership (Curator's LeaderLatch.await), on DefaultLeaderElectionService
// with a test driver and on StandaloneLeaderElection with a hand-stepped io_context.
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <future>
#include <stdexcept>
#include <thread>

#include "baton/default_leader_election_service.hpp"
#include "baton/error.hpp"
#include "standalone_leader_election.hpp"
#include "support/deadline.hpp"
#include "support/recording_contender.hpp"
#include "support/testing_election_driver.hpp"

using namespace baton;
using namespace baton::test;
using std::chrono::milliseconds;

namespace {

struct Fixture {
  support::ExecutorThread callbacks{"test-callbacks"};
  std::shared_ptr<TestingDriverFactory::Shared> drivers =
      std::make_shared<TestingDriverFactory::Shared>();
  DefaultLeaderElectionService service{std::make_unique<TestingDriverFactory>(drivers),
                                       callbacks.executor()};

  TestingElectionDriver* nextDriver() { return drivers->created.next(); }
};

// Holds the contender inside its grant callback until released, so that a test can queue an
// action behind a callback that is still running.
struct GrantGate {
  LeaderSessionId id;  // written by the hook before `entered` is set
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();

  void hook(RecordingContender& contender) {
    contender.onGrant = [this](const LeaderSessionId& granted) {
      id = granted;
      entered.set_value();
      CHECK(released.wait_for(eventTimeout()) == std::future_status::ready);
    };
  }
};

bool isReady(std::future<std::error_code>& future) {
  return future.wait_for(eventTimeout()) == std::future_status::ready;
}

}  // namespace

TEST_CASE("core: runAsyncIfLeader runs the action on the contender's executor while it leads") {
  Fixture f;
  RecordingContender contender;
  auto election = f.service.createLeaderElection("resourcemanager");
  election->startLeaderElection(contender);
  f.nextDriver()->grant();
  const auto id = contender.inbox.expectNext<Granted>().id;

  std::thread::id ranOn;
  auto done = election->runAsyncIfLeader(id, [&] { ranOn = std::this_thread::get_id(); });
  REQUIRE(isReady(done));
  CHECK(done.get() == std::error_code{});
  CHECK(ranOn == f.callbacks.threadId());

  bool staleRan = false;
  auto stale = election->runAsyncIfLeader(LeaderSessionId::random(), [&] { staleRan = true; });
  REQUIRE(isReady(stale));
  CHECK(stale.get() == Errc::leadership_lost);
  CHECK_FALSE(staleRan);
  election->close();
}

TEST_CASE("core: an action queued while leading does not run once leadership ended first") {
  Fixture f;
  RecordingContender contender;
  GrantGate gate;
  gate.hook(contender);
  auto election = f.service.createLeaderElection("dispatcher");
  election->startLeaderElection(contender);
  auto* driver = f.nextDriver();
  driver->grant();
  auto entered = gate.entered.get_future();
  REQUIRE(entered.wait_for(eventTimeout()) == std::future_status::ready);
  const LeaderSessionId id = gate.id;
  REQUIRE(election->hasLeadership(id));

  // Queued behind the grant callback, which is still running; leadership ends before its turn.
  bool ran = false;
  auto future = election->runAsyncIfLeader(id, [&] { ran = true; });
  driver->lapse();
  gate.release.set_value();
  CHECK(contender.inbox.expectNext<Granted>().id == id);
  REQUIRE(isReady(future));
  CHECK(future.get() == Errc::leadership_lost);
  CHECK_FALSE(ran);
  election->close();
}

TEST_CASE("core: an action queued when close() comes answers leadership_lost, never runs") {
  Fixture f;
  RecordingContender contender;
  GrantGate gate;
  gate.hook(contender);
  auto election = f.service.createLeaderElection("dispatcher");
  election->startLeaderElection(contender);
  f.nextDriver()->grant();
  auto entered = gate.entered.get_future();
  REQUIRE(entered.wait_for(eventTimeout()) == std::future_status::ready);

  bool ran = false;
  auto future = election->runAsyncIfLeader(gate.id, [&] { ran = true; });
  // close() waits for the running grant callback. Once the election has left (hasLeadership
  // turns false), the action cannot run as leader: either close() drops it unrun, or, if its
  // turn comes first, the check at its turn refuses it. Both answer leadership_lost.
  auto closing = std::async(std::launch::async, [&] { election->close(); });
  const auto deadline = std::chrono::steady_clock::now() + eventTimeout();
  while (election->hasLeadership(gate.id) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  REQUIRE_FALSE(election->hasLeadership(gate.id));
  gate.release.set_value();
  REQUIRE(closing.wait_for(eventTimeout()) == std::future_status::ready);
  REQUIRE(isReady(future));
  CHECK(future.get() == Errc::leadership_lost);
  CHECK_FALSE(ran);

  auto afterClose = election->runAsyncIfLeader(gate.id, [&] { ran = true; });
  REQUIRE(isReady(afterClose));
  CHECK(afterClose.get() == Errc::leadership_lost);
  CHECK_FALSE(ran);
}

TEST_CASE("core: an exception thrown by the action reaches the future") {
  Fixture f;
  RecordingContender contender;
  auto election = f.service.createLeaderElection("resourcemanager");
  election->startLeaderElection(contender);
  f.nextDriver()->grant();
  const auto id = contender.inbox.expectNext<Granted>().id;
  auto future = election->runAsyncIfLeader(id, [] { throw std::runtime_error("boom"); });
  CHECK_THROWS_WITH(future.get(), "boom");
  // The queue goes on: the contender is still served.
  auto next = election->runAsyncIfLeader(id, [] {});
  CHECK(next.get() == std::error_code{});
  election->close();
}

TEST_CASE("core: awaitLeadership returns the session id once granted") {
  Fixture f;
  RecordingContender contender;
  auto election = f.service.createLeaderElection("resourcemanager");
  CHECK_THROWS_AS(election->awaitLeadership(milliseconds(0)), std::logic_error);  // not started
  election->startLeaderElection(contender);
  auto* driver = f.nextDriver();
  CHECK_FALSE(election->awaitLeadership(milliseconds(0)).has_value());  // nobody granted: timeout

  auto waiting =
      std::async(std::launch::async, [&] { return election->awaitLeadership(eventTimeout()); });
  driver->grant();
  const auto granted = contender.inbox.expectNext<Granted>().id;
  const auto awaited = waiting.get();
  REQUIRE(awaited.has_value());
  CHECK(*awaited == granted);
  CHECK(election->awaitLeadership(milliseconds(0)) == granted);  // already leading: at once

  driver->revoke();
  contender.inbox.expectNext<Revoked>();
  CHECK_FALSE(election->awaitLeadership(milliseconds(0)).has_value());
  election->close();
}

TEST_CASE("core: close ends awaitLeadership with nullopt") {
  Fixture f;
  RecordingContender contender;
  auto election = f.service.createLeaderElection("resourcemanager");
  election->startLeaderElection(contender);
  // Far longer than the test may take: only close() can end the wait in time.
  auto waiting = std::async(std::launch::async,
                            [&] { return election->awaitLeadership(eventTimeout() * 100); });
  election->close();  // before or while it waits: either way it must answer nullopt
  REQUIRE(waiting.wait_for(eventTimeout()) == std::future_status::ready);
  CHECK_FALSE(waiting.get().has_value());
  CHECK_FALSE(election->awaitLeadership(milliseconds(0)).has_value());
}

TEST_CASE("core: awaitLeadership from inside the contender's own callback throws logic_error") {
  Fixture f;
  RecordingContender contender;
  auto election = f.service.createLeaderElection("resourcemanager");
  std::promise<std::string> message;
  contender.onGrant = [&](const LeaderSessionId&) {
    try {
      election->awaitLeadership(milliseconds(0));
      message.set_value("no exception");
    } catch (const std::logic_error& e) {
      message.set_value(e.what());
    }
  };
  election->startLeaderElection(contender);
  f.nextDriver()->grant();
  auto what = message.get_future();
  REQUIRE(what.wait_for(eventTimeout()) == std::future_status::ready);
  CHECK_THAT(what.get(), Catch::Contains("inside a callback"));
  election->close();
}

TEST_CASE("standalone: runAsyncIfLeader runs behind the grant, on the callback executor") {
  boost::asio::io_context io;  // stepped by hand
  RecordingContender contender;
  standalone::StandaloneLeaderElection election(io.get_executor());
  auto early = election.runAsyncIfLeader(LeaderSessionId::defaultId(), [] {});  // not started
  CHECK(early.get() == Errc::leadership_lost);

  election.startLeaderElection(contender);
  std::vector<std::string> order;
  contender.onGrant = [&](const LeaderSessionId&) { order.push_back("grant"); };
  auto done =
      election.runAsyncIfLeader(LeaderSessionId::defaultId(), [&] { order.push_back("action"); });
  auto stale =
      election.runAsyncIfLeader(LeaderSessionId::random(), [&] { order.push_back("stale"); });
  CHECK(stale.get() == Errc::leadership_lost);
  CHECK(order.empty());  // nothing runs outside the executor
  io.poll();
  CHECK(order == std::vector<std::string>{"grant", "action"});
  CHECK(done.get() == std::error_code{});
  election.close();
}

TEST_CASE("standalone: close drops a queued action; its future says leadership_lost") {
  boost::asio::io_context io;
  RecordingContender contender;
  standalone::StandaloneLeaderElection election(io.get_executor());
  election.startLeaderElection(contender);
  bool ran = false;
  auto queued = election.runAsyncIfLeader(LeaderSessionId::defaultId(), [&] { ran = true; });
  election.close();  // before the io_context ran anything: grant and action are dropped
  io.poll();
  CHECK(queued.get() == Errc::leadership_lost);
  CHECK_FALSE(ran);
  CHECK(contender.grants() == 0);
  auto afterClose = election.runAsyncIfLeader(LeaderSessionId::defaultId(), [&] { ran = true; });
  CHECK(afterClose.get() == Errc::leadership_lost);
}

TEST_CASE("standalone: awaitLeadership answers at once") {
  boost::asio::io_context io;
  RecordingContender contender;
  standalone::StandaloneLeaderElection election(io.get_executor());
  CHECK_THROWS_AS(election.awaitLeadership(milliseconds(0)), std::logic_error);  // not started
  std::string insideCallback;
  contender.onGrant = [&](const LeaderSessionId&) {
    try {
      election.awaitLeadership(milliseconds(0));
    } catch (const std::logic_error& e) {
      insideCallback = e.what();
    }
  };
  election.startLeaderElection(contender);
  CHECK(election.awaitLeadership(milliseconds(0)) == LeaderSessionId::defaultId());
  io.poll();
  CHECK_THAT(insideCallback, Catch::Contains("inside a callback"));
  election.close();
  CHECK_FALSE(election.awaitLeadership(milliseconds(0)).has_value());
}
