#pragma once

#include <chrono>
#include <optional>

namespace baton {

// baton's one backoff: initial * multiplier^(step-1), capped at max (step counts from 1; a
// step below 1 counts as 1). Every retry delay in baton comes from here (the gateway's
// RetryStrategy, the ZooKeeper session's reopen, the latch's re-checks and deletes). No jitter:
// none of its users retries in step with a herd (each is one client's own retry; a fleet
// starts its attempts at different times). Never overflows; negative inputs count as 0.
std::chrono::milliseconds cappedExponentialDelay(std::chrono::milliseconds initial,
                                                 std::chrono::milliseconds max, int step,
                                                 double multiplier = 2.0) noexcept;

}  // namespace baton

namespace baton::gateway {

// How often, and after which delays, a failed connect to the leader is tried again (Flink's
// RetryStrategy: FixedRetryStrategy, ExponentialBackoffRetryStrategy).
//
// Delays: fixed: always `initial`; exponential: initial, initial*multiplier, ... capped at `max`.
// maxAttempts counts connects, the first one included; 0 means no limit.
// No jitter: the retriever is one client of one leader, so there is no herd to spread (a
// fleet of clients starts its attempts at different times anyway).
//
// Thread-safety: a value type; const methods may be called concurrently.
class RetryStrategy {
 public:
  // Throws std::invalid_argument for a negative delay or attempt count.
  static RetryStrategy fixedDelay(std::chrono::milliseconds delay, int maxAttempts = 0);
  // Throws std::invalid_argument for a negative delay, max < initial, multiplier < 1 or a
  // negative attempt count.
  static RetryStrategy exponentialDelay(std::chrono::milliseconds initial,
                                        std::chrono::milliseconds max, double multiplier = 2.0,
                                        int maxAttempts = 0);

  // The delay before the next connect after `failedAttempts` (>= 1) failed ones in a row, or
  // nullopt when the attempt limit is reached.
  std::optional<std::chrono::milliseconds> delayAfter(int failedAttempts) const;

  int maxAttempts() const noexcept { return maxAttempts_; }

 private:
  RetryStrategy(std::chrono::milliseconds initial, std::chrono::milliseconds max, double multiplier,
                int maxAttempts)
      : initial_(initial), max_(max), multiplier_(multiplier), maxAttempts_(maxAttempts) {}

  std::chrono::milliseconds initial_;
  std::chrono::milliseconds max_;
  double multiplier_;
  int maxAttempts_;
};

}  // namespace baton::gateway
