// The service's promises about callback order and threads: never concurrent per contender,
// exactly one revoke per grant on every path, re-entrant calls from callbacks.
#include <atomic>
#include <future>
#include <optional>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
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

// The guarantees hold both on a shared executor and on the service's own per-contender threads.
std::optional<boost::asio::any_io_executor> callbacksOn(bool ownThreads,
                                                        support::ExecutorThread& shared) {
  if (ownThreads)
    return std::nullopt;
  return shared.executor();
}

}  // namespace

TEST_CASE("callbacks of one contender never run concurrently on a thread pool") {
  boost::asio::thread_pool pool(4);
  auto drivers = std::make_shared<TestingDriverFactory::Shared>();
  DefaultLeaderElectionService service(std::make_unique<TestingDriverFactory>(drivers),
                                       pool.get_executor());
  constexpr int kContenders = 4;
  constexpr int kRounds = 200;
  std::vector<RecordingContender> contenders(kContenders);
  std::vector<std::unique_ptr<LeaderElection>> elections;
  for (int i = 0; i < kContenders; ++i) {
    elections.push_back(service.createLeaderElection("c" + std::to_string(i)));
    elections.back()->startLeaderElection(contenders[i]);
  }
  auto* driver = drivers->created.next();
  for (int round = 0; round < kRounds; ++round) {
    driver->grant(round);
    driver->revoke();
  }
  // A grant whose leadership ended before it ran is dropped with its revoke (a contender never
  // hears of leadership that is already over); the last one stays current and arrives.
  driver->grant(kRounds);
  // Until the service has heard every fact, an older grant could still look current.
  driver->awaitDelivered();
  for (int i = 0; i < kContenders; ++i) {
    auto& c = contenders[i];
    for (int round = 0; round <= kRounds; ++round) {
      auto granted = c.inbox.expectNext<Granted>();
      if (elections[i]->hasLeadership(granted.id))
        break;  // the current grant: nothing follows it
      c.inbox.expectNext<Revoked>();
    }
    CHECK(c.violations().empty());
    CHECK(c.isLeading());
    CHECK(c.grants() == c.revokes() + 1);
    CHECK(c.grants() <= kRounds + 1);
  }
  service.close();
  pool.join();
}

TEST_CASE("close waits for a running grant, then revokes exactly once") {
  const bool ownThreads = GENERATE(false, true);
  CAPTURE(ownThreads);
  support::ExecutorThread callbacks("cb");
  auto drivers = std::make_shared<TestingDriverFactory::Shared>();
  DefaultLeaderElectionService service(std::make_unique<TestingDriverFactory>(drivers),
                                       callbacksOn(ownThreads, callbacks));
  RecordingContender c;
  std::promise<void> entered, release;
  auto released = release.get_future().share();
  c.onGrant = [&](const LeaderSessionId&) {
    entered.set_value();
    released.wait();
  };
  auto election = service.createLeaderElection("rm");
  election->startLeaderElection(c);
  drivers->created.next()->grant();
  entered.get_future().wait();

  auto closing = std::async(std::launch::async, [&] { election->close(); });
  // close() cannot finish while the grant callback runs; it is released from here.
  release.set_value();
  closing.get();
  CHECK(c.grants() == 1);
  CHECK(c.revokes() == 1);
  c.inbox.expectNext<Granted>();
  c.inbox.expectNext<Revoked>();
  CHECK(c.violations().empty());
}

TEST_CASE("a grant still queued at close is dropped without a revoke") {
  // A manually stepped callback executor: nothing runs unless the test runs it.
  boost::asio::io_context manual;
  auto work = boost::asio::make_work_guard(manual);  // run_one_for waits for work to arrive
  auto drivers = std::make_shared<TestingDriverFactory::Shared>();
  DefaultLeaderElectionService service(std::make_unique<TestingDriverFactory>(drivers),
                                       manual.get_executor());
  RecordingContender witness, closing;
  // Grants are queued in component order: the witness's first.
  auto witnessElection = service.createLeaderElection("a-witness");
  auto closingElection = service.createLeaderElection("z-closing");
  witnessElection->startLeaderElection(witness);
  closingElection->startLeaderElection(closing);
  drivers->created.next()->grant();
  for (int i = 0; i < 100 && witness.grants() == 0; ++i) {
    manual.run_one_for(eventTimeout());
  }
  REQUIRE(witness.grants() == 1);
  closingElection->close();  // its grant is still queued: dropped, and so no revoke is due
  manual.poll();
  CHECK(closing.grants() == 0);
  CHECK(closing.revokes() == 0);
  witnessElection->close();
  CHECK(witness.revokes() == 1);
  CHECK(witness.violations().empty());
}

TEST_CASE("contenders may call back into their election from inside callbacks") {
  const bool ownThreads = GENERATE(false, true);
  CAPTURE(ownThreads);
  support::ExecutorThread callbacks("cb");
  auto drivers = std::make_shared<TestingDriverFactory::Shared>();
  DefaultLeaderElectionService service(std::make_unique<TestingDriverFactory>(drivers),
                                       callbacksOn(ownThreads, callbacks));
  RecordingContender c;
  auto election = service.createLeaderElection("rm");
  bool hadLeadership = false;
  std::error_code runResult = make_error_code(Errc::timed_out);
  c.onGrant = [&](const LeaderSessionId& id) {
    hadLeadership = election->hasLeadership(id);
    election->confirmLeadership(id, "host:1");
    runResult = election->runIfLeader(id, [] {});
  };
  election->startLeaderElection(c);
  auto* driver = drivers->created.next();
  driver->grant();
  auto id = c.inbox.expectNext<Granted>().id;
  CHECK(hadLeadership);
  CHECK_FALSE(runResult);
  CHECK(driver->writes.next().info == LeaderInformation(id, "host:1"));

  SECTION("close from inside the grant revokes right after it") {
    RecordingContender self;
    auto selfElection = service.createLeaderElection("self");
    self.onGrant = [&](const LeaderSessionId&) { selfElection->close(); };
    selfElection->startLeaderElection(self);
    self.inbox.expectNext<Granted>();
    self.inbox.expectNext<Revoked>();
    CHECK(self.violations().empty());
  }
}

TEST_CASE("every grant is followed by exactly one revoke on every path") {
  const bool ownThreads = GENERATE(false, true);
  CAPTURE(ownThreads);
  support::ExecutorThread callbacks("cb");
  auto drivers = std::make_shared<TestingDriverFactory::Shared>();
  auto service = std::make_unique<DefaultLeaderElectionService>(
      std::make_unique<TestingDriverFactory>(drivers), callbacksOn(ownThreads, callbacks));
  RecordingContender byDriver, byClose, byServiceClose, byError;
  auto e1 = service->createLeaderElection("driver");
  auto e2 = service->createLeaderElection("close");
  auto e3 = service->createLeaderElection("service-close");
  auto e4 = service->createLeaderElection("error");
  e1->startLeaderElection(byDriver);
  e2->startLeaderElection(byClose);
  e3->startLeaderElection(byServiceClose);
  e4->startLeaderElection(byError);
  auto* driver = drivers->created.next();
  driver->grant();
  for (auto* c : {&byDriver, &byClose, &byServiceClose, &byError})
    c->inbox.expectNext<Granted>();

  driver->fail(make_error_code(Errc::driver_failure));
  byError.inbox.expectNext<ErrorSeen>();
  e2->close();
  CHECK(byClose.revokes() == 1);
  driver->revoke();
  byDriver.inbox.await<Revoked>();
  byError.inbox.expectNext<Revoked>();
  driver->grant();
  byDriver.inbox.expectNext<Granted>();
  byServiceClose.inbox.await<Granted>();
  service->close();  // revokes everyone still granted, before returning
  for (auto* c : {&byDriver, &byClose, &byServiceClose, &byError}) {
    CHECK(c->grants() == c->revokes());
    CHECK(c->violations().empty());
  }
  CHECK(drivers->closed == 1);
}

TEST_CASE("a contender closing itself from its grant keeps the election until its revoke") {
  support::ExecutorThread callbacks("cb");
  auto drivers = std::make_shared<TestingDriverFactory::Shared>();
  DefaultLeaderElectionService service(std::make_unique<TestingDriverFactory>(drivers),
                                       callbacks.executor());
  RecordingContender self;
  auto election = service.createLeaderElection("self");
  int closedInsideGrant = -1;
  int closedAtRevoke = -1;
  self.onGrant = [&](const LeaderSessionId&) {
    election->close();
    closedInsideGrant = drivers->closed;
  };
  self.onRevoke = [&] { closedAtRevoke = drivers->closed; };
  election->startLeaderElection(self);
  drivers->created.next()->grant();
  self.inbox.expectNext<Granted>();
  self.inbox.expectNext<Revoked>();
  // The driver (and so the process's place in the election) goes only after the revoke: a
  // successor elsewhere cannot be granted while this contender still acts as leader.
  std::promise<void> drained;
  boost::asio::post(callbacks.executor(), [&] { drained.set_value(); });
  drained.get_future().wait();
  CHECK(closedInsideGrant == 0);
  CHECK(closedAtRevoke == 0);
  CHECK(drivers->closed == 1);
}
