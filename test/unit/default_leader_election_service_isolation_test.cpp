// Callback isolation between contenders: what may delay a contender's revoke is only its own
// earlier callbacks, and what waits for a busy contender stays short.
#include <chrono>
#include <future>
#include <optional>

#include <boost/asio/post.hpp>
#include <catch2/catch.hpp>

#include "baton/default_leader_election_service.hpp"
#include "baton/error.hpp"
#include "support/recording_contender.hpp"
#include "support/testing_election_driver.hpp"
#include "unit/callback_gate.hpp"

using namespace baton;
using namespace baton::test;

namespace {

// Waits until every fact the driver was told to deliver so far has reached the service: the
// driver delivers them in order on its thread, each one synchronously.
void awaitDriverFacts(TestingDriverFactory::Shared& drivers) {
  std::promise<void> done;
  boost::asio::post(drivers.thread.executor(), [&] { done.set_value(); });
  REQUIRE(done.get_future().wait_for(eventTimeout()) == std::future_status::ready);
}

}  // namespace

TEST_CASE("a contender blocked in its grant does not delay another contender's revoke") {
  auto drivers = std::make_shared<TestingDriverFactory::Shared>();
  // No executor: every contender gets a callback thread of its own.
  DefaultLeaderElectionService service(std::make_unique<TestingDriverFactory>(drivers),
                                       std::nullopt);
  CallbackGate blocker;
  RecordingContender slow, other;
  slow.onGrant = [&](const LeaderSessionId&) { blocker.block(); };
  auto slowElection = service.createLeaderElection("a-slow");  // granted first (map order)
  auto otherElection = service.createLeaderElection("b-other");
  auto releaser = blocker.releaseOnExit();  // runs before the elections close
  slowElection->startLeaderElection(slow);
  otherElection->startLeaderElection(other);
  auto* driver = drivers->created.next();

  driver->grant();
  blocker.awaitEntered();
  other.inbox.expectNext<Granted>();
  driver->revoke();
  // The slow contender is still inside its grant; the other one must hear of the loss anyway.
  other.inbox.expectNext<Revoked>();
  CHECK(slow.grants() == 1);
  CHECK(slow.inbox.empty());  // its grant has not returned

  blocker.release();
  slow.inbox.expectNext<Granted>();
  slow.inbox.expectNext<Revoked>();
  CHECK(slow.violations().empty());
  CHECK(other.violations().empty());
}

TEST_CASE("what waits for a blocked contender stays short and ends in the current state") {
  auto drivers = std::make_shared<TestingDriverFactory::Shared>();
  DefaultLeaderElectionService service(std::make_unique<TestingDriverFactory>(drivers),
                                       std::nullopt);
  CallbackGate blocker;
  RecordingContender slow;
  slow.onGrant = [&](const LeaderSessionId&) { blocker.block(); };
  auto election = service.createLeaderElection("slow");
  auto releaser = blocker.releaseOnExit();
  election->startLeaderElection(slow);
  auto* driver = drivers->created.next();
  driver->grant(1);
  blocker.awaitEntered();

  constexpr int kFlips = 1000;
  const bool endsLeading = GENERATE(true, false);
  CAPTURE(endsLeading);
  for (int i = 0; i < kFlips; ++i) {
    driver->fail(make_error_code(Errc::driver_failure));
    driver->revoke();
    driver->grant(static_cast<std::uint64_t>(i) + 2);
  }
  if (!endsLeading)
    driver->revoke();
  awaitDriverFacts(*drivers);

  blocker.release();
  CHECK(std::holds_alternative<Granted>(slow.inbox.next()));  // the grant that blocked
  // Then at most: the revoke of that grant, the latest error, the current grant.
  int revokes = 0, errors = 0;
  std::optional<LeaderSessionId> current;
  for (int seen = 0; seen < 3; ++seen) {
    auto event = slow.inbox.next();
    if (std::holds_alternative<Revoked>(event)) {
      ++revokes;
    } else if (std::holds_alternative<ErrorSeen>(event)) {
      ++errors;
    } else {
      current = std::get<Granted>(event).id;
    }
    if (revokes == 1 && errors == 1 && current.has_value() == endsLeading)
      break;
  }
  CHECK(revokes == 1);
  CHECK(errors == 1);
  if (endsLeading) {
    REQUIRE(current.has_value());
    CHECK(election->hasLeadership(*current));
  } else {
    CHECK_FALSE(current.has_value());
  }
  // close() is synchronous: whatever was still due has arrived once it returns.
  election->close();
  if (endsLeading)
    slow.inbox.expectNext<Revoked>();
  CHECK(slow.inbox.empty());
  CHECK(slow.grants() == slow.revokes());
  CHECK(slow.violations().empty());
}

TEST_CASE("a contender on its own thread may close itself from its grant") {
  auto drivers = std::make_shared<TestingDriverFactory::Shared>();
  DefaultLeaderElectionService service(std::make_unique<TestingDriverFactory>(drivers),
                                       std::nullopt);
  RecordingContender self;
  auto election = service.createLeaderElection("self");
  std::promise<int> closedAtRevoke;
  self.onGrant = [&](const LeaderSessionId&) { election->close(); };
  self.onRevoke = [&] { closedAtRevoke.set_value(drivers->closed); };
  election->startLeaderElection(self);
  drivers->created.next()->grant();
  self.inbox.expectNext<Granted>();
  self.inbox.expectNext<Revoked>();
  // The revoke came before the driver left the election, on the contender's own thread, which
  // then ended by itself (it could not join itself).
  CHECK(closedAtRevoke.get_future().get() == 0);
  CHECK(self.violations().empty());
}

TEST_CASE("runIfLeader waits only for the contender's own callbacks") {
  auto drivers = std::make_shared<TestingDriverFactory::Shared>();
  DefaultLeaderElectionService service(std::make_unique<TestingDriverFactory>(drivers),
                                       std::nullopt);
  CallbackGate blocker;
  RecordingContender slow, other;
  slow.onGrant = [&](const LeaderSessionId&) { blocker.block(); };
  auto slowElection = service.createLeaderElection("a-slow");
  auto otherElection = service.createLeaderElection("b-other");
  auto releaser = blocker.releaseOnExit();
  slowElection->startLeaderElection(slow);
  otherElection->startLeaderElection(other);
  drivers->created.next()->grant();
  blocker.awaitEntered();
  auto id = other.inbox.expectNext<Granted>().id;
  bool ran = false;
  CHECK_FALSE(otherElection->runIfLeader(id, [&] { ran = true; }));
  CHECK(ran);
  // The slow contender's own action waits for its grant to return (which records it).
  bool grantReturnedFirst = false;
  auto action = std::async(std::launch::async, [&] {
    return slowElection->runIfLeader(id, [&] { grantReturnedFirst = slow.inbox.total() == 1; });
  });
  blocker.release();
  REQUIRE(action.wait_for(eventTimeout()) == std::future_status::ready);
  CHECK_FALSE(action.get());
  CHECK(grantReturnedFirst);
}
