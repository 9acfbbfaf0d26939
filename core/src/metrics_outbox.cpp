#include "baton/support/metrics_outbox.hpp"

#include "baton/support/metrics_or_no_op.hpp"

namespace baton::support {

MetricsOutbox::MetricsOutbox(std::shared_ptr<HaMetrics> metrics)
    : metrics_(metricsOrNoOp(std::move(metrics))) {}

void MetricsOutbox::push(Report report) {
  std::lock_guard lock(mutex_);
  queue_.push_back(std::move(report));
}

void MetricsOutbox::drain() noexcept {
  std::unique_lock lock(mutex_);
  if (draining_)
    return;
  draining_ = true;
  while (!queue_.empty()) {
    Report next = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    try {
      next(*metrics_);
    } catch (...) {  // NOLINT(bugprone-empty-catch): see the header
    }
    lock.lock();
  }
  draining_ = false;
}

}  // namespace baton::support
