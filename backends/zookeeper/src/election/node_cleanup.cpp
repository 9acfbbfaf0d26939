#include "election/node_cleanup.hpp"

#include <zookeeper/zookeeper.h>

#include "baton/gateway/retry_strategy.hpp"
#include "baton/zookeeper/zk_error.hpp"

namespace baton::zookeeper {
namespace {

NodeCleanup::Step stepOf(NodeCleanup::Next next) {
  NodeCleanup::Step step;
  step.next = next;
  return step;
}

NodeCleanup::Step retryAfter(int attempt, const RetryPolicy& policy) {
  auto step = stepOf(NodeCleanup::Next::retry);
  step.delay = cappedExponentialDelay(policy.baseDelay, policy.maxDelay, attempt + 1);
  return step;
}

}  // namespace

NodeCleanup::Step NodeCleanup::afterDelete(const std::error_code& error, bool sessionLives,
                                           int attempt, const RetryPolicy& policy) {
  if (!error || error == make_error_code(ZNONODE))
    return stepOf(Next::done);  // deleted now, or before
  if (!sessionLives)
    return stepOf(Next::sessionEnded);
  if (!isRetryable(error))
    return stepOf(Next::gaveUp);
  return retryAfter(attempt, policy);
}

NodeCleanup::Step NodeCleanup::afterRelease(const std::error_code& error,
                                            const std::vector<std::error_code>& opErrors,
                                            std::size_t latchIndex, bool sessionLives, int attempt,
                                            const RetryPolicy& policy) {
  if (!error)
    return stepOf(Next::done);
  if (!sessionLives)
    return stepOf(Next::sessionEnded);
  if (isRetryable(error))
    return retryAfter(attempt, policy);
  Step step = stepOf(Next::retry);
  for (std::size_t i = 0; i < opErrors.size(); ++i) {
    if (opErrors[i] == make_error_code(ZNONODE) || opErrors[i] == make_error_code(ZBADVERSION)) {
      step.drop.push_back(i);
      step.latchGone = step.latchGone || i == latchIndex;
    }
  }
  if (step.drop.empty())
    return stepOf(Next::gaveUp);
  return step;
}

NodeCleanup::Step NodeCleanup::afterSearch(const std::error_code& error,
                                           const std::vector<std::string>& children,
                                           const std::string& namePrefix, bool sessionLives,
                                           int attempt, const RetryPolicy& policy) {
  if (!sessionLives)
    return stepOf(Next::sessionEnded);  // so did any node it created
  if (error == make_error_code(ZNONODE))
    return stepOf(Next::done);  // no latch dir, no node
  if (!error) {
    Step step = stepOf(Next::done);
    for (const auto& child : children) {
      if (child.rfind(namePrefix, 0) == 0)
        step.toDelete.push_back(child);
    }
    return step;
  }
  if (!isRetryable(error))
    return stepOf(Next::gaveUp);
  return retryAfter(attempt, policy);
}

}  // namespace baton::zookeeper
