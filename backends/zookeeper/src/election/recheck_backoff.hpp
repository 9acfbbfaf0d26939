#pragma once

#include <chrono>

#include "client/zk_settings.hpp"

namespace baton::zookeeper {

// When the latch re-checks after a retryable error while connected (ScheduleRecheck), and when
// to tell the listener that it keeps failing: the capped exponential backoff of the retry
// policy (baton::cappedExponentialDelay), attempts counted since the last progress (a grant or
// a new session). The listener hears onError once, at the policy's maxAttempts-th re-check in
// a row; the latch keeps retrying (a retryable error is never fatal by count alone).
//
// Thread-safety: none; the driver's strand only.
class RecheckBackoff {
 public:
  explicit RecheckBackoff(RetryPolicy policy) : policy_(policy) {}

  struct Plan {
    std::chrono::milliseconds delay;
    bool reportStuck = false;  // this is the maxAttempts-th re-check in a row: say so, once
  };
  // A re-check was asked for: after which delay, and whether to report.
  Plan next();
  // Progress: the next re-check starts from the base delay again.
  void reset() noexcept { attempts_ = 0; }
  int attempts() const noexcept { return attempts_; }

 private:
  RetryPolicy policy_;
  int attempts_ = 0;
};

}  // namespace baton::zookeeper
