#include "client/lease/metrics_instant.hpp"

#include <chrono>

namespace baton::zookeeper {

HaMetrics::Clock::time_point toMetricsClock(LeaseClock::time_point instant,
                                            LeaseClock::time_point leaseNow,
                                            HaMetrics::Clock::time_point metricsNow) noexcept {
  using Target = HaMetrics::Clock::time_point;
  using std::chrono::nanoseconds;
  if (instant == LeaseClock::time_point::max())
    return Target::max();
  if (instant == LeaseClock::time_point::min())
    return Target::min();
  const auto ahead = std::chrono::duration_cast<nanoseconds>(instant - leaseNow);
  const auto now = std::chrono::duration_cast<nanoseconds>(metricsNow.time_since_epoch());
  // now + ahead overflows only when both have the same sign (and then the bound is safe).
  if (ahead > nanoseconds::zero() && now > nanoseconds::zero() && ahead > nanoseconds::max() - now)
    return Target::max();
  if (ahead < nanoseconds::zero() && now < nanoseconds::zero() && ahead < nanoseconds::min() - now)
    return Target::min();
  return Target(std::chrono::duration_cast<Target::duration>(now + ahead));
}

}  // namespace baton::zookeeper
