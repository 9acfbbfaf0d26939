// The /healthz rule (baton/metrics/health_rule.hpp) on a virtual clock: no server, no sleep.
#include <catch2/catch.hpp>

#include "baton/metrics/health_rule.hpp"

using namespace baton;
using namespace baton::metrics;
using namespace std::chrono_literals;

namespace {

using Clock = HealthFacts::Clock;
const Clock::time_point t0 = Clock::time_point(1000s);

HealthFacts leaderWithTimeout(std::chrono::milliseconds timeout) {
  HealthFacts facts;
  facts.leading = true;
  facts.sessionTimeout = timeout;
  facts.connection = ConnectionState::connected;
  return facts;
}

}  // namespace

TEST_CASE("the lease warning is a sixth of the session timeout, 1 s while it is unknown") {
  CHECK(leaseWarning(6000ms) == 1000ms);
  CHECK(leaseWarning(4000ms) == 666ms);
  CHECK(leaseWarning(std::nullopt) == 1000ms);
}

TEST_CASE("a leader is healthy while its lease has more than the warning left") {
  auto facts = leaderWithTimeout(6000ms);
  facts.leaseDeadline = t0 + 4s;
  const auto verdict = evaluateHealth(facts, t0);
  CHECK(verdict.healthy);
  CHECK_THAT(verdict.reason, Catch::Contains("leading"));
  CHECK(evaluateHealth(facts, t0 + 2999ms).healthy);
}

TEST_CASE("a leader turns unhealthy when its lease runs low, and when it has passed") {
  auto facts = leaderWithTimeout(6000ms);
  facts.leaseDeadline = t0 + 4s;
  const auto low = evaluateHealth(facts, t0 + 3001ms);
  CHECK_FALSE(low.healthy);
  CHECK_THAT(low.reason, Catch::Contains("of lease left (below 1.000s)"));
  const auto passed = evaluateHealth(facts, t0 + 5s);
  CHECK_FALSE(passed.healthy);
  CHECK_THAT(passed.reason, Catch::Contains("lease passed 1.000s ago"));
}

TEST_CASE("a lease renewed in time makes the leader healthy again") {
  auto facts = leaderWithTimeout(6000ms);
  facts.leaseDeadline = t0 + 4s;
  CHECK_FALSE(evaluateHealth(facts, t0 + 3500ms).healthy);
  facts.leaseDeadline = t0 + 7s;
  CHECK(evaluateHealth(facts, t0 + 3500ms).healthy);
}

TEST_CASE("a low lease does not matter to a process that does not lead, nor without a lease") {
  auto facts = leaderWithTimeout(6000ms);
  facts.leaseDeadline = t0 + 100ms;
  facts.leading = false;
  CHECK(evaluateHealth(facts, t0).healthy);
  facts.leading = true;
  facts.leaseDeadline = Clock::time_point::max();  // a backend without a lease
  CHECK(evaluateHealth(facts, t0 + 1h).healthy);
}

TEST_CASE("a backend failure is unhealthy for good, whatever else holds") {
  auto facts = leaderWithTimeout(6000ms);
  facts.leading = false;
  facts.backendFailure = "session expired and cannot be renewed";
  const auto verdict = evaluateHealth(facts, t0);
  CHECK_FALSE(verdict.healthy);
  CHECK(verdict.reason == "the backend failed: session expired and cannot be renewed");
  CHECK_FALSE(evaluateHealth(facts, t0 + 24h).healthy);
}

TEST_CASE("a connection down for longer than the session timeout is unhealthy") {
  auto facts = leaderWithTimeout(4000ms);
  facts.leading = false;
  facts.connection = ConnectionState::suspended;
  facts.downSince = t0;
  CHECK(evaluateHealth(facts, t0 + 4s).healthy);
  const auto verdict = evaluateHealth(facts, t0 + 4001ms);
  CHECK_FALSE(verdict.healthy);
  CHECK_THAT(verdict.reason, Catch::Contains("connection suspended, down for 4.001s"));
  facts.connection = ConnectionState::lost;
  CHECK_FALSE(evaluateHealth(facts, t0 + 5s).healthy);
  facts.connection = ConnectionState::connected;  // back: downSince no longer counts
  CHECK(evaluateHealth(facts, t0 + 5s).healthy);
}

TEST_CASE("before any report the process is healthy (nothing is known to be wrong)") {
  CHECK(evaluateHealth(HealthFacts{}, t0).healthy);
}

TEST_CASE("the rule's description names the threshold in force") {
  CHECK_THAT(describeHealthRule(6000ms), Catch::Contains("less than 1.000s of lease left"));
  CHECK_THAT(describeHealthRule(3000ms), Catch::Contains("less than 0.500s of lease left"));
}
