// The ZooKeeper backend's sans-io parts of HaMetrics reports: the latch's Place (joined and
// position, from each listing) and the lease instants carried over to the metrics clock.
#include <chrono>
#include <cstdio>
#include <string>

#include <catch2/catch.hpp>

#include "client/lease/metrics_instant.hpp"
#include "election/latch_state_machine.hpp"

using namespace baton::zookeeper;
using namespace baton::zookeeper::latch;
using namespace std::chrono_literals;

namespace {

const std::string kDir = "/baton/c/leader/latch";

std::string node(const std::string& protection, int sequence) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%010d", sequence);
  return "_c_" + protection + "-latch-" + digits;
}

}  // namespace

TEST_CASE("latch place: each listing that finds our node records its position") {
  LatchStateMachine m(kDir);
  m.handle(Start{});
  m.handle(SessionUp{1, 100, "p"});
  CHECK_FALSE(m.place());
  const auto own = node("p", 7);
  m.handle(Created{1, {}, kDir + "/" + own});
  CHECK_FALSE(m.place());  // created, not listed yet

  m.handle(Listed{1, {}, {node("x", 3), own, node("y", 5)}});  // sorted: 3, 5, 7
  REQUIRE(m.place());
  CHECK(m.place()->node == own);
  CHECK(m.place()->position == 2);
  const auto first = m.place()->listing;

  // The predecessor left: the re-check finds us one place further up, as a new listing.
  m.handle(PredecessorGone{1, kDir + "/" + node("y", 5)});
  m.handle(Listed{1, {}, {node("x", 3), own}});
  REQUIRE(m.place());
  CHECK(m.place()->position == 1);
  CHECK(m.place()->listing == first + 1);

  // A listing without our node records nothing: the node is gone (ownPath says so).
  m.handle(RecheckDue{1});
  m.handle(Listed{1, {}, {node("x", 3)}});
  CHECK_FALSE(m.ownPath());
  CHECK(m.place()->listing == first + 1);
}

TEST_CASE("lease instants: carried over by their distance from now; no lease stays max") {
  using Target = baton::HaMetrics::Clock::time_point;
  const LeaseClock::time_point leaseNow(1000s);
  const Target metricsNow(50s);
  CHECK(toMetricsClock(leaseNow + 3s, leaseNow, metricsNow) == metricsNow + 3s);
  CHECK(toMetricsClock(leaseNow - 2s, leaseNow, metricsNow) == metricsNow - 2s);
  CHECK(toMetricsClock(LeaseClock::time_point::max(), leaseNow, metricsNow) == Target::max());
  CHECK(toMetricsClock(LeaseClock::time_point::min(), leaseNow, metricsNow) == Target::min());
  // Now on both clocks: a deadline ahead stays ahead.
  CHECK(toMetricsClock(LeaseClock::now() + 10s) > baton::HaMetrics::Clock::now());
}
