// StandaloneLeaderElection: the seeds' "whoever starts leads" election, with baton's
// callback rules (asynchronous on the callback executor, never under a lock).
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <stdexcept>
#include <thread>

#include "baton/error.hpp"
#include "baton/support/executor_thread.hpp"
#include "standalone_leader_election.hpp"
#include "support/recording_contender.hpp"

using baton::Errc;
using baton::LeaderSessionId;
using baton::standalone::StandaloneLeaderElection;
using baton::test::Granted;
using baton::test::RecordingContender;
using baton::test::Revoked;

namespace {

const LeaderSessionId kAllZeros(LeaderSessionId::Bytes{});

}  // namespace

TEST_CASE("start grants the all-zero default id, asynchronously on the callback executor") {
  boost::asio::io_context io;  // stepped by hand: nothing runs unless the test polls
  RecordingContender contender;
  StandaloneLeaderElection election(io.get_executor());

  election.startLeaderElection(contender);
  CHECK(contender.inbox.empty());  // not delivered inside startLeaderElection
  CHECK(election.hasLeadership(LeaderSessionId::defaultId()));  // leads from start, as the seeds

  io.poll();
  auto granted = contender.inbox.expectNext<Granted>(std::chrono::milliseconds(0));
  CHECK(granted.id == kAllZeros);
  CHECK(granted.id.isDefault());
  CHECK(granted.id.toString() == "00000000-0000-0000-0000-000000000000");
  CHECK(contender.grants() == 1);
  CHECK(contender.violations().empty());
  election.close();
}

TEST_CASE("hasLeadership is true only for the default id while started and not closed") {
  boost::asio::io_context io;
  RecordingContender contender;
  StandaloneLeaderElection election(io.get_executor());
  const auto other = LeaderSessionId::random();

  CHECK_FALSE(election.hasLeadership(LeaderSessionId::defaultId()));  // not started
  election.startLeaderElection(contender);
  io.poll();
  CHECK(election.hasLeadership(LeaderSessionId::defaultId()));
  CHECK_FALSE(election.hasLeadership(other));
  election.close();
  CHECK_FALSE(election.hasLeadership(LeaderSessionId::defaultId()));
  CHECK_FALSE(election.hasLeadership(other));
}

TEST_CASE("confirmLeadership does nothing") {
  boost::asio::io_context io;
  RecordingContender contender;
  StandaloneLeaderElection election(io.get_executor());
  election.startLeaderElection(contender);
  io.poll();
  contender.inbox.expectNext<Granted>(std::chrono::milliseconds(0));

  election.confirmLeadership(LeaderSessionId::defaultId(), "akka://rm@host:6123");
  election.confirmLeadership(LeaderSessionId::random(), "stale");
  CHECK(io.poll() == 0);  // nothing was scheduled
  CHECK(contender.inbox.empty());
  CHECK(election.hasLeadership(LeaderSessionId::defaultId()));
  election.close();
}

TEST_CASE("close revokes exactly once, before it returns, when the grant was delivered") {
  boost::asio::io_context io;
  RecordingContender contender;
  auto election = std::make_unique<StandaloneLeaderElection>(io.get_executor());
  election->startLeaderElection(contender);
  io.poll();
  contender.inbox.expectNext<Granted>(std::chrono::milliseconds(0));

  election->close();
  contender.inbox.expectNext<Revoked>(std::chrono::milliseconds(0));  // already delivered
  election->close();                                                  // idempotent
  election.reset();                                                   // the destructor closes
  io.poll();
  CHECK(contender.inbox.empty());
  CHECK(contender.grants() == 1);
  CHECK(contender.revokes() == 1);
  CHECK(contender.violations().empty());
}

TEST_CASE("close before the grant was delivered drops it and revokes nothing") {
  boost::asio::io_context io;
  RecordingContender contender;
  StandaloneLeaderElection election(io.get_executor());
  election.startLeaderElection(contender);
  election.close();
  io.poll();
  CHECK(contender.inbox.empty());
  CHECK(contender.grants() == 0);
  CHECK(contender.revokes() == 0);
}

TEST_CASE("the destructor of an election never started delivers nothing") {
  boost::asio::io_context io;
  { StandaloneLeaderElection election(io.get_executor()); }
  CHECK(io.poll() == 0);
}

TEST_CASE("startLeaderElection twice or after close throws std::logic_error") {
  boost::asio::io_context io;
  RecordingContender contender;
  RecordingContender another;

  StandaloneLeaderElection twice(io.get_executor());
  twice.startLeaderElection(contender);
  CHECK_THROWS_AS(twice.startLeaderElection(another), std::logic_error);

  StandaloneLeaderElection closed(io.get_executor());
  closed.close();
  CHECK_THROWS_AS(closed.startLeaderElection(another), std::logic_error);

  twice.close();
  io.poll();
  CHECK(another.grants() == 0);
}

TEST_CASE("the fencing token is {default id, epoch 0} while leading, none otherwise") {
  boost::asio::io_context io;
  RecordingContender contender;
  StandaloneLeaderElection election(io.get_executor());
  CHECK_FALSE(election.fencingToken(LeaderSessionId::defaultId()));
  election.startLeaderElection(contender);
  io.poll();
  auto token = election.fencingToken(LeaderSessionId::defaultId());
  REQUIRE(token);
  CHECK(*token == baton::FencingToken{LeaderSessionId::defaultId(), 0});
  CHECK_FALSE(election.fencingToken(LeaderSessionId::random()));
  election.close();
  CHECK_FALSE(election.fencingToken(LeaderSessionId::defaultId()));
}

TEST_CASE("runIfLeader runs the action only under the default id while leading") {
  boost::asio::io_context io;
  RecordingContender contender;
  StandaloneLeaderElection election(io.get_executor());
  int runs = 0;
  auto action = [&] { ++runs; };

  CHECK(election.runIfLeader(LeaderSessionId::defaultId(), action) == Errc::leadership_lost);
  election.startLeaderElection(contender);
  io.poll();
  CHECK_FALSE(election.runIfLeader(LeaderSessionId::defaultId(), action));
  CHECK(runs == 1);
  CHECK(election.runIfLeader(LeaderSessionId::random(), action) == Errc::leadership_lost);
  election.close();
  CHECK(election.runIfLeader(LeaderSessionId::defaultId(), action) == Errc::leadership_lost);
  CHECK(runs == 1);
}

TEST_CASE("callbacks run on the callback executor and may call back into the election") {
  baton::support::ExecutorThread thread("test-callbacks");
  RecordingContender contender;
  StandaloneLeaderElection election(thread.executor());
  std::thread::id grantThread;
  bool ledInside = false;
  std::error_code runResult = make_error_code(Errc::leadership_lost);
  contender.onGrant = [&](const LeaderSessionId& id) {
    grantThread = std::this_thread::get_id();
    ledInside = election.hasLeadership(id);
    runResult = election.runIfLeader(id, [] {});  // inside a callback: runs at once
    election.close();  // from inside: the revoke follows when this callback returns
  };

  election.startLeaderElection(contender);
  contender.inbox.expectNext<Granted>();
  contender.inbox.expectNext<Revoked>();
  CHECK(grantThread == thread.threadId());
  CHECK(ledInside);
  CHECK_FALSE(runResult);
  CHECK(contender.revokes() == 1);
  CHECK(contender.violations().empty());
}

TEST_CASE("close from another thread after a delivered grant revokes exactly once") {
  baton::support::ExecutorThread thread("test-callbacks");
  RecordingContender contender;
  StandaloneLeaderElection election(thread.executor());
  election.startLeaderElection(contender);
  contender.inbox.expectNext<Granted>();

  std::thread closer([&] { election.close(); });
  election.close();  // racing closes: still one revoke
  closer.join();
  contender.inbox.expectNext<Revoked>(std::chrono::milliseconds(0));
  CHECK(contender.revokes() == 1);
  CHECK(contender.violations().empty());
}
