// The session state machine of the ZooKeeper client, stepped without a server.
#include <zookeeper/zookeeper.h>

#include <catch2/catch.hpp>

#include "baton/error.hpp"
#include "baton/zookeeper/zk_error.hpp"
// A private header of the backend: the machine has no I/O, so it is tested directly.
#include "client/zk_session_tracker.hpp"

using namespace baton;
using namespace baton::zookeeper;
using namespace baton::zookeeper::detail;
using namespace std::chrono_literals;
using Kind = SessionEvent::Kind;

namespace {

ZkSettings settings() {
  ZkSettings s;
  s.quorum = "127.0.0.1:2181";
  s.sessionTimeout = 6000ms;
  s.connectionTimeout = 3000ms;
  s.retry = RetryPolicy{100ms, 1000ms, 3};
  return s;
}

const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);

SessionEvent connectedEvent(std::int64_t id, std::chrono::steady_clock::time_point now) {
  SessionEvent e = sessionEvent(Kind::connected, now);
  e.sessionId = id;
  e.negotiatedTimeout = 4000ms;
  return e;
}

// start, opened, connected with session 7 at t0.
SessionTracker connectedTracker() {
  SessionTracker tracker(settings());
  auto a = tracker.step(sessionEvent(Kind::start, t0));
  CHECK(a.openHandle);
  a = tracker.step(sessionEvent(Kind::opened, t0));
  CHECK(a.connectDeadline == t0 + 3000ms);
  a = tracker.step(connectedEvent(7, t0));
  CHECK(a.report == ConnectionState::connected);
  CHECK(a.startKeepalive);
  return tracker;
}

}  // namespace

TEST_CASE("a first connect reports connected with generation 1") {
  SessionTracker tracker = connectedTracker();
  CHECK(tracker.phase() == SessionPhase::connected);
  CHECK(tracker.info().generation == 1);
  CHECK(tracker.info().sessionId == 7);
  CHECK(tracker.info().negotiatedTimeout == 4000ms);
}

TEST_CASE("suspended then reconnected keeps the session") {
  SessionTracker tracker = connectedTracker();
  tracker.step(sessionEvent(Kind::heard, t0 + 1000ms));
  auto a = tracker.step(sessionEvent(Kind::connecting, t0 + 1500ms));
  CHECK(a.report == ConnectionState::suspended);
  // the local deadline: last contact + negotiated timeout
  CHECK(a.expiryDeadline == t0 + 1000ms + 4000ms);
  a = tracker.step(connectedEvent(7, t0 + 2000ms));
  CHECK(a.report == ConnectionState::reconnected);
  CHECK(a.cancelExpiryDeadline);
  CHECK(tracker.info().generation == 1);
}

TEST_CASE("the local deadline expires a suspended session") {
  SessionTracker tracker = connectedTracker();
  tracker.step(sessionEvent(Kind::connecting, t0 + 100ms));
  CHECK_FALSE(tracker.step(sessionEvent(Kind::deadlinePassed, t0 + 3999ms)).report);
  auto a = tracker.step(sessionEvent(Kind::deadlinePassed, t0 + 4000ms));
  CHECK(a.report == ConnectionState::lost);
  CHECK(a.openHandle);
  CHECK(tracker.info().error == make_error_code(Errc::session_expired));
  a = tracker.step(sessionEvent(Kind::opened, t0 + 4001ms));
  CHECK(tracker.info().generation == 2);
  a = tracker.step(connectedEvent(8, t0 + 4100ms));
  CHECK(a.report == ConnectionState::connected);  // a new session, never "reconnected"
}

TEST_CASE("server-side expiry: lost once, then a new generation") {
  SessionTracker tracker = connectedTracker();
  tracker.step(sessionEvent(Kind::connecting, t0));
  auto a = tracker.step(sessionEvent(Kind::expired, t0 + 10ms));
  CHECK(a.report == ConnectionState::lost);
  CHECK(tracker.info().error == baton::zookeeper::make_error_code(ZSESSIONEXPIRED));
  CHECK_FALSE(tracker.step(sessionEvent(Kind::deadlinePassed, t0 + 1h)).report);
}

TEST_CASE("no connection within connectionTimeout reports lost once and keeps trying") {
  SessionTracker tracker(settings());
  tracker.step(sessionEvent(Kind::start, t0));
  tracker.step(sessionEvent(Kind::opened, t0));
  auto a = tracker.step(sessionEvent(Kind::connectTimeout, t0 + 3000ms));
  CHECK(a.report == ConnectionState::lost);
  CHECK(a.logConnectTimeout);
  CHECK_FALSE(a.openHandle);
  CHECK(tracker.info().error == make_error_code(Errc::timed_out));
  a = tracker.step(connectedEvent(9, t0 + 5000ms));
  CHECK(a.report == ConnectionState::connected);
}

TEST_CASE("authentication failures back off and end terminal after maxAttempts") {
  SessionTracker tracker = connectedTracker();
  auto a = tracker.step(sessionEvent(Kind::authFailed, t0));
  CHECK(a.report == ConnectionState::lost);
  CHECK(a.openHandle);
  CHECK(a.openDelay == 100ms);
  tracker.step(sessionEvent(Kind::opened, t0));
  a = tracker.step(sessionEvent(Kind::authFailed, t0));
  CHECK(a.openDelay == 200ms);
  CHECK_FALSE(a.report);  // lost is not repeated
  tracker.step(sessionEvent(Kind::opened, t0));
  a = tracker.step(sessionEvent(Kind::authFailed, t0));
  CHECK_FALSE(a.openHandle);
  CHECK(a.report == ConnectionState::lost);
  CHECK(tracker.info().terminal);
  CHECK(tracker.phase() == SessionPhase::failed);
}

TEST_CASE("backoff is capped and never overflows") {
  RetryPolicy policy{50ms, 2000ms, 20};
  CHECK(SessionTracker::backoff(policy, 1) == 50ms);
  CHECK(SessionTracker::backoff(policy, 2) == 100ms);
  CHECK(SessionTracker::backoff(policy, 6) == 1600ms);
  CHECK(SessionTracker::backoff(policy, 7) == 2000ms);
  CHECK(SessionTracker::backoff(policy, 1000) == 2000ms);
  RetryPolicy huge{std::chrono::milliseconds(std::int64_t{1} << 40),
                   std::chrono::milliseconds(std::int64_t{1} << 62), 20};
  CHECK(SessionTracker::backoff(huge, 100) == huge.maxDelay);
}

TEST_CASE("after close nothing happens") {
  SessionTracker tracker = connectedTracker();
  tracker.step(sessionEvent(Kind::close, t0));
  CHECK(tracker.phase() == SessionPhase::closed);
  CHECK_FALSE(tracker.step(sessionEvent(Kind::expired, t0)).report);
  CHECK_FALSE(tracker.step(sessionEvent(Kind::connecting, t0)).report);
}
