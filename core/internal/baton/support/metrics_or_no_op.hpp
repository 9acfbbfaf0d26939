#pragma once

#include <memory>

#include "baton/ha_metrics.hpp"

namespace baton::support {

// One HaMetrics shared by every services instance that was given none: its methods do
// nothing, so call sites report unconditionally and never test for null.
// Thread-safety: callable from any thread; the instance lives for the whole program.
std::shared_ptr<HaMetrics> noOpMetrics();

// metrics if set, noOpMetrics() otherwise.
std::shared_ptr<HaMetrics> metricsOrNoOp(std::shared_ptr<HaMetrics> metrics);

}  // namespace baton::support
