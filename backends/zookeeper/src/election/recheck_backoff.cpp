#include "election/recheck_backoff.hpp"

#include "baton/gateway/retry_strategy.hpp"

namespace baton::zookeeper {

RecheckBackoff::Plan RecheckBackoff::next() {
  ++attempts_;
  return Plan{cappedExponentialDelay(policy_.baseDelay, policy_.maxDelay, attempts_),
              attempts_ == policy_.maxAttempts};
}

}  // namespace baton::zookeeper
