#pragma once

#include <chrono>

#include "client/lease/keepalive_plan.hpp"
#include "client/lease/lease_clock.hpp"

namespace baton::zookeeper::detail {

// The lease arithmetic (docs/reliability.md), apart so that it is tested without a clock.
// The servers cannot expire the session before renewedSince + T (ZooKeeper rounds expiry
// times up to its tick: ExpiryQueue.roundToNextInterval); the margin covers the rate
// difference of the two clocks over T and the delay of a revoke reaching the application.
inline LeaseClock::time_point leaseDeadline(LeaseClock::time_point renewedSince,
                                            std::chrono::milliseconds negotiatedTimeout,
                                            std::chrono::milliseconds margin) noexcept {
  return renewedSince + negotiatedTimeout - margin;
}

// While connected, the proven renewal lags behind now by up to two leader keepalive periods
// plus the relay bound (RenewalProof); a lease no longer than that could never be held.
inline bool leaseCanBeHeld(std::chrono::milliseconds sessionTimeout,
                           std::chrono::milliseconds margin,
                           std::chrono::milliseconds tickTime) noexcept {
  auto lag = 2 * leaderKeepalivePeriod(sessionTimeout, tickTime) + tickTime;
  return sessionTimeout - margin > lag;
}

}  // namespace baton::zookeeper::detail
