#include "election/node_cleanup.hpp"

#include <zookeeper/zookeeper.h>

#include "baton/gateway/retry_strategy.hpp"
#include "baton/zookeeper/zk_error.hpp"

namespace baton::zookeeper {
namespace {

NodeCleanup::Step retryAfter(int attempt, const RetryPolicy& policy) {
  return {NodeCleanup::Next::retry,
          cappedExponentialDelay(policy.baseDelay, policy.maxDelay, attempt + 1),
          {}};
}

}  // namespace

NodeCleanup::Step NodeCleanup::afterDelete(const std::error_code& error, bool sessionLives,
                                           int attempt, const RetryPolicy& policy) {
  if (!error || error == make_error_code(ZNONODE))
    return {Next::done, {}, {}};  // deleted now, or before
  if (!sessionLives)
    return {Next::sessionEnded, {}, {}};
  if (!isRetryable(error))
    return {Next::gaveUp, {}, {}};
  return retryAfter(attempt, policy);
}

NodeCleanup::Step NodeCleanup::afterSearch(const std::error_code& error,
                                           const std::vector<std::string>& children,
                                           const std::string& namePrefix, bool sessionLives,
                                           int attempt, const RetryPolicy& policy) {
  if (!sessionLives)
    return {Next::sessionEnded, {}, {}};  // so did any node it created
  if (error == make_error_code(ZNONODE))
    return {Next::done, {}, {}};  // no latch dir, no node
  if (!error) {
    Step step{Next::done, {}, {}};
    for (const auto& child : children) {
      if (child.rfind(namePrefix, 0) == 0)
        step.toDelete.push_back(child);
    }
    return step;
  }
  if (!isRetryable(error))
    return {Next::gaveUp, {}, {}};
  return retryAfter(attempt, policy);
}

}  // namespace baton::zookeeper
