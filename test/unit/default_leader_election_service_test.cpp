#include <atomic>
#include <future>
#include <thread>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <catch2/catch.hpp>

#include "baton/default_leader_election_service.hpp"
#include "baton/error.hpp"
#include "support/recording_contender.hpp"
#include "support/testing_election_driver.hpp"

using namespace baton;
using namespace baton::test;

namespace {

struct Fixture {
  support::ExecutorThread callbacks{"test-callbacks"};
  std::shared_ptr<TestingDriverFactory::Shared> drivers =
      std::make_shared<TestingDriverFactory::Shared>();
  DefaultLeaderElectionService service{std::make_unique<TestingDriverFactory>(drivers),
                                       callbacks.executor()};

  TestingElectionDriver* nextDriver() { return drivers->created.next(); }
};

LeaderInformation info(const LeaderSessionId& id, const std::string& address) {
  return LeaderInformation(id, address);
}

}  // namespace

TEST_CASE("one grant issues one fresh session id to every registered contender") {
  Fixture f;
  RecordingContender rm, dispatcher;
  auto rmElection = f.service.createLeaderElection("resourcemanager");
  auto dispatcherElection = f.service.createLeaderElection("dispatcher");
  rmElection->startLeaderElection(rm);
  dispatcherElection->startLeaderElection(dispatcher);
  auto* driver = f.nextDriver();
  CHECK(f.drivers->created.empty());  // one driver for all components

  driver->grant();
  auto first = rm.inbox.expectNext<Granted>().id;
  CHECK(dispatcher.inbox.expectNext<Granted>().id == first);
  CHECK_FALSE(first.isDefault());
  CHECK(rmElection->hasLeadership(first));
  CHECK(dispatcherElection->hasLeadership(first));

  driver->revoke();
  rm.inbox.expectNext<Revoked>();
  dispatcher.inbox.expectNext<Revoked>();
  CHECK_FALSE(rmElection->hasLeadership(first));

  driver->grant();
  auto second = rm.inbox.expectNext<Granted>().id;
  CHECK(second != first);
  CHECK(dispatcher.inbox.expectNext<Granted>().id == second);
  CHECK(rm.violations().empty());
  CHECK(dispatcher.violations().empty());
}

TEST_CASE("a contender that starts while the process leads is granted asynchronously") {
  Fixture f;
  RecordingContender a, b;
  auto electionA = f.service.createLeaderElection("a");
  electionA->startLeaderElection(a);
  f.nextDriver()->grant();
  auto id = a.inbox.expectNext<Granted>().id;

  auto electionB = f.service.createLeaderElection("b");
  electionB->startLeaderElection(b);
  CHECK(b.inbox.expectNext<Granted>().id == id);
}

TEST_CASE("only a confirmation of the current session is published") {
  Fixture f;
  RecordingContender c;
  auto election = f.service.createLeaderElection("rm");
  election->startLeaderElection(c);
  auto* driver = f.nextDriver();
  driver->grant();
  auto first = c.inbox.expectNext<Granted>().id;
  election->confirmLeadership(first, "host:1");
  auto write = driver->writes.next();
  CHECK(write.componentId == "rm");
  CHECK(write.info == info(first, "host:1"));

  driver->revoke();
  c.inbox.expectNext<Revoked>();
  driver->grant();
  auto second = c.inbox.expectNext<Granted>().id;
  election->confirmLeadership(first, "stale:1");                // ignored
  election->confirmLeadership(LeaderSessionId::random(), "x");  // unknown: ignored
  election->confirmLeadership(second, "host:2");
  // Writes are recorded synchronously in order: had a stale one gone through, it would be next.
  CHECK(driver->writes.next().info == info(second, "host:2"));
  CHECK(driver->writes.empty());
}

TEST_CASE("stored information that differs is healed, equal information is not rewritten") {
  Fixture f;
  RecordingContender c;
  auto election = f.service.createLeaderElection("rm");
  election->startLeaderElection(c);
  auto* driver = f.nextDriver();
  driver->grant();
  auto id = c.inbox.expectNext<Granted>().id;
  election->confirmLeadership(id, "host:1");
  CHECK(driver->writes.next().info == info(id, "host:1"));

  driver->reportStored("rm", info(LeaderSessionId::random(), "intruder:9"));
  CHECK(driver->writes.next().info == info(id, "host:1"));

  driver->reportStored("rm", info(id, "host:1"));          // equal: nothing to do
  driver->reportStored("rm", LeaderInformation::empty());  // deleted: restore
  CHECK(driver->writes.next().info == info(id, "host:1"));
  CHECK(driver->writes.empty());

  election->confirmLeadership(id, "host:1");     // same confirmation again: no write
  driver->reportStored("other", info(id, "x"));  // not ours: ignored
  driver->reportStored("rm", LeaderInformation::empty());
  CHECK(driver->writes.next().info == info(id, "host:1"));
  CHECK(driver->writes.empty());
}

TEST_CASE("removing a leading contender revokes it and deletes its information") {
  Fixture f;
  RecordingContender stays, leaves;
  auto stayElection = f.service.createLeaderElection("stays");
  auto leaveElection = f.service.createLeaderElection("leaves");
  stayElection->startLeaderElection(stays);
  leaveElection->startLeaderElection(leaves);
  auto* driver = f.nextDriver();
  driver->grant();
  auto id = leaves.inbox.expectNext<Granted>().id;
  stays.inbox.expectNext<Granted>();
  leaveElection->confirmLeadership(id, "host:1");
  CHECK(driver->writes.next().info == info(id, "host:1"));

  leaveElection->close();
  CHECK(leaves.revokes() == 1);  // delivered before close() returned
  auto write = driver->writes.next();
  CHECK(write.componentId == "leaves");
  CHECK(write.info.isEmpty());
  CHECK(stayElection->hasLeadership(id));  // the others keep leading
  CHECK(f.drivers->closed == 0);
}

TEST_CASE("the driver lives while at least one contender is started") {
  Fixture f;
  RecordingContender c;
  auto election = f.service.createLeaderElection("rm");
  auto reserved = f.service.createLeaderElection("never-started");
  election->startLeaderElection(c);
  f.nextDriver()->grant();
  c.inbox.expectNext<Granted>();
  election->close();
  c.inbox.expectNext<Revoked>();
  CHECK(f.drivers->closed == 1);

  RecordingContender again;
  auto second = f.service.createLeaderElection("rm");  // the id is free again
  second->startLeaderElection(again);
  f.nextDriver()->grant();
  again.inbox.expectNext<Granted>();
}

TEST_CASE("driver errors reach every contender") {
  Fixture f;
  RecordingContender a, b;
  auto electionA = f.service.createLeaderElection("a");
  auto electionB = f.service.createLeaderElection("b");
  electionA->startLeaderElection(a);
  electionB->startLeaderElection(b);
  f.nextDriver()->fail(make_error_code(Errc::driver_failure));
  CHECK(a.inbox.expectNext<ErrorSeen>().code == Errc::driver_failure);
  CHECK(b.inbox.expectNext<ErrorSeen>().code == Errc::driver_failure);
}

TEST_CASE("a failed driver is retired: contenders are revoked, told, and rejoin by restarting") {
  Fixture f;
  RecordingContender a, b;
  auto electionA = f.service.createLeaderElection("a");
  auto electionB = f.service.createLeaderElection("b");
  electionA->startLeaderElection(a);
  electionB->startLeaderElection(b);
  auto* first = f.nextDriver();
  first->grant();
  auto id = a.inbox.expectNext<Granted>().id;
  b.inbox.expectNext<Granted>();

  first->failForGood(make_error_code(Errc::driver_failure));
  a.inbox.expectNext<Revoked>();
  CHECK(a.inbox.expectNext<ErrorSeen>().code == Errc::driver_failure);
  b.inbox.expectNext<Revoked>();
  CHECK(b.inbox.expectNext<ErrorSeen>().code == Errc::driver_failure);
  // The service closes the driver after the lock that posts the contenders' events, on the
  // driver's thread: once that thread has run the next task, the close is done.
  std::promise<void> passed;
  boost::asio::post(f.drivers->thread.executor(), [&passed] { passed.set_value(); });
  REQUIRE(passed.get_future().wait_for(eventTimeout()) == std::future_status::ready);
  CHECK(f.drivers->closed == 1);  // it left the election
  CHECK_FALSE(electionA->hasLeadership(id));

  // "a" asks to rejoin: a new election brings up a new driver; "b", still failed, is not
  // granted by it until it rejoins too.
  electionA->close();
  RecordingContender again;
  auto rejoined = f.service.createLeaderElection("a");
  rejoined->startLeaderElection(again);
  auto* second = f.nextDriver();
  CHECK(second != first);
  second->grant();
  auto newId = again.inbox.expectNext<Granted>().id;
  CHECK(rejoined->hasLeadership(newId));
  CHECK_FALSE(electionB->hasLeadership(newId));
  CHECK(a.violations().empty());
  CHECK(b.violations().empty());
  CHECK(again.violations().empty());
}

TEST_CASE("runIfLeader runs only for the current session") {
  Fixture f;
  RecordingContender c;
  auto election = f.service.createLeaderElection("rm");
  election->startLeaderElection(c);
  auto* driver = f.nextDriver();
  bool ran = false;
  auto stale = LeaderSessionId::random();
  CHECK(election->runIfLeader(stale, [&] { ran = true; }) == Errc::leadership_lost);
  driver->grant();
  auto id = c.inbox.expectNext<Granted>().id;
  CHECK_FALSE(election->runIfLeader(id, [&] { ran = true; }));
  CHECK(ran);
  driver->revoke();
  c.inbox.expectNext<Revoked>();
  ran = false;
  auto error = election->runIfLeader(id, [&] { ran = true; });
  CHECK(error == Errc::leadership_lost);
  CHECK_THAT(error.message(), Catch::Contains("leadership lost"));
  CHECK_FALSE(ran);
}

TEST_CASE("misuse is rejected with a clear exception") {
  Fixture f;
  RecordingContender c;
  auto election = f.service.createLeaderElection("rm");
  CHECK_THROWS_WITH(f.service.createLeaderElection("rm"), Catch::Contains("already has"));
  CHECK_THROWS_WITH(f.service.createLeaderElection("a/b"), Catch::Contains("a/b"));
  CHECK_THROWS_AS(f.service.createLeaderElection(""), std::invalid_argument);
  election->startLeaderElection(c);
  CHECK_THROWS_AS(election->startLeaderElection(c), std::logic_error);
  election->close();
  election->close();  // idempotent
  CHECK_THROWS_AS(election->startLeaderElection(c), std::logic_error);
}

TEST_CASE("the fencing token carries the session id and the driver's epoch while current") {
  Fixture f;
  RecordingContender c;
  auto election = f.service.createLeaderElection("rm");
  election->startLeaderElection(c);
  auto* driver = f.nextDriver();
  driver->grant(7);
  auto id = c.inbox.expectNext<Granted>().id;
  auto token = election->fencingToken(id);
  REQUIRE(token);
  CHECK(*token == FencingToken{id, 7});
  CHECK(f.service.currentFencingToken(id) == token);
  CHECK_FALSE(election->fencingToken(LeaderSessionId::random()));
  driver->revoke();
  c.inbox.expectNext<Revoked>();
  CHECK_FALSE(election->fencingToken(id));
  driver->grant(9);
  auto next = c.inbox.expectNext<Granted>().id;
  CHECK(election->fencingToken(next)->epoch == 9);
}

TEST_CASE("a grant whose leadership ended before it ran never reaches the contender") {
  // The second grant waits in the contender's queue behind a slow first callback (as a grant
  // queued right before the process froze); the lease runs out meanwhile.
  Fixture f;
  RecordingContender c;
  std::promise<void> entered, release;
  auto released = release.get_future().share();
  std::atomic<int> calls{0};
  c.onGrant = [&](const LeaderSessionId&) {
    if (calls++ == 0) {
      entered.set_value();
      released.wait();
    }
  };
  auto election = f.service.createLeaderElection("rm");
  election->startLeaderElection(c);
  auto* driver = f.nextDriver();
  driver->grant();
  entered.get_future().wait();
  driver->revoke();
  driver->grant();
  // Both facts reach the service, which queues them for the contender (the driver's thread
  // runs facts in order: once a marker posted after them ran, they were handled) ...
  std::promise<void> handled;
  boost::asio::post(f.drivers->thread.executor(), [&] { handled.set_value(); });
  handled.get_future().wait();
  driver->lapse();  // ... and the lease runs out before the contender's queue gets to the grant
  release.set_value();
  // Once a marker posted to the callback thread after the release ran, the contender's queue
  // has run everything it held: the first grant's revoke, and nothing for the stale grant.
  std::promise<void> drained;
  boost::asio::post(f.callbacks.executor(), [&] { drained.set_value(); });
  drained.get_future().wait();
  c.inbox.expectNext<Granted>();  // the first, recorded once its callback returned
  c.inbox.expectNext<Revoked>();
  CHECK(c.inbox.empty());
  CHECK(c.grants() == 1);
  CHECK(c.revokes() == 1);
  driver->revoke();
  driver->grant();
  c.inbox.expectNext<Granted>();  // the next grant, still current, arrives
  CHECK(c.grants() == 2);
  CHECK(c.violations().empty());
}
