#pragma once

#include "baton/ha_metrics.hpp"
#include "client/lease/lease_clock.hpp"

namespace baton::zookeeper {

// The lease runs on LeaseClock (CLOCK_BOOTTIME: it counts a suspended machine's sleep, so a
// lease never outlives one), while HaMetrics pushes instants on std::chrono::steady_clock
// (what an application can compare with). An instant is carried over by its distance from
// now on both clocks, taken at the moment of the report; LeaseClock::time_point::max() (no
// lease) and min() (none proven) map to the metrics clock's max() and min(), and distances too
// large for the target saturate to them. Pure function.
HaMetrics::Clock::time_point toMetricsClock(LeaseClock::time_point instant,
                                            LeaseClock::time_point leaseNow,
                                            HaMetrics::Clock::time_point metricsNow) noexcept;

// The same, now.
inline HaMetrics::Clock::time_point toMetricsClock(LeaseClock::time_point instant) noexcept {
  return toMetricsClock(instant, LeaseClock::now(), HaMetrics::Clock::now());
}

}  // namespace baton::zookeeper
