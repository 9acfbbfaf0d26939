#include "baton/gateway/retry_strategy.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace baton {

std::chrono::milliseconds cappedExponentialDelay(std::chrono::milliseconds initial,
                                                 std::chrono::milliseconds max, int step,
                                                 double multiplier) noexcept {
  const auto cap = static_cast<double>(std::max<std::int64_t>(max.count(), 0));
  double delay = std::min(static_cast<double>(std::max<std::int64_t>(initial.count(), 0)), cap);
  if (multiplier > 1.0) {
    // Bounded by step, and ends early at the cap (at most ~64 rounds for a doubling).
    for (int i = 1; i < step && delay < cap; ++i)
      delay *= multiplier;
  }
  if (delay >= cap)  // the cap itself, not its double (which could round above INT64_MAX)
    return std::chrono::milliseconds(std::max<std::int64_t>(max.count(), 0));
  return std::chrono::milliseconds(static_cast<std::int64_t>(delay));
}

}  // namespace baton

namespace baton::gateway {

namespace {

void requireNonNegative(std::chrono::milliseconds delay, const char* what) {
  if (delay.count() < 0) {
    throw std::invalid_argument(std::string("RetryStrategy: ") + what +
                                " must not be negative, not " + std::to_string(delay.count()) +
                                "ms");
  }
}

void requireAttempts(int maxAttempts) {
  if (maxAttempts < 0) {
    throw std::invalid_argument("RetryStrategy: maxAttempts must be >= 0 (0: no limit), not " +
                                std::to_string(maxAttempts));
  }
}

}  // namespace

RetryStrategy RetryStrategy::fixedDelay(std::chrono::milliseconds delay, int maxAttempts) {
  requireNonNegative(delay, "delay");
  requireAttempts(maxAttempts);
  return RetryStrategy(delay, delay, 1.0, maxAttempts);
}

RetryStrategy RetryStrategy::exponentialDelay(std::chrono::milliseconds initial,
                                              std::chrono::milliseconds max, double multiplier,
                                              int maxAttempts) {
  requireNonNegative(initial, "initial delay");
  requireAttempts(maxAttempts);
  if (max < initial) {
    throw std::invalid_argument("RetryStrategy: max delay " + std::to_string(max.count()) +
                                "ms is below the initial delay " + std::to_string(initial.count()) +
                                "ms");
  }
  if (!(multiplier >= 1.0)) {
    throw std::invalid_argument("RetryStrategy: multiplier must be >= 1, not " +
                                std::to_string(multiplier));
  }
  return RetryStrategy(initial, max, multiplier, maxAttempts);
}

std::optional<std::chrono::milliseconds> RetryStrategy::delayAfter(int failedAttempts) const {
  if (maxAttempts_ > 0 && failedAttempts >= maxAttempts_)
    return std::nullopt;
  return cappedExponentialDelay(initial_, max_, failedAttempts, multiplier_);
}

}  // namespace baton::gateway
