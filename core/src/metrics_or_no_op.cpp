#include "baton/support/metrics_or_no_op.hpp"

namespace baton::support {

std::shared_ptr<HaMetrics> noOpMetrics() {
  // Never destroyed: a services instance torn down during static destruction may still report.
  static auto* const instance = new std::shared_ptr<HaMetrics>(std::make_shared<HaMetrics>());
  return *instance;
}

std::shared_ptr<HaMetrics> metricsOrNoOp(std::shared_ptr<HaMetrics> metrics) {
  return metrics ? std::move(metrics) : noOpMetrics();
}

}  // namespace baton::support
